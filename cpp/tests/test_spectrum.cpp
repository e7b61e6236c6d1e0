#include <algorithm>
#include <cmath>
#include <random>

#include <Eigen/Eigenvalues>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/spectrum.hpp"

using namespace quasiion;
using spectrum::SymmetricBand;
using spectrum::Tridiagonal;

namespace {

Eigen::MatrixXd dense(const Tridiagonal& T) {
  const Eigen::Index n = T.diag.size();
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) H(i, i) = T.diag[i];
  for (Eigen::Index i = 0; i + 1 < n; ++i) H(i, i + 1) = H(i + 1, i) = T.off[i];
  return H;
}

Eigen::MatrixXd dense(const SymmetricBand& B) {
  const Eigen::Index n = B.n();
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (int r = 0; r <= B.kd() && j + r < n; ++r) H(j + r, j) = H(j, j + r) = B.band(r, j);
  return H;
}

Eigen::VectorXd eigs(const Eigen::MatrixXd& H) {
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(H, Eigen::EigenvaluesOnly).eigenvalues();
}

// Dense count, with eigenvalues within `slack` of E allowed on either side.
bool count_ok(const Eigen::VectorXd& w, double E, std::int64_t c, double slack) {
  std::int64_t below = 0, maybe = 0;
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    if (w[i] < E - slack) ++below;
    else if (w[i] <= E + slack) ++maybe;
  }
  return c >= below && c <= below + maybe;
}

Tridiagonal random_tri(std::mt19937_64& g, int n, double p_zero) {
  std::uniform_real_distribution<double> u(-1.0, 1.0), z(0.0, 1.0);
  Tridiagonal T;
  T.diag.resize(n);
  T.off.resize(n - 1);
  for (int i = 0; i < n; ++i) T.diag[i] = u(g);
  for (int i = 0; i + 1 < n; ++i) T.off[i] = z(g) < p_zero ? 0.0 : u(g);
  return T;
}

SymmetricBand random_band(std::mt19937_64& g, int n, int kd, double p_zero) {
  std::uniform_real_distribution<double> u(-1.0, 1.0), z(0.0, 1.0);
  SymmetricBand B;
  B.band = Eigen::MatrixXd::Zero(kd + 1, n);
  for (int j = 0; j < n; ++j)
    for (int r = 0; r <= kd && j + r < n; ++r) B.band(r, j) = (r > 0 && z(g) < p_zero) ? 0.0 : u(g);
  return B;
}

lattice::Hopping bond(int i, int j, double t) {
  lattice::Hopping h;
  h.i = i;
  h.j = j;
  h.R = Eigen::VectorXi::Zero(1);
  h.t = t;
  return h;
}

}  // namespace

TEST_CASE("Sturm counts and eigenvalues match dense diagonalisation on random chains") {
  std::mt19937_64 g(7);
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 1 + trial % 23;
    const Tridiagonal T = random_tri(g, n, trial % 3 == 0 ? 0.3 : 0.0);
    const Eigen::VectorXd w = eigs(dense(T));
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    for (int s = 0; s < 20; ++s) {
      const double E = u(g);
      CHECK(count_ok(w, E, spectrum::count_below(T, E), 1e-12));
    }
    for (int k = 0; k < n; ++k) CHECK_CLOSE(spectrum::eigenvalue(T, k, 1e-13), w[k], 0.0, 1e-11);
  }
}

TEST_CASE("banded inertia counts and eigenvalues match dense diagonalisation") {
  std::mt19937_64 g(11);
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 1 + trial % 19;
    const int kd = std::min(n - 1, trial % 6);
    const SymmetricBand B = random_band(g, n, kd, trial % 4 == 0 ? 0.5 : 0.0);
    const Eigen::VectorXd w = eigs(dense(B));
    std::uniform_real_distribution<double> u(-4.0, 4.0);
    for (int s = 0; s < 20; ++s) {
      const double E = u(g);
      CHECK(count_ok(w, E, spectrum::count_below(B, E), 1e-12));
    }
    for (int k = 0; k < n; ++k) CHECK_CLOSE(spectrum::eigenvalue(B, k, 1e-13), w[k], 0.0, 1e-11);
  }
}

