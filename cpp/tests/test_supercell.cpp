#include <cmath>

#include <Eigen/Eigenvalues>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/percolation.hpp"
#include "quasiion/supercell.hpp"
#include "quasiion/wellchain.hpp"

using namespace quasiion;

namespace {

wellchain::WellChain two_well_cell() {
  wellchain::WellChain c;
  c.U = Eigen::Vector2d(-0.6, -0.24);
  c.barrier = Eigen::Vector2d(-0.146, -0.146);
  c.x = Eigen::Vector2d(0.0, 2.0);
  c.period = 4.0;
  return c;
}

}  // namespace

TEST_CASE("stream draws are uniform on [-1, 1) and depend on (seed, index) only") {
  const supercell::Stream a(5, 7), b(5, 7), c(5, 8);
  double lo = 1.0, hi = -1.0, mean = 0.0;
  const int n = 20000;
  for (int j = 0; j < n; ++j) {
    const double r = a.symmetric(static_cast<std::uint64_t>(j));
    CHECK(r == b.symmetric(static_cast<std::uint64_t>(j)));
    CHECK(r != c.symmetric(static_cast<std::uint64_t>(j)));
    lo = std::min(lo, r);
    hi = std::max(hi, r);
    mean += r / n;
  }
  CHECK(lo >= -1.0 && lo < -0.999);
  CHECK(hi < 1.0 && hi > 0.999);
  CHECK(std::fabs(mean) < 4.0 / std::sqrt(3.0 * n));
}

TEST_CASE("open distorted tridiagonal equals the distorted supercell with the closing bond cut") {
  const auto cell = two_well_cell();
  Eigen::VectorXd diag, off;
  supercell::distorted_tridiagonal(cell, 50, 0.3, 300.0, 3, 11, diag, off);
  auto sup = wellchain::repeat(cell, 50);
  const auto h = wellchain::narrow_well(supercell::distort(sup, 0.3, 3, 11), 300.0);
  CHECK((diag - h.onsite).cwiseAbs().maxCoeff() == 0.0);
  CHECK((off - h.hopping.head(99)).cwiseAbs().maxCoeff() < 1e-17);
}

TEST_CASE("ensemble eigenvalues match Eigen's dense solver, for any thread count") {
  const auto cell = two_well_cell();
  supercell::EnsembleOptions o;
  o.n_cells = 7;
  o.d = 0.3;
  o.keep_energies = true;
  const auto e1 = supercell::ensemble(cell, o, 9, 0, 12, Execution{1});
  const auto e2 = supercell::ensemble(cell, o, 9, 4, 8, Execution{2});
  CHECK((e1.energies.bottomRows(8) - e2.energies).cwiseAbs().maxCoeff() == 0.0);
  for (int r = 0; r < 12; ++r) {
    auto sup = wellchain::repeat(cell, 7);
    const Eigen::MatrixXd H = wellchain::dense(wellchain::narrow_well(supercell::distort(sup, 0.3, 9, r), 300.0));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H, Eigen::EigenvaluesOnly);
    CHECK((es.eigenvalues().transpose() - e1.energies.row(r)).cwiseAbs().maxCoeff() < 1e-13);
    CHECK_CLOSE(e1.gap[r], es.eigenvalues()[7] - es.eigenvalues()[6], 0, 1e-13);
  }
}

TEST_CASE("percolation: band storage holds the truncated matrix; bound covers the tail") {
  percolation::Cluster c{30, 0.25, -0.25, 0.05, 0.02, -0.01, 0.04, 0.5};
  const auto t = percolation::truncation(c, 1e-3);
  CHECK(t.reach > 0 && t.reach < 29);
  CHECK(t.bound <= 1e-3);
  const Eigen::MatrixXd H = percolation::dense(c, t.reach);
  const Eigen::MatrixXd B = percolation::band(c, t.reach);
  for (int r = 0; r <= t.kd; ++r)
    for (int j = 0; j + r < 60; ++j) CHECK(B(r, j) == H(j + r, j));
  const Eigen::MatrixXd D = percolation::dense(c, 29) - H;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(D, Eigen::EigenvaluesOnly);
  CHECK(es.eigenvalues().cwiseAbs().maxCoeff() <= t.bound);
}

TEST_CASE("bad input is rejected with InvalidArgument") {
  auto cell = two_well_cell();
  Eigen::VectorXd d, o;
  CHECK_THROWS(supercell::distorted_tridiagonal(cell, 0, 0.1, 300.0, 0, 0, d, o), InvalidArgument);
  CHECK_THROWS(supercell::distort(cell, 1.5, 0, 0), InvalidArgument);
  percolation::Cluster c{0};
  CHECK_THROWS(percolation::check(c), InvalidArgument);
  cell.barrier[0] = std::nan("");
  CHECK_THROWS(wellchain::check(cell), InvalidArgument);
}

QI_TEST_MAIN
