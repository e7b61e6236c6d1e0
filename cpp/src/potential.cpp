#include "quasiion/potential.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/validate.hpp"
#include "quasiion/vexp.hpp"
#include "quasiion/wellchain.hpp"

namespace quasiion::potential {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 8-point Gauss-Legendre on [-1, 1].
constexpr double kGLx[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267,
                            0.9602898564975363};
constexpr double kGLw[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745,
                            0.1012285362903763};

// Composite 8-point Gauss-Legendre of f over [a, b] with `panels` panels.
template <class F>
double gauss(F&& f, double a, double b, int panels) {
  const double h = (b - a) / panels;
  double s = 0.0;
  for (int p = 0; p < panels; ++p) {
    const double c = a + (p + 0.5) * h, r = 0.5 * h;
    for (int i = 0; i < 4; ++i) s += kGLw[i] * (f(c - r * kGLx[i]) + f(c + r * kGLx[i]));
  }
  return s * 0.5 * h;
}

// e^y for y in [-700, 0], vectorisable (vexp.hpp); degree 8: 3e-10 relative (measured 2.7e-10
// against std::exp over the range), far below the 1e-6 of the quadrature it serves.
inline double exp_nonpositive(double y) { return vexp::exp_nonpositive<8>(y); }

// The t rule of the thermal densities' shared nodes, on [t_lo, t_hi] as fractions xi of its
// length. Near the barrier top (t = t_hi) 1/T(E) vanishes like 1/log(1/(t_hi - t)): with
// t = t_hi - (t_hi - t_lo) phi(u), phi(u) = e^{1 - 1/u}, the log becomes 1/u - 1 + const and
// phi' = phi / u^2 flattens every derivative at u = 0, so the integrand is smooth in u and
// Gauss-Legendre in u converges fast; near t_lo (u = 1) the map is close to linear and keeps
// the resolution of the Boltzmann peak. 12 nodes: against 384 graded nodes on eq 45
// (200-1500 K), 4e-6 of the peak density in either well, normalisation to 9e-6; 12 plain
// Gauss-Legendre nodes in t give 1e-4 in the shallow well, 24 on three graded panels 2e-5.
constexpr int kRuleNodes = 12;
struct TRule {
  double xi[kRuleNodes], w[kRuleNodes];    // the rule above, on [0, 1]
  double gxi[kRuleNodes], gw[kRuleNodes];  // plain Gauss-Legendre on [0, 1]
};
const TRule& shared_t_rule() {
  static const TRule rule = [] {
    TRule r{};
    constexpr int n = kRuleNodes;
    for (int i = 0; i < n; ++i) {
      // Gauss-Legendre node i on [-1, 1] by Newton on P_n from the usual cosine guess
      double z = std::cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 0.0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1.0, p1 = z;
        for (int k = 2; k <= n; ++k) {
          const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1.0);
        const double dz = p1 / dp;
        z -= dz;
        if (std::fabs(dz) < 1e-16) break;
      }
      const double u = 0.5 * (z + 1.0), wu = 1.0 / ((1.0 - z * z) * dp * dp);  // on [0, 1]
      const double phi = std::exp(1.0 - 1.0 / u);
      r.gxi[i] = u;
      r.gw[i] = wu;
      r.xi[i] = 1.0 - phi;
      r.w[i] = wu * phi / (u * u);
    }
    return r;
  }();
  return rule;
}

// The composite rule on P equal panels of [0, 1] (fractions of [t_lo, t_hi]): plain
// Gauss-Legendre on the first P - 1, the 1/log-end rule on the last; P * kRuleNodes nodes.
void composite_t_rule(int P, std::vector<double>& xi, std::vector<double>& w) {
  const TRule& r = shared_t_rule();
  xi.resize(static_cast<std::size_t>(P) * kRuleNodes);
  w.resize(xi.size());
  const double h = 1.0 / P;
  for (int q = 0; q < P; ++q)
    for (int k = 0; k < kRuleNodes; ++k) {
      const bool end = q == P - 1;
      const std::size_t i = static_cast<std::size_t>(q) * kRuleNodes + static_cast<std::size_t>(k);
      xi[i] = q * h + h * (end ? r.xi[k] : r.gxi[k]);
      w[i] = h * (end ? r.w[k] : r.gw[k]);
    }
}

// sums[p * nT + j] = sum_k C[p K + k] e^{beta_j dE[p K + k]} (K = kRuleNodes) for p < np, with
// nT a multiple of kLanes and every beta_j dE in [-700, 0] (no clamp inside: a branch would
// stop the vectorisation). kLanes temperatures form one vector and the K exponentials of a
// point are independent, so the polynomial chains overlap; each sum runs over k in order, so
// the result does not depend on how the points are split over threads. An AVX2/FMA clone is
// chosen at run time where the CPU has it (the build itself targets the baseline ISA).
constexpr std::size_t kLanes = 4;
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void boltzmann_sums(const double* __restrict dE, const double* __restrict C, std::size_t np,
                    const double* __restrict beta, std::size_t nT, double* __restrict sums) {
  for (std::size_t p = 0; p < np; ++p) {
    const double* __restrict d = dE + p * kRuleNodes;
    const double* __restrict c = C + p * kRuleNodes;
    for (std::size_t j0 = 0; j0 < nT; j0 += kLanes) {
      double a[kLanes] = {};
#pragma GCC unroll 12
      for (int k = 0; k < kRuleNodes; ++k)
        for (std::size_t j = 0; j < kLanes; ++j) a[j] += c[k] * exp_nonpositive(beta[j0 + j] * d[k]);
      for (std::size_t j = 0; j < kLanes; ++j) sums[p * nT + j0 + j] = a[j];
    }
  }
}

