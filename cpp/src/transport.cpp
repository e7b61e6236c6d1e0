#include "quasiion/transport.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "quasiion/constants.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::transport {

namespace {
constexpr double kWindow = 50.0;  // half-width of the Fermi window beyond the nearest state, in kT
}

FermiWindowSum::FermiWindowSum(const Eigen::Ref<const Eigen::ArrayXd>& energies,
                               const Eigen::Ref<const Eigen::ArrayXd>& weights) {
  validate::non_empty("energies", energies.size());
  validate::same_size("energies", energies.size(), "weights", weights.size());
  validate::all_finite("energies", energies);
  validate::all_finite("weights", weights);
  const std::size_t n = static_cast<std::size_t>(energies.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return energies[a] < energies[b]; });
  energy_.resize(n);
  weight_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    energy_[i] = energies[order[i]];
    weight_[i] = weights[order[i]];
  }
}

double FermiWindowSum::operator()(double mu, double kT) const {
  validate::finite("mu", mu);
  validate::positive("kT", kT);
  // Distance from mu to the nearest state sets the largest term; sum everything within
  // kWindow kT of that distance.
  const auto it = std::lower_bound(energy_.begin(), energy_.end(), mu);
  double nearest = std::numeric_limits<double>::infinity();
  if (it != energy_.end()) nearest = std::min(nearest, *it - mu);
  if (it != energy_.begin()) nearest = std::min(nearest, mu - *(it - 1));
  const double reach = nearest + kWindow * kT;
  const auto first = std::lower_bound(energy_.begin(), energy_.end(), mu - reach);
  const auto last = std::upper_bound(energy_.begin(), energy_.end(), mu + reach);
  // The largest term may be below the smallest normal double (mu thousands of kT into a
  // gap); factor it out so the sum stays representable relative to it, then put it back.
  const double x0 = nearest / kT;
  double sum = 0.0;
  for (auto p = first; p != last; ++p) {
    const std::size_t i = static_cast<std::size_t>(p - energy_.begin());
    const double x = std::fabs(energy_[i] - mu) / kT;
    // -f'(x) = e^{-x} / (1 + e^{-x})^2, written relative to e^{-x0}.
    const double e = std::exp(-x);
    const double d = 1.0 + e;
    sum += weight_[i] * std::exp(-(x - x0)) / (d * d);
  }
  return sum * std::exp(-x0) / kT;
}

Eigen::ArrayXXd FermiWindowSum::grid(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                     const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                     const Execution& exec) const {
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  Eigen::ArrayXXd out(mu.size(), T_kelvin.size());
  parallel_for(
      static_cast<std::size_t>(mu.size()),
      [&](std::size_t i) {
        for (Eigen::Index j = 0; j < T_kelvin.size(); ++j)
          out(static_cast<Eigen::Index>(i), j) =
              (*this)(mu[static_cast<Eigen::Index>(i)], constants::kT_eV(T_kelvin[j]));
      },
      exec);
  return out;
}

double conductivity_prefactor(const Carriers& c) {
  validate::non_negative("tau", c.tau_s);
  validate::positive("n0", c.n0_per_cm3);
  validate::finite("charge_number", c.charge_number);
  // (z e)^2 n0 tau v^2 (-df/dE [1/J]) with -df/dE [1/J] = -df/dE [1/eV] / e; n0 in m^-3.
  const double sigma_SI = c.charge_number * c.charge_number * constants::elementary_charge *
                          (c.n0_per_cm3 * 1e6) * c.tau_s;
  return sigma_SI * 1e-2;  // S/m -> S/cm
}

double velocity_from_slope(double dEdk_eV_A) {
  return dEdk_eV_A * constants::angstrom_m / constants::hbar_eVs;
}

}  // namespace quasiion::transport
