// The two-site interstitial chain of paper section 3.1 (eq 17-24, 30).
//
// Sites A (regular, on-site U_A) and B (interstitial, U_B) alternate with lattice constant a;
// the Bloch Hamiltonian is eq 17,
//     H(k) = [[U_A, J0/2 (1 + e^{ika})], [J0*/2 (1 + e^{-ika}), U_B]],
// i.e. a hopping J0/2 on each of the two A-B bonds per cell (the per-bond amplitude eq 17
// writes; eq 16 calls J0 itself "the hopping strength", but only J0/2 per bond gives eq 18).
// Bands (eq 18): E_k,+- = Ubar0 +- S_k, S_k = sqrt(dU0^2 + |J0|^2 cos^2(ka/2)),
// Ubar0 = (U_A + U_B)/2, dU0 = (U_A - U_B)/2. Any signs of U_A - U_B and J0 are accepted.
//
// Band index 0 is the lower band ("valence", "-"), 1 the upper ("conduction", "+").
// Energies eV, k 1/Angstrom, a Angstrom, masses amu, tau s, D cm^2/s, sigma S/cm,
// n0 cm^-3, T K.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "quasiion/lattice.hpp"
#include "quasiion/parallel.hpp"
#include "quasiion/transport.hpp"

namespace quasiion::interstitial {

struct Chain {
  double U_A = 0.0;  // eV
  double U_B = 0.0;  // eV
  double J0 = 0.0;   // eV (bands depend on |J0| only)
  double a = 1.0;    // Angstrom

