// Multi-site percolation clusters (paper section 3.4, appendix 5.2, Fig 8).
//
// n sites, two states per site (orbital 2i: the A state of site i, 2i+1: the B state). The
// Hamiltonian is block Toeplitz: diagonal blocks U = diag(U_A, U_B), and between sites i < j
// at distance m = j - i the block P_{m-1} = P0 rho^(m-1), rho = exp(-E_s/kT), with
// P0 = [[P_AA, P_AB], [P_BA, P_BB]] (eV). The block below the diagonal is the transpose
// P_{m-1}^T, so H is symmetric for any P0 (the paper prints P0 on both sides, which is
// symmetric only when P_AB = P_BA).
//
// Truncation: sites farther apart than `reach` are not coupled, so H is banded with
// kd = 2 reach + 1 orbital sub-diagonals. reach is the smallest one whose dropped part D has
//     ||D||_2 <= ||D||_inf <= c sum_{m = reach+1}^{n-1} rho^(m-1) <= tol,
// c = max_a (sum_b |P0_ab| + sum_b |P0_ba|) (a row of D holds P0 to the right and P0^T to the
// left). By Weyl's inequality every eigenvalue of the truncated matrix is within that bound of
// the exact one; the bound is reported.
#pragma once

#include <Eigen/Core>

#include "quasiion/lattice.hpp"

namespace quasiion::percolation {

struct Cluster {
  int n_sites = 3;
  double U_A = 0.25, U_B = -0.25;                                  // eV
  double P_AA = 0.05, P_AB = 0.0, P_BA = 0.0, P_BB = 0.05;          // eV
  double Es_over_kT = 1.0;                                         // E_s / kT (>= 0)
};

// Throws InvalidArgument naming the field unless n_sites >= 1 and everything is finite with
// Es_over_kT >= 0.
void check(const Cluster& c);

struct Truncation {
  int reach = 0;         // farthest coupled site distance (0 <= reach <= n_sites - 1)
  int kd = 0;            // orbital sub-diagonals of the truncated matrix (0 when reach = 0)
  double bound = 0.0;    // bound on ||dropped part||_2, eV (0: nothing dropped)
};

// The smallest reach meeting tol (eV, >= 0); max_reach >= 0 caps it (then the bound may exceed
// tol; -1: no cap).
Truncation truncation(const Cluster& c, double tol, int max_reach = -1);

// The truncated matrix in LAPACK lower band storage: band(r, j) = H(j + r, j), shape
// (kd + 1, 2 n_sites), eV.
Eigen::MatrixXd band(const Cluster& c, int reach);

// The truncated matrix, dense (2 n_sites square), eV. reach = n_sites - 1: untruncated.
Eigen::MatrixXd dense(const Cluster& c, int reach);

// As a lattice: one cell of 2 n_sites orbitals, no inter-cell bonds (an isolated cluster),
// site i at x = i * spacing (Angstrom).
lattice::Lattice to_lattice(const Cluster& c, int reach, double spacing = 1.0);

}  // namespace quasiion::percolation
