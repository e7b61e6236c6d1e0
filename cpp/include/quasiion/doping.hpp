// Mobile-ion doping and the super-ionic transition (paper section 3.2, appendix 5.1): the
// self-consistent mean-field Coulomb scattering |S00| of eq 42, its grand potential, the
// selection rule, the phase choice of eq 44, the bands of eq 29 and the conductivity of eq 30,
// plus sweeps over (mu, T) and the inverse problem mu(filling).
//
// Model (per unit cell of two sites A, B; energies in eV):
//   H_k = [[U_A, h_k], [h_k^*, U_B]],  h_k = (J0/2)(1 + e^{ika}) + S_0k,  S_0k = S e^{i phi_s},
//   Ubar = (U_A + U_B)/2, dU = (U_A - U_B)/2, c_k = cos(ka/2) in [0, 1] on the zone.
// With J0 = -|J0| (the sign is irrelevant: bands depend on |J0| only),
//   phi_s = ka/2 + pi ("fixed", eq 29):   |h_k| = m_k = |J0| c_k + S,
//   phi_s = ka/2       (high branch):     |h_k| = m_k = S - |J0| c_k   (self-consistent, eq 43,
//                                          only where S > |J0| c_k; eq 44 uses it for S > |J0|).
// Bands E_k+- = Ubar +- R_k, R_k = sqrt(dU^2 + m_k^2). Eq 42 is S = F(S) with
//   F(S) = (K/a1) < (m_k / (2 R_k)) [f(E_k-) - f(E_k+)] >_k,   0 <= F <= K/(2 a1),
// and its grand potential (eV per cell) is
//   Omega(S) = -kT < sum_+- ln(1 + exp(-(E_k+- - mu)/kT)) >_k + S^2 / (K/a1),
// with dOmega/dS = (2/(K/a1)) (S - F(S)) exactly, so its stationary points are eq 42's roots.
// F is non-decreasing in S on each branch (m_k/R_k and f(E-) - f(E+) both grow with m_k),
// which the root search exploits (meanfield::monotone_fixed_points). See docs/paper-notes.md.
#pragma once

#include <functional>
#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"
#include "quasiion/roots.hpp"
#include "quasiion/transport.hpp"

namespace quasiion::doping {

// Phase of S_0k (eq 44). fixed: phi_s = ka/2 + pi for every S (eq 29, Fig 4, the default).
// strict: phi_s = ka/2 when S > |J0| (where that choice is self-consistent at every k and gives
// the lower conduction band, as the paper's Fig 10 does), ka/2 + pi otherwise.
enum class Phase { fixed, strict };

// Which root is the physical one. smallest: the paper's rule. free_energy: lowest Omega.
enum class Rule { smallest, free_energy };

// Static tight-binding parameters of the chain and the Coulomb strength.
struct Chain {
  double U_A = -0.6;       // on-site energy of site A, eV
  double U_B = -0.3;       // on-site energy of site B, eV
  double J0 = -0.02;       // hopping, eV (only |J0| enters)
  double a = 4.0;          // lattice constant, Angstrom
  double K_over_a1 = 1.5;  // K/a1, eV (>= 0)
  double gamma = 1.0;      // a1/a2 (> 0); drops out of eq 42 (see the notes)