TEST_CASE("counts at near-singular shifts: eigenvalues of H and of its leading and trailing blocks") {
  std::mt19937_64 g(5);
  for (int trial = 0; trial < 30; ++trial) {
    const int n = 4 + trial % 12;
    const int kd = 1 + trial % 4;
    const SymmetricBand B = random_band(g, n, std::min(kd, n - 1), 0.0);
    const Eigen::MatrixXd H = dense(B);
    const Eigen::VectorXd w = eigs(H);
    std::vector<double> shifts;
    for (Eigen::Index i = 0; i < w.size(); ++i) shifts.push_back(w[i]);
    for (int m = 1; m < n; ++m) {
      const Eigen::VectorXd wm = eigs(H.topLeftCorner(m, m));
      for (Eigen::Index i = 0; i < wm.size(); ++i) shifts.push_back(wm[i]);
      const Eigen::VectorXd wt = eigs(H.bottomRightCorner(m, m));
      for (Eigen::Index i = 0; i < wt.size(); ++i) shifts.push_back(wt[i]);
    }
    for (double E : shifts) {
      // Pivots near zero: the count must still be right for every eigenvalue more than
      // 1e-9 away from E.
      CHECK(count_ok(w, E, spectrum::count_below(B, E), 1e-9));
      Tridiagonal T;
      T.diag = H.diagonal();
      T.off = H.diagonal(1);
      const Eigen::VectorXd wt = eigs(dense(T));
      CHECK(count_ok(wt, E, spectrum::count_below(T, E), 1e-9));
    }
  }
}

TEST_CASE("zero rows, decoupled blocks and degenerate eigenvalues") {
  // Two identical decoupled blocks plus a zero row: every eigenvalue of the block is doubly
  // degenerate and 0 appears once more.
  Tridiagonal T;
  T.diag.resize(7);
  T.off.resize(6);
  T.diag << 0.5, -0.2, 0.1, 0.0, 0.5, -0.2, 0.1;
  T.off << 0.3, -0.4, 0.0, 0.0, 0.3, -0.4;
  const Eigen::VectorXd w = eigs(dense(T));
  for (int k = 0; k < 7; ++k) CHECK_CLOSE(spectrum::eigenvalue(T, k), w[k], 0.0, 1e-11);
  CHECK(spectrum::count_below(T, 0.0) == 2 || spectrum::count_below(T, 0.0) == 3);

  // All zero: n-fold degenerate 0.
  Tridiagonal Z;
  Z.diag = Eigen::VectorXd::Zero(5);
  Z.off = Eigen::VectorXd::Zero(4);
  CHECK(spectrum::count_below(Z, -1e-300) == 0);
  CHECK(spectrum::count_below(Z, 1e-300) == 5);
  CHECK_CLOSE(spectrum::eigenvalue(Z, 2), 0.0, 0.0, 1e-12);

  SymmetricBand B;
  B.band = Eigen::MatrixXd::Zero(3, 8);
  B.band.row(0) << 1, 1, 1, 0, 1, 1, 1, 0;
  B.band.row(1) << 0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0;
  B.band.row(2) << 0.25, 0, 0, 0, 0.25, 0, 0, 0;
  const Eigen::VectorXd wb = eigs(dense(B));
  for (int k = 0; k < 8; ++k) CHECK_CLOSE(spectrum::eigenvalue(B, k), wb[k], 0.0, 1e-11);
  // Band matrix with an all-zero band: eigenvalue 0 eight times.
  SymmetricBand Zb;
  Zb.band = Eigen::MatrixXd::Zero(4, 8);
  CHECK(spectrum::count_below(Zb, 1e-100) == 8);
  CHECK(spectrum::count_below(Zb, -1e-100) == 0);
}