// The shared nodes of one point: t_k = t_lo + len xi_k, dE_k = U(x) + t_k^2 - U_min and the
// weights C_k = 2 len w_k / T(E_k), 1/T by linear interpolation in s = sqrt(dE / D) on the
// well's table (bucket start, short walk). The arithmetic loops vectorise; the index walk is
// scalar. dE >= 0: the interpolant never undershoots the well's minimum sample.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void shared_nodes(double ux, double Umin, double invD, double tlo, double len,
                  const double* __restrict xi, const double* __restrict w,
                  const double* __restrict ts, int N, const int* __restrict bucket, int M,
                  const double* __restrict ia, const double* __restrict ib,
                  double* __restrict dE, double* __restrict C) {
  double s[kRuleNodes];
  int m[kRuleNodes];
  for (int k = 0; k < kRuleNodes; ++k) {
    const double t = tlo + len * xi[k];
    const double d = (ux + t * t) - Umin;
    dE[k] = d;
    s[k] = std::sqrt(std::max(0.0, d * invD));  // >= 0 already; no NaN on a rounding slip
  }
  for (int k = 0; k < kRuleNodes; ++k) {
    const double sk = s[k];
    const double b = sk * M;
    int j = bucket[b < M - 1 ? static_cast<int>(b) : M - 1];
    while (j > 0 && ts[j] > sk) --j;
    while (j < N - 2 && ts[j + 1] < sk) ++j;
    m[k] = j;
  }
  const double h = 2.0 * len;
  for (int k = 0; k < kRuleNodes; ++k) C[k] = h * w[k] * (ia[m[k]] + ib[m[k]] * s[k]);
}

long floor_div(long a, long b) { return (a >= 0) ? a / b : -((-a + b - 1) / b); }

void check_well(int well, int n) {
  if (well < 0 || well >= n)
    validate::fail("well", std::to_string(well), "in [0, " + std::to_string(n - 1) + "]");
}

}  // namespace

Landscape::Landscape(Profile profile, int energy_nodes, int panels, const Execution& exec)
    : profile_(std::move(profile)),
      panels_(panels),
      energy_nodes_(energy_nodes),
      exec_(exec),
      lazy_(std::make_shared<Lazy>()) {
  if (energy_nodes < 8) validate::fail("energy_nodes", std::to_string(energy_nodes), ">= 8");
  if (panels < 2) validate::fail("panels", std::to_string(panels), ">= 2");
  const int nw = n_wells();
  {
    const auto& xs = profile_.x_samples();
    const auto& us = profile_.U_samples();
    const long n = static_cast<long>(xs.size());
    const bool per = profile_.periodic();
    const long m = per ? n - 1 : n;
    const double L = profile_.period();
    reach_.resize(2 * static_cast<std::size_t>(nw));
    for (int w = 0; w < nw; ++w) {
      const Well& W = profile_.wells()[static_cast<std::size_t>(w)];
      for (int side = 0; side < 2; ++side) {
        const double stop = side ? W.x_right : W.x_left;
        Reach& r = reach_[2 * static_cast<std::size_t>(w) + static_cast<std::size_t>(side)];
        // knots strictly between W.x and stop, walked outward from the well (global knot
        // index g, unwrapped position pos(g))
        std::vector<std::pair<double, double>> pts;
        long g;
        if (per) {
          const long sh = static_cast<long>(std::floor((W.x - xs.front()) / L));
          const double r0 = W.x - sh * L;
          g = sh * m + static_cast<long>(std::upper_bound(xs.begin(), xs.end() - 1, r0) - xs.begin());
        } else {
          g = static_cast<long>(std::upper_bound(xs.begin(), xs.end(), W.x) - xs.begin());
        }
        // local index k and shift sh of g, stepped without divisions
        if (!side) --g;
        long sh = 0, k = g;
        if (per) {
          sh = g >= 0 ? g / m : -((-g + m - 1) / m);
          k = g - sh * m;
        }
        pts.reserve(static_cast<std::size_t>(m) + 1);
        while (per || (k >= 0 && k < n)) {
          const double xk = xs[static_cast<std::size_t>(k)] + sh * L;
          if (side ? !(xk < stop) : !(xk > stop)) break;
          if (side ? xk > W.x : xk < W.x) pts.emplace_back(xk, us[static_cast<std::size_t>(k)]);
          k += side ? 1 : -1;
          if (per && k == m) {
            k = 0;
            ++sh;
          } else if (per && k < 0) {
            k = m - 1;
            --sh;
          }
        }
        pts.emplace_back(stop, profile_(stop));
        double mx = -kInf;
        for (const auto& [xk, uk] : pts) {
          mx = std::max(mx, uk);
          r.x.push_back(xk);
          r.run_max.push_back(mx);
        }
      }
    }
  }
  // The fixed s rule of QuadTable: 8 Gauss-Legendre nodes on each of the panels
  // [0, 1/4], [1/4, 1/2], [1/2, 3/4], ..., [1 - 2^-9, 1 - 2^-10], [1 - 2^-10, 1]. Against a
  // 16 x 40-panel rule with 512 theta nodes, eq 45 at 150-1500 K: <U> to ~1e-8 eV.
  std::vector<double> edges{0.0, 0.25, 0.5};
  for (int k = 2; k <= 10; ++k) edges.push_back(1.0 - std::ldexp(1.0, -k));
  edges.push_back(1.0);
  std::vector<double> s_nodes, s_weights;
  for (std::size_t p = 0; p + 1 < edges.size(); ++p) {
    const double c = 0.5 * (edges[p] + edges[p + 1]), r = 0.5 * (edges[p + 1] - edges[p]);
    for (int i = 0; i < 4; ++i)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        s_nodes.push_back(c + sgn * r * kGLx[i]);
        s_weights.push_back(r * kGLw[i]);
      }
  }
  const std::size_t N = s_nodes.size();
  quad_.resize(static_cast<std::size_t>(nw));
  for (auto& q : quad_) {
    q.E.resize(N);
    q.w.resize(N);
    q.Umean.resize(N);
  }
  constexpr int kQuadTheta = 32;  // the nodes stay 1e-6 below the barrier top (test: 1e-8 eV)
  // ~1 us per node: a thread (tens of us to start, more when the other core is busy) pays
  // off only for hundreds of nodes.
  Execution e = exec;
  e.min_items_per_thread = std::max<std::size_t>(e.min_items_per_thread, 256);
  parallel_for(
      static_cast<std::size_t>(nw) * N,
      [&](std::size_t idx) {
        const int w = static_cast<int>(idx / N);
        const std::size_t k = idx % N;
        const Well& W = profile_.wells()[static_cast<std::size_t>(w)];
        QuadTable& q = quad_[static_cast<std::size_t>(w)];
        const double D = W.E_top() - W.U, s = s_nodes[k];
        q.E[k] = W.U + D * s * s;
        q.w[k] = s_weights[k] * 2.0 * D * s;
        q.Umean[k] = orbit_nodes(w, q.E[k], kQuadTheta).U_mean;
      },
      e);
}

