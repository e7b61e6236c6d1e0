#include "quasiion/onsager.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/meanfield.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::onsager {

namespace {

// Items below this count run on the calling thread: each closed-form item costs ~10-50 ns,
// a thread start ~10 us.
constexpr std::size_t kClosedFormPerThread = 20000;

// Per-p pieces of the mean-field sums.
struct PointState {
  double E_plus, E_minus, R;
  double f_plus, f_minus;  // occupations of the two branches
  double mu_plus, mu_minus;
};

PointState point_state(const Model& m, double S, const Occupation& occ, double theta, double kT) {
  const double c = std::cos(theta);
  const double ee = m.J0e * c + m.U0e;
  const double ei = m.J0i * c + m.U0i + k_bar(m);
  const double mean = 0.5 * (ee + ei);
  const double d = 0.5 * (ee - ei);
  const double R = std::hypot(d, S);
  PointState p;
  p.E_plus = mean + R;
  p.E_minus = mean - R;
  p.R = R;
  // The electronic branch (electron weight (1 + d/R)/2 >= 1/2 for the upper branch iff d >= 0)
  // is filled with mu_e, the ionic one with mu_i.
  p.mu_plus = d >= 0.0 ? occ.mu_e : occ.mu_i;
  p.mu_minus = d >= 0.0 ? occ.mu_i : occ.mu_e;
  p.f_plus = fermi::occupation((p.E_plus - p.mu_plus) / kT);
  p.f_minus = fermi::occupation((p.E_minus - p.mu_minus) / kT);
  return p;
}

void validate_occupation(const Occupation& occ) {
  validate::finite("mu_e", occ.mu_e);
  validate::finite("mu_i", occ.mu_i);
  validate::positive("T", occ.T);
}

void validate_n_k(int n_k) {
  if (n_k < 8) validate::fail("n_k", std::to_string(n_k), ">= 8");
}

// Broadcast helper: arrays of length n or 1.
Eigen::Index broadcast_size(const std::string& na, Eigen::Index a, const std::string& nb,
                            Eigen::Index b, const std::string& nc, Eigen::Index c) {
  validate::non_empty(na, a);
  validate::non_empty(nb, b);
  validate::non_empty(nc, c);
  const Eigen::Index n = std::max({a, b, c});
  auto ok = [n](Eigen::Index s) { return s == n || s == 1; };
  if (!ok(a)) validate::same_size(nb, n, na, a);
  if (!ok(b)) validate::same_size(na, n, nb, b);
  if (!ok(c)) validate::same_size(na, n, nc, c);
  return n;
}

inline double at(const Eigen::Ref<const Eigen::ArrayXd>& v, Eigen::Index i) {
  return v.size() == 1 ? v(0) : v(i);
}

// Validates every broadcast (j, r, xi) triple; the message names the array and index.
void validate_ratio_arrays(const Eigen::Ref<const Eigen::ArrayXd>& j,
                           const Eigen::Ref<const Eigen::ArrayXd>& r,
                           const Eigen::Ref<const Eigen::ArrayXd>& xi) {
  auto name = [](const char* base, const Eigen::Ref<const Eigen::ArrayXd>& v, Eigen::Index i) {
    return v.size() == 1 ? std::string(base) : std::string(base) + "[" + std::to_string(i) + "]";
  };
  // Check first, build the message only on failure (this loop runs over 1e6-element arrays).
  for (Eigen::Index i = 0; i < j.size(); ++i)
    if (!(std::isfinite(j(i)) && j(i) >= 0.0)) validate::non_negative(name("j", j, i), j(i));
  for (Eigen::Index i = 0; i < r.size(); ++i)
    if (!(std::isfinite(r(i)) && r(i) >= 0.0))
      validate::non_negative(name("rho_ratio", r, i), r(i));
  for (Eigen::Index i = 0; i < xi.size(); ++i)
    if (!(std::isfinite(xi(i)) && xi(i) > 0.0 && xi(i) <= 1.0))
      validate::fail(name("xi0", xi, i), validate::format_value(xi(i)), "in (0, 1]");
}

Execution closed_form_exec(const Execution& exec) {
  Execution e = exec;
  e.min_items_per_thread = std::max(e.min_items_per_thread, kClosedFormPerThread);
  return e;
}

// Elementwise closed forms over equal-length arrays in one pass: the threads take blocks of
// kBlock items; inside a block `body(i)` computes item i and returns whether its inputs are
// valid, accumulated without branches so the loop vectorises. Only if some item is invalid
// does the named validation run (it throws with the array and index). Numpy needs one pass
// per operation (10 or more over the whole array); this is one read of the inputs and one
// write of each output.
constexpr std::size_t kBlock = 4096;

bool valid_ratio(double j, double r, double xi) {
  constexpr double big = std::numeric_limits<double>::max();
  return (j >= 0.0) & (j <= big) & (r >= 0.0) & (r <= big) & (xi > 0.0) & (xi <= 1.0);
}

template <class Body>
void blocks(std::size_t n, const Execution& exec, Body&& body,
            const Eigen::Ref<const Eigen::ArrayXd>& j, const Eigen::Ref<const Eigen::ArrayXd>& r,
            const Eigen::Ref<const Eigen::ArrayXd>& xi) {
  const std::size_t nb = (n + kBlock - 1) / kBlock;
  std::vector<char> bad(nb, 0);
  Execution e = exec;
  e.min_items_per_thread = std::max<std::size_t>(1, kClosedFormPerThread / kBlock);
  parallel_for(
      nb,
      [&](std::size_t b) {
        const std::size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
        bool ok = true;
        for (std::size_t i = lo; i < hi; ++i) ok &= body(i);
        bad[b] = !ok;
      },
      e);
  if (std::find(bad.begin(), bad.end(), 1) != bad.end()) validate_ratio_arrays(j, r, xi);
}

// tau+/tau- from L_ei = L_ie of eq 38, which eq 39 solves exactly: with s = (1+xi)(j+r),
// t = [s + (1-xi) j r] / [s + (1-xi)] (every term >= 0, no cancellation), and
// t - 1 = (j r - 1)(1-xi) / [s + (1-xi)]. The denominator vanishes only at xi = 1, j = r = 0,
// where any ratio is reciprocal: t = 1.
struct TauPair {
  double t, dt;
};
inline TauPair tau_pair(double j, double r, double xi, TauMethod method) {
  const double one_m = 1.0 - xi, one_p = 1.0 + xi;
  if (method == TauMethod::Eq46) {
    const double s = r + j;
    const double den = s > 0.0 ? one_p * s : 1.0;
    const double dt = j * r * one_m / den;  // 0 where s = 0 (then j r = 0)
    return {1.0 + dt, dt};
  }
  const double s = one_p * (j + r);
  const double den0 = s + one_m;
  const bool pos = den0 > 0.0;
  const double den = pos ? den0 : 1.0;
  return {(pos ? s + one_m * j * r : 1.0) / den, (j * r - 1.0) * one_m / den};
}

}  // namespace

