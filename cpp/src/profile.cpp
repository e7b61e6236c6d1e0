#include "quasiion/profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "quasiion/errors.hpp"
#include "quasiion/roots.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::potential {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Fritsch-Butland weighted harmonic mean of the neighbouring secant slopes (0 at extrema).
double interior_slope(double hm, double hp, double dm, double dp) {
  if (dm * dp <= 0.0) return 0.0;
  const double w1 = 2.0 * hp + hm, w2 = hp + 2.0 * hm;
  return (w1 + w2) / (w1 / dm + w2 / dp);
}

// One-sided three-point end slope, limited to keep the end interval monotone.
double edge_slope(double h0, double h1, double m0, double m1) {
  double d = ((2.0 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  const auto sgn = [](double v) { return (v > 0.0) - (v < 0.0); };
  if (sgn(d) != sgn(m0)) {
    d = 0.0;
  } else if (sgn(m0) != sgn(m1) && std::fabs(d) > 3.0 * std::fabs(m0)) {
    d = 3.0 * m0;
  }
  return d;
}

}  // namespace

Profile::Profile(const Eigen::Ref<const Eigen::ArrayXd>& x, const Eigen::Ref<const Eigen::ArrayXd>& U,
                 bool periodic, double prominence)
    : periodic_(periodic) {
  const Eigen::Index n = x.size();
  validate::same_size("x", n, "U", U.size());
  if (n < 3)
    validate::fail("x", "an array of length " + std::to_string(n), "at least 3 samples long");
  validate::all_finite("x", x);
  validate::all_finite("U", U);
  for (Eigen::Index i = 1; i < n; ++i) {
    if (!(x[i] > x[i - 1]))
      validate::fail("x[" + std::to_string(i) + "]", validate::format_value(x[i]),
                     "strictly increasing (no duplicates; x[" + std::to_string(i - 1) +
                         "] = " + validate::format_value(x[i - 1]) + ")");
  }
  if (std::isnan(prominence)) validate::fail("prominence", "nan", "finite (or < 0 for automatic)");
  if (std::isinf(prominence)) validate::fail("prominence", "inf", "finite (or < 0 for automatic)");
  x_.assign(x.data(), x.data() + n);
  u_.assign(U.data(), U.data() + n);
  const double range = U.maxCoeff() - U.minCoeff();
  prominence_ = prominence < 0.0 ? 0.01 * range : prominence;
  if (periodic_) {
    const double gap = std::fabs(u_.back() - u_.front());
    if (gap > std::max(prominence_, 1e-12 * std::max(1.0, range)))
      validate::fail("U[" + std::to_string(n - 1) + "]", validate::format_value(u_.back()),
                     "equal to U[0] = " + validate::format_value(u_.front()) +
                         " within the prominence " + validate::format_value(prominence_) +
                         " eV: a periodic profile's last sample closes the period (x[-1] = x[0] + "
                         "period)");
    const double mean = 0.5 * (u_.front() + u_.back());
    u_.front() = u_.back() = mean;
  }
  {
    const double h = (x_.back() - x_.front()) / static_cast<double>(n - 1);
    uniform_ = true;
    for (Eigen::Index i = 1; i + 1 < n && uniform_; ++i)
      uniform_ = std::fabs(x_[static_cast<std::size_t>(i)] - (x_.front() + static_cast<double>(i) * h)) <=
                 1e-9 * h;
    inv_h_ = 1.0 / h;
  }
  build_slopes();
  find_extrema();
}

Profile Profile::eq45(double alpha, double U_bar, double a, int samples) {
  validate::in_range("alpha", alpha, 0.0, 1.0);
  validate::finite("U_bar", U_bar);
  if (U_bar == 0.0) validate::fail("U_bar", "0", "non-zero");
  validate::positive("a", a);
  if (samples < 16) validate::fail("samples", std::to_string(samples), ">= 16");
  Eigen::ArrayXd x(samples + 1), u(samples + 1);
  for (int k = 0; k <= samples; ++k) {
    x[k] = a * k / samples;
    const double s = std::sin(M_PI * x[k] / a), c = std::cos(2.0 * M_PI * x[k] / a);
    u[k] = 2.0 * U_bar * (alpha * s * s + (1.0 - alpha) * c * c);
  }
  u[samples] = u[0];
  return Profile(x, u, true);
}

void Profile::build_slopes() {
  const std::size_t n = x_.size();
  std::vector<double> h(n - 1), m(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    h[k] = x_[k + 1] - x_[k];
    m[k] = (u_[k + 1] - u_[k]) / h[k];
  }
  d_.assign(n, 0.0);
  for (std::size_t k = 1; k + 1 < n; ++k) d_[k] = interior_slope(h[k - 1], h[k], m[k - 1], m[k]);
  if (periodic_) {
    d_[0] = d_[n - 1] = interior_slope(h[n - 2], h[0], m[n - 2], m[0]);
  } else {
    d_[0] = edge_slope(h[0], h[1], m[0], m[1]);
    d_[n - 1] = edge_slope(h[n - 2], h[n - 3], m[n - 2], m[n - 3]);
  }
}

double Profile::wrap(double x) const {
  if (!periodic_) return x;
  const double L = period();
  double r = std::fmod(x - x_.front(), L);
  if (r < 0.0) r += L;
  double xr = x_.front() + r;
  if (xr >= x_.back()) xr -= L;
  return xr;
}

std::size_t Profile::segment(double xr) const {
  if (uniform_) {
    const std::ptrdiff_t last = static_cast<std::ptrdiff_t>(x_.size()) - 2;
    auto k = static_cast<std::ptrdiff_t>((xr - x_.front()) * inv_h_);
    k = std::clamp<std::ptrdiff_t>(k, 0, last);
    // the same answer as the search below, also where rounding put xr next to a knot
    while (k > 0 && x_[static_cast<std::size_t>(k)] > xr) --k;
    while (k < last && x_[static_cast<std::size_t>(k + 1)] <= xr) ++k;
    return static_cast<std::size_t>(k);
  }
  const auto it = std::upper_bound(x_.begin(), x_.end(), xr);
  const std::ptrdiff_t k = (it - x_.begin()) - 1;
  return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(k, 0, static_cast<std::ptrdiff_t>(x_.size()) - 2));
}