const std::vector<Landscape::Table>& Landscape::tables() const {
  std::call_once(lazy_->once, [this] {
    const int nw = n_wells();
    const int N = energy_nodes_;
    std::vector<Table> tables(static_cast<std::size_t>(nw));
    for (auto& t : tables) {
      t.s.resize(N);
      t.E.resize(N);
      t.invT.resize(N);
      t.Umean.resize(N);
    }
    // Every (well, node) pair is independent: tabulate them in parallel.
    parallel_for(
        static_cast<std::size_t>(nw) * N,
        [&](std::size_t idx) {
          const int w = static_cast<int>(idx / N), k = static_cast<int>(idx % N);
          const Well& W = profile_.wells()[static_cast<std::size_t>(w)];
          Table& t = tables[static_cast<std::size_t>(w)];
          const double s = 0.5 * (1.0 - std::cos(M_PI * k / (N - 1)));
          // The end nodes are evaluated just inside: the orbit shrinks to a point at s = 0 and
          // T(E) diverges logarithmically at a barrier top (s = 1).
          const double se = std::clamp(s, 1e-6, 1.0 - 1e-10);
          const double D = W.E_top() - W.U;
          const double E = W.U + D * se * se;
          const Orbit o = orbit(w, E);
          t.s[k] = s;
          t.E[k] = W.U + D * s * s;
          t.invT[k] = 1.0 / o.T;
          t.Umean[k] = o.U_mean;
        },
        exec_);
    for (auto& t : tables) {
      // 1/T on node interval m as a line in s (no division per look-up)
      t.invT_b.resize(static_cast<std::size_t>(N) - 1);
      t.invT_a.resize(static_cast<std::size_t>(N) - 1);
      for (std::size_t m = 0; m + 1 < static_cast<std::size_t>(N); ++m) {
        t.invT_b[m] = (t.invT[m + 1] - t.invT[m]) / (t.s[m + 1] - t.s[m]);
        t.invT_a[m] = t.invT[m] - t.invT_b[m] * t.s[m];
      }
      const int M = 4 * N;
      t.bucket.resize(static_cast<std::size_t>(M));
      int k = 0;
      for (int b = 0; b < M; ++b) {
        const double sb = static_cast<double>(b) / M;
        while (k < N - 2 && t.s[static_cast<std::size_t>(k) + 1] <= sb) ++k;
        t.bucket[static_cast<std::size_t>(b)] = k;
      }
    }
    lazy_->tables = std::move(tables);
  });
  return lazy_->tables;
}

double Landscape::turning_point(int well, double E, bool right) const {
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  const Reach& r = reach_[2 * static_cast<std::size_t>(well) + (right ? 1 : 0)];
  const auto it = std::lower_bound(r.run_max.begin(), r.run_max.end(), E);
  if (it == r.run_max.end()) return r.x.back();  // U stays below E up to the bound (a wall)
  const std::size_t k = static_cast<std::size_t>(it - r.run_max.begin());
  const double a = k == 0 ? W.x : r.x[k - 1], b = r.x[k];
  if (profile_(a) >= E) return a;
  return profile_.solve_in_interval(a, b, E);
}

