// The narrow-band eigensolver in a pure C++ build (no LAPACK registered: multisection
// eigenvalues) against Eigen's dense SelfAdjointEigenSolver.
#include <cmath>
#include <random>

#include <Eigen/Eigenvalues>

#include "check.hpp"
#include "quasiion/banded_solver.hpp"
#include "quasiion/errors.hpp"

using namespace quasiion;

namespace {

// A disordered ring of n sites numbered in a scrambled order (the ordering must undo it).
banded::SymmetricSparse scrambled_ring(int n, unsigned seed, Eigen::MatrixXd& H) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.3, 0.3);
  std::vector<int> label(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) label[i] = i;
  std::shuffle(label.begin(), label.end(), rng);
  banded::SymmetricSparse A;
  A.diagonal.resize(n);
  H = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    A.diagonal[label[i]] = H(label[i], label[i]) = u(rng);
    const int a = label[i], b = label[(i + 1) % n];
    A.index.push_back({a, b});
    A.value.push_back(-0.5);
    H(a, b) = H(b, a) = -0.5;
  }
  return A;
}

}  // namespace

TEST_CASE("ring: eigenpairs match the dense solver") {
  Eigen::MatrixXd H;
  const auto A = scrambled_ring(150, 3, H);
  Eigen::VectorXd E;
  Eigen::MatrixXd U;
  const auto out = banded::eigenpairs(A, E, U);
  CHECK(out.done);
  CHECK(out.kd == 2);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H);
  CHECK((E - es.eigenvalues()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((U.transpose() * U - Eigen::MatrixXd::Identity(150, 150)).cwiseAbs().maxCoeff() < 1e-10);
  CHECK((H * U - U * E.asDiagonal()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("declines what it cannot do cheaply; rejects bad indices") {
  Eigen::MatrixXd H;
  auto A = scrambled_ring(2000, 4, H);
  Eigen::VectorXd E;
  Eigen::MatrixXd U;
  const auto out = banded::eigenpairs(A, E, U);  // no LAPACK and too large for multisection
  CHECK(!out.done);
  CHECK(out.reason.find("LAPACK") != std::string::npos);
  A.index.push_back({0, 2000});
  A.value.push_back(1.0);
  CHECK_THROWS(banded::eigenpairs(A, E, U), InvalidArgument);
}

QI_TEST_MAIN
