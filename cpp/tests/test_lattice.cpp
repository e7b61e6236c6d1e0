#include <cmath>
#include <complex>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/lattice.hpp"

using namespace quasiion;
using lattice::Hopping;
using lattice::Lattice;

namespace {

Hopping hop(int i, int j, std::initializer_list<int> R, std::complex<double> t) {
  Hopping h;
  h.i = i;
  h.j = j;
  h.R = Eigen::VectorXi(static_cast<Eigen::Index>(R.size()));
  int p = 0;
  for (int r : R) h.R[p++] = r;
  h.t = t;
  return h;
}

// Simple cubic, one orbital, nearest-neighbour t: E = eps + 2t (cos kx a + cos ky a + cos kz a).
Lattice cubic(double a, double eps, double t) {
  Eigen::MatrixXd A = a * Eigen::MatrixXd::Identity(3, 3);
  Eigen::MatrixXd pos = Eigen::MatrixXd::Zero(1, 3);
  Eigen::VectorXd on(1);
  on << eps;
  return Lattice(A, pos, on, {hop(0, 0, {1, 0, 0}, t), hop(0, 0, {0, 1, 0}, t), hop(0, 0, {0, 0, 1}, t)});
}

}  // namespace

TEST_CASE("cubic nearest-neighbour band and velocities match the cosine closed form") {
  const double a = 2.5, eps = 0.3, t = -0.7;
  Lattice lat = cubic(a, eps, t);
  Eigen::MatrixXd k(5, 3);
  k << 0, 0, 0, 0.3, -0.2, 1.1, M_PI / a, 0.1, -0.4, -1.0, 2.0, 0.5, 0.7, 0.7, 0.7;
  lattice::BandOptions opt;
  opt.velocities = true;
  const auto b = lattice::solve_bands(lat, k, opt);
  for (int q = 0; q < k.rows(); ++q) {
    double e = eps;
    for (int d = 0; d < 3; ++d) e += 2 * t * std::cos(k(q, d) * a);
    CHECK_CLOSE(b.energies(q, 0), e, 1e-13, 1e-13);
    for (int d = 0; d < 3; ++d)
      CHECK_CLOSE(b.velocities(q, d), -2 * t * a * std::sin(k(q, d) * a), 1e-12, 1e-13);
  }
}

TEST_CASE("hermitian Bloch matrix and reciprocal vectors") {
  Eigen::MatrixXd A(2, 2);
  A << 1.0, 0.2, -0.3, 1.5;
  Eigen::MatrixXd pos(2, 2);
  pos << 0, 0, 0.5, 0.5;
  Eigen::VectorXd on(2);
  on << -0.1, 0.4;
  Lattice lat(A, pos, on, {hop(0, 1, {0, 0}, {0.2, 0.1}), hop(0, 1, {1, -1}, {-0.3, 0.05}),
                           hop(1, 1, {0, 1}, {0.1, 0.2})});
  Eigen::VectorXd k(2);
  k << 0.37, -1.2;
  const Eigen::MatrixXcd H = lat.hamiltonian(k);
  CHECK((H - H.adjoint()).norm() < 1e-14);
  const Eigen::MatrixXd B = lat.reciprocal_vectors();
  const Eigen::MatrixXd P = A * B.transpose();
  CHECK((P - 2 * M_PI * Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-12);
  // Periodic in the reciprocal lattice.
  const Eigen::MatrixXcd H2 = lat.hamiltonian(k + B.row(0).transpose() - 2 * B.row(1).transpose());
  CHECK((H - H2).norm() < 1e-12);
}

TEST_CASE("results do not depend on the thread count") {
  Lattice lat = cubic(1.0, 0.0, 1.0);
  const Eigen::MatrixXd k = lattice::midpoint_kgrid(lat, {6, 5, 7});
  lattice::BandOptions opt;
  opt.velocities = true;
  const auto one = lattice::solve_bands(lat, k, opt, Execution{1});
  const auto two = lattice::solve_bands(lat, k, opt, Execution{2, 1});
  CHECK((one.energies - two.energies).abs().maxCoeff() == 0.0);
  CHECK((one.velocities - two.velocities).abs().maxCoeff() == 0.0);
}

TEST_CASE("bad input is rejected naming the parameter") {
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(1, 1);
  Eigen::MatrixXd pos = Eigen::MatrixXd::Zero(1, 1);
  Eigen::VectorXd on(1);
  on << 0.0;
  CHECK_THROWS(Lattice(A, pos, Eigen::VectorXd(0), {}), InvalidArgument);
  CHECK_THROWS(Lattice(A, pos, on, {hop(0, 1, {1}, 1.0)}), InvalidArgument);
  CHECK_THROWS(Lattice(A, pos, on, {hop(0, 0, {1, 0}, 1.0)}), InvalidArgument);
  CHECK_THROWS(Lattice(A, pos, on, {hop(0, 0, {0}, 1.0)}), InvalidArgument);
  CHECK_THROWS(Lattice(Eigen::MatrixXd::Zero(1, 1), pos, on, {}), InvalidArgument);
  Eigen::VectorXd bad(1);
  bad << NAN;
  CHECK_THROWS(Lattice(A, pos, bad, {}), InvalidArgument);
  Lattice lat(A, pos, on, {hop(0, 0, {1}, 1.0)});
  CHECK_THROWS(lattice::solve_bands(lat, Eigen::MatrixXd(0, 1)), InvalidArgument);
  CHECK_THROWS(lattice::solve_bands(lat, Eigen::MatrixXd::Zero(3, 2)), InvalidArgument);
  try {
    Lattice(A, pos, on, {hop(0, 3, {1}, 1.0)});
    CHECK(false);
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()).find("hoppings[0].j") != std::string::npos);
  }
}

QI_TEST_MAIN