// ---------------------------------------------------------------------------------------

double free_electron_hopping(double a) {
  validate::positive("a", a);
  const double a_m = a * constants::angstrom_m;
  // hbar^2 / (m0 a^2) in J, then in eV.
  const double hbar_Js = constants::hbar_eVs * constants::elementary_charge;
  return hbar_Js * hbar_Js / (constants::electron_mass_kg * a_m * a_m) /
         constants::elementary_charge;
}

ElectronBand electron_from_physical(double m_eff, double chi_e, double a) {
  validate::positive("m_eff", m_eff);
  validate::finite("chi_e", chi_e);
  validate::positive("a", a);
  const double t = free_electron_hopping(a) / m_eff;
  return {-t, -chi_e + t};
}

void validate_model(const Model& m) {
  validate::finite("J0e", m.J0e);
  validate::finite("U0e", m.U0e);
  validate::finite("J0i", m.J0i);
  validate::finite("U0i", m.U0i);
  validate::non_negative("K0", m.K0);
  validate::non_negative("Ka", m.Ka);
  validate::positive("a", m.a);
}

double delta_J(const Model& m, double ka) {
  const double c = std::cos(ka);
  return 0.5 * (m.J0e - m.J0i) * c + 0.5 * (m.U0e - m.U0i - k_bar(m));
}

double xi0(const Model& m, double S) {
  validate::non_negative("S", S);
  if (S == 0.0) return 1.0;
  const double d = delta_J(m, 0.0);
  return std::fabs(d) / std::hypot(d, S);
}

