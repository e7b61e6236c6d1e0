#include "quasiion/doping.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/meanfield.hpp"
#include "quasiion/validate.hpp"
#include "quasiion/vexp.hpp"

namespace quasiion::doping {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Off-diagonal magnitude m(c) on a branch (c = cos(ka/2) in [0, 1]).
inline double off_diag(double S, double J, double c, bool high) {
  return high ? S - J * c : S + J * c;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void Chain::validate() const {
  validate::finite("U_A", U_A);
  validate::finite("U_B", U_B);
  validate::finite("J0", J0);
  validate::positive("a", a);
  validate::non_negative("K_over_a1", K_over_a1);
  validate::positive("gamma", gamma);
}

namespace {
// Gauss-Legendre panels [breaks[i], breaks[i+1]] (in u) with points[i] nodes each.
ZoneQuadrature composite(const std::vector<double>& breaks, const std::vector<int>& points) {
  ZoneQuadrature q;
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    const ZoneQuadrature p = ZoneQuadrature::gauss_legendre(points[i]);
    const double lo = breaks[i], len = breaks[i + 1] - breaks[i];
    for (int j = 0; j < p.size(); ++j) {
      const auto k = static_cast<std::size_t>(j);
      const double u = lo + len * p.u[k] / (0.5 * M_PI);
      q.u.push_back(u);
      q.c.push_back(std::cos(u));
      q.s.push_back(std::sin(u));
      q.w.push_back(p.w[k] * len / (0.5 * M_PI));
    }
  }
  return q;
}
}  // namespace

ZoneQuadrature auto_quadrature(const Chain& chain, double kT, double refine) {
  chain.validate();
  validate::positive("kT", kT);
  validate::in_range("refine", refine, 1e-3, 1e3);
  const double J = std::fabs(chain.J0);
  const double du = 0.5 * std::fabs(chain.U_A - chain.U_B);
  auto pts = [&](double n) {
    const double capped = std::min(n * refine, 16384.0);
    return std::max(8, static_cast<int>(std::ceil(capped / 8.0)) * 8);
  };
  const int n_main = pts(std::max(24.0, 4.6 * J / kT));
  const double r = J > 0.0 ? du / J : 1e300;
  if (!(r < 0.05)) return composite({0.0, 0.5 * M_PI}, {n_main});
  // distances of the graded break points from each end
  std::vector<double> d;
  for (double x = 0.25 * 0.5 * M_PI; ; x *= 0.2) {
    d.push_back(x);
    if (x < r / 8.0 || d.size() > 60) break;
  }
  std::vector<double> breaks{0.0};
  for (std::size_t i = d.size(); i-- > 0;) breaks.push_back(d[i]);
  for (std::size_t i = 0; i < d.size(); ++i) breaks.push_back(0.5 * M_PI - d[i]);
  breaks.push_back(0.5 * M_PI);
  std::vector<int> points(breaks.size() - 1, pts(16.0));
  points[d.size()] = n_main;  // the middle panel
  return composite(breaks, points);
}

int auto_k_points(const Chain& chain, double kT) { return auto_quadrature(chain, kT).size(); }

namespace {
// (P_n(x), P_n'(x)) by the three-term recurrence.
std::pair<double, double> legendre(int n, double x) {
  double p0 = 1.0, p1 = x;
  for (int j = 2; j <= n; ++j) {
    const double p2 = ((2.0 * j - 1.0) * x * p1 - (j - 1.0) * p0) / j;
    p0 = p1;
    p1 = p2;
  }
  return {p1, n * (x * p1 - p0) / (x * x - 1.0)};
}
}  // namespace

namespace {
// P_n and P_n' at x0 + h from P_n(x0), P_n'(x0) by the Taylor series of the Legendre ODE
// (1 - x^2) y'' - 2x y' + n(n+1) y = 0. Terms are carried scaled, v_k = P^(k)(x0) h^k / k!, so
// nothing overflows at large n; P_n is a polynomial, so the series converges for any h and,
// with |h| of one node spacing, 40 terms are far below rounding.
std::pair<long double, long double> legendre_taylor(long double nn1, long double x0, long double p0,
                                                    long double dp0, long double h) {
  const long double one_m_x2 = (1.0L - x0) * (1.0L + x0);
  long double vk = p0, vk1 = dp0 * h;  // v_0, v_1
  long double p = vk + vk1, dp = vk1;  // sum v_k, sum k v_k
  for (int k = 0; k < 38; ++k) {
    const long double kk = k;
    const long double vk2 =
        (2.0L * x0 * h * (kk + 1.0L) * vk1 + (kk * (kk + 1.0L) - nn1) * h * h * vk / (kk + 1.0L)) /
        ((kk + 2.0L) * one_m_x2);
    p += vk2;
    dp += (kk + 2.0L) * vk2;
    vk = vk1;
    vk1 = vk2;
  }
  return {p, dp / h};
}
}  // namespace

ZoneQuadrature ZoneQuadrature::gauss_legendre(int n) {
  if (n < 1 || n > 1 << 20) validate::fail("n_k", std::to_string(n), "in [1, 1048576]");
  ZoneQuadrature q;
  q.u.resize(static_cast<std::size_t>(n));
  q.c.resize(q.u.size());
  q.s.resize(q.u.size());
  q.w.resize(q.u.size());
  // Node i (x_i descending, i < (n+1)/2) and its mirror; u = (pi/4)(x + 1), weights / 2.
  auto store = [&](int i, long double xl, long double dp) {
    // = (2 / ((1-x^2) P'^2)) / 2, from the unrounded node where the walk has one
    const double wt = static_cast<double>(1.0L / ((1.0L - xl) * (1.0L + xl) * dp * dp));
    for (const auto& [idx, xx] : {std::pair<int, long double>{i, xl}, std::pair<int, long double>{n - 1 - i, -xl}}) {
      const auto k = static_cast<std::size_t>(idx);
      q.u[k] = static_cast<double>(0.25L * static_cast<long double>(M_PI) * (xx + 1.0L));
      q.c[k] = std::cos(q.u[k]);
      q.s[k] = std::sin(q.u[k]);
      q.w[k] = wt;
    }
  };
  // Tricomi's asymptotic node, the start of each Newton search.
  auto guess = [n](int i) {
    const double nd = n;
    return (1.0 - (nd - 1.0) / (8.0 * nd * nd * nd)) * std::cos(M_PI * (i + 0.75) / (nd + 0.5));
  };
  if (n <= 64) {
    // Newton on the three-term recurrence: O(n) per node, cheap at this size.
    for (int i = 0; i < (n + 1) / 2; ++i) {
      double x = std::cos(M_PI * (i + 0.75) / (n + 0.5));
      for (int it = 0; it < 100; ++it) {
        const auto [p, dp] = legendre(n, x);
        const double dx = p / dp;
        x -= dx;
        if (std::fabs(dx) < 1e-16) break;
      }
      store(i, x, legendre(n, x).second);
    }
    return q;
  }
  // O(n) in all (Glaser-Liu-Rokhlin's idea): start at x = 0, where P_n, P_n' are known by one
  // recurrence, then walk outwards node by node, each found by Newton on the Taylor series of
  // P_n about the previous node (where P_n = 0 and P_n' is known from the previous step).
  // The walk runs in long double (64-bit mantissa on x86-64): the weights' relative error then
  // stays ~1e-16 over 10^6 steps (in double it drifts by ~2e-17 per node).
  using ld = long double;
  const ld nn1 = static_cast<ld>(n) * (n + 1.0L);
  // P_m(0) for m = n and n - 1: P_{2j}(0) = (-1)^j (2j-1)!!/(2j)!!, P_odd(0) = 0.
  ld pe = 1.0L;  // P_{2j}(0)
  for (int j = 1; 2 * j <= n; ++j) pe *= -(2.0L * j - 1.0L) / (2.0L * j);
  ld x0 = 0.0L, p0, dp0;
  int first;  // the first node (by index i) found from x0
  if (n % 2 == 1) {
    // x = 0 is node (n-1)/2; P_n'(0) = n P_{n-1}(0) from (1-x^2) P_n' = n (P_{n-1} - x P_n).
    p0 = 0.0L;
    dp0 = n * pe;  // pe = P_{n-1}(0) here (n - 1 even)
    store((n - 1) / 2, 0.0L, dp0);
    first = (n - 1) / 2 - 1;
  } else {
    p0 = pe;
    dp0 = 0.0L;
    first = n / 2 - 1;
  }
  const ld eps = std::numeric_limits<ld>::epsilon();
  for (int i = first; i >= 0; --i) {
    ld h = guess(i) - x0;
    ld p = 0.0L, dp = 0.0L, last = std::numeric_limits<ld>::infinity();
    for (int it = 0; it < 50; ++it) {
      std::tie(p, dp) = legendre_taylor(nn1, x0, p0, dp0, h);
      const ld dh = p / dp;
      h -= dh;
      // converged, or down to rounding noise (the step no longer shrinks)
      if (std::fabs(dh) <= 2.0L * eps * std::fabs(x0 + h) || (it > 2 && std::fabs(dh) >= 0.5L * last))
        break;
      last = std::fabs(dh);
    }
    std::tie(p, dp) = legendre_taylor(nn1, x0, p0, dp0, h);  // at the converged node
    x0 += h;
    p0 = p;  // the rounding-level residual, kept so the walk follows P_n itself
    dp0 = dp;
    store(i, x0, dp0);
  }
  return q;
}

// ---------------------------------------------------------------------------------------------

void MeanField::init(const Chain& chain, double mu, double T_kelvin, Phase phase) {
  chain.validate();
  validate::finite("mu", mu);
  validate::positive("T", T_kelvin);
  kT_ = constants::kT_eV(T_kelvin);
  validate::positive("kT", kT_);
  ubar_ = 0.5 * (chain.U_A + chain.U_B);
  const double du = 0.5 * (chain.U_A - chain.U_B);
  du2_ = du * du;
  J_ = std::fabs(chain.J0);
  mu_ = mu;
  K_ = chain.K_over_a1;
  S_max_ = chain.S_max();
  strict_ = phase == Phase::strict;
}

MeanField::MeanField(const Chain& chain, double mu, double T_kelvin, Phase phase, int n_k,
                     double k_refine) {
  init(chain, mu, T_kelvin, phase);
  if (n_k < 0) validate::fail("n_k", std::to_string(n_k), ">= 1 (or 0 for automatic)");
  const ZoneQuadrature q = n_k == 0 ? auto_quadrature(chain, kT_, k_refine)
                                    : ZoneQuadrature::gauss_legendre(n_k);
  c_ = q.c;
  w_ = q.w;
}

MeanField::MeanField(const Chain& chain, double mu, double T_kelvin, Phase phase,
                     const ZoneQuadrature& quadrature) {
  init(chain, mu, T_kelvin, phase);
  validate::non_empty("quadrature", quadrature.size());
  c_ = quadrature.c;
  w_ = quadrature.w;
}

std::vector<std::pair<double, double>> MeanField::branches() const {
  if (strict_ && J_ > 0.0 && J_ < S_max_) return {{0.0, J_}, {J_, S_max_}};
  return {{0.0, S_max_}};
}

namespace {

// sum_j w_j (m_j / R_j) (f(E-_j) - f(E+_j)) of eq 42 over the zone nodes c_j, for the common
// case where every level pair is split by more than kT (R >= |U_A - U_B|/2 >= kT) but by less
// than 700 kT, and mu is within 700 kT of the centre: then with q = e^{-R/kT} and A = e^{|ubar - mu|/kT} the
// difference is (1 - q^2) / ((1 + A q)(1 + q / A)) with no cancellation, and the loop has no
// branch or call (vexp.hpp), so it runs on 4 lanes (an AVX2 clone where the CPU has it). The
// four partial sums fix the summation order: results do not depend on the CPU or the thread.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
double pair_sum(const double* __restrict c, const double* __restrict w, std::size_t n, double S,
                double signed_J, double du2, double inv_kT, double A) {
  constexpr std::size_t kChunk = 64;
  const double invA = 1.0 / A;
  double t[kChunk];
  double acc[4] = {0.0, 0.0, 0.0, 0.0};
  for (std::size_t j0 = 0; j0 < n; j0 += kChunk) {
    const std::size_t len = std::min(kChunk, n - j0);
    // elementwise (the loop the compiler vectorises), then a fixed-order sum
    for (std::size_t j = 0; j < len; ++j) {
      const double m = S + signed_J * c[j0 + j];
      const double R = std::sqrt(du2 + m * m);
      const double q = vexp::exp_nonpositive<13>(-R * inv_kT);  // R / kT <= 700: the caller
      t[j] = w[j0 + j] * (m / R) * ((1.0 - q * q) / ((1.0 + A * q) * (1.0 + q * invA)));
    }
    for (std::size_t j = 0; j < len; ++j) acc[j % 4] += t[j];
  }
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

}  // namespace

double MeanField::map_on(double S, bool high) const {
  if (K_ == 0.0) return 0.0;
  const double x = std::fabs((ubar_ - mu_) / kT_);
  // Largest R over the zone: at |m| = |S| + |J0| (c in [0, 1]).
  const double m_max = std::fabs(S) + J_;
  if (x < 700.0 && du2_ >= kT_ * kT_ && du2_ + m_max * m_max < 490000.0 * kT_ * kT_) {
    const double sum = pair_sum(c_.data(), w_.data(), c_.size(), S, high ? -J_ : J_, du2_,
                                1.0 / kT_, std::exp(x));
    return std::min(0.5 * K_ * sum, 0.5 * K_);
  }
  const fermi::OccupationDifference diff((ubar_ - mu_) / kT_);
  const double inv_kT = 1.0 / kT_;
  double sum = 0.0;
  for (std::size_t j = 0; j < c_.size(); ++j) {
    const double m = off_diag(S, J_, c_[j], high);
    const double R = std::sqrt(du2_ + m * m);
    if (R == 0.0) continue;  // degenerate level: f(E-) - f(E+) = 0
    sum += w_[j] * (m / R) * diff(R * inv_kT);
  }
  // 0 <= F <= K/2 exactly (|m/R| <= 1, 0 <= f(E-) - f(E+) <= 1, weights sum to 1); clamp
  // the last-bit rounding above K/2, which would hide a root at S = K/2 (saturated S00).
  return std::min(0.5 * K_ * sum, 0.5 * K_);
}

double MeanField::grand_potential_on(double S, bool high) const {
  double band = 0.0;
  for (std::size_t j = 0; j < c_.size(); ++j) {
    const double m = off_diag(S, J_, c_[j], high);
    const double R = std::sqrt(du2_ + m * m);
    band += w_[j] * (kT_ * fermi::level_grand_potential_x((ubar_ - R - mu_) / kT_) +
                     kT_ * fermi::level_grand_potential_x((ubar_ + R - mu_) / kT_));
  }
  const double coupling = K_ == 0.0 ? (S == 0.0 ? 0.0 : std::numeric_limits<double>::infinity())
                                    : S * S / K_;
  return band + coupling;
}

double MeanField::filling_on(double S, bool high) const {
  double sum = 0.0;
  for (std::size_t j = 0; j < c_.size(); ++j) {
    const double m = off_diag(S, J_, c_[j], high);
    const double R = std::sqrt(du2_ + m * m);
    sum += w_[j] * (fermi::occupation((ubar_ - R - mu_) / kT_) +
                    fermi::occupation((ubar_ + R - mu_) / kT_));
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------

namespace {
Solution solve_with(const Chain& chain, double mu, double T_kelvin, const Options& opt,
                    const MeanField& mf);
}

Solution solve(const Chain& chain, double mu, double T_kelvin, const Options& opt) {
  const MeanField mf(chain, mu, T_kelvin, opt.phase, opt.n_k, opt.k_refine);
  return solve_with(chain, mu, T_kelvin, opt, mf);
}

Solution solve(const Chain& chain, double mu, double T_kelvin, const Options& opt,
               const ZoneQuadrature& quadrature) {
  const MeanField mf(chain, mu, T_kelvin, opt.phase, quadrature);
  return solve_with(chain, mu, T_kelvin, opt, mf);
}

namespace {
Solution solve_with(const Chain& chain, double mu, double T_kelvin, const Options& opt,
                    const MeanField& mf) {
  validate::positive("resolution_kT", opt.resolution_kT);
  Solution sol;
  sol.mu = mu;
  sol.T = T_kelvin;
  sol.n_k = mf.n_k();
  const double J = std::fabs(chain.J0);
  if (chain.K_over_a1 == 0.0) {
    sol.roots.push_back({0.0, 0.0, mf.grand_potential(0.0), false, false});
  } else {
    const double resolution = opt.resolution_kT * mf.kT();
    const auto br = mf.branches();
    std::vector<double> tried;
    for (std::size_t b = 0; b < br.size(); ++b) {
      const bool high = b == 1;  // the second branch of the strict phase: phi_s = ka/2
      const double lo = br[b].first, hi = br[b].second;
      // F on this branch, continued to its closed end point (S = |J0| on the high branch).
      const std::function<double(double)> F = [&mf, high](double S) { return mf.map_on(S, high); };
      std::vector<roots::Root> rs;
      if (opt.uniform_scan) {
        roots::ScanOptions so;
        so.n_scan = std::max(8, static_cast<int>(std::ceil((hi - lo) / resolution)));
        rs = (lo == 0.0) ? meanfield::fixed_points(F, hi, so)
                         : roots::find_all([&](double s) { return F(s) - s; }, lo, hi, so);
      } else {
        meanfield::MonotoneOptions mo;
        mo.resolution = resolution;
        rs = meanfield::monotone_fixed_points(F, lo, hi, mo);
      }
      for (const auto& r : rs) {
        if (high && r.x <= J) continue;  // S = |J0| belongs to the fixed-phase branch
        // (with J0 = 0 both phases give the same m = S; the flag follows eq 44)
        const bool flag = high || mf.high_branch(r.x);
        sol.roots.push_back({r.x, r.residual, mf.grand_potential_on(r.x, high), r.tangent, flag});
      }
      tried.push_back(lo);
      tried.push_back(F(lo) - lo);
      tried.push_back(hi);
      tried.push_back(F(hi) - hi);
    }
    if (sol.roots.empty())
      throw ConvergenceError(
          "doping::solve: no self-consistent |S00| on [0, " + validate::format_value(mf.S_max()) +
              "] at mu = " + validate::format_value(mu) + " eV, T = " +
              validate::format_value(T_kelvin) +
              " K (history: S, F(S) - S at the branch ends; the strict phase's jump at |J0| "
              "can leave no solution)",
          tried);
  }
  sol.smallest = 0;
  sol.lowest_omega = 0;
  for (std::size_t i = 1; i < sol.roots.size(); ++i)
    if (sol.roots[i].grand_potential < sol.roots[static_cast<std::size_t>(sol.lowest_omega)].grand_potential)
      sol.lowest_omega = static_cast<int>(i);
  sol.selected = opt.rule == Rule::smallest ? sol.smallest : sol.lowest_omega;
  sol.rules_disagree = sol.smallest != sol.lowest_omega;
  const Root& r = sol.roots[static_cast<std::size_t>(sol.selected)];
  sol.S00 = r.S;
  sol.high_branch = r.high_branch;
  sol.filling = mf.filling_on(r.S, r.high_branch);
  return sol;
}
}  // namespace

// ---------------------------------------------------------------------------------------------

Eigen::ArrayXd off_diagonal(const Chain& chain, double S, bool high_branch,
                            const Eigen::Ref<const Eigen::ArrayXd>& k) {
  chain.validate();
  validate::non_negative("S", S);
  validate::all_finite("k", k);
  const double J = std::fabs(chain.J0);
  Eigen::ArrayXd m(k.size());
  for (Eigen::Index i = 0; i < k.size(); ++i)
    m[i] = std::fabs(off_diag(S, J, std::cos(0.5 * k[i] * chain.a), high_branch));
  return m;
}

Eigen::ArrayXXd bands(const Chain& chain, double S, bool high_branch,
                      const Eigen::Ref<const Eigen::ArrayXd>& k) {
  const Eigen::ArrayXd m = off_diagonal(chain, S, high_branch, k);
  const double ubar = 0.5 * (chain.U_A + chain.U_B), du = 0.5 * (chain.U_A - chain.U_B);
  Eigen::ArrayXXd e(k.size(), 2);
  const Eigen::ArrayXd R = (du * du + m.square()).sqrt();
  e.col(0) = ubar - R;
  e.col(1) = ubar + R;
  return e;
}

BandEdges band_edges(const Chain& chain, double S, bool high_branch) {
  chain.validate();
  validate::non_negative("S", S);
  const double J = std::fabs(chain.J0);
  const double ubar = 0.5 * (chain.U_A + chain.U_B), du = 0.5 * (chain.U_A - chain.U_B);
  // m runs over [S, S + J] (fixed) or [S - J, S] (high branch) as c = cos(ka/2) runs over
  // [0, 1]; R grows with |m|.
  const double m_at_edge = S;  // k = pi/a
  const double m_at_zero = off_diag(S, J, 1.0, high_branch);
  const double R_edge = std::sqrt(du * du + m_at_edge * m_at_edge);
  const double R_zero = std::sqrt(du * du + m_at_zero * m_at_zero);
  const double Rmin = std::min(R_edge, R_zero), Rmax = std::max(R_edge, R_zero);
  BandEdges e{};
  e.lower_min = ubar - Rmax;
  e.lower_max = ubar - Rmin;
  e.upper_min = ubar + Rmin;
  e.upper_max = ubar + Rmax;
  e.cbm_k = (R_zero < R_edge) ? 0.0 : M_PI / chain.a;
  e.cbm_weight_A = Rmin > 0.0 ? 0.5 * (1.0 + du / Rmin) : 0.5;
  e.cbm_weight_B = 1.0 - e.cbm_weight_A;
  return e;
}

double carrier_formation_energy(const BandEdges& edges, double mu, int* carrier) {
  validate::finite("mu", mu);
  int c = 0;
  double Et = 0.0;
  if (mu < edges.upper_min) {
    c = 1;
    Et = edges.upper_min - mu;
  } else if (mu > edges.upper_max) {
    c = -1;
    Et = mu - edges.upper_max;
  }
  if (carrier) *carrier = c;
  return Et;
}

double conductivity(const Chain& chain, double S, bool high_branch, double mu, double T_kelvin,
                    const transport::Carriers& carriers, int n_k, bool both_bands) {
  chain.validate();
  validate::positive("T", T_kelvin);
  if (n_k < 0) validate::fail("n_k", std::to_string(n_k), ">= 1 (or 0 for automatic)");
  const ZoneQuadrature q = n_k == 0 ? auto_quadrature(chain, constants::kT_eV(T_kelvin), 2.0)
                                    : ZoneQuadrature::gauss_legendre(n_k);
  return conductivity(chain, S, high_branch, mu, T_kelvin, carriers, q, both_bands);
}

double conductivity(const Chain& chain, double S, bool high_branch, double mu, double T_kelvin,
                    const transport::Carriers& carriers, const ZoneQuadrature& q,
                    bool both_bands) {
  chain.validate();
  validate::non_negative("S", S);
  validate::finite("mu", mu);
  validate::positive("T", T_kelvin);
  validate::non_empty("quadrature", q.size());
  const double kT = constants::kT_eV(T_kelvin);
  const double pref = transport::conductivity_prefactor(carriers);
  const double J = std::fabs(chain.J0);
  const double ubar = 0.5 * (chain.U_A + chain.U_B), du = 0.5 * (chain.U_A - chain.U_B);
  const int n = q.size();
  const int nb = both_bands ? 2 : 1;
  Eigen::ArrayXd energy(n * nb), weight(n * nb);
  for (int j = 0; j < n; ++j) {
    const auto i = static_cast<std::size_t>(j);
    const double m = off_diag(S, J, q.c[i], high_branch);
    const double R = std::sqrt(du * du + m * m);
    // m = S -+ J cos(ka/2): dm/dk = +- J (a/2) sin(ka/2); dE+/dk = (m/R) dm/dk, eV*Angstrom.
    const double dmdk = (high_branch ? 1.0 : -1.0) * J * 0.5 * chain.a * q.s[i];
    const double slope = R > 0.0 ? (m / R) * dmdk : 0.0;
    const double v = transport::velocity_from_slope(slope);
    energy[j] = ubar + R;
    weight[j] = q.w[i] * v * v;
    if (both_bands) {
      energy[n + j] = ubar - R;
      weight[n + j] = q.w[i] * v * v;
    }
  }
  const transport::FermiWindowSum sum(energy, weight);
  return pref * sum(mu, kT);
}

// ---------------------------------------------------------------------------------------------

Sweep sweep(const Chain& chain, const Eigen::Ref<const Eigen::ArrayXd>& mu,
            const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, const Options& opt,
            const transport::Carriers& carriers, const Execution& exec) {
  chain.validate();
  validate::all_finite("mu", mu);
  validate::all_positive("T", T_kelvin);
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  validate::positive("resolution_kT", opt.resolution_kT);
  transport::conductivity_prefactor(carriers);  // validates the carriers
  const Eigen::Index n = mu.size();
  Sweep w;
  w.mu = mu;
  w.T = T_kelvin;
  for (Eigen::ArrayXd* a : {&w.S00, &w.grand_potential, &w.filling, &w.sigma, &w.E_t,
                            &w.upper_min, &w.upper_max, &w.lower_min, &w.lower_max,
                            &w.cbm_weight_B})
    a->setConstant(n, kNaN);
  for (Eigen::ArrayXi* a : {&w.n_roots, &w.selected, &w.carrier, &w.high_branch,
                            &w.rules_disagree, &w.n_k})
    a->setZero(n);
  std::vector<std::vector<Root>> all(static_cast<std::size_t>(n));
  // The quadratures (for eq 42 and, refined twice, for eq 30) of each distinct temperature,
  // built up front.
  std::map<double, std::pair<ZoneQuadrature, ZoneQuadrature>> quad;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double Ti = T_kelvin[i];
    if (quad.count(Ti)) continue;
    const double kT = constants::kT_eV(Ti);
    if (opt.n_k > 0)
      quad.emplace(Ti, std::make_pair(ZoneQuadrature::gauss_legendre(opt.n_k),
                                      ZoneQuadrature::gauss_legendre(2 * opt.n_k)));
    else
      quad.emplace(Ti, std::make_pair(auto_quadrature(chain, kT, opt.k_refine),
                                      auto_quadrature(chain, kT, 2.0 * opt.k_refine)));
  }
  Execution ex = exec;
  ex.min_items_per_thread = std::max<std::size_t>(ex.min_items_per_thread, 4);
  parallel_for(
      static_cast<std::size_t>(n),
      [&](std::size_t iu) {
        const Eigen::Index i = static_cast<Eigen::Index>(iu);
        Solution s;
        try {
          s = solve(chain, mu[i], T_kelvin[i], opt, quad.at(T_kelvin[i]).first);
        } catch (const ConvergenceError&) {
          w.selected[i] = -1;  // no self-consistent solution: row left NaN
          return;
        }
        all[iu] = s.roots;
        w.n_roots[i] = static_cast<int>(s.roots.size());
        w.selected[i] = s.selected;
        w.S00[i] = s.S00;
        w.grand_potential[i] = s.roots[static_cast<std::size_t>(s.selected)].grand_potential;
        w.filling[i] = s.filling;
        w.high_branch[i] = s.high_branch ? 1 : 0;
        w.rules_disagree[i] = s.rules_disagree ? 1 : 0;
        w.n_k[i] = s.n_k;
        const BandEdges e = band_edges(chain, s.S00, s.high_branch);
        w.upper_min[i] = e.upper_min;
        w.upper_max[i] = e.upper_max;
        w.lower_min[i] = e.lower_min;
        w.lower_max[i] = e.lower_max;
        w.cbm_weight_B[i] = e.cbm_weight_B;
        int carrier = 0;
        w.E_t[i] = carrier_formation_energy(e, mu[i], &carrier);
        w.carrier[i] = carrier;
        w.sigma[i] = conductivity(chain, s.S00, s.high_branch, mu[i], T_kelvin[i], carriers,
                                  quad.at(T_kelvin[i]).second);
      },
      ex);
  std::size_t max_roots = 1;
  for (const auto& r : all) max_roots = std::max(max_roots, r.size());
  w.roots.setConstant(n, static_cast<Eigen::Index>(max_roots), kNaN);
  w.root_grand_potential.setConstant(n, static_cast<Eigen::Index>(max_roots), kNaN);
  for (Eigen::Index i = 0; i < n; ++i)
    for (std::size_t j = 0; j < all[static_cast<std::size_t>(i)].size(); ++j) {
      w.roots(i, static_cast<Eigen::Index>(j)) = all[static_cast<std::size_t>(i)][j].S;
      w.root_grand_potential(i, static_cast<Eigen::Index>(j)) =
          all[static_cast<std::size_t>(i)][j].grand_potential;
    }
  return w;
}

// ---------------------------------------------------------------------------------------------

FillingSolution solve_filling(const Chain& chain, double n, double T_kelvin, const Options& opt) {
  chain.validate();
  if (!(std::isfinite(n) && n > 0.0 && n < 2.0))
    validate::fail("filling", validate::format_value(n), "finite and in (0, 2) ions per cell");
  validate::positive("T", T_kelvin);
  const double kT = constants::kT_eV(T_kelvin);
  FillingSolution out;
  out.target = n;
  std::vector<double> tried;
  auto filling_at = [&](double mu) {
    ++out.evaluations;
    tried.push_back(mu);
    return solve(chain, mu, T_kelvin, opt).filling;
  };
  const double ubar = 0.5 * (chain.U_A + chain.U_B), du = 0.5 * (chain.U_A - chain.U_B);
  const double Rmax = std::sqrt(du * du + std::pow(std::fabs(chain.J0) + chain.S_max(), 2));
  const double step = Rmax + 40.0 * kT;
  double lo = ubar - step, hi = ubar + step;
  double nlo = filling_at(lo), nhi = filling_at(hi);
  for (int it = 0; it < 60 && nlo >= n; ++it) {
    lo -= step * (it + 1);
    nlo = filling_at(lo);
  }
  for (int it = 0; it < 60 && nhi <= n; ++it) {
    hi += step * (it + 1);
    nhi = filling_at(hi);
  }
  if (!(nlo < n && nhi > n))
    throw ConvergenceError("doping::solve_filling: could not bracket filling " +
                               validate::format_value(n) + " (history: mu tried, eV)",
                           tried);
  roots::BrentOptions bo;
  bo.xtol = 1e-12;
  bo.rtol = 1e-15;
  const double mu = roots::brent([&](double m) { return filling_at(m) - n; }, lo, hi, bo);
  out.mu = mu;
  out.solution = solve(chain, mu, T_kelvin, opt);
  if (std::fabs(out.solution.filling - n) > 1e-9) {
    // n(mu) jumps across the target: a first-order transition at mu.
    const double d = 1e-9;
    out.coexistence = true;
    out.filling_below = filling_at(mu - d);
    out.filling_above = filling_at(mu + d);
    if (!(out.filling_below <= n && n <= out.filling_above))
      throw ConvergenceError("doping::solve_filling: filling " + validate::format_value(n) +
                                 " not reached (history: mu tried, eV)",
                             tried);
  } else {
    out.filling_below = out.filling_above = out.solution.filling;
  }
  return out;
}

}  // namespace quasiion::doping
