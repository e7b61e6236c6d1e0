#include "quasiion/interstitial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "quasiion/constants.hpp"
#include "quasiion/meanfield.hpp"
#include "quasiion/roots.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::interstitial {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void check_band(const std::string& name, int band) {
  if (band != 0 && band != 1) validate::fail(name, std::to_string(band), "0 (lower) or 1 (upper)");
}

void check_k(const Eigen::Ref<const Eigen::ArrayXd>& k) {
  validate::non_empty("k", k.size());
  validate::all_finite("k", k);
}

// S_k = sqrt(dU0^2 + |J0|^2 cos^2(ka/2)), computed as hypot for range safety.
inline double S_of(const Chain& c, double k) {
  return std::hypot(c.delta(), std::fabs(c.J0) * std::cos(0.5 * k * c.a));
}

Execution chunked(const Execution& exec) {
  Execution e = exec;  // keeps the cancellation and progress hooks
  e.min_items_per_thread = std::max<std::size_t>(exec.min_items_per_thread, 4096);
  return e;
}

// hbar^2 in eV * amu * Angstrom^2: m* [amu] = hbar2_amu / curvature [eV A^2].
double hbar2_eV_amu_A2() {
  const double hbar_Js = constants::hbar_eVs * constants::elementary_charge;
  return hbar_Js * hbar_Js / (constants::elementary_charge * constants::amu_kg *
                              constants::angstrom_m * constants::angstrom_m);
}

}  // namespace

void check(const Chain& c) {
  validate::finite("U_A", c.U_A);
  validate::finite("U_B", c.U_B);
  validate::finite("J0", c.J0);
  validate::positive("a", c.a);
}

lattice::Lattice to_lattice(const Chain& c) {
  check(c);
  Eigen::MatrixXd vectors(1, 1);
  vectors << c.a;
  Eigen::MatrixXd positions(2, 1);
  positions << 0.5 * c.a, 0.0;
  Eigen::VectorXd onsite(2);
  onsite << c.U_A, c.U_B;
  std::vector<lattice::Hopping> hops(2);
  for (int r = 0; r < 2; ++r) {
    hops[static_cast<std::size_t>(r)].i = 0;
    hops[static_cast<std::size_t>(r)].j = 1;
    hops[static_cast<std::size_t>(r)].R = Eigen::VectorXi::Constant(1, r);
    hops[static_cast<std::size_t>(r)].t = 0.5 * c.J0;
  }
  return lattice::Lattice(vectors, positions, onsite, hops);
}

Eigen::ArrayXXd bands(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k, const Execution& exec) {
  check(c);
  check_k(k);
  Eigen::ArrayXXd out(k.size(), 2);
  const double m = c.mean();
  parallel_for(
      static_cast<std::size_t>(k.size()),
      [&](std::size_t i) {
        const Eigen::Index q = static_cast<Eigen::Index>(i);
        const double S = S_of(c, k[q]);
        out(q, 0) = m - S;
        out(q, 1) = m + S;
      },
      chunked(exec));
  return out;
}

Eigen::ArrayXXd slopes(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k, const Execution& exec) {
  check(c);
  check_k(k);
  Eigen::ArrayXXd out(k.size(), 2);
  const double J2 = c.J0 * c.J0;
  parallel_for(
      static_cast<std::size_t>(k.size()),
      [&](std::size_t i) {
        const Eigen::Index q = static_cast<Eigen::Index>(i);
        const double S = S_of(c, k[q]);
        const double s = S > 0.0 ? J2 * c.a * std::sin(k[q] * c.a) / (4.0 * S) : 0.0;
        out(q, 0) = s;
        out(q, 1) = -s;
      },
      chunked(exec));
  return out;
}

Eigen::ArrayXXd site_A_weights(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& k,
                               const Execution& exec) {
  check(c);
  check_k(k);
  Eigen::ArrayXXd out(k.size(), 2);
  const double d = c.delta();
  const double aJ = std::fabs(c.J0);
  parallel_for(
      static_cast<std::size_t>(k.size()),
      [&](std::size_t i) {
        const Eigen::Index q = static_cast<Eigen::Index>(i);
        // Minority weight |h|^2 / (2 S (S + |dU0|)) = (1 - |dU0|/S)/2 without cancellation.
        const double h = aJ * std::cos(0.5 * k[q] * c.a);
        const double S = std::hypot(d, h);
        const double minority = S > 0.0 ? 0.5 * (h / S) * (h / (S + std::fabs(d))) : 0.5;
        // U_A < U_B (dU0 < 0): the upper band lives on B, so its A weight is the minority.
        out(q, 1) = d < 0.0 ? minority : 1.0 - minority;
        out(q, 0) = 1.0 - out(q, 1);
      },
      chunked(exec));
  return out;
}