Eigen::Matrix2d hamiltonian(const Model& m, double S, double k) {
  validate_model(m);
  validate::non_negative("S", S);
  validate::finite("k", k);
  const double c = std::cos(k * m.a);
  Eigen::Matrix2d H;
  H << m.J0e * c + m.U0e, S, S, m.J0i * c + m.U0i + k_bar(m);
  return H;
}

Bands bands(const Model& m, double S, const Eigen::Ref<const Eigen::ArrayXd>& k,
            const Execution& exec) {
  validate_model(m);
  validate::non_negative("S", S);
  validate::all_finite("k", k);
  const Eigen::Index n = k.size();
  Bands b;
  b.E_plus.resize(n);
  b.E_minus.resize(n);
  b.electron_plus.resize(n);
  b.electron_minus.resize(n);
  b.xi.resize(n);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t idx) {
        const auto i = static_cast<Eigen::Index>(idx);
        const double c = std::cos(k(i) * m.a);
        const double ee = m.J0e * c + m.U0e;
        const double ei = m.J0i * c + m.U0i + k_bar(m);
        const double mean = 0.5 * (ee + ei);
        const double d = 0.5 * (ee - ei);
        const double R = std::hypot(d, S);
        b.E_plus(i) = mean + R;
        b.E_minus(i) = mean - R;
        // Upper eigenvector weight on the electron: (1 + d/R)/2; degenerate (R = 0): 1/2.
        const double w = R > 0.0 ? 0.5 * (1.0 + d / R) : 0.5;
        b.electron_plus(i) = w;
        b.electron_minus(i) = 1.0 - w;
        b.xi(i) = R > 0.0 ? std::fabs(d) / R : 1.0;
      },
      closed_form_exec(exec));
  return b;
}

// ---------------------------------------------------------------------------------------

double coupling_map(const Model& m, double S, const Occupation& occ, int n_k) {
  validate_model(m);
  validate::non_negative("S", S);
  validate_occupation(occ);
  validate_n_k(n_k);
  if (S == 0.0 || m.K0 == 0.0) return 0.0;
  const double kT = constants::kT_eV(occ.T);
  const double avg = meanfield::bz_average(n_k, [&](double theta) {
    const PointState p = point_state(m, S, occ, theta, kT);
    return S / (2.0 * p.R) * (p.f_minus - p.f_plus);
  });
  return m.K0 * avg;
}

double grand_potential(const Model& m, double S, const Occupation& occ, int n_k) {
  validate_model(m);
  validate::non_negative("S", S);
  validate_occupation(occ);
  validate_n_k(n_k);
  if (S > 0.0 && m.K0 == 0.0) validate::fail("S", validate::format_value(S), "0 when K0 = 0");
  const double kT = constants::kT_eV(occ.T);
  const double avg = meanfield::bz_average(n_k, [&](double theta) {
    const PointState p = point_state(m, S, occ, theta, kT);
    return kT * fermi::level_grand_potential_x((p.E_plus - p.mu_plus) / kT) +
           kT * fermi::level_grand_potential_x((p.E_minus - p.mu_minus) / kT);
  });
  return avg + (S > 0.0 ? S * S / m.K0 : 0.0);
}

double intercell_amplitude(const Model& m, double S, const Occupation& occ, int n_k) {
  validate_model(m);
  validate::non_negative("S", S);
  validate_occupation(occ);
  validate_n_k(n_k);
  if (S == 0.0 || m.Ka == 0.0) return 0.0;
  const double kT = constants::kT_eV(occ.T);
  const double avg = meanfield::bz_average(n_k, [&](double theta) {
    const PointState p = point_state(m, S, occ, theta, kT);
    return std::cos(theta) * S / (2.0 * p.R) * (p.f_minus - p.f_plus);
  });
  return m.Ka * avg;
}

