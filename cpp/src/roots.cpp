#include "quasiion/roots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quasiion/errors.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::roots {

double brent(const std::function<double(double)>& f, double a, double b, const BrentOptions& opt) {
  validate::finite("a", a);
  validate::finite("b", b);
  double fa = f(a), fb = f(b);
  validate::finite("f(a)", fa);
  validate::finite("f(b)", fb);
  if (fa == 0.0) return a;
  if (fb == 0.0) return b;
  if ((fa > 0.0) == (fb > 0.0))
    throw InvalidArgument("brent: [a, b] = [" + validate::format_value(a) + ", " +
                          validate::format_value(b) + "] does not bracket a root (f(a) = " +
                          validate::format_value(fa) + ", f(b) = " + validate::format_value(fb) + ")");
  // Classic Brent (inverse quadratic interpolation, secant, bisection fallback).
  double c = a, fc = fa, d = b - a, e = d;
  std::vector<double> history;
  for (int it = 0; it < opt.max_iter; ++it) {
    if ((fb > 0.0) == (fc > 0.0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const double tol = 2.0 * opt.rtol * std::fabs(b) + 0.5 * opt.xtol;
    const double m = 0.5 * (c - b);
    history.push_back(b);
    if (std::fabs(m) <= tol || fb == 0.0) return b;
    if (std::fabs(e) >= tol && std::fabs(fa) > std::fabs(fb)) {
      double p, q, r;
      const double s = fb / fa;
      if (a == c) {
        p = 2.0 * m * s;
        q = 1.0 - s;
      } else {
        q = fa / fc;
        r = fb / fc;
        p = s * (2.0 * m * q * (q - r) - (b - a) * (r - 1.0));
        q = (q - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0.0) q = -q; else p = -p;
      if (2.0 * p < std::min(3.0 * m * q - std::fabs(tol * q), std::fabs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += (std::fabs(d) > tol) ? d : (m > 0 ? tol : -tol);
    fb = f(b);
    if (!std::isfinite(fb))
      throw ConvergenceError("brent: f(" + validate::format_value(b) + ") is not finite", history);
  }
  throw ConvergenceError("brent: no convergence in " + std::to_string(opt.max_iter) + " iterations",
                         history);
}

double argmin_abs(const std::function<double(double)>& f, double a, double b, double xtol) {
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double x1 = b - g * (b - a), x2 = a + g * (b - a);
  double f1 = std::fabs(f(x1)), f2 = std::fabs(f(x2));
  for (int it = 0; it < 200 && (b - a) > xtol; ++it) {
    if (f1 < f2) {
      b = x2; x2 = x1; f2 = f1;
      x1 = b - g * (b - a);
      f1 = std::fabs(f(x1));
    } else {
      a = x1; x1 = x2; f1 = f2;
      x2 = a + g * (b - a);
      f2 = std::fabs(f(x2));
    }
  }
  return f1 < f2 ? x1 : x2;
}

std::vector<Root> find_all(const std::function<double(double)>& f, double lo, double hi,
                           const ScanOptions& opt) {
  validate::finite("lo", lo);
  validate::finite("hi", hi);
  if (!(hi > lo))
    validate::fail("hi", validate::format_value(hi), "> lo = " + validate::format_value(lo));
  if (opt.n_scan < 2) validate::fail("n_scan", std::to_string(opt.n_scan), ">= 2");
  const int n = opt.n_scan;
  std::vector<double> xs(n + 1), fs(n + 1);
  for (int i = 0; i <= n; ++i) {
    xs[i] = lo + (hi - lo) * static_cast<double>(i) / n;
    fs[i] = f(xs[i]);
    if (!std::isfinite(fs[i]))
      throw ConvergenceError("find_all: f(" + validate::format_value(xs[i]) + ") is not finite", fs);
  }
  std::vector<Root> out;
  for (int i = 0; i < n; ++i) {
    if (fs[i] == 0.0) {
      out.push_back({xs[i], 0.0, false});
      continue;
    }
    if ((fs[i] > 0.0) != (fs[i + 1] > 0.0) && fs[i + 1] != 0.0) {
      const double x = brent(f, xs[i], xs[i + 1], opt.brent);
      out.push_back({x, f(x), false});
      continue;
    }
    // A dip of |f| towards zero between two scan points without a sign change: refine.
    if (i > 0 && std::fabs(fs[i]) < std::fabs(fs[i - 1]) && std::fabs(fs[i]) < std::fabs(fs[i + 1]) &&
        (fs[i - 1] > 0.0) == (fs[i] > 0.0) && (fs[i + 1] > 0.0) == (fs[i] > 0.0)) {
      const double x = argmin_abs(f, xs[i - 1], xs[i + 1], opt.brent.xtol);
      const double fx = f(x);
      if (std::fabs(fx) <= opt.touch_tol) out.push_back({x, fx, true});
    }
  }
  if (fs[n] == 0.0) out.push_back({xs[n], 0.0, false});
  std::sort(out.begin(), out.end(), [](const Root& a, const Root& b) { return a.x < b.x; });
  return out;
}

}  // namespace quasiion::roots