// --- band edges --------------------------------------------------------------------------

namespace {

struct BandProbe {
  lattice::Lattice lat;
  int band;
  double energy(double k) const {
    lattice::BandOptions o;
    Eigen::MatrixXd kk(1, 1);
    kk(0, 0) = k;
    return lattice::solve_bands(lat, kk, o, Execution{1}).energies(0, band);
  }
  double velocity(double k) const {
    lattice::BandOptions o;
    o.velocities = true;
    Eigen::MatrixXd kk(1, 1);
    kk(0, 0) = k;
    return lattice::solve_bands(lat, kk, o, Execution{1}).velocities(0, band);
  }
};

}  // namespace

BandEdge band_edge(const Chain& c, int band, bool minimum) {
  check(c);
  check_band("band", band);
  const BandProbe probe{to_lattice(c), band};
  const double kz = M_PI / c.a;  // zone boundary
  // Sample the half zone [0, pi/a] (bands are even in k); pick the extremal sample.
  const int ns = 256;
  lattice::BandOptions o;
  Eigen::MatrixXd ks(ns + 1, 1);
  for (int j = 0; j <= ns; ++j) ks(j, 0) = kz * j / ns;
  const Eigen::ArrayXXd e = lattice::solve_bands(probe.lat, ks, o, Execution{1}).energies;
  const double sgn = minimum ? 1.0 : -1.0;
  int jbest = 0;
  for (int j = 1; j <= ns; ++j)
    if (sgn * e(j, band) < sgn * e(jbest, band)) jbest = j;
  // Refine: the velocity vanishes at an interior extremum; at k = 0 and pi/a it vanishes by
  // symmetry (bands are even and 2pi/a-periodic).
  double kstar = ks(jbest, 0);
  if (jbest > 0 && jbest < ns) {
    const double lo = ks(jbest - 1, 0), hi = ks(jbest + 1, 0);
    const auto v = [&](double k) { return probe.velocity(k); };
    if ((v(lo) > 0.0) != (v(hi) > 0.0)) kstar = roots::brent(v, lo, hi);
  }
  // Curvature: central differences of the Hellmann-Feynman velocity, Richardson-extrapolated,
  // halving h until two successive estimates agree.
  const double scale = (std::fabs(c.J0) * std::fabs(c.J0) + 1e-300) * c.a * c.a /
                       (std::fabs(c.delta()) + std::fabs(c.J0) + 1e-300);
  const auto diff = [&](double h) {
    return (probe.velocity(kstar + h) - probe.velocity(kstar - h)) / (2.0 * h);
  };
  double h = 0.05 / c.a;
  double prev = diff(h);
  double curv = std::numeric_limits<double>::quiet_NaN();
  bool ok = false;
  std::vector<double> history{prev};
  for (int it = 0; it < 30; ++it) {
    h *= 0.5;
    const double cur = diff(h);
    const double rich = (4.0 * cur - prev) / 3.0;
    history.push_back(cur);
    if (std::fabs(cur - prev) <= 1e-6 * std::fabs(cur) + 1e-13 * scale) {
      curv = rich;
      ok = true;
      break;
    }
    prev = cur;
  }
  if (!ok)
    validate::fail("band edge", "band " + std::to_string(band) + (minimum ? " minimum" : " maximum") +
                                    " at k = " + validate::format_value(kstar),
                   "parabolic (the curvature diverges: a linear band crossing, dU0 = 0?)");
  if (std::fabs(curv) <= 1e-10 * scale) curv = 0.0;
  BandEdge out;
  out.band = band;
  out.minimum = minimum;
  out.k = kstar;
  out.energy = probe.energy(kstar);
  out.curvature = curv;
  out.mass = curv == 0.0 ? kInf : hbar2_eV_amu_A2() / std::fabs(curv);
  return out;
}

std::vector<BandEdge> band_edges(const Chain& c) {
  return {band_edge(c, 0, true), band_edge(c, 0, false), band_edge(c, 1, true), band_edge(c, 1, false)};
}