namespace {

int default_n_k(const Model& m, double T) {
  const double width = 2.0 * (std::fabs(m.J0e) + std::fabs(m.J0i)) + m.K0;
  return meanfield::bz_points(width, constants::kT_eV(T));
}

CouplingSolution solve_one(const Model& m, const Occupation& occ, const CouplingOptions& opt) {
  CouplingSolution sol;
  sol.n_k = opt.n_k > 0 ? opt.n_k : default_n_k(m, occ.T);
  validate_n_k(sol.n_k);
  if (m.K0 == 0.0) {
    // No in-cell coupling: S = 0 is the only fixed point.
    sol.roots = {0.0};
    sol.residuals = {0.0};
    sol.omega = {grand_potential(m, 0.0, occ, sol.n_k)};
    return sol;
  }
  roots::ScanOptions scan;
  scan.n_scan = opt.n_scan;
  const auto F = [&](double S) { return coupling_map(m, S, occ, sol.n_k); };
  const auto rs = meanfield::fixed_points(F, 0.5 * m.K0, scan);
  for (const auto& r : rs) {
    // Merge duplicates (a root sitting on a scan point can be reported twice).
    if (!sol.roots.empty() && std::fabs(r.x - sol.roots.back()) <= 1e-13 * (1.0 + m.K0)) continue;
    sol.roots.push_back(r.x);
    sol.residuals.push_back(r.residual);
  }
  if (sol.roots.empty() || sol.roots.front() != 0.0) {
    // S = 0 is always an exact fixed point (F(0) = 0); keep it in the list.
    sol.roots.insert(sol.roots.begin(), 0.0);
    sol.residuals.insert(sol.residuals.begin(), 0.0);
  }
  for (double r : sol.roots) sol.omega.push_back(grand_potential(m, r, occ, sol.n_k));
  const int n = static_cast<int>(sol.roots.size());
  int lowest = 0;
  for (int i = 1; i < n; ++i)
    if (sol.omega[i] < sol.omega[lowest]) lowest = i;
  switch (opt.rule) {
    case RootRule::LowestFreeEnergy: sol.chosen = lowest; break;
    case RootRule::Smallest: sol.chosen = 0; break;
    case RootRule::Largest: sol.chosen = n - 1; break;
  }
  sol.rules_disagree = lowest != 0;
  sol.S = sol.roots[sol.chosen];
  sol.xi0 = xi0(m, sol.S);
  sol.intercell = intercell_amplitude(m, sol.S, occ, sol.n_k);
  return sol;
}

void validate_coupling_options(const CouplingOptions& opt) {
  if (opt.n_k != 0 && opt.n_k < 8) validate::fail("n_k", std::to_string(opt.n_k), "0 (auto) or >= 8");
  if (opt.n_scan < 2) validate::fail("n_scan", std::to_string(opt.n_scan), ">= 2");
}

}  // namespace

CouplingSolution solve_coupling(const Model& m, const Occupation& occ,
                                const CouplingOptions& opt) {
  validate_model(m);
  validate_occupation(occ);
  validate_coupling_options(opt);
  return solve_one(m, occ, opt);
}

std::vector<CouplingSolution> solve_coupling_scan(const Model& m,
                                                  const Eigen::Ref<const Eigen::ArrayXd>& mu_e,
                                                  const Eigen::Ref<const Eigen::ArrayXd>& mu_i,
                                                  double T, const CouplingOptions& opt,
                                                  const Execution& exec) {
  validate_model(m);
  validate::positive("T", T);
  validate_coupling_options(opt);
  validate::non_empty("mu_e", mu_e.size());
  validate::same_size("mu_e", mu_e.size(), "mu_i", mu_i.size());
  validate::all_finite("mu_e", mu_e);
  validate::all_finite("mu_i", mu_i);
  std::vector<CouplingSolution> out(static_cast<std::size_t>(mu_e.size()));
  parallel_for(
      out.size(),
      [&](std::size_t i) {
        const auto ii = static_cast<Eigen::Index>(i);
        out[i] = solve_one(m, Occupation{mu_e(ii), mu_i(ii), T}, opt);
      },
      exec);
  return out;
}

// ---------------------------------------------------------------------------------------

void validate_ratios(double j, double r, double xi) {
  validate::non_negative("j", j);
  validate::non_negative("rho_ratio", r);
  if (!(std::isfinite(xi) && xi > 0.0 && xi <= 1.0))
    validate::fail("xi0", validate::format_value(xi), "in (0, 1]");
}

BranchMobility branch_mobility(double j, double xi) {
  validate::non_negative("j", j);
  if (!(std::isfinite(xi) && xi > 0.0 && xi <= 1.0))
    validate::fail("xi0", validate::format_value(xi), "in (0, 1]");
  const double p = 0.5 * (1.0 + xi), q = 0.5 * (1.0 - xi);
  return {j * p + q, j * q + p};
}