  double mean() const { return 0.5 * (U_A + U_B); }   // Ubar0
  double delta() const { return 0.5 * (U_A - U_B); }  // dU0 (negative when U_A < U_B)
};

// Throws InvalidArgument unless U_A, U_B, J0 are finite and a > 0.
void check(const Chain& c);

// Eq 17 assembled as a general lattice: A at x = a/2, B at x = 0; bonds A->B in the same
// cell and A->B in the cell at R = +1, each J0/2 (the cell gauge of lattice.hpp reproduces
// eq 17 exactly). Orbital 0 = A, 1 = B.
lattice::Lattice to_lattice(const Chain& c);

// Eq 18: (nk, 2), column 0 the lower band, column 1 the upper band, eV.
Eigen::ArrayXXd bands(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k,
                      const Execution& exec = {});

// dE/dk of eq 18 in closed form, (nk, 2), eV*Angstrom:
// dE_+-/dk = -+ |J0|^2 a sin(ka) / (4 S_k) (0 where S_k = 0).
Eigen::ArrayXXd slopes(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k,
                       const Execution& exec = {});

// Weight of site A in each eigenstate, (nk, 2): column n is |psi_A|^2 of band n; the B
// weight is 1 minus it. General form rho_A,+- = (1 +- dU0/S_k)/2, which is eq 19
// (rho_ka,+- = chi^2 / [2 (1 + chi^2 +- sqrt(1 + chi^2))], chi = |J0 cos(ka/2)/dU0|) when
// U_A < U_B. The minority weight is computed as |h|^2 / (2 S (S + |dU0|)), h = J0 cos(ka/2),
// without cancellation. Where S_k = 0 (dU0 = 0 at the zone boundary) both weights are 1/2.
Eigen::ArrayXXd site_A_weights(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k,
                               const Execution& exec = {});

// --- band edges and effective masses ---------------------------------------------------

struct BandEdge {
  int band = 1;            // 0 lower, 1 upper
  bool minimum = true;     // true: band minimum; false: band maximum
  double k = 0.0;          // location, 1/Angstrom, in [0, pi/a]
  double energy = 0.0;     // eV
  double curvature = 0.0;  // d^2E/dk^2 at the edge, eV*Angstrom^2 (signed)
  double mass = 0.0;       // hbar^2 / |curvature| in amu (inf for a flat band)
};

// The edge found NUMERICALLY: the band of the general lattice (eq 17 diagonalised) is sampled
// over the zone, the extremum located by Brent on the Hellmann-Feynman velocity, and the
// curvature taken from central differences of the velocity with Richardson extrapolation.
// Throws InvalidArgument if the edge is not parabolic (dU0 = 0 makes the gap close with a
// linear crossing at k = pi/a).
BandEdge band_edge(const Chain& c, int band, bool minimum);

// The four edges (lower min, lower max, upper min, upper max).
std::vector<BandEdge> band_edges(const Chain& c);

// The edge whose energy is nearest mu; band = -1 searches both bands, 0/1 only that band.
BandEdge nearest_edge(const Chain& c, double mu, int band = -1);

// Closed-form curvature at the edges (corrected, derived from eq 18):
//   at k = pi/a: +-|J0|^2 a^2 / (4 |dU0|)   (upper-band minimum +, lower-band maximum -),
//   at k = 0:    -+|J0|^2 a^2 / (4 S_0)     (upper-band maximum -, lower-band minimum +),
// S_0 = sqrt(dU0^2 + |J0|^2). eV*Angstrom^2.
double curvature_closed_form(const Chain& c, int band, bool minimum);

// The paper's eq 21 curvature |J0|^2 a^2 / sqrt(dU0^2 + |J0|^2): four times the magnitude of
// the curvature at k = 0 (the upper band's maximum), not the one at the conduction-band
// minimum. eV*Angstrom^2.
double curvature_eq21(const Chain& c);

// --- relaxation time, diffusivity ------------------------------------------------------

// tau = sqrt(m a^2 / (2 E_a^BA)) in s, with m the ion mass in amu, a in Angstrom, Ea in eV.
double relaxation_time(double mass_amu, double a, double Ea_BA);

// Drude diffusivity (eq 20), D = kT tau / m*, in cm^2/s (T in K, tau in s, m* in amu).
double drude_diffusivity(double T, double tau, double mass_amu);

// D = kT tau curvature / hbar^2 in cm^2/s for a curvature in eV*Angstrom^2: eq 20 written
// with the curvature (use curvature_eq21 for the paper's eq 21, curvature_closed_form for
// the corrected one).
double diffusivity_from_curvature(double T, double tau, double curvature);

// The paper's eq 22 right-hand side, D = sqrt(2) kT U_A^2 tau a^2 / (|dU0| hbar^2) *
// e^{-Ea/kT} / (1 + 2 e^{-Ea/kT}), cm^2/s, exactly as printed (the sqrt(2) does not follow
// from eq 16 and 21).
double diffusivity_eq22(const Chain& c, double T, double tau, double Ea_BA);

// --- conductivity ----------------------------------------------------------------------

// Eq 23 (Nernst-Einstein) sigma = (z e)^2 tau n_c / m*, S/cm, for paired mu (eV), T (K) of
// equal length, with the carriers in `band` (default the upper, conduction band):
//   mu <= band minimum E_c: n_c = n0 exp(-(E_c - mu)/kT), m* at E_c (quasi-ion);
//   mu >= band maximum E_v: n_c = n0 exp(-(mu - E_v)/kT), m* at E_v (quasi-vacancy);
//   otherwise (metallic):   n_c = n0 g(mu) delta kT, m* at the nearer edge,
// g(mu) = a / (pi |dE/dk|) the band's density of states per cell (1/eV). m* numerical.
Eigen::ArrayXd nernst_einstein(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                               const Eigen::Ref<const Eigen::ArrayXd>& T,
                               const transport::Carriers& carriers, int band = 1,
                               double delta = 1.0);

// The paper's eq 24 for the conduction band, S/cm, paired mu, T:
//   sigma = sigma0 exp(-(Ea + Et)/kT) / (1 + 2 exp(-Ea/kT)),
//   sigma0 = n0 (z e)^2 tau a^2 U_A^2 / (|dU0| hbar^2),
// Et = E_c - mu below the band (quasi-ion) and mu - E_v above it (quasi-vacancy), with
// E_c = Ubar0 + |dU0| and E_v = Ubar0 + S_0 as printed below eq 24. Throws InvalidArgument
// for mu inside the band, where the semiconducting form does not apply.
Eigen::ArrayXd conductivity_eq24(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                 const Eigen::Ref<const Eigen::ArrayXd>& T,
                                 const transport::Carriers& carriers, double Ea_BA);

// Eq 30 over the Brillouin zone: the closed-form bands and slopes on the midpoint grid
// k_j = (-pi + 2 pi (j + 1/2)/nk)/a are computed once and sorted once
// (transport::FermiWindowSum); any number of (mu, T) pairs is then evaluated in parallel.
class ChainBoltzmann {
 public:
  // bands: which bands carry current ({0}, {1} or {0, 1}; empty = both).
  ChainBoltzmann(const Chain& c, int nk, const std::vector<int>& bands,
                 const transport::Carriers& carriers, const Execution& exec = {});

  // sigma(mu[i], T[i]) in S/cm.
  Eigen::ArrayXd operator()(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                            const Eigen::Ref<const Eigen::ArrayXd>& T,
                            const Execution& exec = {}) const;

  int nk() const { return nk_; }

  // sigma, Seebeck coefficient, heat conductivity and Lorenz ratio at the pairs (mu[i], T[i])
  // from the same states (transport::thermoelectric).
  transport::Thermoelectric thermoelectric(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                           const Eigen::Ref<const Eigen::ArrayXd>& T,
                                           const Execution& exec = {}) const;

 private:
  int nk_;
  double prefactor_;
  transport::Carriers carriers_;
  transport::FermiWindowSum sum_;
};

// A k-point count for eq 30 that resolves the Fermi window at the lowest temperature:
// meanfield::bz_points(band width, k_B T_min) with 32 points per kT, clamped to
// [2048, 2^20].
int default_nk(const Chain& c, double T_min);

}  // namespace quasiion::interstitial