double Profile::operator()(double x) const {
  if (!periodic_ && (x < x_.front() || x > x_.back())) return kInf;
  const double xr = wrap(x);
  const std::size_t k = segment(xr);
  const double h = x_[k + 1] - x_[k];
  const double t = (xr - x_[k]) / h;
  const double t2 = t * t, t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * u_[k] + (t3 - 2 * t2 + t) * h * d_[k] +
         (-2 * t3 + 3 * t2) * u_[k + 1] + (t3 - t2) * h * d_[k + 1];
}

double Profile::derivative(double x) const {
  if (!periodic_ && (x < x_.front() || x > x_.back())) return 0.0;
  const double xr = wrap(x);
  const std::size_t k = segment(xr);
  const double h = x_[k + 1] - x_[k];
  const double t = (xr - x_[k]) / h;
  const double t2 = t * t;
  return ((6 * t2 - 6 * t) * u_[k] + (-6 * t2 + 6 * t) * u_[k + 1]) / h +
         (3 * t2 - 4 * t + 1) * d_[k] + (3 * t2 - 2 * t) * d_[k + 1];
}

Eigen::ArrayXd Profile::values(const Eigen::Ref<const Eigen::ArrayXd>& x) const {
  Eigen::ArrayXd out(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) out[i] = (*this)(x[i]);
  return out;
}

