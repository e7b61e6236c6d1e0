// The seam between physics and dense linear algebra: "eigenpairs of a small Hermitian
// matrix". The lattice code asks a HermitianSolver for every k; today the only solver is
// Eigen's SelfAdjointEigenSolver (ideal for the 2-20 orbital Bloch matrices of a primitive
// cell). A LAPACK-backed solver (zheevd through scipy's LAPACK pointers, see DESIGN.md) for
// supercells of hundreds of sites slots in as another subclass without touching the physics.
//
// A solver must be re-entrant: solve() is const and is called concurrently from
// parallel_for workers.
#pragma once

#include <complex>

#include <Eigen/Core>

namespace quasiion {

class HermitianSolver {
 public:
  virtual ~HermitianSolver() = default;

  // Eigenvalues of the Hermitian matrix H (only its lower triangle is read), ascending, into
  // `values`; if want_vectors, the orthonormal eigenvectors as the columns of `vectors`, in the
  // same order. Throws ConvergenceError if the solver fails.
  virtual void solve(const Eigen::MatrixXcd& H, bool want_vectors, Eigen::VectorXd& values,
                     Eigen::MatrixXcd& vectors) const = 0;

  virtual const char* name() const = 0;
};

// Eigen::SelfAdjointEigenSolver (Householder tridiagonalisation + implicit QL).
class EigenHermitianSolver final : public HermitianSolver {
 public:
  void solve(const Eigen::MatrixXcd& H, bool want_vectors, Eigen::VectorXd& values,
             Eigen::MatrixXcd& vectors) const override;
  const char* name() const override { return "eigen"; }
};

// The solver used when the caller does not pass one.
const HermitianSolver& default_hermitian_solver();

}  // namespace quasiion
