#include "quasiion/meanfield.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

#include "quasiion/errors.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::meanfield {

namespace {

struct MonotoneSearch {
  const std::function<double(double)>& F;
  const MonotoneOptions& opt;
  std::vector<roots::Root>& out;
  std::vector<double> tried;
  double margin;

  // The last few evaluations, so that Brent's first calls at a leaf's known end points cost
  // nothing.
  double cache_x[4] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()}, cache_y[4] = {0, 0, 0, 0};
  int cache_next = 0;

  double eval(double x) {
    for (int i = 0; i < 4; ++i)
      if (cache_x[i] == x) return cache_y[i];
    const double y = F(x);
    cache_x[cache_next] = x;
    cache_y[cache_next] = y;
    cache_next = (cache_next + 1) % 4;
    tried.push_back(x);
    if (!std::isfinite(y))
      throw ConvergenceError("monotone_fixed_points: F(" + validate::format_value(x) +
                                 ") is not finite",
                             tried);
    if (tried.size() > 1000000)
      throw ConvergenceError("monotone_fixed_points: evaluation budget exhausted", tried);
    return y;
  }

  void brent_root(double a, double b) {
    auto g = [&](double x) { return eval(x) - x; };
    const double x = roots::brent(g, a, b, opt.brent);
    out.push_back({x, eval(x) - x, false});
  }

  // A leaf [a, b] no longer than the resolution that may hold fixed points.
  void leaf(double a, double Fa, double b, double Fb) {
    const double ga = Fa - a, gb = Fb - b;
    if (ga == 0.0) out.push_back({a, 0.0, false});
    if (gb == 0.0) out.push_back({b, 0.0, false});
    if (ga == 0.0 || gb == 0.0) return;
    if ((ga > 0.0) != (gb > 0.0)) {
      brent_root(a, b);
      return;
    }
    // Same sign at both ends: a touching root or a close pair shows as a dip of |g|.
    const double m = 0.5 * (a + b);
    const double gm = eval(m) - m;
    if ((gm > 0.0) != (ga > 0.0)) {  // a pair straddling m
      brent_root(a, m);
      brent_root(m, b);
      return;
    }
    if (!(std::fabs(gm) < std::fabs(ga) && std::fabs(gm) < std::fabs(gb))) return;
    auto g = [&](double x) { return eval(x) - x; };
    const double x = roots::argmin_abs(g, a, b, opt.brent.xtol);
    const double gx = g(x);
    if ((gx > 0.0) != (ga > 0.0)) {
      brent_root(a, x);
      brent_root(x, b);
    } else if (std::fabs(gx) <= opt.touch_tol) {
      out.push_back({x, gx, true});
    }
  }

  void search(double a, double Fa, double b, double Fb) {
    for (;;) {
      // Exclusion: for x in [a, b], F(x) >= F(a) > b >= x, or F(x) <= F(b) < a <= x.
      if (Fa > b + margin || Fb < a - margin) return;
      const double len = b - a;
      if (len <= opt.resolution) {
        leaf(a, Fa, b, Fb);
        return;
      }
      // Tightening: a fixed point p >= a has p = F(p) >= F(a); one p <= b has p <= F(b).
      double a2 = a, Fa2 = Fa, b2 = b, Fb2 = Fb;
      if (Fa > a + margin) a2 = Fa;
      if (Fb < b - margin) b2 = Fb;
      if (b2 - a2 <= opt.brent.xtol + margin) {
        // The sandwich closed on one fixed point (up to rounding): refine it in [a, b].
        leaf(a, Fa, b, Fb);
        return;
      }
      if (a2 != a) Fa2 = eval(a2);
      if (b2 != b) Fb2 = eval(b2);
      a = a2; Fa = Fa2; b = b2; Fb = Fb2;
      if (b - a > 0.5 * len) {  // slow progress: split
        const double m = 0.5 * (a + b);
        const double Fm = eval(m);
        search(a, Fa, m, Fm);
        search(m, Fm, b, Fb);
        return;
      }
    }
  }
};

}  // namespace

std::vector<roots::Root> monotone_fixed_points(const std::function<double(double)>& F, double lo,
                                               double hi, const MonotoneOptions& opt) {
  validate::finite("lo", lo);
  validate::finite("hi", hi);
  if (!(hi > lo))
    validate::fail("hi", validate::format_value(hi), "> lo = " + validate::format_value(lo));
  validate::positive("resolution", opt.resolution);
  std::vector<roots::Root> out;
  MonotoneSearch s{F, opt, out, {}, 8.0 * DBL_EPSILON * std::max(std::fabs(lo), std::fabs(hi))};
  s.tried.reserve(64);
  const double Flo = s.eval(lo), Fhi = s.eval(hi);
  s.search(lo, Flo, hi, Fhi);
  std::sort(out.begin(), out.end(),
            [](const roots::Root& x, const roots::Root& y) { return x.x < y.x; });
  // Shared end points of neighbouring leaves can report the same root twice.
  std::vector<roots::Root> uniq;
  for (const auto& r : out)
    if (uniq.empty() || r.x - uniq.back().x > 2.0 * opt.brent.xtol) uniq.push_back(r);
  return uniq;
}

}  // namespace quasiion::meanfield
