// Boltzmann transport in the relaxation-time approximation (paper eq 30), vectorised over
// chemical potentials and temperatures.
//
// The expensive part, the band sampling, is done once: states are sorted by energy so that for
// any (mu, T) only the states inside the Fermi window are summed. The window is chosen
// around the state closest to mu and extends 50 kT beyond it on each side; every state outside
// contributes less than exp(-50) ~ 2e-22 of the largest term, so the truncation error is
// below N * 2e-22 relative (N = number of states), even with mu deep inside a gap.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"

namespace quasiion::transport {

// I(mu, kT) = sum_i w_i * (-df/dE)(E_i - mu, kT), with E, mu, kT in eV: the Fermi-window sum
// behind every Boltzmann transport coefficient. Units: [w] / eV.
class FermiWindowSum {
 public:
  // energies: E_i in eV; weights: w_i (any units, any sign), same length, both finite.
  FermiWindowSum(const Eigen::Ref<const Eigen::ArrayXd>& energies,
                 const Eigen::Ref<const Eigen::ArrayXd>& weights);

  double operator()(double mu, double kT) const;

  // Values on the grid mu (eV) x T (K): an array of shape (mu.size(), T.size()), computed in
  // parallel over mu.
  Eigen::ArrayXXd grid(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                       const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                       const Execution& exec = {}) const;

  // Values at the pairs (mu[i], T[i]) (equal lengths), in parallel.
  Eigen::ArrayXd pairs(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                       const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                       const Execution& exec = {}) const;

  Eigen::Index size() const { return static_cast<Eigen::Index>(energy_.size()); }

  // The moments of E - mu under the window weights p_i = w_i (-df/dE)(E_i - mu, kT), kept
  // exact deep in a gap: I(mu, kT) = m0 * exp(log_scale) (the largest -f' factored out so m0
  // never underflows), mean = sum p_i (E_i - mu) / sum p_i (eV) and
  // variance = sum p_i (E_i - mu - mean)^2 / sum p_i (eV^2, a second pass about the mean, no
  // cancellation). Same window as operator(); mean and variance are NaN when every weight in
  // the window is zero (I = 0).
  struct Moments {
    double log_scale = 0.0;
    double m0 = 0.0;
    double mean = 0.0;
    double variance = 0.0;
  };
  Moments moments(double mu, double kT) const;

 private:
  // Many mu at one temperature: the Boltzmann factors t_i = exp((E_i - c_b)/kT) relative to
  // the centre c_b of the energy block b holding E_i are computed once per temperature; each
  // mu then costs a multiply and two divisions per state in its window, no exp.
  struct Table;
  Table table(double kT) const;
  double evaluate(const Table& tab, double mu) const;

  std::vector<double> energy_;  // ascending
  std::vector<double> weight_;  // matching energy_
};

// The thermoelectric coefficients from the moments L_n = (ze)^2 n0 tau <v^2 (E - mu)^n (-f')>:
// sigma = L0 (S/cm), Seebeck S = L1 / (z e T L0) (V/K; positive for carriers above mu when
// z > 0), kappa = (L2 - L1^2/L0) / ((ze)^2 T) (W/(cm K), the heat current per temperature
// gradient at zero particle current) and the Lorenz ratio kappa / (sigma T) (V^2/K^2).
// Written with the window moments: S = mean / (z T), kappa = sigma variance / (z^2 T),
// Lorenz = variance / (z T)^2, so S and the Lorenz ratio stay exact even where sigma
// underflows. log_sigma = ln(sigma / (S/cm)).
struct Carriers;

struct Thermoelectric {
  Eigen::ArrayXd sigma, log_sigma, seebeck, kappa, lorenz;
};

// At the pairs (mu[i], T[i]) (eV, K; equal lengths) from a window sum whose weights are
// v^2 / N in (m/s)^2 and the conductivity prefactor of `carriers`, in parallel.
Thermoelectric thermoelectric(const FermiWindowSum& sum, const Carriers& carriers,
                              const Eigen::Ref<const Eigen::ArrayXd>& mu,
                              const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                              const Execution& exec = {});

// The charge carriers of the Boltzmann/Drude conductivity.
struct Carriers {
  double tau_s = 0.0;          // relaxation time, s
  double n0_per_cm3 = 0.0;     // site density that n_c and the band integral refer to, cm^-3
  double charge_number = 1.0;  // z
};

// sigma [S/cm] = z^2 e n0 tau <v^2 (-df/dE)> for <v^2 (-df/dE)> given in (m/s)^2 / eV.
double conductivity_prefactor(const Carriers& c);

// Group velocity in m/s from dE/dk in eV*Angstrom.
double velocity_from_slope(double dEdk_eV_A);

}  // namespace quasiion::transport
