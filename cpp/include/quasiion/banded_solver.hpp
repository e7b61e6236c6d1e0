// All eigenpairs of a sparse real symmetric matrix whose graph is narrow: chains, rings,
// ladders and strips, the supercells of quasi-one-dimensional conductors. A sibling of the
// dense HermitianSolver for the case where the dense O(n^3) route wastes almost all its work.
//
// Route: a reverse Cuthill-McKee ordering brings the matrix to half-bandwidth kd (1 for an
// open chain, 2 for a ring, about the width of a strip for a strip). Then
//   eigenvalues: LAPACK dsbtrd (band to tridiagonal without Q, O(n^2 kd); skipped for kd = 1)
//           and dsterf (root-free QR, O(n^2));
//   eigenvectors: inverse iteration with the banded LU of A - lambda I (O(n kd^2) per vector,
//           a few solves from a pseudo-random start), the members of a cluster of close
//           eigenvalues (gap <= cluster_gap * max|lambda|) Gram-Schmidt orthogonalised against
//           each other, as in LAPACK's dstein. Vectors of eigenvalues separated by a gap g are
//           orthogonal to about eps ||A|| / g (at most ~1e-11 at the default cluster_gap;
//           measured ~1e-13 on a 2000-site ring, as dense divide and conquer). Clusters are
//           independent and run in parallel.
// Total O(n^2 kd) time against the dense solvers' ~9 n^3 flops. (MRRR, dstemr, is also O(n^2)
// for kd = 1 but measured 0.29 s at n = 2000 on a two-band chain, against ~0.1 s here.)
// Memory: the n x n eigenvectors twice (reordered and original order) plus O(n kd) per thread.
//
// The eigenvalues use the band routines of lapack.hpp (registered from scipy by the Python
// module); without them, multisection of spectrum.hpp for small matrices.
// eigenpairs() reports why it declined (band too wide for the gain, a cluster too large,
// no LAPACK, no convergence); the caller then uses a dense solver.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"

namespace quasiion::banded {

// A real symmetric sparse matrix: its diagonal and each off-diagonal pair (i != j) once.
// Repeated pairs are summed.
struct SymmetricSparse {
  Eigen::VectorXd diagonal;
  std::vector<std::array<int, 2>> index;
  std::vector<double> value;
};

// perm[new position] = original index; kd the half-bandwidth of the reordered matrix.
struct Ordering {
  std::vector<int> perm;
  int kd = 0;
};

// Reverse Cuthill-McKee ordering of the pattern of A (each connected component from a
// pseudo-peripheral vertex, neighbours in increasing degree), and its half-bandwidth.
Ordering narrow_band_ordering(const SymmetricSparse& A);

struct Options {
  // Take the band route only if kd <= max_kd and 8 (kd + 1)^2 <= n (otherwise dense is as
  // fast); `force` skips the second test (tests, comparisons).
  int max_kd = 32;
  bool force = false;
  // Eigenvalues closer than cluster_gap * max|lambda| are orthogonalised against each other.
  double cluster_gap = 1e-5;
  // Decline (dense is cheaper) if sum over clusters of size^2 exceeds this fraction of n^2.
  double max_cluster_work = 0.05;
  // Without registered LAPACK band routines, eigenvalues by multisection up to this size.
  int max_n_without_lapack = 600;
};

struct Outcome {
  bool done = false;        // eigenpairs computed
  std::string reason;       // why not, if not
  int kd = 0;               // half-bandwidth after reordering
  int largest_cluster = 0;  // inverse-iteration route only
};

// Eigenvalues ascending into E, orthonormal eigenvectors as the columns of U (original order),
// when the band route applies; otherwise E and U untouched and the reason in the outcome.
// Throws InvalidArgument for malformed input (index out of range, non-finite values).
Outcome eigenpairs(const SymmetricSparse& A, Eigen::VectorXd& E, Eigen::MatrixXd& U,
                   const Options& opt = {}, const Execution& exec = {});

}  // namespace quasiion::banded
