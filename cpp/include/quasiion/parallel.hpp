// The executor: how independent work items (k-points, chemical potentials, temperatures,
// disorder realisations) are spread over threads. One small home so a different executor
// (a thread pool, a cluster backend) slots in here without touching the physics.
//
// Results never depend on the thread count: each index writes only its own output, and
// reductions are done by the caller in index order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace quasiion {

struct Execution {
  // Number of worker threads; 0 means one per hardware thread.
  int threads = 0;
  // Below this many items the work runs on the calling thread (thread start costs ~10 us).
  std::size_t min_items_per_thread = 1;

  int resolved_threads() const {
    if (threads > 0) return threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : static_cast<int>(hw);
  }
};

// Calls f(i) for i in [0, n), in contiguous chunks on up to exec.threads threads. The first
// exception thrown by any call is rethrown on the calling thread after all workers finish.
template <class F>
void parallel_for(std::size_t n, F&& f, const Execution& exec = {}) {
  if (n == 0) return;
  const std::size_t per = std::max<std::size_t>(1, exec.min_items_per_thread);
  const std::size_t max_useful = (n + per - 1) / per;
  const std::size_t nt =
      std::min<std::size_t>(static_cast<std::size_t>(exec.resolved_threads()), max_useful);
  if (nt <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::vector<std::exception_ptr> errors(nt);
  std::vector<std::thread> workers;
  workers.reserve(nt);
  const std::size_t chunk = (n + nt - 1) / nt;
  for (std::size_t t = 0; t < nt; ++t) {
    const std::size_t begin = t * chunk;
    const std::size_t end = std::min(n, begin + chunk);
    workers.emplace_back([&, t, begin, end] {
      try {
        for (std::size_t i = begin; i < end; ++i) f(i);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace quasiion