double Landscape::gate(int well, double x, double ux) const {
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  const bool right = x > W.x;
  const Reach& r = reach_[2 * static_cast<std::size_t>(well) + (right ? 1 : 0)];
  // r.x walks outward from the minimum: the knots strictly between x0 and x are a prefix.
  const auto n = std::partition_point(r.x.begin(), r.x.end(),
                                      [&](double xk) { return right ? xk < x : xk > x; }) -
                 r.x.begin();
  return n > 0 ? std::max(ux, r.run_max[static_cast<std::size_t>(n - 1)]) : ux;
}

Orbit Landscape::orbit(int well, double E) const { return orbit_nodes(well, E, 8 * panels_); }

Orbit Landscape::orbit_nodes(int well, double E, int n_theta) const {
  check_well(well, n_wells());
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  if (!(E > W.U && E < W.E_top()))
    validate::fail("E", validate::format_value(E),
                   "inside the well: U_min = " + validate::format_value(W.U) + " < E < E_top = " +
                       validate::format_value(W.E_top()));
  Orbit o;
  o.x_minus = turning_point(well, E, false);
  o.x_plus = turning_point(well, E, true);
  const double c = 0.5 * (o.x_minus + o.x_plus), hL = 0.5 * (o.x_plus - o.x_minus);
  // theta-substitution x = c - (L/2) cos(theta): with E - U = (x - x_-)(x_+ - x) q(x), the
  // integrand (L/2) sin(theta) / sqrt(E - U) = 1 / sqrt(q) is a smooth even periodic function
  // of theta, so the midpoint (Gauss-Chebyshev) rule converges geometrically; no node sits
  // on a turning point. The nodes increase in x: one forward walk over the knots.
  constexpr int kChunk = 64;
  double xs[kChunk], us[kChunk], sn[kChunk];
  double T = 0.0, A = 0.0;
  const double h = M_PI / n_theta;
  for (int i0 = 0; i0 < n_theta; i0 += kChunk) {
    const int m = std::min(kChunk, n_theta - i0);
    for (int i = 0; i < m; ++i) {
      const double th = (i0 + i + 0.5) * h;
      xs[i] = c - hL * std::cos(th);
      sn[i] = std::sin(th);
    }
    profile_.values_sorted(xs, us, static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i) {
      const double d = E - us[i];
      if (d > 0.0) {
        const double g = h * hL * sn[i] / std::sqrt(d);
        T += g;
        A += g * us[i];
      }
    }
  }
  o.T = T;
  o.U_mean = A / T;
  return o;
}

double Landscape::oscillation_period(int well, double E, double mass_amu) const {
  validate::positive("mass", mass_amu);
  const Orbit o = orbit(well, E);
  const double m = mass_amu * constants::amu_kg;
  return 2.0 * std::sqrt(0.5 * m) * o.T * constants::angstrom_m / std::sqrt(constants::elementary_charge);
}

Eigen::ArrayXd Landscape::classical_density(int well, double E,
                                            const Eigen::Ref<const Eigen::ArrayXd>& x) const {
  validate::all_finite("x", x);
  const Orbit o = orbit(well, E);
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (x[i] <= o.x_minus || x[i] >= o.x_plus) continue;
    const double d = E - profile_(x[i]);
    out[i] = d > 0.0 ? 1.0 / (o.T * std::sqrt(d)) : kInf;
  }
  return out;
}

double Landscape::interp(const Table& t, const std::vector<double>& v, double E, int well) const {
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  const double D = W.E_top() - W.U;
  const double s = std::clamp(std::sqrt(std::max(0.0, (E - W.U) / D)), 0.0, 1.0);
  const int N = static_cast<int>(t.s.size());
  const int M = static_cast<int>(t.bucket.size());
  int k = t.bucket[static_cast<std::size_t>(std::min(M - 1, static_cast<int>(s * M)))];
  while (k > 0 && t.s[k] > s) --k;
  while (k < N - 2 && t.s[k + 1] < s) ++k;
  const double f = (s - t.s[k]) / (t.s[k + 1] - t.s[k]);
  return v[k] + f * (v[k + 1] - v[k]);
}

double Landscape::inv_T(int well, double E) const {
  const Table& t = tables()[static_cast<std::size_t>(well)];
  return interp(t, t.invT, E, well);
}

double Landscape::mean_U_at(int well, double E) const {
  const Table& t = tables()[static_cast<std::size_t>(well)];
  return interp(t, t.Umean, E, well);
}

double Landscape::E_min(int well, double kT, double thermalisation) const {
  check_well(well, n_wells());
  validate::positive("kT", kT);
  validate::non_negative("thermalisation", thermalisation);
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  const double e = W.U + thermalisation * kT;
  if (!(e < W.E_top()))
    validate::fail("thermalisation", validate::format_value(thermalisation),
                   "small enough that E_min = U_min + thermalisation kT = " + validate::format_value(e) +
                       " eV stays below the well's barrier E_top = " + validate::format_value(W.E_top()) +
                       " eV (well " + std::to_string(well) + ")");
  return e;
}

