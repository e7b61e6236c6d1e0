#include <cmath>
#include <complex>

#include "check.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/doping.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/meanfield.hpp"

using namespace quasiion;
using namespace quasiion::doping;

namespace {
// The alpha = 0.7 row of the eq 45 table in PHYSICS.md, used as an input.
Chain chain07() { return Chain{-0.6, -0.18, -0.260, 4.0, 1.5, 1.0}; }
Chain chain05() { return Chain{-0.6, -0.30, -0.0234, 4.0, 1.5, 1.0}; }
const double T_paper = 0.026 / constants::boltzmann_eV;
}  // namespace

TEST_CASE("Gauss-Legendre on the half zone: exact moments and eq 42 against Simpson") {
  const ZoneQuadrature q = ZoneQuadrature::gauss_legendre(24);
  double s0 = 0, s2 = 0, s1 = 0;
  for (int j = 0; j < q.size(); ++j) {
    s0 += q.w[j];
    s1 += q.w[j] * q.c[j];                // (2/pi) int_0^{pi/2} cos u du = 2/pi
    s2 += q.w[j] * std::pow(q.u[j], 7);   // (2/pi) (pi/2)^8 / 8
  }
  CHECK_CLOSE(s0, 1.0, 1e-15, 0);
  CHECK_CLOSE(s1, 2.0 / M_PI, 1e-15, 0);
  CHECK_CLOSE(s2, (2.0 / M_PI) * std::pow(M_PI / 2, 8) / 8.0, 1e-14, 0);
  // F(S) of eq 42 by composite Simpson on u in [0, pi/2] (an independent route).
  const Chain ch = chain07();
  const double mu = -0.1, kT = 0.026, ubar = -0.39, du = -0.21, J = 0.26;
  const MeanField mf(ch, mu, T_paper, Phase::fixed);
  for (double S : {0.0, 0.05, 0.3, 0.74}) {
    auto g = [&](double u) {
      const double m = J * std::cos(u) + S;
      const double R = std::sqrt(du * du + m * m);
      return 0.5 * 1.5 * (m / R) *
             (fermi::occupation((ubar - R - mu) / kT) - fermi::occupation((ubar + R - mu) / kT));
    };
    const int N = 20000;
    const double h = 0.5 * M_PI / N;
    double simpson = g(0) + g(0.5 * M_PI);
    for (int i = 1; i < N; ++i) simpson += (i % 2 ? 4.0 : 2.0) * g(i * h);
    simpson *= h / 3.0 / (0.5 * M_PI);
    CHECK_CLOSE(mf.map(S), simpson, 1e-12, 1e-15);
  }
}

TEST_CASE("dOmega/dS = (2/(K/a1)) (S - F(S)) on both branches") {
  for (Phase ph : {Phase::fixed, Phase::strict}) {
    const MeanField mf(chain05(), -0.25, T_paper, ph);
    for (double S : {0.01, 0.2, 0.5, 0.7}) {
      const double h = 1e-5;
      const double d = (mf.grand_potential(S + h) - mf.grand_potential(S - h)) / (2 * h);
      CHECK_CLOSE(d, (2.0 / 1.5) * (S - mf.map(S)), 1e-7, 1e-9);
    }
  }
}

TEST_CASE("solve: every root satisfies eq 42; the scan and the monotone search agree") {
  for (double mu : {-0.7, -0.5, -0.24, -0.2, 0.0, 0.3}) {
    const Solution a = solve(chain05(), mu, T_paper);
    Options o;
    o.uniform_scan = true;
    const Solution b = solve(chain05(), mu, T_paper, o);
    CHECK(a.roots.size() == b.roots.size());
    for (std::size_t i = 0; i < a.roots.size() && i < b.roots.size(); ++i) {
      CHECK(std::fabs(a.roots[i].residual) < 1e-12);
      CHECK_CLOSE(a.roots[i].S, b.roots[i].S, 0, 1e-12);
    }
  }
  const Solution three = solve(chain05(), -0.2, T_paper);
  CHECK(three.roots.size() == 3);
  CHECK(three.S00 < 0.05);
}

TEST_CASE("K = 0 gives S = 0 and the bands of eq 18 at S = 0") {
  Chain c = chain07();
  c.K_over_a1 = 0.0;
  const Solution s = solve(c, -0.2, T_paper);
  CHECK(s.roots.size() == 1);
  CHECK(s.S00 == 0.0);
  Eigen::ArrayXd k = Eigen::ArrayXd::LinSpaced(9, -M_PI / c.a, M_PI / c.a);
  const Eigen::ArrayXXd e = bands(c, 0.0, false, k);
  for (Eigen::Index i = 0; i < k.size(); ++i) {
    const double cs = std::cos(0.5 * k[i] * c.a);
    const double R = std::sqrt(0.21 * 0.21 + 0.26 * 0.26 * cs * cs);
    CHECK_CLOSE(e(i, 1), -0.39 + R, 1e-14, 1e-15);
    CHECK_CLOSE(e(i, 0), -0.39 - R, 1e-14, 1e-15);
  }
}

TEST_CASE("phase match eq 43: the phase of h_k equals phi_s on each branch") {
  const Chain c = chain07();
  const double S = 0.5;  // > |J0|
  for (double ka : {-2.5, -1.0, 0.3, 2.0}) {
    const std::complex<double> I(0, 1);
    const std::complex<double> hop = 0.5 * c.J0 * (1.0 + std::exp(I * ka));
    for (bool high : {false, true}) {
      const double phi = 0.5 * ka + (high ? 0.0 : M_PI);
      const std::complex<double> h = hop + S * std::exp(I * phi);
      CHECK_CLOSE(std::arg(h * std::exp(-I * phi)), 0.0, 0, 1e-12);
      Eigen::ArrayXd k(1);
      k[0] = ka / c.a;
      CHECK_CLOSE(off_diagonal(c, S, high, k)[0], std::abs(h), 1e-14, 1e-15);
    }
  }
}

TEST_CASE("bad input is rejected naming the parameter") {
  Chain c = chain07();
  c.K_over_a1 = -1.0;
  CHECK_THROWS(solve(c, 0.0, 300.0), InvalidArgument);
  CHECK_THROWS(solve(chain07(), 0.0, 0.0), InvalidArgument);
  CHECK_THROWS(solve(chain07(), NAN, 300.0), InvalidArgument);
  CHECK_THROWS(solve_filling(chain07(), 2.0, 300.0), InvalidArgument);
  CHECK_THROWS(solve_filling(chain07(), 0.0, 300.0), InvalidArgument);
  try {
    solve(c, 0.0, 300.0);
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()).find("K_over_a1") != std::string::npos);
  }
}

TEST_CASE("solve_filling inverts the filling, or reports a coexistence jump") {
  const Chain c = chain07();
  for (double n : {0.5, 1.0, 1.99}) {
    const FillingSolution f = solve_filling(c, n, T_paper);
    if (!f.coexistence) {
      CHECK_CLOSE(f.solution.filling, n, 0, 1e-9);
    } else {
      CHECK(f.filling_below <= n && n <= f.filling_above);
    }
  }
}

QI_TEST_MAIN
