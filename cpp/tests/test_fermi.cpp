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

QI_TEST_MAIN