double Landscape::well_density(int well, double x, double kT, double thermalisation) const {
  const double emin = E_min(well, kT, thermalisation);
  const Well& W = profile_.wells()[static_cast<std::size_t>(well)];
  if (!(x > W.x_left && x < W.x_right)) return 0.0;
  const double etop = W.E_top();
  const double ux = profile_(x);
  if (!(ux < etop)) return 0.0;
  const double g = gate(well, x, ux);
  if (!(g < etop)) return 0.0;
  const double elo = std::max(emin, g);
  const double ecut = std::min(etop, elo + 40.0 * kT);
  if (!(ecut > elo)) return 0.0;
  const double tlo = std::sqrt(elo - ux), thi = std::sqrt(ecut - ux);
  const double I = gauss(
      [&](double t) {
        const double E = ux + t * t;
        return 2.0 * std::exp(-(E - emin) / kT) * inv_T(well, E);
      },
      tlo, thi, 6);
  const double Z = -kT * std::expm1(-(etop - emin) / kT);
  return I / Z;
}

double Landscape::well_mean_U(int well, double kT, double thermalisation) const {
  const double emin = E_min(well, kT, thermalisation);
  if (thermalisation == 0.0) {
    // The shared s rule: e^{-(E - U_min)/kT} at its nodes, until it underflows.
    const QuadTable& q = quad_[static_cast<std::size_t>(well)];
    double num = 0.0, den = 0.0;
    for (std::size_t k = 0; k < q.E.size(); ++k) {
      const double x = (q.E[k] - emin) / kT;
      if (x > 745.0) break;  // the nodes increase in E
      const double g = q.w[k] * std::exp(-x);
      num += g * q.Umean[k];
      den += g;
    }
    if (den > 0.0) return num / den;  // else kT far below the first node: the table route
  }
  const double etop = profile_.wells()[static_cast<std::size_t>(well)].E_top();
  const double ecut = std::min(etop, emin + 40.0 * kT);
  const double num = gauss([&](double E) { return std::exp(-(E - emin) / kT) * mean_U_at(well, E); },
                           emin, ecut, 16);
  const double den = gauss([&](double E) { return std::exp(-(E - emin) / kT); }, emin, ecut, 16);
  return num / den;
}

std::vector<DensityPart> Landscape::host_parts(int host, double T_kelvin,
                                               const ThermalOptions& opt) const {
  check_well(host, n_wells());
  validate::positive("T", T_kelvin);
  if (std::isnan(opt.E_s) || opt.E_s < 0.0)
    validate::fail("E_s", validate::format_value(opt.E_s), ">= 0 (inf: nearest neighbours only)");
  if (opt.max_hops < 0) validate::fail("max_hops", std::to_string(opt.max_hops), ">= 0");
  const double kT = constants::kT_eV(T_kelvin);
  const double emin = E_min(host, kT, opt.thermalisation);
  const auto& wells = profile_.wells();
  const long nw = static_cast<long>(wells.size());
  std::vector<DensityPart> parts{{host, 0, 0, 1.0}};
  for (int dir = +1; dir >= -1; dir -= 2) {
    double thr = -kInf;
    for (int k = 1; k <= opt.max_hops; ++k) {
      const long g_prev = host + static_cast<long>(dir) * (k - 1);
      const long g = host + static_cast<long>(dir) * k;
      long prev, idx, shift = 0;
      if (profile_.periodic()) {
        prev = ((g_prev % nw) + nw) % nw;
        idx = ((g % nw) + nw) % nw;
        shift = floor_div(g, nw);
      } else {
        if (g < 0 || g >= nw) break;
        prev = g_prev;
        idx = g;
      }
      const Well& P = wells[static_cast<std::size_t>(prev)];
      const double ub = dir > 0 ? P.U_right : P.U_left;
      if (!std::isfinite(ub)) break;
      const double loss = (k - 1) * opt.E_s;  // 0 * inf must stay 0 for k = 1
      thr = std::max(thr, ub + (k == 1 ? 0.0 : loss));
      const double w = std::exp(-(thr - emin) / kT);
      if (!(w > 1e-30)) break;  // lighter parts are dropped
      parts.push_back({static_cast<int>(idx), static_cast<int>(shift), dir * k, w});
    }
  }
  double total = 0.0;
  for (const auto& p : parts) total += p.weight;
  for (auto& p : parts) p.weight /= total;
  return parts;
}

Eigen::ArrayXd Landscape::thermal_density(int host, double T_kelvin, const ThermalOptions& opt,
                                          const Eigen::Ref<const Eigen::ArrayXd>& x) const {
  validate::all_finite("x", x);
  const auto parts = host_parts(host, T_kelvin, opt);
  const double kT = constants::kT_eV(T_kelvin);
  const double L = profile_.period();
  for (const auto& p : parts) (void)E_min(p.well, kT, opt.thermalisation);
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    double s = 0.0;
    for (const auto& p : parts) {
      const double xl = x[i] - p.shift * L;
      s += p.weight * well_density(p.well, xl, kT, opt.thermalisation);
    }
    out[i] = s;
  }
  return out;
}

