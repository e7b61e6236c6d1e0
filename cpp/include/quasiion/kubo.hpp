// Kubo-Greenwood conductivity of a real-space supercell (beyond the paper: the conductivity
// of disordered supercells, not only their gap E_t).
//
// Model: a lattice::Lattice read as a supercell; the quasi-ion hops t_ij(R) from orbital i
// to orbital j in the cell at offset R. Periodic supercells are sampled at Bloch vectors k
// (k = 0 alone, or several); an open supercell has no R != 0 hoppings (k then drops out).
//
// Position gauge: H_ij(k) = eps_i delta_ij + sum_bonds t e^{i k.d} (+ h.c.) with the bond
// vector d = r_j + R.A - r_i (Angstrom), not the cell offset alone, so that the current
// operator is the physical one, J = (z e / hbar) dH/dk along the unit direction u:
//     (dH/dk)_ij = sum_bonds i (u.d) t e^{i k.d} (+ h.c.),  eV*Angstrom.
//
// DC conductivity with a Lorentzian broadening eta = hbar/tau (tau the relaxation time of
// section 3.1):
//     sigma(mu, T) = C < sum_{m,n} |M_mn|^2 F_mn L_eta(E_m - E_n) >_k,
//     M = U^dagger (dH/dk) U,  F_mn = (f(E_n) - f(E_m)) / (E_m - E_n)  (-f'(E_n) at m = n),
//     L_eta(x) = (eta/pi) / (x^2 + eta^2),  C = z^2 pi e 1e-16 / (hbar[eV s] V[cm^3]) S/cm
// (M in eV*Angstrom, F and L in 1/eV). F_mn >= 0, so sigma >= 0. For a perfect periodic chain
// the m = n and degenerate (k, -k) terms give exactly eq 30 on the supercell's k-grid with
// the same tau (L_eta(0) = tau / (pi hbar)); the interband remainder vanishes as eta -> 0.
//
// f-sum rule (exact for every realisation of an open supercell): with the broadened optical
// conductivity Re sigma(omega) = C sum_mn |M_mn|^2 F_mn L_eta(E_m - E_n - hbar omega), each
// Lorentzian integrating to 1 in energy,
//     int Re sigma d(hbar omega) = C sum_mn |M_mn|^2 F_mn = -C sum_n f(E_n) <n|T2|n>,
// T2_ij = sum_bonds (u.d)^2 t e^{i k.d} (+ h.c.) = -d^2H/dk^2: the "pi e^2/(2V) <-K>" sum rule
// of tight binding (for nearest-neighbour bonds of one length, T2 = d^2 x the hopping energy).
//
// Evaluation: per k the eigenpairs (HermitianSolver; at k = 0 with real hoppings and a narrow
// hopping graph the O(n^2 kd) route of banded_solver.hpp) and P_mn = |M_mn|^2 are computed once
// (peak memory three dense N x N complex matrices); the (mu, T) pairs are then evaluated
// together: pairs closer than 1e-3 kT_min in energy (degenerate and near-degenerate) with a
// cancellation-free closed form of F_mn, all others as 2 sum F o (B G) with
// B_mn = P_mn L_eta / (E_n - E_m), F_np = f, G_np = 1 - f, one matrix product per k (each
// column a pair; every term of a far pair keeps full relative accuracy, deep in the gap too).
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "quasiion/hermitian_solver.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/parallel.hpp"

