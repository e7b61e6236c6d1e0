// The seam between physics and dense linear algebra: "eigenpairs of a Hermitian matrix". The
// lattice code asks a HermitianSolver for every k, supercell code for its whole Hamiltonian.
// Two solvers: Eigen's SelfAdjointEigenSolver (always there; the fallback of the pure C++
// build) and LAPACK's divide-and-conquer drivers zheevd/dsyevd through the function pointers
// of lapack.hpp (registered by the Python module from scipy). default_hermitian_solver()
// picks LAPACK once it is registered.
//
// A solver must be re-entrant: solve() is const and is called concurrently from
// parallel_for workers (LapackHermitianSolver keeps its workspaces per call / per thread).
#pragma once

#include <complex>
#include <string>

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

  // The same for a real symmetric matrix (real arithmetic, real eigenvectors). The default
  // implementation uses Eigen.
  virtual void solve_symmetric(const Eigen::MatrixXd& H, bool want_vectors, Eigen::VectorXd& values,
                               Eigen::MatrixXd& vectors) const;

  virtual const char* name() const = 0;
};

// Eigen::SelfAdjointEigenSolver (Householder tridiagonalisation + implicit QL).
class EigenHermitianSolver final : public HermitianSolver {
 public:
  void solve(const Eigen::MatrixXcd& H, bool want_vectors, Eigen::VectorXd& values,
             Eigen::MatrixXcd& vectors) const override;
  const char* name() const override { return "eigen"; }
};

// LAPACK zheevd / dsyevd (divide and conquer) through the registered function pointers;
// throws quasiion::Error if none are registered. Workspace sizes are queried per call and the
// buffers are thread-local, so concurrent calls never share memory.
class LapackHermitianSolver final : public HermitianSolver {
 public:
  void solve(const Eigen::MatrixXcd& H, bool want_vectors, Eigen::VectorXd& values,
             Eigen::MatrixXcd& vectors) const override;
  void solve_symmetric(const Eigen::MatrixXd& H, bool want_vectors, Eigen::VectorXd& values,
                       Eigen::MatrixXd& vectors) const override;
  const char* name() const override { return "lapack"; }
};

// The solver used when the caller does not pass one: LAPACK if registered, else Eigen.
const HermitianSolver& default_hermitian_solver();

// "lapack (<provider>)" or "eigen": what default_hermitian_solver() uses now.
std::string active_dense_solver();

}  // namespace quasiion