Eigen::ArrayXXd Landscape::thermal_density(int host, const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                           const ThermalOptions& opt,
                                           const Eigen::Ref<const Eigen::ArrayXd>& x,
                                           const Execution& exec) const {
  validate::non_empty("T", T_kelvin.size());
  validate::all_positive("T", T_kelvin);
  validate::all_finite("x", x);
  const std::size_t nT = static_cast<std::size_t>(T_kelvin.size());
  // uninitialised: each block of points zeroes its own columns while they are in cache
  Eigen::ArrayXXd out(T_kelvin.size(), x.size());
  if (opt.thermalisation != 0.0) {
    // E_min (so the lower end of every E integral) moves with T: no node set to share.
    parallel_for(
        nT,
        [&](std::size_t j) {
          out.row(static_cast<Eigen::Index>(j)) =
              thermal_density(host, T_kelvin[static_cast<Eigen::Index>(j)], opt, x).transpose();
        },
        exec);
    return out;
  }
  // Shared across temperatures (thermalisation 0, so E_min = U_min): at a point x of a well the
  // E integral runs over [gate(x), E_top] whatever T is, so its nodes in t = sqrt(E - U(x))
  // and their weights 2 w / T(E) are built once per x (shared_t_rule: 12 nodes placed for
  // the 1/log end at the barrier top, on 1 panel or more where 1/T(E) needs them); a
  // temperature then costs one exponential per node.
  // The wells of distinct (well, shift) parts are disjoint in x, so a point belongs to at
  // most one part. Work is split over blocks of points: each block builds its nodes
  // (K table look-ups per point and panel) into a buffer that stays in cache, then runs the
  // Boltzmann sums for every temperature; a point's result does not depend on the split.
  // Below kT = (E_top - U_min) / kMaxSpan the Boltzmann factor is too narrow for a fixed rule
  // over the whole range and that (T, well) takes the per-temperature route (cut at 40 kT).
  constexpr int K = kRuleNodes;
  constexpr double kMaxSpan = 30.0;
  constexpr std::size_t kBlock = 32;
  struct PartKey {
    int well, shift;
  };
  std::vector<PartKey> keys;
  std::vector<std::vector<DensityPart>> parts(nT);
  for (std::size_t j = 0; j < nT; ++j) {
    parts[j] = host_parts(host, T_kelvin[static_cast<Eigen::Index>(j)], opt);
    for (const auto& p : parts[j]) {
      bool seen = false;
      for (const auto& k : keys) seen = seen || (k.well == p.well && k.shift == p.shift);
      if (!seen) keys.push_back({p.well, p.shift});
    }
  }
  const std::size_t nK = keys.size();
  // Per part: the temperatures of the shared rule (their -1/kT and weight / Z) and those of
  // the per-temperature route (their weight); a part absent at some T (too light) has neither.
  struct PartT {
    std::vector<std::size_t> shared_j, fallback_j;
    std::vector<double> beta, factor, fallback_w;
  };
  std::vector<PartT> pt(nK);
  for (std::size_t j = 0; j < nT; ++j) {
    const double kT = constants::kT_eV(T_kelvin[static_cast<Eigen::Index>(j)]);
    for (const auto& p : parts[j]) {
      std::size_t q = 0;
      while (keys[q].well != p.well || keys[q].shift != p.shift) ++q;
      const Well& W = profile_.wells()[static_cast<std::size_t>(p.well)];
      const double span = W.E_top() - W.U;
      if (span > kMaxSpan * kT) {
        pt[q].fallback_j.push_back(j);
        pt[q].fallback_w.push_back(p.weight);
      } else {
        // every node has E - U_min <= span, so beta (E - U_min) stays in [-kMaxSpan, 0]
        pt[q].shared_j.push_back(j);
        pt[q].beta.push_back(-1.0 / kT);
        pt[q].factor.push_back(p.weight / (-kT * std::expm1(-span / kT)));
      }
    }
  }
  for (auto& P : pt)  // padded to whole vectors with beta = 0 (e^0: finite, discarded)
    P.beta.resize((P.beta.size() + kLanes - 1) / kLanes * kLanes, 0.0);
  const auto& tabs = tables();
  const double L = profile_.period();
  // Panels per part. One panel (12 nodes) is converged for smooth 1/T(E), as in eq 45; a
  // profile whose 1/T(E) has a narrow feature inside the range (a shoulder the turning point
  // crosses quickly) needs more. The choice: the E integral at the well's minimum (the widest
  // range, so every feature of 1/T below E_top) at the coldest and hottest shared
  // temperatures, with P and 2P panels; the first P, of 1, 2, 4, 8, whose two estimates agree
  // to kRuleTol (else 8).
  constexpr int kMaxPanels = 8;
  constexpr double kRuleTol = 1e-5;
  std::vector<std::vector<double>> rxi(2 * kMaxPanels + 1), rw(2 * kMaxPanels + 1);
  for (int P = 1; P <= 2 * kMaxPanels; P *= 2) composite_t_rule(P, rxi[static_cast<std::size_t>(P)], rw[static_cast<std::size_t>(P)]);
  std::vector<int> panels(nK, 1);
  for (std::size_t q = 0; q < nK; ++q) {
    const PartT& P = pt[q];
    if (P.shared_j.empty()) continue;
    const int w = keys[q].well;
    const Well& W = profile_.wells()[static_cast<std::size_t>(w)];
    const Table& t = tabs[static_cast<std::size_t>(w)];
    const double span = W.E_top() - W.U;
    const double bmin = *std::min_element(P.beta.begin(), P.beta.begin() + static_cast<std::ptrdiff_t>(P.shared_j.size()));
    const double bmax = *std::max_element(P.beta.begin(), P.beta.begin() + static_cast<std::ptrdiff_t>(P.shared_j.size()));
    // from 1e-3 of the depth above the minimum: below, within a knot or two of the minimum,
    // the interpolant's own curvature (not the rule) shapes the table
    const double u0 = W.U + 1e-3 * span;
    std::vector<double> d(2 * kMaxPanels * K), c(d.size());
    const auto integral = [&](int np, double beta) {
      const auto n = static_cast<std::size_t>(np);
      for (std::size_t r = 0; r < n; ++r)
        shared_nodes(u0, W.U, 1.0 / span, 0.0, std::sqrt(W.E_top() - u0), rxi[n].data() + r * K,
                     rw[n].data() + r * K, t.s.data(), static_cast<int>(t.s.size()),
                     t.bucket.data(), static_cast<int>(t.bucket.size()), t.invT_a.data(),
                     t.invT_b.data(), d.data() + r * K, c.data() + r * K);
      double sum = 0.0;
      for (std::size_t k = 0; k < n * K; ++k) sum += c[k] * std::exp(beta * d[k]);
      return sum;
    };
    int np = 1;
    while (np < kMaxPanels) {
      bool ok = true;
      for (const double beta : {bmin, bmax}) {
        const double a = integral(np, beta), b = integral(2 * np, beta);
        ok = ok && std::fabs(a - b) <= kRuleTol * std::fabs(b);
      }
      if (ok) break;
      np *= 2;
    }
    panels[q] = np;
  }
  const std::size_t nx = static_cast<std::size_t>(x.size());
  const std::size_t nblocks = (nx + kBlock - 1) / kBlock;
  Execution e = exec;
  // a block costs ~K * nT * 1 ns: threads pay off from a few blocks each
  e.min_items_per_thread = std::max<std::size_t>(e.min_items_per_thread, 4);
  parallel_for(
      nblocks,
      [&](std::size_t blk) {
        // one entry per (point, panel)
        constexpr std::size_t kEntries = kBlock * kMaxPanels;
        double dE[kEntries * K], C[kEntries * K];
        std::size_t idx[kEntries], part[kEntries], ne = 0;
        bool first[kEntries];
        const std::size_t i0 = blk * kBlock, i1 = std::min(nx, i0 + kBlock);
        out.middleCols(static_cast<Eigen::Index>(i0), static_cast<Eigen::Index>(i1 - i0)).setZero();
        for (std::size_t i = i0; i < i1; ++i) {
          const double xi = x[static_cast<Eigen::Index>(i)];
          for (std::size_t q = 0; q < nK; ++q) {
            const int w = keys[q].well;
            const Well& W = profile_.wells()[static_cast<std::size_t>(w)];
            const double xl = xi - keys[q].shift * L;
            if (!(xl > W.x_left && xl < W.x_right)) continue;
            const double etop = W.E_top();
            const double ux = profile_(xl);
            if (!(ux < etop)) break;
            const double g = gate(w, xl, ux);
            if (!(g < etop)) break;
            const double tlo = std::sqrt(g - ux), len = std::sqrt(etop - ux) - tlo;
            const Table& t = tabs[static_cast<std::size_t>(w)];
            const auto np = static_cast<std::size_t>(panels[q]);
            for (std::size_t r = 0; r < np; ++r) {
              shared_nodes(ux, W.U, 1.0 / (etop - W.U), tlo, len, rxi[np].data() + r * K,
                           rw[np].data() + r * K, t.s.data(), static_cast<int>(t.s.size()),
                           t.bucket.data(), static_cast<int>(t.bucket.size()), t.invT_a.data(),
                           t.invT_b.data(), dE + ne * K, C + ne * K);
              idx[ne] = i;
              part[ne] = q;
              first[ne] = r == 0;
              ++ne;
            }
            break;
          }
        }
        double sums[kBlock * 64];
        for (std::size_t p0 = 0; p0 < ne;) {
          // a run of entries of one part, at most kBlock: one kernel call per 64 temperatures
          std::size_t p1 = p0 + 1;
          while (p1 < ne && p1 - p0 < kBlock && part[p1] == part[p0]) ++p1;
          const PartT& P = pt[part[p0]];
          const std::size_t nS = P.shared_j.size();
          for (std::size_t j0 = 0; j0 < nS; j0 += 64) {
            const std::size_t m = std::min<std::size_t>(64, nS - j0);
            const std::size_t mv = (m + kLanes - 1) / kLanes * kLanes;  // within P.beta's padding
            boltzmann_sums(dE + p0 * K, C + p0 * K, p1 - p0, P.beta.data() + j0, mv, sums);
            for (std::size_t p = p0; p < p1; ++p) {
              const Eigen::Index i = static_cast<Eigen::Index>(idx[p]);
              const double* sp = sums + (p - p0) * mv;
              for (std::size_t j = 0; j < m; ++j)
                out(static_cast<Eigen::Index>(P.shared_j[j0 + j]), i) += P.factor[j0 + j] * sp[j];
            }
          }
          for (std::size_t f = 0; f < P.fallback_j.size(); ++f) {
            const Eigen::Index row = static_cast<Eigen::Index>(P.fallback_j[f]);
            const double kT = constants::kT_eV(T_kelvin[row]);
            const auto& key = keys[part[p0]];
            for (std::size_t p = p0; p < p1; ++p) {
              if (!first[p]) continue;  // once per point, not per panel
              const Eigen::Index i = static_cast<Eigen::Index>(idx[p]);
              out(row, i) += P.fallback_w[f] * well_density(key.well, x[i] - key.shift * L, kT, 0.0);
            }
          }
          p0 = p1;
        }
      },
      e);
  return out;
}

