// The executor: how independent work items (k-points, chemical potentials, temperatures,
// disorder realisations) are spread over threads. One small home so a different executor
// (a thread pool, a cluster backend) slots in here without touching the physics.
//
// Results never depend on the thread count: each index writes only its own output, and
// reductions are done by the caller in index order.
//
// Long calls stay interruptible: an optional `cancelled` hook and an optional `progress`
// report are called on the calling thread between chunks of work (at most every
// `poll_seconds`). When `cancelled` returns true (or throws), no new item starts, every
// started thread is joined and parallel_for throws quasiion::Cancelled (or the hook's
// exception). The Python bindings use the hook for Ctrl-C; C++ callers may leave it empty.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "quasiion/errors.hpp"

namespace quasiion {

struct Execution {
  // Number of worker threads; 0 means one per hardware thread. Capped at max_threads().
  int threads = 0;
  // Below this many items the work runs on the calling thread (thread start costs ~10 us).
  std::size_t min_items_per_thread = 1;
  // Optional: polled on the calling thread between chunks; true stops the work (Cancelled).
  std::function<bool()> cancelled{};
  // Optional: (items done, items total), reported on the calling thread between chunks.
  std::function<void(std::size_t, std::size_t)> progress{};
  // Seconds between two calls of `cancelled` / `progress`.
  double poll_seconds = 0.1;

  // More threads than this many per hardware thread only add start-up cost and memory.
  static constexpr int kThreadsPerHardwareThread = 4;
  static int hardware_threads() {
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : static_cast<int>(hw);
  }
  static int max_threads() { return kThreadsPerHardwareThread * hardware_threads(); }

  int resolved_threads() const {
    if (threads > 0) return std::min(threads, max_threads());
    return hardware_threads();
  }
};

namespace detail {

// Calls the hooks when poll_seconds have passed since the last call (or `force`).
class Poller {
 public:
  explicit Poller(const Execution& exec) : exec_(exec), last_(clock::now()) {}
  bool active() const { return static_cast<bool>(exec_.cancelled) || static_cast<bool>(exec_.progress); }
  // For the serial loop: reads the clock only every `stride_` items, the stride adapted so
  // that a clock read (~20 ns) costs nothing next to cheap items yet slow items still poll
  // about every poll_seconds.
  bool tick(std::size_t done, std::size_t total) {
    if (!active() || ++count_ < stride_) return false;
    count_ = 0;
    const auto now = clock::now();
    const double dt = std::chrono::duration<double>(now - last_tick_).count();
    last_tick_ = now;
    if (dt < 0.01 * exec_.poll_seconds && stride_ < 4096) stride_ *= 2;
    else if (dt > 0.1 * exec_.poll_seconds && stride_ > 1) stride_ /= 2;
    return poll(done, total);
  }
  // Returns true when the work is to stop.
  bool poll(std::size_t done, std::size_t total, bool force = false) {
    if (!active()) return false;
    const auto now = clock::now();
    if (!force && std::chrono::duration<double>(now - last_).count() < exec_.poll_seconds) return false;
    last_ = now;
    if (exec_.progress) exec_.progress(done, total);
    return exec_.cancelled && exec_.cancelled();
  }

