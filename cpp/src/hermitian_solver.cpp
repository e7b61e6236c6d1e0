#include "quasiion/hermitian_solver.hpp"

#include <Eigen/Eigenvalues>

#include "quasiion/errors.hpp"

namespace quasiion {

void EigenHermitianSolver::solve(const Eigen::MatrixXcd& H, bool want_vectors,
                                 Eigen::VectorXd& values, Eigen::MatrixXcd& vectors) const {
  if (H.rows() == 0) {
    values.resize(0);
    vectors.resize(0, 0);
    return;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(
      H, want_vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success)
    throw ConvergenceError("EigenHermitianSolver: no convergence for a " +
                               std::to_string(H.rows()) + "x" + std::to_string(H.rows()) +
                               " matrix",
                           {});
  values = es.eigenvalues();  // ascending
  if (want_vectors) vectors = es.eigenvectors();
}

const HermitianSolver& default_hermitian_solver() {
  static const EigenHermitianSolver solver;
  return solver;
}

}  // namespace quasiion
