#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "check.hpp"
#include "quasiion/doping.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/parallel.hpp"

using namespace quasiion;

TEST_CASE("parallel_for: every index once, any thread count, capped threads") {
  for (int threads : {0, 1, 2, 3, 7, 1000}) {
    std::vector<int> hits(1001, 0);
    parallel_for(hits.size(), [&](std::size_t i) { hits[i] += 1; }, Execution{threads});
    for (int h : hits) CHECK(h == 1);
  }
  Execution e{1 << 30};
  CHECK(e.resolved_threads() == Execution::max_threads());
  CHECK(Execution::max_threads() >= Execution::hardware_threads());
}

TEST_CASE("parallel_for: the calling thread is one of the workers") {
  const auto caller = std::this_thread::get_id();
  std::vector<std::thread::id> who(64);
  parallel_for(
      who.size(),
      [&](std::size_t i) {
        who[i] = std::this_thread::get_id();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      Execution{2});
  int by_caller = 0, by_other = 0;
  for (const auto& id : who) (id == caller ? by_caller : by_other) += 1;
  CHECK(by_caller > 0);
  CHECK(by_other > 0);
}

TEST_CASE("parallel_for: a worker's exception reaches the caller after every join") {
  for (int threads : {1, 4}) {
    std::atomic<int> ran{0};
    CHECK_THROWS(parallel_for(
                     100,
                     [&](std::size_t i) {
                       ++ran;
                       if (i == 3) throw InvalidArgument("boom");
                     },
                     Execution{threads}),
                 InvalidArgument);
    CHECK(ran.load() >= 1);
  }
}

TEST_CASE("parallel_for: the cancellation hook stops long work, serial and threaded") {
  for (int threads : {1, 2}) {
    Execution e{threads};
    e.poll_seconds = 0.01;
    std::atomic<std::size_t> ran{0};
    int polls = 0;
    e.cancelled = [&] { return ++polls >= 3; };
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS(parallel_for(
                     100000,
                     [&](std::size_t) {
                       std::this_thread::sleep_for(std::chrono::milliseconds(1));
                       ++ran;
                     },
                     e),
                 Cancelled);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ran.load() < 100000);
    CHECK(s < 30.0);  // 100 s of work were asked for
  }
}

TEST_CASE("parallel_for: progress is reported and ends at the total") {
  Execution e{2};
  e.poll_seconds = 0.0;
  std::size_t last = 0, total = 0;
  e.progress = [&](std::size_t d, std::size_t t) {
    CHECK(d >= last);
    last = d;
    total = t;
  };
  parallel_for(50, [](std::size_t) { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }, e);
  CHECK(last == 50 && total == 50);
}

TEST_CASE("gauss_legendre: O(n) route agrees with the recurrence route's identities") {
  // Exactness on polynomials in x = 4u/pi - 1: int_{-1}^{1} x^(2j) dx / 2 = 1/(2j+1).
  for (int n : {65, 128, 1001, 20000}) {
    const auto q = doping::ZoneQuadrature::gauss_legendre(n);
    double sum = 0, m2 = 0, m10 = 0;
    for (int i = 0; i < q.size(); ++i) {
      const auto k = static_cast<std::size_t>(i);
      const double x = 4.0 * q.u[k] / M_PI - 1.0;
      sum += q.w[k];
      m2 += q.w[k] * x * x;
      m10 += q.w[k] * std::pow(x, 10);
    }
    CHECK_CLOSE(sum, 1.0, 0, 1e-13);
    CHECK_CLOSE(m2, 1.0 / 3.0, 0, 1e-13);
    CHECK_CLOSE(m10, 1.0 / 11.0, 0, 1e-13);
  }
}

QI_TEST_MAIN