namespace quasiion::kubo {

struct Options {
  Eigen::VectorXd direction;  // unit transport direction, length d (empty: the first axis)
  double eta = 0.0;           // Lorentzian half-width hbar/tau, eV (> 0)
  double volume_cm3 = 0.0;    // supercell volume, cm^3 (> 0)
  double charge_number = 1.0; // z
  // Eigenpairs of a real k = 0 supercell: automatic (the narrow-band route of banded_solver.hpp
  // when the hopping graph is narrow, e.g. a chain or ring; else dense), dense, or band (the
  // band route required: an error if it declines).
  enum class Eigen_route { automatic, dense, band } eigen_route = Eigen_route::automatic;
};

// Optional BLAS dgemm (reference Fortran convention, LP64, all arguments by pointer) for the
// two large real products of the k = 0 path (the current matrix and the (mu, T) sum). The
// Python module registers scipy's (scipy.linalg.cython_blas); without it Eigen's products are
// used. Not to be changed while a conductivity is being computed.
using dgemm_fn = void (*)(char* transa, char* transb, int* m, int* n, int* k, double* alpha,
                          double* a, int* lda, double* b, int* ldb, double* beta, double* c,
                          int* ldc);
void set_dgemm(dgemm_fn f);
bool has_dgemm();

// hbar / tau in eV for tau in s.
double broadening_from_tau(double tau_s);

// The prefactor C above, S/cm per (eV*Angstrom)^2 / eV^2.
double prefactor(const Options& opt);

// sigma(mu[i], T[i]) in S/cm (equal lengths), averaged over the rows of k (nk x d, 1/Angstrom)
// with weights (empty: uniform; otherwise >= 0, normalised here). Threads split the work of
// each k; results do not depend on the thread count.
Eigen::ArrayXd conductivity(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
                            const Eigen::Ref<const Eigen::ArrayXd>& k_weights, const Options& opt,
                            const Eigen::Ref<const Eigen::ArrayXd>& mu,
                            const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                            const Execution& exec = {},
                            const HermitianSolver& solver = default_hermitian_solver());

// Re sigma(omega) (S/cm) at one (mu, T) for the photon energies hbar*omega (eV), broadened as
// above (omega = 0 is the DC value).
Eigen::ArrayXd optical_conductivity(const lattice::Lattice& lat,
                                    const Eigen::Ref<const Eigen::MatrixXd>& k,
                                    const Eigen::Ref<const Eigen::ArrayXd>& k_weights,
                                    const Options& opt, double mu, double T_kelvin,
                                    const Eigen::Ref<const Eigen::ArrayXd>& hbar_omega,
                                    const Execution& exec = {},
                                    const HermitianSolver& solver = default_hermitian_solver());

// --- kernel polynomial method -----------------------------------------------------------
//
// For supercells too large for dense eigenpairs: sigma(E) = C Tr[V delta(E-H) V delta(E-H)]
// (the T = 0 Kubo-Greenwood form, V = dH/dk) with delta(E - H) expanded in n_moments
// Chebyshev polynomials of the rescaled sparse Hamiltonian with the Jackson kernel (energy
// resolution ~ pi * half-width of the spectrum / n_moments), the trace estimated with
// n_random random-phase vectors: Tr X ~ <r|X|r>. Then
// sigma(mu, T) = int (-df/dE)(E - mu) sigma(E) dE on the energy grid. Memory O(N):
// (6 + 2 * energy_batch) vectors of N complex numbers, energy_batch chosen to keep them within
// memory_bytes; each batch repeats the Chebyshev recursion.
struct KpmOptions {
  int n_moments = 256;
  int n_random = 8;
  int n_energies = 0;           // 0: 2 * n_moments points on the Chebyshev grid
  std::uint64_t seed = 1;
  double memory_bytes = 256e6;  // budget for the batch vectors
};

struct KpmResult {
  Eigen::ArrayXd energy;        // E grid, eV (ascending)
  Eigen::ArrayXd sigma_E;       // sigma(E), S/cm, mean over the random vectors
  Eigen::ArrayXXd sigma_E_samples;  // (n_random, n_energies): per random vector
  double resolution = 0.0;      // Jackson kernel width pi a / n_moments, eV
  double e_min = 0.0, e_max = 0.0;  // spectral bounds used (Gershgorin), eV
  int energy_batch = 0;
};

KpmResult kpm_sigma_E(const lattice::Lattice& lat, const Eigen::Ref<const Eigen::VectorXd>& k,
                      const Options& opt, const KpmOptions& kopt, const Execution& exec = {});

// sigma(mu, T) and its statistical error (standard error of the mean over the random vectors;
// 0 when n_random = 1) from a KpmResult, S/cm. Rows: pairs.
Eigen::ArrayXXd kpm_thermal_average(const KpmResult& r, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                    const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin);

}  // namespace quasiion::kubo
