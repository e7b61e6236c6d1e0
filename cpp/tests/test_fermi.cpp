#include <cmath>
#include <limits>

#include "check.hpp"
#include "quasiion/fermi.hpp"

using namespace quasiion;

TEST_CASE("occupation is 1/2 at mu and complementary") {
  CHECK_CLOSE(fermi::occupation(0.0), 0.5, 0, 1e-16);
  for (double x : {-800.0, -30.0, -1.0, 0.3, 5.0, 700.0, 1e6}) {
    CHECK_CLOSE(fermi::occupation(x) + fermi::occupation(-x), 1.0, 1e-15, 0);
    CHECK(std::isfinite(fermi::occupation(x)));
  }
}

TEST_CASE("limits including infinities") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(fermi::occupation(inf) == 0.0);
  CHECK(fermi::occupation(-inf) == 1.0);
  CHECK(fermi::minus_derivative_x(inf) == 0.0);
  CHECK(fermi::minus_derivative_x(-inf) == 0.0);
}

TEST_CASE("derivative matches finite difference and f(1-f)") {
  for (double x : {-40.0, -3.0, -0.2, 0.0, 1.5, 25.0}) {
    const double h = 1e-5;
    // Difference the smaller of f and 1 - f, so the difference keeps its digits.
    const double fd = x >= 0 ? -(fermi::occupation(x + h) - fermi::occupation(x - h)) / (2 * h)
                             : (fermi::vacancy(x + h) - fermi::vacancy(x - h)) / (2 * h);
    CHECK_CLOSE(fermi::minus_derivative_x(x), fd, 1e-7, 1e-300);
    const double f = fermi::occupation(x);
    CHECK_CLOSE(fermi::minus_derivative_x(x), f * fermi::vacancy(x), 1e-13, 0);
  }
  CHECK_CLOSE(fermi::minus_derivative(0.1, 0.1, 0.025), 0.25 / 0.025, 1e-15, 0);
}

TEST_CASE("occupation difference equals f(x - r) - f(x + r), accurately for small r") {
  for (double x : {-800.0, -40.0, -3.0, -0.1, 0.0, 0.7, 12.0, 300.0, 710.0})
    for (double r : {0.0, 1e-9, 1e-3, 0.5, 4.0, 60.0, 400.0, 701.0}) {
      const fermi::OccupationDifference d(x);
      const double ref = fermi::occupation(x - r) - fermi::occupation(x + r);
      // Where the two-occupation reference is accurate (no cancellation), agree to rounding;
      // elsewhere against 1 - f(x + r) - (1 - f(x - r)) written with vacancies (x < 0).
      const double ref2 = fermi::vacancy(x + r) - fermi::vacancy(x - r);
      const double best = x < 0 ? ref2 : ref;
      if (best > 1e-300 && (r > 1e-2 || best > 1e-3)) CHECK_CLOSE(d(r), best, 1e-12, 1e-300);
      CHECK(d(r) >= 0.0 && d(r) <= 1.0);
    }
  // Small r at x = 0: f(-r) - f(r) = tanh(r/2), which the naive difference loses.
  const fermi::OccupationDifference d0(0.0);
  CHECK_CLOSE(d0(1e-9), std::tanh(0.5e-9), 1e-14, 0);
  // At x = 2, r -> 0: the difference is r * 2 f(2)(1 - f(2)) to first order.
  const fermi::OccupationDifference d2(2.0);
  const double f2 = fermi::occupation(2.0);
  CHECK_CLOSE(d2(1e-8), 2e-8 * f2 * (1 - f2), 1e-7, 0);
}

QI_TEST_MAIN