Reduced reduced_matrix_split(double j, double r, double xi, double tau_m, double dtau) {
  // Eq 38 divided by tau- a^2 rho_i |J0i| / hbar^2, with tau- -> tau_m and
  // tau+ - tau- -> dtau (tau+ = tau_m + dtau), p = (1 + xi)/2, q = (1 - xi)/2:
  //   l_ee = (tau_m + dtau) r j p^2/xi      l_ei = -(tau_m + dtau) q^2/xi - dtau p q j/xi
  //   l_ie = r [-tau_m q^2 j/xi + dtau p q/xi]                 l_ii = tau_m p^2/xi
  // Written with the difference dtau as input so that tau+/tau- close to 1 loses nothing.
  const double p = 0.5 * (1.0 + xi), q = 0.5 * (1.0 - xi);
  const double tau_p = tau_m + dtau;
  Reduced l;
  l.ee = tau_p * r * j * p * p / xi;
  l.ei = -(q / xi) * (tau_p * q + dtau * p * j);
  l.ie = r * (q / xi) * (dtau * p - tau_m * q * j);
  l.ii = tau_m * p * p / xi;
  return l;
}

Reduced reduced_matrix(double j, double r, double xi, double tau_p, double tau_m) {
  return reduced_matrix_split(j, r, xi, tau_m, tau_p - tau_m);
}

namespace {
// Unchecked kernels: the array loops validate once up front.
double tau_excess_u(double j, double r, double xi, TauMethod method) {
  switch (method) {
    case TauMethod::Exact: {
      if (xi == 1.0) return 0.0;  // no cross terms: any ratio is reciprocal; the xi -> 1 limit
      // g = l_ei - l_ie is linear in (tau-, tau+ - tau-): g = A tau- + B (tau+ - tau-), so
      // the reciprocity condition g = 0 gives (tau+ - tau-)/tau- = -A/B.
      const Reduced a = reduced_matrix_split(j, r, xi, 1.0, 0.0);
      const Reduced b = reduced_matrix_split(j, r, xi, 0.0, 1.0);
      const double A = a.ei - a.ie, B = b.ei - b.ie;
      if (!(B != 0.0))
        throw InvalidArgument("tau_ratio: the reciprocity condition is degenerate at j = " +
                              validate::format_value(j) + ", rho_ratio = " +
                              validate::format_value(r) + ", xi0 = " + validate::format_value(xi));
      return -A / B;
    }
    case TauMethod::Eq39: {
      if (xi == 1.0) return 0.0;
      const double c = (1.0 + xi) / (1.0 - xi);
      return (j * r - 1.0) / (c * (r + j) + 1.0);
    }
    case TauMethod::Eq46: {
      const double eps = (1.0 - xi) / (1.0 + xi);
      const double s = r + j;
      if (s == 0.0) return 0.0;
      return j * eps * r / s;
    }
  }
  return 0.0;
}

double tau_ratio_u(double j, double r, double xi, TauMethod method) {
  if (method == TauMethod::Exact) {
    if (xi == 1.0) return 1.0;
    // Same condition in the (tau+, tau-) parametrisation: g = A tau+ + B tau-, so
    // tau+/tau- = -B/A, accurate also when the ratio is far below 1.
    const Reduced a = reduced_matrix(j, r, xi, 1.0, 0.0);
    const Reduced b = reduced_matrix(j, r, xi, 0.0, 1.0);
    const double A = a.ei - a.ie, B = b.ei - b.ie;
    return -B / A;  // A = -(q/xi)(q + p j + p r) < 0 for xi < 1
  }
  return 1.0 + tau_excess_u(j, r, xi, method);
}

AlphaStar alpha_star_u(double j, double r, double xi) {
  const double eps = (1.0 - xi) / (1.0 + xi);
  const double num = (1.0 + j * j) * (1.0 + xi) + j * (1.0 - xi);
  const double den = (j + r) * (1.0 + xi) + (1.0 - xi);
  AlphaStar out;
  out.i = num / den * eps * eps * r;
  const double d = j * r * tau_ratio_u(j, r, xi, TauMethod::Eq39);
  out.e = d > 0.0 ? out.i / d : (out.i == 0.0 ? 0.0 : INFINITY);
  return out;
}
}  // namespace

