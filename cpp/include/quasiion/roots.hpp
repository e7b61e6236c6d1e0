// Scalar root finding: Brent's method on a bracket, and "all roots on an interval" by scanning
// for sign changes and bracketing each. This is the solver the self-consistent mean-field
// equations hand their residual g(S) = F(S) - S to (paper eq 42 and the ion-electron
// coupling of section 3.3): the physics is written as a pure function, the solver is
// replaceable. Plain fixed-point iteration is not used because it can miss roots or jump
// between branches.
#pragma once

#include <functional>
#include <vector>

namespace quasiion::roots {

struct BrentOptions {
  double xtol = 1e-14;  // absolute tolerance on the root
  double rtol = 4e-16;  // relative tolerance on the root
  int max_iter = 200;
};

// Root of f in [a, b] with f(a) f(b) <= 0. Throws InvalidArgument if the interval does not
// bracket a root and ConvergenceError (with the iterates) if max_iter is exhausted.
double brent(const std::function<double(double)>& f, double a, double b,
             const BrentOptions& opt = {});

// Golden-section minimisation of |f| on [a, b] to xtol; returns the abscissa. Used to refine a
// dip of |f| that may be a touching (double) root.
double argmin_abs(const std::function<double(double)>& f, double a, double b, double xtol);

struct ScanOptions {
  int n_scan = 400;         // sample points on [lo, hi] used to find sign changes
  BrentOptions brent = {};
  // A local minimum of |f| between scan points that does not change sign is refined; if the
  // refined |f| is below touch_tol it is reported as a (double) root.
  double touch_tol = 1e-12;
};

struct Root {
  double x;        // location
  double residual; // f(x)
  bool tangent;    // true if found as a touching (even-multiplicity) root, not a sign change
};

// Every root of f on [lo, hi] that the scan resolves, in ascending order.
std::vector<Root> find_all(const std::function<double(double)>& f, double lo, double hi,
                           const ScanOptions& opt = {});

}  // namespace quasiion::roots