BandEdge nearest_edge(const Chain& c, double mu, int band) {
  check(c);
  validate::finite("mu", mu);
  if (band != -1) check_band("band", band);
  // Edge energies are known in closed form; only the chosen edge is refined numerically.
  const double m = c.mean(), ad = std::fabs(c.delta());
  const double S0 = std::hypot(c.delta(), c.J0);
  struct Cand { int band; bool minimum; double e; };
  const Cand cands[4] = {{0, true, m - S0}, {0, false, m - ad}, {1, true, m + ad}, {1, false, m + S0}};
  int best = -1, lowest = -1, highest = -1;
  for (int i = 0; i < 4; ++i) {
    if (band != -1 && cands[i].band != band) continue;
    if (best < 0 || std::fabs(cands[i].e - mu) < std::fabs(cands[best].e - mu)) best = i;
    if (lowest < 0 || cands[i].e < cands[lowest].e) lowest = i;
    if (highest < 0 || cands[i].e >= cands[highest].e) highest = i;
  }
  // Outside the spectrum the outermost edge on mu's side is the nearest; decided by order,
  // not by |e - mu|, which rounds to a tie for every edge when |mu| >> the band width.
  if (mu >= cands[highest].e) best = highest;
  if (mu <= cands[lowest].e) best = lowest;
  return band_edge(c, cands[best].band, cands[best].minimum);
}

double curvature_closed_form(const Chain& c, int band, bool minimum) {
  check(c);
  check_band("band", band);
  const double J2a2 = c.J0 * c.J0 * c.a * c.a;
  const bool boundary = (band == 1) == minimum;  // upper min / lower max sit at k = pi/a
  if (boundary) {
    const double ad = std::fabs(c.delta());
    if (ad == 0.0) validate::fail("U_A - U_B", "0", "non-zero for a parabolic edge at k = pi/a");
    return (minimum ? 1.0 : -1.0) * J2a2 / (4.0 * ad);
  }
  const double S0 = std::hypot(c.delta(), c.J0);
  if (S0 == 0.0) return 0.0;
  return (minimum ? 1.0 : -1.0) * J2a2 / (4.0 * S0);
}

double curvature_eq21(const Chain& c) {
  check(c);
  const double S0 = std::hypot(c.delta(), c.J0);
  return S0 == 0.0 ? 0.0 : c.J0 * c.J0 * c.a * c.a / S0;
}

// --- relaxation time, diffusivity ------------------------------------------------------

double relaxation_time(double mass_amu, double a, double Ea_BA) {
  validate::positive("mass", mass_amu);
  validate::positive("a", a);
  validate::positive("Ea_BA", Ea_BA);
  const double m = mass_amu * constants::amu_kg;
  const double am = a * constants::angstrom_m;
  const double E = Ea_BA * constants::elementary_charge;
  return std::sqrt(m * am * am / (2.0 * E));
}

double drude_diffusivity(double T, double tau, double mass_amu) {
  validate::positive("T", T);
  validate::non_negative("tau", tau);
  if (!(mass_amu > 0.0)) validate::fail("mass", validate::format_value(mass_amu), "> 0");
  if (std::isinf(mass_amu)) return 0.0;
  // kT [J] tau [s] / m [kg] = m^2/s -> cm^2/s.
  const double kT_J = constants::kT_eV(T) * constants::elementary_charge;
  return kT_J * tau / (mass_amu * constants::amu_kg) * 1e4;
}

double diffusivity_from_curvature(double T, double tau, double curvature) {
  validate::positive("T", T);
  validate::non_negative("tau", tau);
  validate::finite("curvature", curvature);
  // kT [eV] tau [s] |E''| [eV A^2] / hbar^2 [eV^2 s^2] = A^2/s -> cm^2/s.
  const double h = constants::hbar_eVs;
  return constants::kT_eV(T) * tau * std::fabs(curvature) / (h * h) * 1e-16;
}

double diffusivity_eq22(const Chain& c, double T, double tau, double Ea_BA) {
  check(c);
  validate::positive("T", T);
  validate::non_negative("tau", tau);
  validate::positive("Ea_BA", Ea_BA);
  const double ad = std::fabs(c.delta());
  if (ad == 0.0) validate::fail("U_A - U_B", "0", "non-zero in eq 22");
  const double kT = constants::kT_eV(T);
  const double x = std::exp(-Ea_BA / kT);
  const double h = constants::hbar_eVs;
  return std::sqrt(2.0) * kT * c.U_A * c.U_A * tau * c.a * c.a / (ad * h * h) * x / (1.0 + 2.0 * x) *
         1e-16;
}

