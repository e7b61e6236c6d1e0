// Random-distortion supercells (paper section 3.4, Fig 7; definition in PHYSICS.md).
//
// THE distortion (the only place it is defined): a supercell of n_cells periods of a
// WellChain (2 wells, A and B, per period for the paper's two-state sites) gets every well
// minimum U_i and every barrier b_i scaled by its own factor (1 + d r), r uniform in [-1, 1]
// and independent, d the distortion level (0.1 = 10 %). Hoppings are then re-derived from the
// distorted wells and barriers through eq 16 (wellchain::narrow_well; a barrier pushed below a
// neighbouring well is raised to it). Energies are scaled as given (their zero is the
// profile's), as in the paper.
//
// Randomness: realisation `index` of seed `seed` draws r from a counter-based stream
// (SplitMix64 finaliser over a key made from (seed, index)): r of well i is draw 2i, r of
// barrier i is draw 2i+1. A realisation therefore depends on (seed, index) only, never on the
// thread count or on which chunk of indices a worker computes, and a chain of any length can
// be generated piecewise without storing it.
//
// Energies eV, temperatures K, positions Angstrom.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"
#include "quasiion/wellchain.hpp"

namespace quasiion::supercell {

// Counter-based uniform stream of one realisation.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t index);
  // Draw number j as a double uniform in [-1, 1) (53 random bits).
  double symmetric(std::uint64_t j) const;

 private:
  std::uint64_t key_;
};

// The distorted copy of `chain` (already repeated to the supercell) for realisation `index`.
// d >= 0 (d = 0 returns the chain unchanged).
wellchain::WellChain distort(const wellchain::WellChain& chain, double d, std::uint64_t seed,
                             std::uint64_t index);

// Open distorted chain of n_cells periods of `cell`, built directly as a tridiagonal matrix
// (diag: n orbitals, off: n - 1) without forming the supercell: O(n) time, 16 bytes per
// orbital. Identical to narrow_well(distort(repeat(cell, n_cells)...)) with the closing bond
// dropped.
void distorted_tridiagonal(const wellchain::WellChain& cell, int n_cells, double d, double T_kelvin,
                           std::uint64_t seed, std::uint64_t index, Eigen::VectorXd& diag,
                           Eigen::VectorXd& off);

// Spectrum of one real symmetric matrix: eigenvalues ascending, and if eigenvectors are
// computed, the participation ratio of each state, PR_n = 1 / sum_i |psi_n(i)|^4 (1 for a state
// on one orbital, n for one spread evenly).
struct Spectrum {
  Eigen::VectorXd energies;
  Eigen::MatrixXd vectors;        // columns, if asked
  Eigen::VectorXd participation;  // if vectors were asked
};
// Dense symmetric solve through default_hermitian_solver() (LAPACK dsyevd when registered;
// only the lower triangle is read).
Spectrum dense_spectrum(const Eigen::MatrixXd& H, bool want_vectors);
// All eigenpairs of a symmetric tridiagonal matrix (diag n, off n - 1): O(n^2) for values.
Spectrum tridiagonal_spectrum(const Eigen::VectorXd& diag, const Eigen::VectorXd& off,
                              bool want_vectors);

// The gap at a filling: homo = E[n_occupied - 1], lumo = E[n_occupied], E_t = lumo - homo.
struct GapAtFilling {
  double homo = 0.0, lumo = 0.0, gap = 0.0;
};
GapAtFilling gap_at_filling(const Eigen::Ref<const Eigen::VectorXd>& sorted_energies, int n_occupied);

struct EnsembleOptions {
  int n_cells = 20;
  double d = 0.1;
  double T = 300.0;            // K
  bool periodic = true;        // periodic: the Gamma-point (k = 0) matrix of the supercell
  int n_occupied = -1;         // -1: one ion per cell (n_cells lowest states)
  bool keep_energies = false;  // return every eigenvalue of every realisation
};

struct Ensemble {
  std::uint64_t seed = 0, first_index = 0;
  Eigen::VectorXd gap, homo, lumo;  // per realisation, eV
  Eigen::MatrixXd energies;         // (count, n orbitals) if kept, eV
};

// Realisations first_index .. first_index + count - 1 of seed, parallel over realisations.
// Row r of the result belongs to realisation first_index + r whatever exec is.
Ensemble ensemble(const wellchain::WellChain& cell, const EnsembleOptions& opt, std::uint64_t seed,
                  std::uint64_t first_index, std::size_t count, const Execution& exec = {});

}  // namespace quasiion::supercell
