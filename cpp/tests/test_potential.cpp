// Profile (PCHIP, wells/barriers), classical and thermal densities, tight binding.
#include <cmath>
#include <limits>

#include "check.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/potential.hpp"
#include "quasiion/profile.hpp"

using namespace quasiion;
using namespace quasiion::potential;

namespace {

Profile harmonic(int n = 2001) {
  Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(n, -2.0, 2.0);
  Eigen::ArrayXd u = 0.5 * x * x;
  return Profile(x, u, false);
}

}  // namespace

TEST_CASE("eq 45: wells at 0 and a/2, barriers at the closed-form maximum") {
  const double alpha = 0.6;
  const Profile p = Profile::eq45(alpha, -0.3, 4.0);
  CHECK(p.periodic());
  CHECK(p.wells().size() == 2);
  CHECK(p.barriers().size() == 2);
  CHECK_CLOSE(p.wells()[0].x, 0.0, 0, 1e-12);
  CHECK_CLOSE(p.wells()[0].U, -0.24, 0, 1e-12);
  CHECK_CLOSE(p.wells()[1].x, 2.0, 0, 1e-12);
  CHECK_CLOSE(p.wells()[1].U, -0.6, 0, 1e-12);
  const double r = alpha / (4 * (1 - alpha)), y = (1 - r) / 2;
  const double umax = -0.6 * (alpha * y + (1 - alpha) * r * r);
  for (const auto& b : p.barriers()) CHECK_CLOSE(b.U, umax, 0, 1e-6);
}

TEST_CASE("eq 16 full form at kT = 0.026 eV matches the PHYSICS.md table") {
  const double T = 0.026 / constants::boltzmann_eV;
  const double want[3] = {-0.02337767551447121, -0.09634973522670671, -0.2599982463747947};
  const double alphas[3] = {0.5, 0.6, 0.7};
  for (int i = 0; i < 3; ++i) {
    const Landscape l(Profile::eq45(alphas[i], -0.3, 4.0));
    const auto tb = l.tight_binding(T, Method::NarrowWell);
    CHECK_CLOSE(tb.J0, want[i], 1e-5, 0);
    CHECK_CLOSE(tb.U_A, -0.6, 0, 1e-12);
    CHECK_CLOSE(tb.a, 4.0, 0, 1e-12);
    CHECK_CLOSE(tb.J_left, tb.J_right, 1e-9, 0);
  }
}

TEST_CASE("harmonic well: classical density 1/(pi sqrt(A^2 - x^2)) and constant period") {
  const Landscape l(harmonic());
  const double E = 0.5, A = 1.0;
  Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(11, -0.95, 0.95);
  const Eigen::ArrayXd rho = l.classical_density(0, E, x);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    CHECK_CLOSE(rho[i], 1.0 / (M_PI * std::sqrt(A * A - x[i] * x[i])), 1e-6, 0);
  const auto o1 = l.orbit(0, 0.1), o2 = l.orbit(0, 1.2);
  CHECK_CLOSE(o1.T, M_PI * std::sqrt(2.0), 1e-6, 0);  // T = pi sqrt(2/k), k = 1
  CHECK_CLOSE(o2.T, M_PI * std::sqrt(2.0), 1e-6, 0);
  CHECK_CLOSE(o2.U_mean, 0.6, 1e-6, 0);  // virial: <U> = E/2
}

TEST_CASE("thermal in-well density integrates to one (trapezoid over x)") {
  const Landscape l(Profile::eq45(0.6, -0.3, 4.0));
  const int n = 20001;
  for (int host = 0; host < 2; ++host) {
    Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(n, -3.0, 5.0);
    const Eigen::ArrayXd rho = l.thermal_density(host, 700.0, ThermalOptions{}, x);
    double s = 0.0;
    for (int i = 0; i + 1 < n; ++i) s += 0.5 * (rho[i] + rho[i + 1]) * (x[i + 1] - x[i]);
    CHECK_CLOSE(s, 1.0, 0, 5e-5);
  }
}

TEST_CASE("noise below the prominence makes no extrema; plateaus give their midpoint") {
  const int n = 121;
  Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(n, 0.0, 6.0), u(n);
  for (int i = 0; i < n; ++i) {
    const double noise = 0.003 * std::sin(37.0 * i);  // deterministic "noise"
    u[i] = -0.3 * std::cos(M_PI * x[i] / 3.0) + noise;
  }
  u[n - 1] = u[0];
  const Profile p(x, u, true, 0.05);
  CHECK(p.wells().size() == 1);
  CHECK(p.barriers().size() == 1);
  CHECK_CLOSE(p.barriers()[0].x, 3.0, 0, 0.2);

  Eigen::ArrayXd xp(7), up(7);
  xp << 0, 1, 2, 3, 4, 5, 6;
  up << 1, 0, 0, 0, 1, 0.5, 1;
  const Profile q(xp, up, false);
  CHECK(q.wells().size() == 2);
  CHECK_CLOSE(q.wells()[0].x, 2.0, 0, 1e-14);
}

TEST_CASE("bad input throws InvalidArgument") {
  Eigen::ArrayXd x2(2), u2(2);
  x2 << 0, 1;
  u2 << 0, 1;
  CHECK_THROWS(Profile(x2, u2, false), InvalidArgument);
  Eigen::ArrayXd x(4), u(4);
  x << 0, 1, 1, 2;
  u << 0, 1, 0, 1;
  CHECK_THROWS(Profile(x, u, false), InvalidArgument);
  x << 0, 1, 2, 3;
  u << 0, std::numeric_limits<double>::quiet_NaN(), 0, 1;
  CHECK_THROWS(Profile(x, u, false), InvalidArgument);
  u << 0, 0.1, 0.2, 0.3;
  CHECK_THROWS(Profile(x, u, false), InvalidArgument);  // a ramp has no well
  const Landscape l(Profile::eq45(0.5, -0.3, 4.0));
  CHECK_THROWS(l.tight_binding(0.0, Method::NarrowWell), InvalidArgument);
  CHECK_THROWS(l.tight_binding(-1.0, Method::Overlap), InvalidArgument);
  CHECK_THROWS(l.orbit(0, 5.0), InvalidArgument);
}

TEST_CASE("tight binding over T is parallel and thread-count independent") {
  const Landscape l(Profile::eq45(0.7, -0.3, 4.0));
  Eigen::ArrayXd T = Eigen::ArrayXd::LinSpaced(12, 200.0, 1200.0);
  const auto a = l.tight_binding(T, Method::Overlap, 0.0, Execution{1});
  const auto b = l.tight_binding(T, Method::Overlap, 0.0, Execution{2});
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].J0 == b[i].J0);
    if (i > 0) CHECK(std::fabs(a[i].J0) > std::fabs(a[i - 1].J0));
  }
}

QI_TEST_MAIN
