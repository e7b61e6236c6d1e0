// Spectra of large real symmetric Hamiltonians without diagonalising them: eigenvalue counts
// below an energy (Sturm sequences for tridiagonal matrices, the inertia of a banded LDL^T
// factorisation for banded ones), single eigenvalues by bisection, the gap around a filling
// or a chemical potential (the carrier formation energy E_t of section 3.4) and the
// integrated density of states on an energy grid. Everything runs in O(n) (tridiagonal) or
// O(n kd) (banded) memory; no dense matrix is ever formed.
//
// Conventions: energies in eV; count_below(H, E) = number of eigenvalues < E. A count is
// exact for the matrix H - E I perturbed by O(pivmin) on the pivots (the LAPACK dstebz
// rule), so an eigenvalue within ~1e-300 eV of E may be counted either way. Eigenvalue
// indices are 0-based in ascending order.
//
// Algorithmic limits (why these routines and not LAPACK's):
// - A count costs one pass over the matrix: n divisions (tridiagonal) or n kd^2 / 2
//   multiply-adds (banded). A Sturm pass is a serial recurrence, so a single shift is bound by
//   the division latency (~15 cycles/site); several shifts evaluated together in one pass are
//   bound by the division throughput instead (~2-4 cycles/site per shift with SSE2). The
//   eigenvalue search therefore uses multisection: every round counts a block of shifts per
//   thread, gaining log2(shifts + 1) bits per target per round.
// - scipy's eigvalsh_tridiagonal(select='i') (dstebz) bisects one shift at a time (latency
//   bound); eig_banded(select='i') (dsbevx) first reduces the band to tridiagonal form in
//   O(n^2 kd) operations, which dominates for n >= 10^3.
// - An integrated DOS on m energies costs m n divisions (throughput bound) against the
//   O(n^2) of all eigenvalues of a tridiagonal matrix (dsterf/dstemr).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"

namespace quasiion::lattice {
class Lattice;
}

namespace quasiion::spectrum {

// Real symmetric tridiagonal: diag (n), off(i) = H(i, i+1) (n - 1; empty for n = 1).
struct Tridiagonal {
  Eigen::VectorXd diag;
  Eigen::VectorXd off;

  std::int64_t n() const { return diag.size(); }
};

// Real symmetric band matrix in LAPACK lower storage: band(r, j) = H(j + r, j), r = 0..kd,
// shape (kd + 1, n); entries with j + r >= n are ignored.
struct SymmetricBand {
  Eigen::MatrixXd band;

  int kd() const { return static_cast<int>(band.rows()) - 1; }
  std::int64_t n() const { return band.cols(); }
};

// Checks shapes and finiteness; throws InvalidArgument naming the field.
void check(const Tridiagonal& H);
void check(const SymmetricBand& H);

// Gershgorin interval [lo, hi] containing every eigenvalue (eV).
std::pair<double, double> gershgorin(const Tridiagonal& H);
std::pair<double, double> gershgorin(const SymmetricBand& H);

// Number of eigenvalues below E (eV). Sturm sequence; zero pivots (E on an eigenvalue of a
// leading block) and zero off-diagonals (decoupled blocks) are handled by the dstebz rule.
std::int64_t count_below(const Tridiagonal& H, double E);

// Number of eigenvalues below E (eV): the number of negative pivots of H - E I = L D L^T,
// computed by banded Gaussian elimination without pivoting, O(n kd^2) time, O((kd + 1)^2)
// working memory besides the band. See spectrum.cpp for why no pivoting is used and how
// small pivots are made safe.
std::int64_t count_below(const SymmetricBand& H, double E);

// Counts at every energy of a grid (the integrated DOS, states per matrix), in parallel over
// energies; identical for every thread count.
Eigen::ArrayXd count_below(const Tridiagonal& H, const Eigen::Ref<const Eigen::ArrayXd>& energies,
                           const Execution& exec = {});
Eigen::ArrayXd count_below(const SymmetricBand& H, const Eigen::Ref<const Eigen::ArrayXd>& energies,
                           const Execution& exec = {});

// Eigenvalues per bin of the grid `edges` (ascending, m + 1 edges -> m bins, bin i =
// [edges[i], edges[i+1])): the histogram of the spectrum without computing it.
Eigen::ArrayXd histogram(const Tridiagonal& H, const Eigen::Ref<const Eigen::ArrayXd>& edges,
                         const Execution& exec = {});
Eigen::ArrayXd histogram(const SymmetricBand& H, const Eigen::Ref<const Eigen::ArrayXd>& edges,
                         const Execution& exec = {});

// The k-th eigenvalue (0-based, ascending) to an absolute accuracy tol_eV (> 0), by
// multisection inside the Gershgorin interval. The shifts of every round do not depend on
// exec, so results are bit-identical for every thread count.
double eigenvalue(const Tridiagonal& H, std::int64_t k, double tol_eV = 1e-12,
                  const Execution& exec = {});
double eigenvalue(const SymmetricBand& H, std::int64_t k, double tol_eV = 1e-12,
                  const Execution& exec = {});

// Several eigenvalues at once (the searches share their counts), same order as `ks`.
Eigen::VectorXd eigenvalues(const Tridiagonal& H, const std::vector<std::int64_t>& ks,
                            double tol_eV = 1e-12, const Execution& exec = {});
Eigen::VectorXd eigenvalues(const SymmetricBand& H, const std::vector<std::int64_t>& ks,
                            double tol_eV = 1e-12, const Execution& exec = {});

// The gap around a filling: homo = eigenvalue n_occupied - 1, lumo = eigenvalue n_occupied,
// gap = lumo - homo (eV). With one carrier per site this is the carrier formation energy
// E_t of section 3.4.
struct Gap {
  double homo = 0.0;
  double lumo = 0.0;
  double gap = 0.0;
  std::int64_t n_occupied = 0;
};

// n_occupied in [1, n - 1].
Gap gap_at_filling(const Tridiagonal& H, std::int64_t n_occupied, double tol_eV = 1e-12,
                   const Execution& exec = {});
Gap gap_at_filling(const SymmetricBand& H, std::int64_t n_occupied, double tol_eV = 1e-12,
                   const Execution& exec = {});
// The highest eigenvalue below mu and the lowest at or above it (mu inside the spectrum:
// at least one eigenvalue on each side, else InvalidArgument).
Gap gap_at_mu(const Tridiagonal& H, double mu, double tol_eV = 1e-12, const Execution& exec = {});
Gap gap_at_mu(const SymmetricBand& H, double mu, double tol_eV = 1e-12, const Execution& exec = {});

// From an open real lattice: hoppings only at R = 0 (a finite cluster in one cell), real
// amplitudes. Tridiagonal needs every bond between orbitals i and i +- 1; the band width kd
// defaults to the largest |i - j| (kd = -1), or is given (>= that). Bonds given twice add.
// InvalidArgument otherwise (naming the hopping).
Tridiagonal tridiagonal_from_lattice(const lattice::Lattice& lat);
SymmetricBand band_from_lattice(const lattice::Lattice& lat, int kd = -1);

}  // namespace quasiion::spectrum