  void validate() const;  // throws InvalidArgument naming the parameter
  double S_max() const { return 0.5 * K_over_a1; }
};

// Quadrature over the zone. The integrands depend on k through c = cos(ka/2) with S_0k's phase
// ka/2 + pi (eq 44), which is NOT 2pi/a-periodic: m_k = |J0| c_k + S has a kink at the zone
// boundary once S != 0 (and |m_k| even at S = 0), so the periodic trapezoidal rule converges
// only as 1/n^2 there. The integrands are even in k and analytic on the closed half zone
// u = ka/2 in [0, pi/2], so Gauss-Legendre on that interval converges exponentially.
// `ZoneQuadrature::gauss_legendre(n)`: nodes u_j, c_j = cos u_j, s_j = sin u_j, weights w_j
// (sum 1), so <g>_k = sum_j w_j g(c_j).
struct ZoneQuadrature {
  std::vector<double> u, c, s, w;
  static ZoneQuadrature gauss_legendre(int n);
  int size() const { return static_cast<int>(w.size()); }
};

// The automatic zone quadrature. Fermi poles lie >= pi kT / |J0| off the real u axis, so one
// Gauss-Legendre panel on [0, pi/2] with n >= 4.6 |J0|/kT points (min 24) reaches ~1e-16.
// The square-root branch points of R_k = sqrt(dU^2 + m_k^2) sit ~|dU|/|J0| beyond the ends
// (m_k -> 0 at the zone boundary when S -> 0, at k = 0 when S -> |J0| on the high branch):
// when |dU|/|J0| < 0.05 both ends get geometrically graded panels (ratio 0.2, 16 points each)
// down to |dU|/(8|J0|), which keeps the convergence exponential for near-degenerate sites.
// `refine` multiplies every panel's points (convergence checks, the conductivity uses 2).
ZoneQuadrature auto_quadrature(const Chain& chain, double kT, double refine = 1.0);
// Total points of auto_quadrature(chain, kT).
int auto_k_points(const Chain& chain, double kT);

struct Options {
  Phase phase = Phase::fixed;
  Rule rule = Rule::smallest;
  int n_k = 0;                  // > 0: one Gauss-Legendre panel of n_k points; 0: automatic
  double k_refine = 1.0;        // multiplies the points of the automatic quadrature
  double resolution_kT = 0.25;  // root separation resolved by the search, in units of kT
  bool uniform_scan = false;    // cross-check: meanfield::fixed_points (uniform scan + Brent)
};

// The mean-field problem at one (mu, T): F(S), Omega(S), the filling, the branch.
class MeanField {
 public:
  MeanField(const Chain& chain, double mu, double T_kelvin, Phase phase, int n_k = 0,
            double k_refine = 1.0);
  MeanField(const Chain& chain, double mu, double T_kelvin, Phase phase,
            const ZoneQuadrature& quadrature);

  // At S on its own branch (high_branch(S)):
  double map(double S) const { return map_on(S, high_branch(S)); }  // F(S), eV
  double grand_potential(double S) const { return grand_potential_on(S, high_branch(S)); }
  double filling(double S) const { return filling_on(S, high_branch(S)); }  // ions per cell
  // The same with the branch given (high: phi_s = ka/2, m_k = S - |J0| c_k).
  double map_on(double S, bool high) const;
  double grand_potential_on(double S, bool high) const;  // eV per cell
  double filling_on(double S, bool high) const;          // <f(E-) + f(E+)> in [0, 2]
  bool high_branch(double S) const { return strict_ && S > J_; }
  double S_max() const { return S_max_; }
  int n_k() const { return static_cast<int>(c_.size()); }
  double kT() const { return kT_; }
  // The branches F is monotone on: [0, S_max], or [0, |J0|] and (|J0|, S_max] (strict).
  std::vector<std::pair<double, double>> branches() const;