namespace {

// Knots of the interpolant in unwrapped coordinates: global index g, position X(g).
struct Knots {
  const std::vector<double>& x;
  bool periodic;
  long m() const { return static_cast<long>(x.size()) - 1; }  // knots per period (periodic)
  double L() const { return x.back() - x.front(); }
  double pos(long g) const {
    if (!periodic) return x[static_cast<std::size_t>(std::clamp<long>(g, 0, m()))];
    const long s = (g >= 0) ? g / m() : -((-g + m() - 1) / m());
    return x[static_cast<std::size_t>(g - s * m())] + s * L();
  }
  // largest g with pos(g) <= xr
  long below(double xr) const {
    if (!periodic) {
      const auto it = std::upper_bound(x.begin(), x.end(), xr);
      return std::max<long>(0, static_cast<long>(it - x.begin()) - 1);
    }
    const long s = static_cast<long>(std::floor((xr - x.front()) / L()));
    const double r = xr - s * L();
    const auto it = std::upper_bound(x.begin(), x.end() - 1, r);
    const long k = std::max<long>(0, static_cast<long>(it - x.begin()) - 1);
    return s * m() + k;
  }
};

}  // namespace

double Profile::crossing(double x_from, double E, double x_stop) const {
  const Knots K{x_, periodic_};
  const bool right = x_stop > x_from;
  const long m = K.m();
  const auto f = [&](double xx) { return (*this)(xx)-E; };
  // The interpolant takes the sample values at the knots and is monotone between them, so the
  // first crossing lies in the first knot interval whose far end reaches E: walk the samples
  // (no interpolant evaluation, no search per step), then solve in that one interval.
  const auto knot_value = [&](long g) {
    return u_[static_cast<std::size_t>(periodic_ ? ((g % m) + m) % m : std::clamp<long>(g, 0, m))];
  };
  if (f(x_from) >= 0.0) return x_from;
  double p = x_from;
  long g = right ? K.below(p) + 1 : K.below(p);
  if (right) {
    while (K.pos(g) <= p && (periodic_ || g < m)) ++g;
  } else {
    while (K.pos(g) >= p && (periodic_ || g > 0)) --g;
  }
  while (right ? p < x_stop : p > x_stop) {
    double q = K.pos(g);
    bool knot = true;
    if (right ? q >= x_stop : q <= x_stop) {
      knot = q == x_stop;
      q = x_stop;
    }
    const double fq = knot ? knot_value(g) - E : f(q);
    if (fq >= 0.0) return roots::brent(f, std::min(p, q), std::max(p, q));
    if (q == p) break;  // an open profile's end reached
    p = q;
    g += right ? 1 : -1;
  }
  return x_stop;
}