// --- conductivity ----------------------------------------------------------------------

namespace {

void check_pairs(const Eigen::Ref<const Eigen::ArrayXd>& mu, const Eigen::Ref<const Eigen::ArrayXd>& T) {
  validate::non_empty("mu", mu.size());
  validate::same_size("mu", mu.size(), "T", T.size());
  validate::all_finite("mu", mu);
  validate::all_positive("T", T);
}

// (z e)^2 / m [kg] * tau: multiply by n_c [cm^-3] for S/cm.
double ne_factor(const transport::Carriers& c, double mass_amu) {
  if (std::isinf(mass_amu)) return 0.0;
  const double e = constants::elementary_charge;
  // (z e)^2 tau n_c[m^-3] / m = S/m; n_c [cm^-3] * 1e6 -> m^-3; S/m * 1e-2 -> S/cm.
  return c.charge_number * c.charge_number * e * e * c.tau_s / (mass_amu * constants::amu_kg) * 1e6 *
         1e-2;
}

}  // namespace

Eigen::ArrayXd nernst_einstein(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                               const Eigen::Ref<const Eigen::ArrayXd>& T,
                               const transport::Carriers& carriers, int band, double delta) {
  check(c);
  check_band("band", band);
  check_pairs(mu, T);
  validate::non_negative("tau", carriers.tau_s);
  validate::positive("n0", carriers.n0_per_cm3);
  validate::finite("z", carriers.charge_number);
  validate::positive("delta", delta);
  const BandEdge lo = band_edge(c, band, true);
  const BandEdge hi = band_edge(c, band, false);
  const double f_lo = ne_factor(carriers, lo.mass), f_hi = ne_factor(carriers, hi.mass);
  const double kz = M_PI / c.a;
  Eigen::ArrayXd out(mu.size());
  for (Eigen::Index i = 0; i < mu.size(); ++i) {
    const double kT = constants::kT_eV(T[i]);
    const double m = mu[i];
    if (m <= lo.energy) {
      out[i] = f_lo * carriers.n0_per_cm3 * std::exp(-(lo.energy - m) / kT);
    } else if (m >= hi.energy) {
      out[i] = f_hi * carriers.n0_per_cm3 * std::exp(-(m - hi.energy) / kT);
    } else {
      // k in (0, pi/a) where the band crosses mu (the band is monotonic on the half zone).
      const double sgn = band == 1 ? 1.0 : -1.0;
      const auto g = [&](double k) { return c.mean() + sgn * S_of(c, k) - m; };
      const double kx = roots::brent(g, 0.0, kz);
      const double S = S_of(c, kx);
      const double slope = S > 0.0 ? c.J0 * c.J0 * c.a * std::fabs(std::sin(kx * c.a)) / (4.0 * S) : 0.0;
      const double dos = slope > 0.0 ? c.a / (M_PI * slope) : kInf;  // 1/eV per cell
      const double f = (m - lo.energy) <= (hi.energy - m) ? f_lo : f_hi;
      out[i] = f * carriers.n0_per_cm3 * dos * delta * kT;
    }
  }
  return out;
}

