// A chain of potential wells and its nearest-neighbour quasi-ion Hamiltonian (paper eq 16-17
// generalised to any number of wells per period).
//
// A WellChain lists, in order along x, the minima U_i of n wells and the barrier b_i between
// well i and well i+1 (for a periodic chain b_{n-1} sits between the last well and the first
// well of the next period). The narrow-well tight-binding Hamiltonian has on-site energies
// U_i and, on the bond over barrier b_i, the hopping
//     t_i = J(b_i) / 2,
//     J(b) = [U_{i+1} sqrt(w_i(b)) + U_i sqrt(w_{i+1}(b))] / sqrt(N_i N_{i+1})      (eq 16)
// with w_i(b) = exp(-(b - E_min,i)/kT), E_min,i = U_i + thermalisation kT, and the eq 13
// normalisation N_i = 1 + w_i(b_{i-1}) + w_i(b_i) over the well's two barriers. The factor
// 1/2 per bond is eq 17's (H_AB = J0/2 (1 + e^{ika})): for two wells per period the chain is
// exactly interstitial::Chain{U_A, U_B, J0} with J0 = J(U_max). J(b) is the one eq-16
// function of the package (potential::Landscape::tight_binding calls it too).
//
// An open chain keeps the bulk values (each N_i still sees both barriers) and drops the bond
// that closes the period: it is a finite piece cut out of the periodic chain. A barrier that
// is +inf (a hard wall of an open profile) gives w = 0.
//
// Energies eV, positions Angstrom, temperatures K.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include "quasiion/lattice.hpp"

namespace quasiion::potential {
class Landscape;
}

namespace quasiion::wellchain {

// Eq 16 (full form) for one bond between wells i and j: site_* weight the overlap inside each
// well (the minima for narrow wells), w_* = exp(-(barrier - E_min)/kT) of each well, N_* the
// eq 13 normalisations. Returns J (the per-bond hopping of eq 17 is J/2), eV.
double eq16_hopping(double site_i, double site_j, double w_i, double w_j, double N_i, double N_j);

struct WellChain {
  Eigen::VectorXd U;        // well minima, eV (n wells, in order along x)
  Eigen::VectorXd barrier;  // b_i between well i and i+1 (mod n), eV; length n
  Eigen::VectorXd x;        // well positions, Angstrom (n; increasing)
  double period = 1.0;      // length of one period of the chain, Angstrom (> x span)
  bool periodic = true;     // false: the bond over barrier[n-1] is dropped
  double thermalisation = 0.0;  // E_min = U + thermalisation kT (>= 0)

  int size() const { return static_cast<int>(U.size()); }
};

// Throws InvalidArgument naming the field unless sizes match, n >= 1, U and x finite,
// barriers not NaN (+inf allowed), period > 0, thermalisation >= 0.
void check(const WellChain& c);

// n_cells copies of `cell` (periodic or open as `cell`), positions shifted by the period.
WellChain repeat(const WellChain& cell, int n_cells);

// The wells and barriers of a Landscape's profile, as a chain: a periodic profile gives one
// period (all its wells), an open one its wells with the walls at the ends as +inf barriers
// (open chain).
WellChain from_landscape(const potential::Landscape& land, double thermalisation = 0.0);

// Nearest-neighbour chain Hamiltonian: onsite (n) and hopping (n; hopping[i] couples i and
// i+1 mod n; hopping[n-1] is 0 for an open chain), eV.
struct ChainHamiltonian {
  Eigen::VectorXd onsite;
  Eigen::VectorXd hopping;
  Eigen::VectorXd x;
  double period = 1.0;
  bool periodic = true;
  int size() const { return static_cast<int>(onsite.size()); }
};

// The narrow-well Hamiltonian of the chain at temperature T (K).
ChainHamiltonian narrow_well(const WellChain& c, double T_kelvin);

// The assembly behind narrow_well for wells given by accessors (U(i), barrier(i) for
// i in [0, n)), so that a long chain can be built without storing it: calls onsite(i, e) and
// hopping(i, t) for every i (hopping n-1 closes the period). kT in eV.
template <class UFn, class BFn, class OnFn, class HopFn>
void assemble_narrow_well(Eigen::Index n, const UFn& U, const BFn& barrier, double kT,
                          double thermalisation, const OnFn& onsite, const HopFn& hopping) {
  const auto emin = [&](Eigen::Index i) { return U(i) + thermalisation * kT; };
  // A barrier under a neighbouring minimum merges the wells (w = 1) rather than giving an
  // exponentially large weight.
  const auto b = [&](Eigen::Index i) {
    const Eigen::Index j = (i + 1) % n;
    const double bi = barrier(i), ei = emin(i), ej = emin(j);
    return bi > ei ? (bi > ej ? bi : ej) : (ei > ej ? ei : ej);
  };
  const auto w = [&](double bb, double e) { return std::exp(-(bb - e) / kT); };
  const auto norm = [&](Eigen::Index i, double b_left, double b_right) {
    const double e = emin(i);
    return 1.0 + w(b_left, e) + w(b_right, e);
  };
  double b_prev = b(n - 1), b_cur = b(0);
  double N_cur = norm(0, b_prev, b_cur);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index j = (i + 1) % n;
    const double b_next = b(j);
    const double N_next = (j == 0) ? norm(0, b(n - 1), b(0)) : norm(j, b_cur, b_next);
    const double Ui = U(i), Uj = U(j);
    onsite(i, Ui);
    hopping(i, 0.5 * eq16_hopping(Ui, Uj, w(b_cur, emin(i)), w(b_cur, emin(j)), N_cur, N_next));
    b_cur = b_next;
    N_cur = N_next;
  }
}

// As a 1D lattice: one cell holding all n orbitals (lattice vector = period). Periodic: the
// bond over barrier n-1 goes to the next cell (R = +1), so H(k) carries the Bloch phase
// e^{ik period} on it (supercell bands along k). Open: no inter-cell bond, H(k) = H.
lattice::Lattice to_lattice(const ChainHamiltonian& h);

// The real symmetric matrix H(k = 0) (periodic: with the closing bond; open: tridiagonal),
// n x n, eV. Dense: for small supercells.
Eigen::MatrixXd dense(const ChainHamiltonian& h);

}  // namespace quasiion::wellchain
