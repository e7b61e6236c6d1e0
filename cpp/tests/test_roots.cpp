#include <cmath>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/meanfield.hpp"
#include "quasiion/roots.hpp"

using namespace quasiion;

TEST_CASE("brent finds a simple root to tolerance") {
  const double r = roots::brent([](double x) { return std::cos(x) - x; }, 0.0, 1.0);
  CHECK_CLOSE(r, 0.7390851332151607, 0, 1e-14);
}

TEST_CASE("brent rejects a non-bracketing interval") {
  CHECK_THROWS(roots::brent([](double x) { return x * x + 1.0; }, -1.0, 1.0), InvalidArgument);
}

TEST_CASE("find_all returns every root of a cubic, sorted") {
  auto f = [](double x) { return (x - 0.1) * (x - 0.5) * (x - 0.77); };
  const auto rs = roots::find_all(f, 0.0, 1.0);
  CHECK(rs.size() == 3);
  if (rs.size() == 3) {
    CHECK_CLOSE(rs[0].x, 0.1, 0, 1e-13);
    CHECK_CLOSE(rs[1].x, 0.5, 0, 1e-13);
    CHECK_CLOSE(rs[2].x, 0.77, 0, 1e-13);
    for (const auto& r : rs) CHECK(!r.tangent);
  }
}

TEST_CASE("find_all reports a touching root and a root at the end point") {
  auto f = [](double x) { return (x - 0.3137) * (x - 0.3137) * (x - 1.0); };
  const auto rs = roots::find_all(f, 0.0, 1.0);
  CHECK(rs.size() == 2);
  if (rs.size() == 2) {
    CHECK(rs[0].tangent);
    CHECK_CLOSE(rs[0].x, 0.3137, 0, 1e-6);
    CHECK_CLOSE(rs[1].x, 1.0, 0, 1e-14);
  }
}

TEST_CASE("find_all validates its interval and reports non-finite values") {
  CHECK_THROWS(roots::find_all([](double x) { return x; }, 1.0, 0.0), InvalidArgument);
  CHECK_THROWS(roots::find_all([](double x) { return std::log(x - 0.5); }, 0.0, 1.0),
               ConvergenceError);
}

TEST_CASE("meanfield: fixed points of a map and the periodic quadrature") {
  // F(S) = 0.9 tanh(3 S) has fixed points 0 and one positive root.
  const auto fp = meanfield::fixed_points([](double s) { return 0.9 * std::tanh(3.0 * s); }, 1.0);
  CHECK(fp.size() == 2);
  if (fp.size() == 2) {
    CHECK_CLOSE(fp[0].x, 0.0, 0, 1e-14);
    CHECK_CLOSE(0.9 * std::tanh(3.0 * fp[1].x), fp[1].x, 0, 1e-13);
  }
  // Exponential convergence: mean of exp(cos) is I0(1).
  CHECK_CLOSE(meanfield::bz_average(32, [](double t) { return std::exp(std::cos(t)); }),
              1.2660658777520082, 1e-15, 0);
  CHECK(meanfield::bz_points(0.5, 0.026) % 8 == 0);
  CHECK(meanfield::bz_points(0.0, 0.026) == 256);
  CHECK_THROWS(meanfield::bz_points(1.0, 0.0), InvalidArgument);
}

TEST_CASE("monotone_fixed_points finds every fixed point of a steep sigmoid") {
  // F(x) = 0.5 (1 + tanh(12 (x - 0.5))): three fixed points on [0, 1].
  auto F = [](double x) { return 0.5 * (1.0 + std::tanh(12.0 * (x - 0.5))); };
  const auto fast = meanfield::monotone_fixed_points(F, 0.0, 1.0, meanfield::MonotoneOptions{1e-3});
  const auto ref = roots::find_all([&](double x) { return F(x) - x; }, 0.0, 1.0,
                                   roots::ScanOptions{4000});
  CHECK(fast.size() == 3);
  CHECK(ref.size() == 3);
  if (fast.size() == 3 && ref.size() == 3)
    for (int i = 0; i < 3; ++i) CHECK_CLOSE(fast[i].x, ref[i].x, 0, 1e-13);
  CHECK_CLOSE(fast[1].x, 0.5, 0, 1e-14);
}

TEST_CASE("monotone_fixed_points: a touching fixed point and a constant map") {
  // F(x) = x - (x - 0.4)^2: F' = 1 - 2 (x - 0.4) > 0 on [0, 0.9], F(x) - x <= 0 touches 0 at 0.4.
  auto F = [](double x) { return x - (x - 0.4) * (x - 0.4); };
  const auto r = meanfield::monotone_fixed_points(F, 0.0, 0.9, meanfield::MonotoneOptions{1e-3});
  CHECK(r.size() == 1);
  if (r.size() == 1) CHECK_CLOSE(r[0].x, 0.4, 0, 1e-6);
  const auto c = meanfield::monotone_fixed_points([](double) { return 0.25; }, 0.0, 1.0);
  CHECK(c.size() == 1);
  if (c.size() == 1) CHECK_CLOSE(c[0].x, 0.25, 0, 1e-15);
}

QI_TEST_MAIN