double tau_excess(double j, double r, double xi, TauMethod method) {
  validate_ratios(j, r, xi);
  return tau_excess_u(j, r, xi, method);
}

double tau_ratio(double j, double r, double xi, TauMethod method) {
  validate_ratios(j, r, xi);
  return tau_ratio_u(j, r, xi, method);
}

AlphaStar alpha_star_closed(double j, double r, double xi) {
  validate_ratios(j, r, xi);
  return alpha_star_u(j, r, xi);
}

Eigen::ArrayXd tau_ratio(const Eigen::Ref<const Eigen::ArrayXd>& j,
                         const Eigen::Ref<const Eigen::ArrayXd>& r,
                         const Eigen::Ref<const Eigen::ArrayXd>& xi, TauMethod method,
                         const Execution& exec) {
  const Eigen::Index n = broadcast_size("j", j.size(), "rho_ratio", r.size(), "xi0", xi.size());
  if (j.size() == n && r.size() == n && xi.size() == n) {
    Eigen::ArrayXd t(n);
    const double *J = j.data(), *R = r.data(), *X = xi.data();
    double* T = t.data();
    const auto run = [&](auto meth) {
      blocks(
          static_cast<std::size_t>(n), exec,
          [&](std::size_t i) {
            T[i] = tau_pair(J[i], R[i], X[i], decltype(meth)::value).t;
            return valid_ratio(J[i], R[i], X[i]);
          },
          j, r, xi);
    };
    // One instantiation per method, so the method test is outside the loop.
    if (method == TauMethod::Eq46) run(std::integral_constant<TauMethod, TauMethod::Eq46>{});
    else run(std::integral_constant<TauMethod, TauMethod::Eq39>{});
    return t;
  }
  validate_ratio_arrays(j, r, xi);
  Eigen::ArrayXd t(n);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t k) {
        const auto i = static_cast<Eigen::Index>(k);
        t(i) = tau_ratio_u(at(j, i), at(r, i), at(xi, i), method);
      },
      closed_form_exec(exec));
  return t;
}

OnsagerArrays onsager_reduced(const Eigen::Ref<const Eigen::ArrayXd>& j,
                              const Eigen::Ref<const Eigen::ArrayXd>& r,
                              const Eigen::Ref<const Eigen::ArrayXd>& xi,
                              const Eigen::Ref<const Eigen::ArrayXd>& t, TauMethod method,
                              const Execution& exec) {
  const Eigen::Index n = broadcast_size("j", j.size(), "rho_ratio", r.size(), "xi0", xi.size());
  const bool given = t.size() > 0;
  if (given) {
    if (t.size() != 1) validate::same_size("j", n, "tau_ratio", t.size());
    validate::all_positive("tau_ratio", t);
  }
  OnsagerArrays o;
  for (auto* a : {&o.t, &o.dt, &o.ee, &o.ei, &o.ie, &o.ii, &o.alpha_i, &o.alpha_e}) a->resize(n);
  if (j.size() == n && r.size() == n && xi.size() == n && (!given || t.size() == n)) {
    // One pass, the same algebra as reduced_matrix_split with tau_m = 1, written with one
    // reciprocal per denominator so that the loop vectorises.
    const double *J = j.data(), *R = r.data(), *X = xi.data(), *Tg = t.data();
    const auto run = [&](auto meth) {
      blocks(
          static_cast<std::size_t>(n), exec,
          [&](std::size_t k) {
            const auto i = static_cast<Eigen::Index>(k);
            const double jj = J[k], rr = R[k], xx = X[k];
            TauPair tp;
            if constexpr (decltype(meth)::value == TauMethod::Exact) {
              tp = {Tg[k], Tg[k] - 1.0};  // Exact stands for "given" here
            } else {
              tp = tau_pair(jj, rr, xx, decltype(meth)::value);
            }
            const double p = 0.5 * (1.0 + xx), q = 0.5 * (1.0 - xx);
            const double ix = 1.0 / xx, qx = q * ix;
            const double ee = tp.t * rr * jj * p * p * ix;
            const double ei = -qx * (tp.t * q + tp.dt * p * jj);
            const double ie = rr * qx * (tp.dt * p - q * jj);
            const double ii = p * p * ix;
            o.t(i) = tp.t;
            o.dt(i) = tp.dt;
            o.ee(i) = ee;
            o.ei(i) = ei;
            o.ie(i) = ie;
            o.ii(i) = ii;
            o.alpha_i(i) = std::fabs(ie / ii);
            const bool nz = ee != 0.0;
            const double ae = std::fabs(ei / (nz ? ee : 1.0));
            o.alpha_e(i) = nz ? ae : (ei == 0.0 ? 0.0 : INFINITY);
            return valid_ratio(jj, rr, xx);
          },
          j, r, xi);
    };
    if (given) run(std::integral_constant<TauMethod, TauMethod::Exact>{});
    else if (method == TauMethod::Eq46) run(std::integral_constant<TauMethod, TauMethod::Eq46>{});
    else run(std::integral_constant<TauMethod, TauMethod::Eq39>{});
    return o;
  }
  validate_ratio_arrays(j, r, xi);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t k) {
        const auto i = static_cast<Eigen::Index>(k);
        const double jj = at(j, i), rr = at(r, i), xx = at(xi, i);
        const double dt = given ? at(t, i) - 1.0 : tau_excess_u(jj, rr, xx, method);
        const Reduced l = reduced_matrix_split(jj, rr, xx, 1.0, dt);
        o.t(i) = given ? at(t, i) : tau_ratio_u(jj, rr, xx, method);
        o.dt(i) = dt;
        o.ee(i) = l.ee;
        o.ei(i) = l.ei;
        o.ie(i) = l.ie;
        o.ii(i) = l.ii;
        o.alpha_i(i) = std::fabs(l.ie / l.ii);
        o.alpha_e(i) = l.ee != 0.0 ? std::fabs(l.ei / l.ee) : (l.ei == 0.0 ? 0.0 : INFINITY);
      },
      closed_form_exec(exec));
  return o;
}