Eigen::ArrayXd conductivity_eq24(const Chain& c, const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                 const Eigen::Ref<const Eigen::ArrayXd>& T,
                                 const transport::Carriers& carriers, double Ea_BA) {
  check(c);
  check_pairs(mu, T);
  validate::positive("Ea_BA", Ea_BA);
  validate::non_negative("tau", carriers.tau_s);
  validate::positive("n0", carriers.n0_per_cm3);
  validate::finite("z", carriers.charge_number);
  const double ad = std::fabs(c.delta());
  if (ad == 0.0) validate::fail("U_A - U_B", "0", "non-zero in eq 24");
  const double e = constants::elementary_charge;
  const double h = constants::hbar_eVs * e;  // J s
  const double am = c.a * constants::angstrom_m;
  const double UA = c.U_A * e, dU = ad * e;
  // n0 (z e)^2 tau a^2 U_A^2 / (|dU0| hbar^2): n0 in m^-3 -> S/m, then S/cm.
  const double sigma0 = carriers.n0_per_cm3 * 1e6 * carriers.charge_number * carriers.charge_number * e * e *
                        carriers.tau_s * am * am * UA * UA / (dU * h * h) * 1e-2;
  const double Ec = c.mean() + ad, Ev = c.mean() + std::hypot(c.delta(), c.J0);
  Eigen::ArrayXd out(mu.size());
  for (Eigen::Index i = 0; i < mu.size(); ++i) {
    const double kT = constants::kT_eV(T[i]);
    double Et;
    if (mu[i] <= Ec)
      Et = Ec - mu[i];
    else if (mu[i] >= Ev)
      Et = mu[i] - Ev;
    else  // eq 24 is the semiconducting form: it has no value with mu inside the band
      validate::fail("mu[" + std::to_string(i) + "]", validate::format_value(mu[i]),
                     "outside the conduction band (" + validate::format_value(Ec) + ", " +
                         validate::format_value(Ev) +
                         ") eV for eq 24, the semiconducting closed form; use the Boltzmann "
                         "conductivity (eq 30) inside the band");
    const double x = std::exp(-Ea_BA / kT);
    out[i] = sigma0 * std::exp(-(Ea_BA + Et) / kT) / (1.0 + 2.0 * x);
  }
  return out;
}

namespace {

transport::FermiWindowSum make_chain_sum(const Chain& c, int nk, const std::vector<int>& bands,
                                         const Execution& exec) {
  check(c);
  if (nk < 1) validate::fail("nk", std::to_string(nk), ">= 1");
  bool use[2] = {bands.empty(), bands.empty()};
  for (std::size_t s = 0; s < bands.size(); ++s) {
    check_band("bands[" + std::to_string(s) + "]", bands[s]);
    use[bands[s]] = true;
  }
  const int nb = static_cast<int>(use[0]) + static_cast<int>(use[1]);
  const Eigen::Index n = static_cast<Eigen::Index>(nk);
  Eigen::ArrayXd e(n * nb), w(n * nb);
  const double J2 = c.J0 * c.J0, m = c.mean(), inv_n = 1.0 / static_cast<double>(nk);
  parallel_for(
      static_cast<std::size_t>(nk),
      [&](std::size_t j) {
        const double k = (-M_PI + 2.0 * M_PI * (static_cast<double>(j) + 0.5) / nk) / c.a;
        const double S = S_of(c, k);
        const double slope = S > 0.0 ? J2 * c.a * std::sin(k * c.a) / (4.0 * S) : 0.0;
        const double v = transport::velocity_from_slope(slope);
        const double wt = v * v * inv_n;
        Eigen::Index p = static_cast<Eigen::Index>(j) * nb;
        if (use[0]) { e[p] = m - S; w[p] = wt; ++p; }
        if (use[1]) { e[p] = m + S; w[p] = wt; }
      },
      chunked(exec));
  return transport::FermiWindowSum(e, w);
}

}  // namespace

ChainBoltzmann::ChainBoltzmann(const Chain& c, int nk, const std::vector<int>& bands,
                               const transport::Carriers& carriers, const Execution& exec)
    : nk_(nk),
      prefactor_(transport::conductivity_prefactor(carriers)),
      carriers_(carriers),
      sum_(make_chain_sum(c, nk, bands, exec)) {}

transport::Thermoelectric ChainBoltzmann::thermoelectric(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                                         const Eigen::Ref<const Eigen::ArrayXd>& T,
                                                         const Execution& exec) const {
  check_pairs(mu, T);
  return transport::thermoelectric(sum_, carriers_, mu, T, exec);
}

Eigen::ArrayXd ChainBoltzmann::operator()(const Eigen::Ref<const Eigen::ArrayXd>& mu,
                                          const Eigen::Ref<const Eigen::ArrayXd>& T,
                                          const Execution& exec) const {
  check_pairs(mu, T);
  return prefactor_ * sum_.pairs(mu, T, exec);
}

int default_nk(const Chain& c, double T_min) {
  check(c);
  validate::positive("T", T_min);
  const double width = std::hypot(c.delta(), c.J0) - std::fabs(c.delta());
  return meanfield::bz_points(width, constants::kT_eV(T_min), 32.0, 2048, 1 << 20);
}

}  // namespace quasiion::interstitial