TEST_CASE("gaps at a filling and at a chemical potential; integrated DOS and histogram") {
  std::mt19937_64 g(3);
  const Tridiagonal T = random_tri(g, 40, 0.0);
  const Eigen::VectorXd w = eigs(dense(T));
  const spectrum::Gap a = spectrum::gap_at_filling(T, 17);
  CHECK_CLOSE(a.homo, w[16], 0.0, 1e-12);
  CHECK_CLOSE(a.lumo, w[17], 0.0, 1e-12);
  CHECK_CLOSE(a.gap, w[17] - w[16], 0.0, 2e-12);
  const double mu = 0.5 * (w[20] + w[21]);
  const spectrum::Gap b = spectrum::gap_at_mu(T, mu);
  CHECK(b.n_occupied == 21);
  CHECK_CLOSE(b.homo, w[20], 0.0, 1e-12);
  CHECK_CLOSE(b.lumo, w[21], 0.0, 1e-12);
  CHECK_THROWS(spectrum::gap_at_mu(T, w[0] - 1.0), InvalidArgument);
  CHECK_THROWS(spectrum::gap_at_mu(T, w[39] + 1.0), InvalidArgument);
  CHECK_THROWS(spectrum::gap_at_filling(T, 0), InvalidArgument);
  CHECK_THROWS(spectrum::gap_at_filling(T, 40), InvalidArgument);

  SymmetricBand B = random_band(g, 30, 4, 0.0);
  const Eigen::VectorXd wb = eigs(dense(B));
  const spectrum::Gap c = spectrum::gap_at_filling(B, 15);
  CHECK_CLOSE(c.homo, wb[14], 0.0, 1e-12);
  CHECK_CLOSE(c.lumo, wb[15], 0.0, 1e-12);

  Eigen::ArrayXd E = Eigen::ArrayXd::LinSpaced(101, -3.0, 3.0);
  for (int threads : {1, 2, 3}) {
    const Eigen::ArrayXd ct = spectrum::count_below(T, E, Execution{threads});
    const Eigen::ArrayXd cb = spectrum::count_below(B, E, Execution{threads});
    for (Eigen::Index i = 0; i < E.size(); ++i) {
      CHECK(ct[i] == static_cast<double>((w.array() < E[i]).count()));
      CHECK(cb[i] == static_cast<double>((wb.array() < E[i]).count()));
    }
    const spectrum::Gap gt = spectrum::gap_at_filling(T, 17, 1e-12, Execution{threads});
    const spectrum::Gap gb = spectrum::gap_at_filling(B, 15, 1e-12, Execution{threads});
    CHECK(gt.homo == a.homo && gt.lumo == a.lumo);  // bit-identical for every thread count
    CHECK(gb.homo == c.homo && gb.lumo == c.lumo);
    const Eigen::ArrayXd h = spectrum::histogram(T, E, Execution{threads});
    CHECK(h.size() == 100);
    CHECK(h.sum() == 40.0);
  }
}

TEST_CASE("matrices from open real lattices; invalid lattices are refused") {
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(1, 1) * 10.0;
  Eigen::MatrixXd pos = Eigen::MatrixXd::Zero(5, 1);
  Eigen::VectorXd on(5);
  on << 0.1, -0.2, 0.3, 0.0, 0.05;
  lattice::Lattice chain(A, pos, on, {bond(0, 1, -0.5), bond(2, 1, -0.4), bond(2, 3, 0.3), bond(3, 4, 0.2)});
  const Tridiagonal T = spectrum::tridiagonal_from_lattice(chain);
  const Eigen::MatrixXcd H0 = chain.hamiltonian(Eigen::VectorXd::Zero(1));
  CHECK((dense(T) - H0.real()).norm() < 1e-15);
  lattice::Lattice banded(A, pos, on, {bond(0, 1, -0.5), bond(0, 3, 0.1), bond(4, 2, 0.2), bond(4, 2, 0.05)});
  const SymmetricBand B = spectrum::band_from_lattice(banded);
  CHECK(B.kd() == 3);
  CHECK((dense(B) - banded.hamiltonian(Eigen::VectorXd::Zero(1)).real()).norm() < 1e-15);
  CHECK_THROWS(spectrum::tridiagonal_from_lattice(banded), InvalidArgument);
  CHECK_THROWS(spectrum::band_from_lattice(banded, 2), InvalidArgument);
  lattice::Hopping periodic = bond(4, 0, -0.5);
  periodic.R[0] = 1;
  lattice::Lattice ring(A, pos, on, {bond(0, 1, -0.5), periodic});
  CHECK_THROWS(spectrum::tridiagonal_from_lattice(ring), InvalidArgument);
  lattice::Lattice cplx(A, pos, on, {lattice::Hopping{0, 1, Eigen::VectorXi::Zero(1), {0.0, 0.1}}});
  CHECK_THROWS(spectrum::band_from_lattice(cplx), InvalidArgument);
}

TEST_CASE("invalid matrices and arguments are refused") {
  Tridiagonal T;
  T.diag = Eigen::VectorXd::Zero(3);
  T.off = Eigen::VectorXd::Zero(3);
  CHECK_THROWS(spectrum::count_below(T, 0.0), InvalidArgument);
  T.off = Eigen::VectorXd::Zero(2);
  T.diag[1] = NAN;
  CHECK_THROWS(spectrum::count_below(T, 0.0), InvalidArgument);
  T.diag[1] = 0.0;
  CHECK_THROWS(spectrum::eigenvalue(T, 3), InvalidArgument);
  CHECK_THROWS(spectrum::eigenvalue(T, 0, 0.0), InvalidArgument);
  Eigen::ArrayXd edges(3);
  edges << 0.0, 1.0, 0.5;
  CHECK_THROWS(spectrum::histogram(T, edges), InvalidArgument);
}

QI_TEST_MAIN
