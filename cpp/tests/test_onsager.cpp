// Tests of the ambipolaron / Onsager core (paper section 3.3), each against an independent
// route: 2x2 diagonalisation for the bands, finite differences for curvatures, the
// reciprocity residual for tau+/tau-, the matrix for eq 40, the stationarity of the grand
// potential for the self-consistent S.
#include <cmath>

#include <Eigen/Eigenvalues>

#include "check.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/onsager.hpp"

using namespace quasiion;
using namespace quasiion::onsager;

namespace {
Model sample_model() {
  Model m;
  m.J0e = -0.3;
  m.U0e = 0.6;
  m.J0i = -0.02;
  m.U0i = -0.4;
  m.K0 = 0.5;
  m.Ka = 0.1;
  m.a = 3.0;
  return m;
}
}  // namespace

TEST_CASE("bands match 2x2 diagonalisation") {
  const Model m = sample_model();
  const double S = 0.07;
  Eigen::ArrayXd k = Eigen::ArrayXd::LinSpaced(41, -M_PI / m.a, M_PI / m.a);
  const Bands b = bands(m, S, k);
  for (Eigen::Index i = 0; i < k.size(); ++i) {
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> es(hamiltonian(m, S, k(i)));
    CHECK_CLOSE(b.E_minus(i), es.eigenvalues()(0), 1e-13, 1e-14);
    CHECK_CLOSE(b.E_plus(i), es.eigenvalues()(1), 1e-13, 1e-14);
    const double w = es.eigenvectors()(0, 1) * es.eigenvectors()(0, 1);
    CHECK_CLOSE(b.electron_plus(i), w, 1e-12, 1e-13);
    CHECK_CLOSE(b.electron_plus(i) + b.electron_minus(i), 1.0, 0.0, 1e-15);
  }
}

TEST_CASE("eq 36-37 are the k=0 curvatures of the branches") {
  const Model m = sample_model();  // J0e, J0i < 0 and Delta J_0 > 0: the paper's case
  CHECK(delta_J(m, 0.0) > 0.0);
  const double S = 0.05;
  const double xi = xi0(m, S);
  const double h = 1e-3 / m.a;
  Eigen::ArrayXd k(3);
  k << -h, 0.0, h;
  const Bands b = bands(m, S, k);
  const double cp = (b.E_plus(0) - 2 * b.E_plus(1) + b.E_plus(2)) / (h * h) / (m.a * m.a);
  const double cm = (b.E_minus(0) - 2 * b.E_minus(1) + b.E_minus(2)) / (h * h) / (m.a * m.a);
  const double j = std::fabs(m.J0e / m.J0i);
  const BranchMobility d = branch_mobility(j, xi);
  CHECK_CLOSE(cp, d.plus * std::fabs(m.J0i), 1e-5, 0.0);
  CHECK_CLOSE(cm, d.minus * std::fabs(m.J0i), 1e-5, 0.0);
}

TEST_CASE("exact tau ratio satisfies reciprocity; eq 39 agrees") {
  for (double j : {1e-3, 0.5, 5.0, 1e3})
    for (double r : {1e-2, 1.0, 1e3, 1e5})
      for (double xi : {0.05, 0.5, 0.95}) {
        const double dt = tau_excess(j, r, xi, TauMethod::Exact);
        const double t = tau_ratio(j, r, xi, TauMethod::Exact);
        CHECK(t > 0.0);
        CHECK_CLOSE(t - 1.0, dt, 0.0, 1e-15);
        const Reduced l = reduced_matrix_split(j, r, xi, 1.0, dt);
        // eq 38's l_ie is a difference of two terms; the residual is round-off of their size
        const double p = 0.5 * (1 + xi), q = 0.5 * (1 - xi);
        const double size = r * (q / xi) * (std::fabs(dt * p) + q * j) +
                            (q / xi) * (std::fabs(t * q) + std::fabs(dt * p * j));
        CHECK_CLOSE(l.ei, l.ie, 0.0, 1e-14 * size);
        if (r <= 1e3) CHECK_CLOSE(l.ei, l.ie, 1e-12, 0.0);
        CHECK_CLOSE(tau_excess(j, r, xi, TauMethod::Eq39), dt, 1e-12, 0.0);
        const AlphaStar a = alpha_star_closed(j, r, xi);
        CHECK_CLOSE(a.i, std::fabs(l.ie / l.ii), 1e-12 * (1 + size / std::fabs(l.ie)), 0.0);
        CHECK_CLOSE(a.e, std::fabs(l.ei / l.ee), 1e-12 * (1 + size / std::fabs(l.ei)), 0.0);
      }
}

