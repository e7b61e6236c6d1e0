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

// e^y for y in [-700, 0]: y = n ln2 + r (Cody-Waite, |r| <= ln2/2), e^r by its degree-13 Taylor
// polynomial (truncation < 2e-16 relative), 2^n written into the exponent bits. Branch-free and
// call-free, so a loop of it vectorises (SSE2: two lanes), unlike std::exp.
inline double exp_nonpositive(double y) {
  constexpr double kLog2e = 1.4426950408889634, kShift = 6755399441055744.0;  // 1.5 * 2^52
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  const double kd = y * kLog2e + kShift;  // round to nearest: n sits in the low mantissa bits
  const double n = kd - kShift;
  const double r = (y - n * kLn2Hi) - n * kLn2Lo;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  std::uint64_t bits;
  std::memcpy(&bits, &kd, sizeof bits);
  bits = (bits + 1023u) << 52;  // the 12 low bits of n + 1023: the biased exponent of 2^n
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
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
  Eigen::ArrayXXd out = Eigen::ArrayXXd::Zero(T_kelvin.size(), x.size());
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
  // and their weights 2 w / T(E) are built once per (part, x); a temperature then costs one
  // exponential per node. Cost per (T, x): kSharedNodes exp + multiply-adds over
  // 2 * kSharedNodes doubles (16 KB per 64 points, cache-resident); the build costs
  // kSharedNodes table look-ups per (part, x) once, instead of per temperature.
  // Below kT = (E_top - U_min) / kMaxSpan the Boltzmann factor is too narrow for a fixed rule
  // over the whole range and that (T, well) takes the per-temperature route (cut at 40 kT).
  // Panels graded toward the barrier top, where 1/T(E) vanishes like 1/log (the period
  // diverges logarithmically): edges at fractions of [t_lo, t_hi].
  constexpr int kPanels = 3, kSharedNodes = 8 * kPanels;
  constexpr double kEdges[kPanels + 1] = {0.0, 0.5, 0.875, 1.0};
  constexpr double kMaxSpan = 30.0;
  std::vector<std::vector<DensityPart>> parts(nT);
  for (std::size_t j = 0; j < nT; ++j) parts[j] = host_parts(host, T_kelvin[static_cast<Eigen::Index>(j)], opt);
  struct NodeSet {
    int well = 0, shift = 0;
    std::vector<Eigen::Index> xi;
    std::vector<double> dE, C;  // E - U_min and the weight 2 w dt / T(E), per (point, node)
  };
  std::vector<NodeSet> sets;
  const double L = profile_.period();
  for (const auto& pj : parts)
    for (const auto& p : pj) {
      bool seen = false;
      for (const auto& ns : sets) seen = seen || (ns.well == p.well && ns.shift == p.shift);
      if (seen) continue;
      NodeSet ns;
      ns.well = p.well;
      ns.shift = p.shift;
      const Well& W = profile_.wells()[static_cast<std::size_t>(p.well)];
      const double etop = W.E_top();
      for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double xl = x[i] - p.shift * L;
        if (!(xl > W.x_left && xl < W.x_right)) continue;
        const double ux = profile_(xl);
        if (!(ux < etop)) continue;
        const double g = gate(p.well, xl, ux);
        if (!(g < etop)) continue;
        const double tlo = std::sqrt(g - ux), thi = std::sqrt(etop - ux);
        const double len = thi - tlo;
        ns.xi.push_back(i);
        for (int q = 0; q < kPanels; ++q) {
          const double r = 0.5 * len * (kEdges[q + 1] - kEdges[q]);
          const double c = tlo + len * kEdges[q] + r;
          for (int k = 0; k < 8; ++k) {
            const double t = k < 4 ? c - r * kGLx[k] : c + r * kGLx[k - 4];
            const double E = ux + t * t;
            ns.dE.push_back(E - W.U);
            ns.C.push_back(2.0 * r * kGLw[k % 4] * inv_T(p.well, E));
          }
        }
      }
      sets.push_back(std::move(ns));
    }
  parallel_for(
      nT,
      [&](std::size_t j) {
        const Eigen::Index row = static_cast<Eigen::Index>(j);
        const double kT = constants::kT_eV(T_kelvin[row]);
        for (const auto& p : parts[j]) {
          const NodeSet* ns = nullptr;
          for (const auto& cand : sets)
            if (cand.well == p.well && cand.shift == p.shift) ns = &cand;
          const Well& W = profile_.wells()[static_cast<std::size_t>(p.well)];
          const double span = W.E_top() - W.U;
          if (span > kMaxSpan * kT) {
            for (const Eigen::Index i : ns->xi)
              out(row, i) += p.weight * well_density(p.well, x[i] - p.shift * L, kT, 0.0);
            continue;
          }
          const double Z = -kT * std::expm1(-span / kT), beta = -1.0 / kT;
          const double f = p.weight / Z;
          const double* dE = ns->dE.data();
          const double* C = ns->C.data();
          double e[kSharedNodes];
          for (const Eigen::Index i : ns->xi) {
            // beta * dE lies in [-kMaxSpan, 0]: in the range of exp_nonpositive
            for (int k = 0; k < kSharedNodes; ++k) e[k] = exp_nonpositive(beta * dE[k]);
            double s = 0.0;
            for (int k = 0; k < kSharedNodes; ++k) s += C[k] * e[k];
            out(row, i) += f * s;
            dE += kSharedNodes;
            C += kSharedNodes;
          }
        }
      },
      exec);
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
