// Ion-electron interference and Onsager transport: the ambipolaron (paper section 3.3,
// appendix 5.3, eq 31-41 and 46).
//
// Two mobile species on a one-site-per-cell chain, the (quasi-)electron band
// eps_e(k) = J0e cos(ka) + U0e and the quasi-ion band eps_i(k) = J0i cos(ka) + U0i + Kbar
// (Kbar = K0 + Ka is the static shift of eq 32), hybridised by the mean-field ion-electron
// Coulomb scattering S (eq 32-33). |S| is given or solved self-consistently through the
// shared engine meanfield::fixed_points (all roots of S = F(S), scan + Brent).
//
// The Onsager part works with the dimensionless quantities of eq 36-41: the hopping ratio
// j = |J0e/J0i|, the density ratio r = rho_e/rho_i, the mixing xi0 (eq 35 at k = 0) and the
// relaxation-time ratio t = tau+/tau-. The reduced matrix l satisfies
//   L = (tau- a^2 rho_i |J0i| / hbar^2) * l,
// see onsager_prefactor() for the physical units (1/(eV cm s)).
//
// Conventions and the places where we depart from the printed paper: docs/paper-notes.md,
// "Section 3.3".
#pragma once

#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"

namespace quasiion::onsager {

// ---------------------------------------------------------------------------------------
// Parameters

// Electron tight-binding parameters from physical inputs (appendix 5.3):
//   J0e = -hbar^2 / (m_e* a^2),  U0e = -chi_e + hbar^2 / (m_e* a^2)   (eV)
// so that eps_e(k) ~ -chi_e + hbar^2 k^2 / (2 m_e*) near k = 0.
struct ElectronBand {
  double J0e;  // eV
  double U0e;  // eV
};
// m_eff: effective mass in units of the electron rest mass m_0 (> 0); chi_e: electron
// affinity, eV (finite); a: lattice constant, Angstrom (> 0).
ElectronBand electron_from_physical(double m_eff, double chi_e, double a);

// hbar^2 / (m_0 a^2) in eV for a in Angstrom (the free-electron hopping scale).
double free_electron_hopping(double a);

struct Model {
  double J0e = 0.0;  // electron hopping, eV
  double U0e = 0.0;  // electron on-site energy, eV
  double J0i = 0.0;  // quasi-ion hopping, eV
  double U0i = 0.0;  // quasi-ion on-site energy, eV
  double K0 = 0.0;   // in-cell ion-electron Coulomb strength, eV (>= 0)
  double Ka = 0.0;   // inter-cell ion-electron Coulomb strength, eV (>= 0)
  double a = 1.0;    // lattice constant, Angstrom (> 0)
};
// Throws InvalidArgument naming the bad field.
void validate_model(const Model& m);

// Kbar = K0 + Ka (eq 32), the static shift of the ion level.
inline double k_bar(const Model& m) { return m.K0 + m.Ka; }

// Delta J_k of eq 34 at ka (radians), including -Kbar/2 (see the notes): half the difference
// of the electron and ion diagonal elements of eq 33.
double delta_J(const Model& m, double ka);

// xi0 of eq 35 at k = 0: 1 / sqrt(1 + (S / Delta J_0)^2); 1 if S = 0. S >= 0 in eV.
double xi0(const Model& m, double S);

// ---------------------------------------------------------------------------------------
// Bands (eq 33-35)

// The 2x2 Bloch Hamiltonian of eq 33 in the basis (electron, ion) at wavevector k
// (1/Angstrom), with a real coupling S (its phase is a gauge choice for the spectrum).
Eigen::Matrix2d hamiltonian(const Model& m, double S, double k);

struct Bands {
  Eigen::ArrayXd E_plus;            // upper branch, eV (eq 34)
  Eigen::ArrayXd E_minus;           // lower branch, eV
  Eigen::ArrayXd electron_plus;     // electron weight of the upper branch, in [0, 1]
  Eigen::ArrayXd electron_minus;    // electron weight of the lower branch = 1 - electron_plus
  Eigen::ArrayXd xi;                // xi_k of eq 35 = |Delta J_k| / sqrt(Delta J_k^2 + S^2)
};
// Bands at every k (1/Angstrom), parallel over k.
Bands bands(const Model& m, double S, const Eigen::Ref<const Eigen::ArrayXd>& k,
            const Execution& exec = {});

// ---------------------------------------------------------------------------------------
// Self-consistent coupling S (eq 32, derived like eq 42; see the notes)

// Occupation: the electronic branch (electron weight >= 1/2) is filled with mu_e, the ionic
// branch with mu_i (quasi-Fermi levels of the two species); T in K.
struct Occupation {
  double mu_e = 0.0;  // eV
  double mu_i = 0.0;  // eV
  double T = 300.0;   // K
};

// F(S) = K0 < S / (2 R_p) [f_-(p) - f_+(p)] >_p with R_p = sqrt(Delta J_p^2 + S^2): the
// right-hand side of the self-consistency S = F(S). 0 <= ... <= K0/2 when f_- >= f_+.
double coupling_map(const Model& m, double S, const Occupation& occ, int n_k);

// Mean-field grand potential per cell (eV) at coupling S:
// < -kT ln(1 + e^{-(E_+ - mu_+)/kT}) - kT ln(1 + e^{-(E_- - mu_-)/kT}) >_p + S^2 / K0.
// Stationary exactly at the fixed points of coupling_map.
double grand_potential(const Model& m, double S, const Occupation& occ, int n_k);

// The inter-cell amplitude the scalar ansatz neglects: Ka < cos(pa) S/(2R_p) [f_- - f_+] >_p
// (eV). The paper drops it ("the integral including the gamma e^{ipa} term equals zero");
// here it is reported so the user sees how large it is.
double intercell_amplitude(const Model& m, double S, const Occupation& occ, int n_k);

enum class RootRule { LowestFreeEnergy, Smallest, Largest };

struct CouplingOptions {
  int n_k = 0;          // quadrature points over the zone; 0 = meanfield::bz_points
  int n_scan = 400;     // scan points of the root search on [0, K0/2]
  RootRule rule = RootRule::LowestFreeEnergy;
};

struct CouplingSolution {
  double S = 0.0;                   // chosen root, eV
  double xi0 = 1.0;                 // eq 35 at k = 0 for that root
  std::vector<double> roots;        // every root found, ascending, eV
  std::vector<double> residuals;    // F(S) - S at each root, eV
  std::vector<double> omega;        // grand potential per cell of each root, eV
  int chosen = 0;                   // index into roots
  bool rules_disagree = false;      // smallest root != lowest-free-energy root
  double intercell = 0.0;           // intercell_amplitude at the chosen root, eV
  int n_k = 0;                      // quadrature points used
};
CouplingSolution solve_coupling(const Model& m, const Occupation& occ,
                                const CouplingOptions& opt = {});
// One solution per (mu_e[i], mu_i[i]) at temperature T (K), parallel over i.
std::vector<CouplingSolution> solve_coupling_scan(const Model& m,
                                                  const Eigen::Ref<const Eigen::ArrayXd>& mu_e,
                                                  const Eigen::Ref<const Eigen::ArrayXd>& mu_i,
                                                  double T, const CouplingOptions& opt = {},
                                                  const Execution& exec = {});

// ---------------------------------------------------------------------------------------
// Transport (eq 36-41, 46), dimensionless

enum class TauMethod { Exact, Eq39, Eq46 };

// Branch mobilities of eq 36-37 in units of a^2 |J0i| / hbar^2 per unit tau:
// D_+ = (kT tau+ a^2 |J0i| / hbar^2) d_plus, d_plus = j(1+xi)/2 + (1-xi)/2, and
// d_minus = j(1-xi)/2 + (1+xi)/2.
struct BranchMobility {
  double plus, minus;
};
BranchMobility branch_mobility(double j, double xi);

// The reduced Onsager matrix of eq 38 (divide L by tau- a^2 rho_i |J0i| / hbar^2) for
// relaxation times tau_p, tau_m in units of tau- (normally tau_m = 1, tau_p = t).
struct Reduced {
  double ee, ei, ie, ii;
};
Reduced reduced_matrix(double j, double r, double xi, double tau_p, double tau_m = 1.0);
// The same with tau+ = tau_m + dtau given through the difference dtau (no cancellation when
// tau+/tau- is close to 1).
Reduced reduced_matrix_split(double j, double r, double xi, double tau_m, double dtau);

// tau+/tau-: Exact solves l_ei = l_ie, which is linear in (tau+, tau-), from
// reduced_matrix itself; Eq39 and Eq46 are the paper's closed forms.
double tau_ratio(double j, double r, double xi, TauMethod method);
// tau+/tau- - 1, computed without forming the ratio first (accurate when the ratio is ~1).
double tau_excess(double j, double r, double xi, TauMethod method);

// alpha_i* (eq 40) and alpha_e* (eq 41) closed forms.
struct AlphaStar {
  double i, e;
};
AlphaStar alpha_star_closed(double j, double r, double xi);

// Validates one (j, r, xi) triple: j >= 0, r >= 0 finite, xi in (0, 1].
void validate_ratios(double j, double r, double xi);

// Vectorised forms over equal-length arrays (or length-1 arrays, broadcast), parallel.
struct OnsagerArrays {
  Eigen::ArrayXd t, dt, ee, ei, ie, ii;  // tau+/tau-, tau+/tau- - 1, the reduced matrix
  Eigen::ArrayXd alpha_i, alpha_e;   // |l_ie/l_ii|, |l_ei/l_ee| from the matrix
};
Eigen::ArrayXd tau_ratio(const Eigen::Ref<const Eigen::ArrayXd>& j,
                         const Eigen::Ref<const Eigen::ArrayXd>& r,
                         const Eigen::Ref<const Eigen::ArrayXd>& xi, TauMethod method,
                         const Execution& exec = {});
// With tau+/tau- from `method` when t is empty, otherwise with the given t (> 0).
OnsagerArrays onsager_reduced(const Eigen::Ref<const Eigen::ArrayXd>& j,
                              const Eigen::Ref<const Eigen::ArrayXd>& r,
                              const Eigen::Ref<const Eigen::ArrayXd>& xi,
                              const Eigen::Ref<const Eigen::ArrayXd>& t, TauMethod method,
                              const Execution& exec = {});
// Eq 40-41 over arrays: a 2-column array (alpha_i*, alpha_e*).
Eigen::ArrayXXd alpha_star_closed(const Eigen::Ref<const Eigen::ArrayXd>& j,
                                  const Eigen::Ref<const Eigen::ArrayXd>& r,
                                  const Eigen::Ref<const Eigen::ArrayXd>& xi,
                                  const Execution& exec = {});

// tau- a^2 rho_i |J0i| / hbar^2 in 1/(eV cm s) (so Gamma [1/(cm^2 s)] = -L grad mu [eV/cm]):
// tau_minus in s, a in Angstrom, rho_i in cm^-3, J0i in eV.
double onsager_prefactor(double tau_minus, double a, double rho_i, double J0i);

}  // namespace quasiion::onsager