TEST_CASE("S = 0: xi = 1, no cross terms, free-particle diagonal") {
  const Model m = sample_model();
  CHECK(xi0(m, 0.0) == 1.0);
  const Reduced l = reduced_matrix(5.0, 1e3, 1.0, 2.0, 1.0);
  CHECK(l.ei == 0.0);
  CHECK(l.ie == 0.0);
  CHECK_CLOSE(l.ee, 2.0 * 1e3 * 5.0, 1e-15, 0.0);
  CHECK_CLOSE(l.ii, 1.0, 1e-15, 0.0);
}

TEST_CASE("electron from physical inputs: free-electron curvature and band bottom") {
  const double m_eff = 0.4, chi = 4.1, a = 3.5;
  const ElectronBand e = electron_from_physical(m_eff, chi, a);
  CHECK_CLOSE(e.J0e + e.U0e, -chi, 1e-14, 0.0);
  // hbar^2 / (2 m) in eV Angstrom^2 from SI constants, independently.
  const double hbar = 6.62607015e-34 / (2.0 * M_PI), me = 9.1093837139e-31, q = 1.602176634e-19;
  const double want = hbar * hbar / (2.0 * m_eff * me) / q * 1e20;
  // Curvature of J0e cos(ka) + U0e at k = 0: -J0e a^2 / 2 per k^2.
  CHECK_CLOSE(-e.J0e * a * a / 2.0, want, 1e-12, 0.0);
}

TEST_CASE("self-consistent S: fixed point, stationary grand potential, K -> 0") {
  Model m;
  m.J0e = -0.2;
  m.U0e = 0.1;
  m.J0i = -0.05;
  m.U0i = -1.3;  // ion level -0.3 eV once shifted by Kbar = 1 eV
  m.K0 = 1.0;
  m.Ka = 0.0;
  m.a = 3.0;
  Occupation occ{0.0, 0.0, 300.0};
  const CouplingSolution s = solve_coupling(m, occ);
  CHECK(s.roots.size() >= 2);
  CHECK(s.S > 0.0);
  CHECK_CLOSE(coupling_map(m, s.S, occ, s.n_k), s.S, 1e-10, 0.0);
  const double h = 1e-5;
  const double dOmega = (grand_potential(m, s.S + h, occ, s.n_k) -
                         grand_potential(m, s.S - h, occ, s.n_k)) / (2 * h);
  CHECK_CLOSE(dOmega, 0.0, 0.0, 1e-8);
  CHECK(s.omega[s.chosen] < s.omega[0]);
  m.K0 = 1e-3;
  const CouplingSolution s0 = solve_coupling(m, occ);
  CHECK(s0.S == 0.0);
}

TEST_CASE("bad input throws InvalidArgument") {
  CHECK_THROWS(tau_ratio(1.0, 1.0, 0.0, TauMethod::Exact), InvalidArgument);
  CHECK_THROWS(tau_ratio(1.0, 1.0, 1.5, TauMethod::Eq39), InvalidArgument);
  CHECK_THROWS(tau_ratio(-1.0, 1.0, 0.5, TauMethod::Eq39), InvalidArgument);
  CHECK_THROWS(tau_ratio(1.0, -1.0, 0.5, TauMethod::Eq46), InvalidArgument);
  CHECK_THROWS(electron_from_physical(0.0, 4.0, 3.0), InvalidArgument);
  Model m = sample_model();
  m.K0 = -1.0;
  CHECK_THROWS(validate_model(m), InvalidArgument);
  Eigen::ArrayXd a(2), b(3);
  a << 1, 2;
  b << 1, 2, 3;
  CHECK_THROWS(tau_ratio(a, b, a, TauMethod::Exact), InvalidArgument);
}

QI_TEST_MAIN