TightBinding Landscape::tight_binding(double T_kelvin, Method method, double thermalisation) const {
  validate::positive("T", T_kelvin);
  validate::non_negative("thermalisation", thermalisation);
  const auto& wells = profile_.wells();
  const int nw = n_wells();
  TightBinding r;
  r.T = T_kelvin;
  const double kT = constants::kT_eV(T_kelvin);
  double ubR, ubL;  // barriers to the right / left of A (between A and B)
  if (profile_.periodic() && nw == 2) {
    r.well_A = wells[0].U <= wells[1].U ? 0 : 1;
    r.well_B = 1 - r.well_A;
    r.a = profile_.period();
  } else if (profile_.periodic() && nw == 1) {
    r.well_A = r.well_B = 0;
    r.a = 2.0 * profile_.period();
  } else if (!profile_.periodic() && nw == 2) {
    r.well_A = wells[0].U <= wells[1].U ? 0 : 1;
    r.well_B = 1 - r.well_A;
    r.a = 2.0 * std::fabs(wells[1].x - wells[0].x);
  } else {
    throw InvalidArgument(
        "profile = a " + std::string(profile_.periodic() ? "periodic profile with " : "open profile with ") +
        std::to_string(nw) + (profile_.periodic() ? " wells per period" : " wells") +
        ": must have 1 or 2 wells per period (periodic) or exactly 2 wells (open) for the "
        "two-site chain");
  }
  const Well& A = wells[static_cast<std::size_t>(r.well_A)];
  const Well& B = wells[static_cast<std::size_t>(r.well_B)];
  if (profile_.periodic()) {
    ubR = A.U_right;
    ubL = A.U_left;
  } else {
    ubR = ubL = (r.well_A == 0) ? A.U_right : A.U_left;  // mirror extension
  }
  const double eA = E_min(r.well_A, kT, thermalisation), eB = E_min(r.well_B, kT, thermalisation);
  const auto w = [&](double ub, double emin) { return std::exp(-(ub - emin) / kT); };
  const double NA = 1.0 + w(ubR, eA) + w(ubL, eA);
  const double NB = 1.0 + w(ubR, eB) + w(ubL, eB);
  double siteA = A.U, siteB = B.U;  // energies weighting the overlap inside each well
  if (method == Method::Overlap) {
    siteA = well_mean_U(r.well_A, kT, thermalisation);
    siteB = well_mean_U(r.well_B, kT, thermalisation);
    r.U_A = (siteA + (w(ubR, eA) + w(ubL, eA)) * siteB) / NA;
    r.U_B = (siteB + (w(ubR, eB) + w(ubL, eB)) * siteA) / NB;
  } else {
    r.U_A = A.U;
    r.U_B = B.U;
  }
  // eq 15 with eq 13 densities: sqrt(rho_A rho_B) is sqrt(1/NA * w_BA/NB) rho_wellA in well A
  // and sqrt(w_AB/NA * 1/NB) rho_wellB in well B; for delta wells this is eq 16 (full form).
  const auto J = [&](double ub) {
    return wellchain::eq16_hopping(siteA, siteB, w(ub, eA), w(ub, eB), NA, NB);
  };
  r.J_right = J(ubR);
  r.J_left = J(ubL);
  r.U_max = std::max(ubR, ubL);
  r.J0 = ubR >= ubL ? r.J_right : r.J_left;
  r.Ea_AB = r.U_max - eA;
  r.Ea_BA = r.U_max - eB;
  const double dU = 0.5 * (r.U_A - r.U_B), dJ = r.J_right - r.J_left;
  r.band_gap = 2.0 * std::sqrt(dU * dU + 0.25 * dJ * dJ);
  return r;
}

std::vector<TightBinding> Landscape::tight_binding(const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                                   Method method, double thermalisation,
                                                   const Execution& exec) const {
  validate::non_empty("T", T_kelvin.size());
  validate::all_positive("T", T_kelvin);
  std::vector<TightBinding> out(static_cast<std::size_t>(T_kelvin.size()));
  // ~1-2 us per temperature once the tables exist: threads only for long sweeps.
  Execution e = exec;
  e.min_items_per_thread = std::max<std::size_t>(e.min_items_per_thread, 1000);
  parallel_for(
      out.size(),
      [&](std::size_t j) {
        out[j] = tight_binding(T_kelvin[static_cast<Eigen::Index>(j)], method, thermalisation);
      },
      e);
  return out;
}

}  // namespace quasiion::potential
