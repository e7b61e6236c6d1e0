#include "quasiion/transport.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "quasiion/constants.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::transport {

namespace {
constexpr double kWindow = 50.0;  // half-width of the Fermi window beyond the nearest state, in kT
// Tables: blocks at most 2 * kBlockHalf kT wide, so t_i lies in [e^-100, e^100]; a window that
// reaches further than kTableReach kT from mu falls back to the direct sum, so that the block
// scale factors exp((c_b - mu)/kT) stay within e^+-400 and y = exp((E - mu)/kT) within
// e^+-300, where (1 + y)^2 is still a finite double.
constexpr double kBlockHalf = 100.0;
constexpr double kTableReach = 300.0;
constexpr std::size_t kChunk = 256;  // terms evaluated into a buffer (vectorisable), then summed

struct Window {
  std::size_t first, last;  // state indices [first, last)
  double nearest;           // distance from mu to the nearest state, eV
  double reach;             // half-width of the window, eV
};

Window window(const std::vector<double>& e, double mu, double kT) {
  // Distance from mu to the nearest state sets the largest term; sum everything within
  // kWindow kT of that distance.
  const auto it = std::lower_bound(e.begin(), e.end(), mu);
  double nearest = std::numeric_limits<double>::infinity();
  if (it != e.end()) nearest = std::min(nearest, *it - mu);
  if (it != e.begin()) nearest = std::min(nearest, mu - *(it - 1));
  const double reach = nearest + kWindow * kT;
  const auto first = std::lower_bound(e.begin(), e.end(), mu - reach);
  const auto last = std::upper_bound(e.begin(), e.end(), mu + reach);
  return {static_cast<std::size_t>(first - e.begin()), static_cast<std::size_t>(last - e.begin()),
          nearest, reach};
}
}  // namespace

struct FermiWindowSum::Table {
  double kT;
  std::vector<std::size_t> start;  // first state of each block, ascending
  std::vector<double> centre;      // c_b, eV
  std::vector<double> factor;      // t_i = exp((E_i - c_b)/kT), per state
};

FermiWindowSum::FermiWindowSum(const Eigen::Ref<const Eigen::ArrayXd>& energies,
                               const Eigen::Ref<const Eigen::ArrayXd>& weights) {
  validate::non_empty("energies", energies.size());
  validate::same_size("energies", energies.size(), "weights", weights.size());
  validate::all_finite("energies", energies);
  validate::all_finite("weights", weights);
  const std::size_t n = static_cast<std::size_t>(energies.size());
  // Sorting (energy, weight) pairs in place is cache-friendly, unlike an index sort.
  std::vector<std::pair<double, double>> states(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto q = static_cast<Eigen::Index>(i);
    states[i] = {energies[q], weights[q]};
  }
  std::sort(states.begin(), states.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  energy_.resize(n);
  weight_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    energy_[i] = states[i].first;
    weight_[i] = states[i].second;
  }
}

double FermiWindowSum::operator()(double mu, double kT) const {
  validate::finite("mu", mu);
  validate::positive("kT", kT);
  const Window w = window(energy_, mu, kT);
  // The largest term may be below the smallest normal double (mu thousands of kT into a
  // gap); factor it out so the sum stays representable relative to it, then put it back.
  const double x0 = w.nearest / kT;
  const double ex0 = std::exp(-x0);
  double sum = 0.0;
  for (std::size_t i = w.first; i < w.last; ++i) {
    // -f'(x) = e^{-x} / (1 + e^{-x})^2 with x = |E - mu|/kT >= x0, written relative to e^{-x0}.
    const double rel = std::exp(-(std::fabs(energy_[i] - mu) / kT - x0));
    const double d = 1.0 + rel * ex0;
    sum += weight_[i] * rel / (d * d);
  }
  return sum * ex0 / kT;
}

FermiWindowSum::Moments FermiWindowSum::moments(double mu, double kT) const {
  validate::finite("mu", mu);
  validate::positive("kT", kT);
  const Window w = window(energy_, mu, kT);
  const double x0 = w.nearest / kT;
  const double ex0 = std::exp(-x0);
  // Relative window factors as in operator(): -f' / (e^{-x0}/kT).
  auto rel = [&](std::size_t i) {
    const double r = std::exp(-(std::fabs(energy_[i] - mu) / kT - x0));
    const double d = 1.0 + r * ex0;
    return weight_[i] * r / (d * d);
  };
  double s0 = 0.0, s1 = 0.0;
  for (std::size_t i = w.first; i < w.last; ++i) {
    const double p = rel(i);
    s0 += p;
    s1 += p * (energy_[i] - mu);
  }
  Moments m;
  m.log_scale = -x0 - std::log(kT);
  m.m0 = s0;
  if (s0 == 0.0) {
    m.mean = m.variance = std::numeric_limits<double>::quiet_NaN();
    return m;
  }
  m.mean = s1 / s0;
  double s2 = 0.0;
  for (std::size_t i = w.first; i < w.last; ++i) {
    const double dev = energy_[i] - mu - m.mean;
    s2 += rel(i) * dev * dev;
  }
  m.variance = s2 / s0;
  return m;
}

