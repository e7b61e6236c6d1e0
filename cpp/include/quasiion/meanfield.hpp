// The mean-field engine shared by every self-consistent coupling of the paper: the Coulomb
// scattering |S00| of mobile-ion doping (eq 42) and the ion-electron coupling S_0k of
// section 3.3. The physics supplies F(S) as a pure function; this engine finds every fixed
// point S = F(S) on [0, S_max] by scanning and Brent bracketing (roots.hpp), and provides the
// Brillouin-zone quadrature the F's are written with.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "quasiion/roots.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::meanfield {

// Every fixed point S = F(S) on [0, S_max] by a uniform scan, ascending. Each root r has |F(r) - r| reported in
// Root::residual.
inline std::vector<roots::Root> fixed_points(const std::function<double(double)>& F, double S_max,
                                             const roots::ScanOptions& opt = {}) {
  validate::positive("S_max", S_max);
  return roots::find_all([&](double s) { return F(s) - s; }, 0.0, S_max, opt);
}

// Every fixed point x = F(x) of a NON-DECREASING F on [lo, hi]. Monotonicity
// gives rigorous exclusion (F(a) > b or F(b) < a: no fixed point in [a, b]) and tightening
// (no fixed point in [a, F(a)) if F(a) > a, nor in (F(b), b] if F(b) < b); intervals that still
// hold fixed points are bisected down to `resolution`, then Brent (roots.hpp) finds the
// root of F(x) - x; a leaf without a sign change whose |F(x) - x| dips is refined for a
// touching (double) root. Distinct roots closer than `resolution` can be merged, as with any
// scan of that step. Ascending; Root::residual = F(x) - x.
struct MonotoneOptions {
  double resolution = 1e-3;
  roots::BrentOptions brent = {};
  double touch_tol = 1e-12;
};
std::vector<roots::Root> monotone_fixed_points(const std::function<double(double)>& F, double lo,
                                               double hi, const MonotoneOptions& opt = {});

// Mean of g(theta) over theta = -pi + 2 pi (j + 1/2) / n, j = 0..n-1: the trapezoidal rule
// for a smooth 2pi-periodic integrand, exponentially convergent in n.
// (1/2pi) \int_{-pi}^{pi} g(theta) d theta.
template <class G>
double bz_average(int n, G&& g) {
  double s = 0.0;
  for (int j = 0; j < n; ++j) s += g(-M_PI + 2.0 * M_PI * (j + 0.5) / n);
  return s / n;
}

// Number of quadrature points for a periodic integrand whose sharpest feature is a Fermi
// edge of width kT on a band of width `bandwidth` (eV): ~ points_per_kT points per kT of
// band, rounded up to a multiple of 8, clamped to [n_min, n_max].
inline int bz_points(double bandwidth, double kT, double points_per_kT = 8.0, int n_min = 256,
                     int n_max = 1 << 16) {
  validate::non_negative("bandwidth", bandwidth);
  validate::positive("kT", kT);
  const double want = points_per_kT * M_PI * bandwidth / kT;
  const int n = static_cast<int>(std::ceil(std::min<double>(want, n_max) / 8.0)) * 8;
  return std::clamp(n, n_min, n_max);
}

}  // namespace quasiion::meanfield
