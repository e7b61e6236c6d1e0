#include <random>
#include <string>

#include "check.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/hermitian_solver.hpp"
#include "quasiion/lapack.hpp"

using namespace quasiion;

TEST_CASE("without a registered LAPACK the default solver is Eigen and the LAPACK one refuses") {
  CHECK(!lapack::available());
  CHECK(std::string(default_hermitian_solver().name()) == "eigen");
  CHECK(active_dense_solver() == "eigen");
  const LapackHermitianSolver lapack_solver;
  Eigen::MatrixXcd H = Eigen::MatrixXcd::Identity(3, 3);
  Eigen::VectorXd w;
  Eigen::MatrixXcd U;
  CHECK_THROWS(lapack_solver.solve(H, true, w, U), Error);
  lapack::Functions half;
  half.zheevd = reinterpret_cast<lapack::zheevd_fn>(&lapack::available);  // never called
  CHECK_THROWS(lapack::set_functions(half), InvalidArgument);
  CHECK(!lapack::available());
}

TEST_CASE("real symmetric path: eigenpairs of a random symmetric matrix") {
  std::mt19937_64 g(1);
  std::normal_distribution<double> n01;
  const int n = 25;
  Eigen::MatrixXd A(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = n01(g);
  const Eigen::MatrixXd H = A + A.transpose();
  Eigen::VectorXd w;
  Eigen::MatrixXd U;
  default_hermitian_solver().solve_symmetric(H, true, w, U);
  CHECK((H * U - U * w.asDiagonal()).norm() < 1e-11);
  CHECK((U.transpose() * U - Eigen::MatrixXd::Identity(n, n)).norm() < 1e-12);
  for (int i = 1; i < n; ++i) CHECK(w[i] >= w[i - 1]);
  // Trace and Frobenius norm are invariants of the spectrum.
  CHECK_CLOSE(w.sum(), H.trace(), 0.0, 1e-11);
  CHECK_CLOSE(w.squaredNorm(), H.squaredNorm(), 1e-12, 0.0);
}

QI_TEST_MAIN