Thermoelectric thermoelectric(const FermiWindowSum& sum, const Carriers& carriers,
                              const Eigen::Ref<const Eigen::ArrayXd>& mu,
                              const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                              const Execution& exec) {
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  const double pref = conductivity_prefactor(carriers);
  if (carriers.charge_number == 0.0) validate::fail("charge_number", "0", "non-zero");
  const double z = carriers.charge_number;
  const Eigen::Index n = mu.size();
  Thermoelectric out;
  out.sigma.resize(n);
  out.log_sigma.resize(n);
  out.seebeck.resize(n);
  out.kappa.resize(n);
  out.lorenz.resize(n);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t i) {
        const auto q = static_cast<Eigen::Index>(i);
        const double T = T_kelvin[q];
        const auto m = sum.moments(mu[q], constants::kT_eV(T));
        const double log_sigma = std::log(pref * m.m0) + m.log_scale;
        const double sigma = std::exp(log_sigma);
        out.sigma[q] = sigma;
        out.log_sigma[q] = log_sigma;
        // Energies in eV over a charge z e give volts directly.
        out.seebeck[q] = m.mean / (z * T);
        out.lorenz[q] = m.variance / (z * z * T * T);
        out.kappa[q] = sigma * out.lorenz[q] * T;
      },
      exec);
  return out;
}

FermiWindowSum::Table FermiWindowSum::table(double kT) const {
  Table tab;
  tab.kT = kT;
  const std::size_t n = energy_.size();
  tab.factor.resize(n);
  for (std::size_t i = 0; i < n;) {
    const double c = energy_[i] + kBlockHalf * kT;
    tab.start.push_back(i);
    tab.centre.push_back(c);
    for (; i < n && energy_[i] <= c + kBlockHalf * kT; ++i)
      tab.factor[i] = std::exp((energy_[i] - c) / kT);
  }
  return tab;
}

double FermiWindowSum::evaluate(const Table& tab, double mu) const {
  const double kT = tab.kT;
  const Window w = window(energy_, mu, kT);
  if (w.reach > kTableReach * kT) return (*this)(mu, kT);
  std::size_t b = static_cast<std::size_t>(
      std::upper_bound(tab.start.begin(), tab.start.end(), w.first) - tab.start.begin() - 1);
  double sum = 0.0;
  for (; b < tab.start.size() && tab.start[b] < w.last; ++b) {
    const double s = std::exp((tab.centre[b] - mu) / kT);
    const std::size_t end = b + 1 < tab.start.size() ? tab.start[b + 1] : energy_.size();
    const std::size_t lo = std::max(w.first, tab.start[b]), hi = std::min(w.last, end);
    double buf[kChunk];
    for (std::size_t c0 = lo; c0 < hi; c0 += kChunk) {
      const std::size_t m = std::min(kChunk, hi - c0);
      const double* t = tab.factor.data() + c0;
      const double* wt = weight_.data() + c0;
      // y = exp((E_i - mu)/kT); -f' = y / (1 + y)^2. A plain map the compiler vectorises.
      for (std::size_t i = 0; i < m; ++i) {
        const double y = t[i] * s;
        const double d = 1.0 + y;
        buf[i] = wt[i] * y / (d * d);
      }
      double acc[4] = {0.0, 0.0, 0.0, 0.0};
      std::size_t i = 0;
      for (; i + 4 <= m; i += 4)
        for (int r = 0; r < 4; ++r) acc[r] += buf[i + r];
      for (; i < m; ++i) acc[0] += buf[i];
      sum += (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }
  }
  return sum / kT;
}

Eigen::ArrayXXd FermiWindowSum::grid(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                     const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                     const Execution& exec) const {
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  Eigen::ArrayXXd out(mu.size(), T_kelvin.size());
  for (Eigen::Index j = 0; j < T_kelvin.size(); ++j) {
    const Table tab = table(constants::kT_eV(T_kelvin[j]));
    parallel_for(
        static_cast<std::size_t>(mu.size()),
        [&](std::size_t i) {
          const auto q = static_cast<Eigen::Index>(i);
          out(q, j) = evaluate(tab, mu[q]);
        },
        exec);
  }
  return out;
}

Eigen::ArrayXd FermiWindowSum::pairs(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                     const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                     const Execution& exec) const {
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  // Group the pairs by temperature: a table pays off once a temperature has a few mu.
  std::vector<Eigen::Index> order(static_cast<std::size_t>(mu.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return T_kelvin[a] < T_kelvin[b]; });
  Eigen::ArrayXd out(mu.size());
  for (std::size_t g = 0; g < order.size();) {
    std::size_t h = g;
    while (h < order.size() && T_kelvin[order[h]] == T_kelvin[order[g]]) ++h;
    const double kT = constants::kT_eV(T_kelvin[order[g]]);
    if (h - g >= 4) {
      const Table tab = table(kT);
      parallel_for(h - g, [&](std::size_t i) { out[order[g + i]] = evaluate(tab, mu[order[g + i]]); },
                   exec);
    } else {
      parallel_for(h - g, [&](std::size_t i) { out[order[g + i]] = (*this)(mu[order[g + i]], kT); },
                   exec);
    }
    g = h;
  }
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