void Profile::values_sorted(const double* x, double* out, std::size_t n) const {
  if (!uniform_) {
    // a forward walk over the knots (few steps), else a binary search
    const Knots K{x_, periodic_};
    const long m = K.m();
    long g = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x[i];
      if (!periodic_ && (xi < x_.front() || xi > x_.back())) {
        out[i] = kInf;
        continue;
      }
      int steps = 0;
      if (i > 0)
        while ((periodic_ || g + 1 < m) && K.pos(g + 1) <= xi && steps < 4) {
          ++g;
          ++steps;
        }
      if (i == 0 || ((periodic_ || g + 1 < m) && K.pos(g + 1) <= xi)) {
        g = K.below(xi);
        if (!periodic_) g = std::clamp<long>(g, 0, m - 1);
      }
      const long k = periodic_ ? ((g % m) + m) % m : g;
      const std::size_t kk = static_cast<std::size_t>(k);
      const double h = x_[kk + 1] - x_[kk];
      const double t = (xi - K.pos(g)) / h;
      const double t2 = t * t, t3 = t2 * t;
      out[i] = (2 * t3 - 3 * t2 + 1) * u_[kk] + (t3 - 2 * t2 + t) * h * d_[kk] +
               (-2 * t3 + 3 * t2) * u_[kk + 1] + (t3 - t2) * h * d_[kk + 1];
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = (*this)(x[i]);
}

double Profile::solve_in_interval(double a, double b, double E) const {
  const double xr = wrap(0.5 * (a + b));
  const std::size_t k = segment(xr);
  const double x0 = x_[k] + (0.5 * (a + b) - xr);  // the knot in a's unwrapped coordinates
  const double h = x_[k + 1] - x_[k];
  const double u0 = u_[k], u1 = u_[k + 1], d0 = h * d_[k], d1 = h * d_[k + 1];
  const auto val = [&](double t) {
    const double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * u0 + (t3 - 2 * t2 + t) * d0 + (-2 * t3 + 3 * t2) * u1 +
           (t3 - t2) * d1 - E;
  };
  const auto der = [&](double t) {
    const double t2 = t * t;
    return (6 * t2 - 6 * t) * (u0 - u1) + (3 * t2 - 4 * t + 1) * d0 + (3 * t2 - 2 * t) * d1;
  };
  double lo = (std::min(a, b) - x0) / h, hi = (std::max(a, b) - x0) / h;
  double flo = val(lo);
  if (flo == 0.0) return x0 + lo * h;
  double t = 0.5 * (lo + hi);
  for (int it = 0; it < 100; ++it) {
    const double f = val(t);
    if (f == 0.0) break;
    if ((f < 0.0) == (flo < 0.0)) {
      lo = t;
      flo = f;
    } else {
      hi = t;
    }
    const double g = der(t);
    double tn = g != 0.0 ? t - f / g : 0.5 * (lo + hi);
    if (!(tn > lo && tn < hi)) tn = 0.5 * (lo + hi);  // Newton left the bracket: bisect
    if (std::fabs(tn - t) <= 4e-16 * (1.0 + std::fabs(t)) || hi - lo <= 4e-16 * (1.0 + std::fabs(t))) {
      t = tn;
      break;
    }
    t = tn;
  }
  return x0 + t * h;
}

void Profile::find_extrema() {
  const std::size_t n = x_.size();
  const long m = periodic_ ? static_cast<long>(n) - 1 : static_cast<long>(n);
  const long M = periodic_ ? 3 * m : m;
  const auto val = [&](long i) { return u_[static_cast<std::size_t>(((i % m) + m) % m)]; };
  const double range = *std::max_element(u_.begin(), u_.end()) - *std::min_element(u_.begin(), u_.end());
  const double delta = std::max(prominence_, 1e-12 * std::max(range, 1e-300));

  struct Ext {
    long i;
    bool is_max;
  };
  std::vector<Ext> ext;
  int dir = 0;  // +1 rising (tracking a max), -1 falling (tracking a min)
  long imax = 0, imin = 0, cand = 0;
  for (long i = 1; i < M; ++i) {
    const double v = val(i);
    if (dir == 0) {
      if (v > val(imax)) imax = i;
      if (v < val(imin)) imin = i;
      if (val(imax) - val(imin) >= delta) {
        if (imin < imax) {
          ext.push_back({imin, false});
          dir = +1;
          cand = imax;
        } else {
          ext.push_back({imax, true});
          dir = -1;
          cand = imin;
        }
      }
    } else if (dir > 0) {
      if (v > val(cand)) cand = i;
      else if (val(cand) - v >= delta) {
        ext.push_back({cand, true});
        dir = -1;
        cand = i;
      }
    } else {
      if (v < val(cand)) cand = i;
      else if (v - val(cand) >= delta) {
        ext.push_back({cand, false});
        dir = +1;
        cand = i;
      }
    }
  }
  if (dir != 0) ext.push_back({cand, dir > 0});

  // Plateau midpoint and end-point flags, in unwrapped sample coordinates.
  const double L = period();
  const auto X = [&](long i) {
    if (!periodic_) return x_[static_cast<std::size_t>(i)];
    const long s = (i >= 0) ? i / m : -((-i + m - 1) / m);
    return x_[static_cast<std::size_t>(i - s * m)] + s * L;
  };
  const double flat = 1e-9 * std::max(range, 1e-300);
  struct Found {
    double x, U;
    bool is_max, at_end;
  };
  std::vector<Found> found;
  for (const auto& e : ext) {
    if (periodic_ && (e.i < m || e.i >= 2 * m)) continue;
    const double v0 = val(e.i);
    long lo = e.i, hi = e.i;
    const long lo_limit = periodic_ ? e.i - m + 1 : 0;
    const long hi_limit = periodic_ ? e.i + m - 1 : m - 1;
    while (lo > lo_limit && std::fabs(val(lo - 1) - v0) <= flat) --lo;
    while (hi < hi_limit && std::fabs(val(hi + 1) - v0) <= flat) ++hi;
    double xm = 0.5 * (X(lo) + X(hi));
    if (periodic_) xm = wrap(xm);
    const bool at_end = !periodic_ && (lo == 0 || hi == m - 1);
    found.push_back({xm, v0, e.is_max, at_end});
  }
  if (periodic_) {
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.x < b.x; });
    // drop accidental duplicates (a plateau reached from both copies)
    std::vector<Found> uniq;
    for (const auto& f : found)
      if (uniq.empty() || std::fabs(f.x - uniq.back().x) > 1e-12 * L || f.is_max != uniq.back().is_max)
        uniq.push_back(f);
    found.swap(uniq);
  }

  const std::size_t K = found.size();
  // Barriers: every maximum.
  std::vector<int> barrier_of(K, -1);
  for (std::size_t i = 0; i < K; ++i)
    if (found[i].is_max) {
      barrier_of[i] = static_cast<int>(barriers_.size());
      barriers_.push_back({found[i].x, found[i].U, found[i].at_end});
    }
  for (std::size_t i = 0; i < K; ++i) {
    if (found[i].is_max) continue;
    Well w;
    w.x = found[i].x;
    w.U = found[i].U;
    w.at_end = found[i].at_end;
    long il = static_cast<long>(i) - 1, ir = static_cast<long>(i) + 1;
    if (periodic_) {
      il = (il + static_cast<long>(K)) % static_cast<long>(K);
      ir = ir % static_cast<long>(K);
    }
    const bool has_l = il >= 0 && il < static_cast<long>(K) && found[static_cast<std::size_t>(il)].is_max;
    const bool has_r = ir >= 0 && ir < static_cast<long>(K) && found[static_cast<std::size_t>(ir)].is_max;
    if (!periodic_ && w.at_end) {
      const bool interior_neighbour = (has_l && !found[static_cast<std::size_t>(il)].at_end) ||
                                      (has_r && !found[static_cast<std::size_t>(ir)].at_end);
      if (!interior_neighbour) continue;
    }
    if (has_l) {
      w.barrier_left = barrier_of[static_cast<std::size_t>(il)];
      w.x_left = found[static_cast<std::size_t>(il)].x;
      if (w.x_left > w.x) w.x_left -= L;
      w.U_left = found[static_cast<std::size_t>(il)].U;
    } else {
      w.x_left = x_.front();
      w.U_left = kInf;
    }
    if (has_r) {
      w.barrier_right = barrier_of[static_cast<std::size_t>(ir)];
      w.x_right = found[static_cast<std::size_t>(ir)].x;
      if (w.x_right < w.x) w.x_right += L;
      w.U_right = found[static_cast<std::size_t>(ir)].U;
    } else {
      w.x_right = x_.back();
      w.U_right = kInf;
    }
    if (!std::isfinite(w.E_top())) continue;  // cannot happen with at least one maximum
    wells_.push_back(w);
  }
  if (wells_.empty())
    throw InvalidArgument("U = a profile with no well (no minimum bounded by a barrier at least "
                          "prominence = " + validate::format_value(prominence_) +
                          " eV higher): must have at least one well");
  if (periodic_) {
    std::size_t nmax = 0;
    for (const auto& f : found) nmax += f.is_max;
    if (2 * nmax != K) throw Error("profile: internal error, extrema do not alternate");
  }
}

}  // namespace quasiion::potential