 private:
  double ubar_, du2_, J_, mu_, kT_, K_, S_max_;
  bool strict_;
  std::vector<double> c_, w_;  // cos(ka/2) at the quadrature nodes, weights (sum 1)
  void init(const Chain& chain, double mu, double T_kelvin, Phase phase);
};

struct Root {
  double S;                // eV
  double residual;         // F(S) - S, eV
  double grand_potential;  // Omega(S), eV per cell
  bool tangent;            // found as a touching (double) root
  bool high_branch;        // phi_s = ka/2 (strict phase, S > |J0|)
};

struct Solution {
  double mu = 0.0, T = 0.0;
  std::vector<Root> roots;  // ascending in S; never empty
  int selected = 0;         // index chosen by the rule
  int smallest = 0;         // index of the smallest root (0)
  int lowest_omega = 0;     // index of the root of lowest grand potential
  bool rules_disagree = false;
  double S00 = 0.0;         // roots[selected].S
  bool high_branch = false;
  double filling = 0.0;     // mobile ions per cell at the selected root
  int n_k = 0;
};

// Every root of eq 42 on [0, K/(2 a1)] at (mu, T), their grand potentials and the selection.
// Throws ConvergenceError (with the S values tried) if no root is found.
Solution solve(const Chain& chain, double mu, double T_kelvin, const Options& opt = {});
// The same with a prebuilt quadrature (opt.n_k is then ignored).
Solution solve(const Chain& chain, double mu, double T_kelvin, const Options& opt,
               const ZoneQuadrature& quadrature);

// Off-diagonal magnitude m_k (eV) and bands (eV) at wavevectors k (1/Angstrom).
Eigen::ArrayXd off_diagonal(const Chain& chain, double S, bool high_branch,
                            const Eigen::Ref<const Eigen::ArrayXd>& k);
// Columns: E_k- (valence), E_k+ (conduction).
Eigen::ArrayXXd bands(const Chain& chain, double S, bool high_branch,
                      const Eigen::Ref<const Eigen::ArrayXd>& k);

struct BandEdges {
  double lower_min, lower_max, upper_min, upper_max;  // eV
  double cbm_k;                                        // k of the conduction-band minimum, 1/A
  double cbm_weight_A, cbm_weight_B;                   // sublattice weights of the CBM state
};
BandEdges band_edges(const Chain& chain, double S, bool high_branch);

// Carrier formation energy E_t (section 3.1): distance from mu to the conduction band,
// E_c,min - mu below it (quasi-ion carriers, sign +1), mu - E_c,max above it (quasi-vacancy
// carriers, sign -1), 0 inside it (metallic, sign 0).
double carrier_formation_energy(const BandEdges& edges, double mu, int* carrier = nullptr);

// Eq 30, S/cm: sigma = (ze)^2 n0 tau < v_k^2 (-df/dE)(E_k+) >_k with v = dE+/dk / hbar; with
// both_bands the valence band's term is added. n_k = 0: auto_quadrature with refine = 2.
// Same quadrature as eq 42 (Gauss-Legendre on the half zone) fed to transport::FermiWindowSum.
double conductivity(const Chain& chain, double S, bool high_branch, double mu, double T_kelvin,
                    const transport::Carriers& carriers, int n_k = 0, bool both_bands = false);
double conductivity(const Chain& chain, double S, bool high_branch, double mu, double T_kelvin,
                    const transport::Carriers& carriers, const ZoneQuadrature& quadrature,
                    bool both_bands = false);

// A sweep over points (mu_i, T_i), solved in parallel; row i of every array is point i.
struct Sweep {
  Eigen::ArrayXd mu, T, S00, grand_potential, filling, sigma, E_t;
  Eigen::ArrayXd upper_min, upper_max, lower_min, lower_max, cbm_weight_B;
  Eigen::ArrayXi n_roots, selected, carrier, high_branch, rules_disagree, n_k;
  Eigen::ArrayXXd roots, root_grand_potential;  // (points, max roots), NaN-padded
};
Sweep sweep(const Chain& chain, const Eigen::Ref<const Eigen::ArrayXd>& mu,
            const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, const Options& opt,
            const transport::Carriers& carriers, const Execution& exec = {});

// mu at a given mobile-ion filling n in (0, 2) per cell (self-consistent at every mu tried;
// n(mu) is non-decreasing). If n lies inside a jump of n(mu) (a first-order transition:
// no homogeneous phase has that filling), mu is the transition point, coexistence is set and
// filling_below/above are the fillings of the two phases there.
struct FillingSolution {
  double target = 0.0;
  double mu = 0.0;
  Solution solution;
  bool coexistence = false;
  double filling_below = 0.0, filling_above = 0.0;
  int evaluations = 0;
};
FillingSolution solve_filling(const Chain& chain, double n, double T_kelvin,
                              const Options& opt = {});

}  // namespace quasiion::doping