 private:
  using clock = std::chrono::steady_clock;
  const Execution& exec_;
  clock::time_point last_;
  clock::time_point last_tick_ = clock::now();
  std::size_t count_ = 0, stride_ = 1;
};

[[noreturn]] inline void throw_cancelled(std::size_t done, std::size_t total) {
  throw Cancelled("cancelled after " + std::to_string(done) + " of " + std::to_string(total) +
                  " work items");
}

}  // namespace detail

// Calls f(i) for i in [0, n) on up to exec.threads threads, the calling thread one of them.
// Threads take contiguous blocks of about n / (8 threads) items from a shared counter, so
// items of uneven cost (a mu with three roots next to one with one) balance over the threads. The exception of the lowest
// failing index seen is rethrown on the calling thread after all workers finish.
// If the system refuses to start a thread, the threads already started are stopped and
// joined and an Error is thrown (never std::terminate).
template <class F>
void parallel_for(std::size_t n, F&& f, const Execution& exec = {}) {
  if (n == 0) return;
  detail::Poller poller(exec);
  const std::size_t per = std::max<std::size_t>(1, exec.min_items_per_thread);
  const std::size_t max_useful = (n + per - 1) / per;
  const std::size_t nt =
      std::min<std::size_t>(static_cast<std::size_t>(exec.resolved_threads()), max_useful);
  if (nt <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      if (poller.tick(i, n)) detail::throw_cancelled(i, n);
      f(i);
    }
    if (poller.active()) poller.poll(n, n, true);
    return;
  }
  std::vector<std::exception_ptr> errors(nt);
  std::vector<std::size_t> error_index(nt, n);
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> running{0};
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::thread> workers;
  workers.reserve(nt - 1);
  // Blocks: large enough that the shared counter costs nothing, small enough to balance.
  const std::size_t block = std::max<std::size_t>(1, n / (8 * nt));
  auto join_all = [&] {
    for (auto& w : workers)
      if (w.joinable()) w.join();
  };
  // Hook state, touched by the calling thread only.
  std::exception_ptr hook_error;
  bool cancelled = false;
  // The work loop of thread t; the calling thread (t = 0, with_hooks) also polls the hooks
  // between its items, as the serial loop does.
  auto work = [&](std::size_t t, bool with_hooks) {
    std::size_t i = n;
    try {
      for (;;) {
        const std::size_t begin = next.fetch_add(block, std::memory_order_relaxed);
        if (begin >= n) break;
        const std::size_t end = std::min(n, begin + block);
        for (i = begin; i < end; ++i) {
          if (stop.load(std::memory_order_relaxed)) break;
          if (with_hooks) {
            bool c = false;
            try {
              c = poller.tick(done.load(std::memory_order_relaxed), n);
            } catch (...) {
              hook_error = std::current_exception();
              c = true;
            }
            if (c) {
              cancelled = true;
              stop.store(true);
              break;
            }
          }
          f(i);
          done.fetch_add(1, std::memory_order_relaxed);
        }
        if (stop.load(std::memory_order_relaxed)) break;
      }
    } catch (...) {
      errors[t] = std::current_exception();
      error_index[t] = i;
      stop.store(true);
    }
  };
  // nt - 1 started threads; the calling thread is the nt-th worker (one thread start fewer:
  // ~10-100 us per call, which decides whether short kernels gain from a second thread).
  for (std::size_t t = 1; t < nt; ++t) {
    running.fetch_add(1);
    try {
      workers.emplace_back([&, t] {
        work(t, false);
        {
          std::lock_guard<std::mutex> lock(m);
          running.fetch_sub(1);
        }
        cv.notify_all();
      });
    } catch (const std::system_error& e) {
      running.fetch_sub(1);
      stop.store(true);
      join_all();
      throw Error("could not start worker thread " + std::to_string(t) + " of " +
                  std::to_string(nt - 1) + " (" + e.what() + "); use fewer threads");
    } catch (...) {
      running.fetch_sub(1);
      stop.store(true);
      join_all();
      throw;
    }
  }
  work(0, poller.active());
  // Then the calling thread waits for the others, polling the hooks between waits; it never
  // abandons a worker.
  {
    std::unique_lock<std::mutex> lock(m);
    while (running.load() != 0) {
      if (!poller.active()) {
        cv.wait(lock, [&] { return running.load() == 0; });
        break;
      }
      const auto wait = std::chrono::duration<double>(exec.poll_seconds);
      if (cv.wait_for(lock, wait, [&] { return running.load() == 0; })) break;
      if (stop.load()) continue;  // an item failed or was cancelled: let the others finish
      lock.unlock();
      try {
        cancelled = poller.poll(done.load(), n, true);
      } catch (...) {
        hook_error = std::current_exception();
        cancelled = true;
      }
      lock.lock();
      if (cancelled) stop.store(true);
    }
  }
  join_all();
  if (hook_error) std::rethrow_exception(hook_error);
  std::size_t first = nt;
  for (std::size_t t = 0; t < nt; ++t)
    if (errors[t] && (first == nt || error_index[t] < error_index[first])) first = t;
  if (first != nt) std::rethrow_exception(errors[first]);
  if (cancelled) detail::throw_cancelled(done.load(), n);
  if (poller.active()) poller.poll(n, n, true);
}

}  // namespace quasiion