Eigen::ArrayXXd alpha_star_closed(const Eigen::Ref<const Eigen::ArrayXd>& j,
                                  const Eigen::Ref<const Eigen::ArrayXd>& r,
                                  const Eigen::Ref<const Eigen::ArrayXd>& xi,
                                  const Execution& exec) {
  const Eigen::Index n = broadcast_size("j", j.size(), "rho_ratio", r.size(), "xi0", xi.size());
  if (j.size() == n && r.size() == n && xi.size() == n) {
    Eigen::ArrayXXd out(n, 2);
    const double *J = j.data(), *R = r.data(), *X = xi.data();
    double *Ai = out.col(0).data(), *Ae = out.col(1).data();
    blocks(
        static_cast<std::size_t>(n), exec,
        [&](std::size_t i) {
          // alpha_star_u with one reciprocal per denominator and branch-free selects.
          const double jj = J[i], rr = R[i], xx = X[i];
          const double one_p = 1.0 + xx, one_m = 1.0 - xx, eps = one_m / one_p;
          const double num = (1.0 + jj * jj) * one_p + jj * one_m;
          const double den = (jj + rr) * one_p + one_m;
          const double ai = num / den * eps * eps * rr;
          const double d = jj * rr * tau_pair(jj, rr, xx, TauMethod::Eq39).t;
          const bool pos = d > 0.0;
          Ai[i] = ai;
          Ae[i] = pos ? ai / (pos ? d : 1.0) : (ai == 0.0 ? 0.0 : INFINITY);
          return valid_ratio(jj, rr, xx);
        },
        j, r, xi);
    return out;
  }
  validate_ratio_arrays(j, r, xi);
  Eigen::ArrayXXd out(n, 2);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t k) {
        const auto i = static_cast<Eigen::Index>(k);
        const AlphaStar a = alpha_star_u(at(j, i), at(r, i), at(xi, i));
        out(i, 0) = a.i;
        out(i, 1) = a.e;
      },
      closed_form_exec(exec));
  return out;
}

double onsager_prefactor(double tau_minus, double a, double rho_i, double J0i) {
  validate::positive("tau_minus", tau_minus);
  validate::positive("a", a);
  validate::non_negative("rho_i", rho_i);
  validate::finite("J0i", J0i);
  const double a_cm = a * 1e-8;
  return tau_minus * a_cm * a_cm * rho_i * std::fabs(J0i) /
         (constants::hbar_eVs * constants::hbar_eVs);
}

}  // namespace quasiion::onsager
