// A 1D migration-energy profile U(x) (paper section 2): samples (x in Angstrom, U in eV) on an
// open path or one period of a periodic one, interpolated by a monotone piecewise-cubic
// Hermite interpolant (PCHIP, Fritsch-Carlson-Butland slopes). PCHIP never overshoots the
// data: every interval is monotone, extrema sit on samples, plateaus stay flat, and noise
// creates no wiggles beyond the data's own. A nudged-elastic-band path (a handful of images,
// the saddle at the climbing image) is the typical input.
//
// Wells (minima) and barriers (maxima) are found on the samples by a hysteresis ("zigzag")
// scan with a prominence threshold: a maximum is accepted only once U has fallen `prominence`
// below it, a minimum once U has risen `prominence` above it, so noise smaller than the
// threshold never creates an extremum. A flat run of samples (plateau) is one extremum at the
// run's midpoint. On an open path an end point that is a minimum is a well only if its
// neighbouring maximum is an interior one (a relaxed NEB end point next to a saddle); an end
// point that is a maximum bounds the well next to it like a barrier; beyond the ends the
// profile is a hard wall.
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace quasiion::potential {

struct Barrier {
  double x = 0.0;       // position, Angstrom (in [x_begin, x_begin + period) if periodic)
  double U = 0.0;       // energy, eV
  bool at_end = false;  // an end point of an open profile
};

struct Well {
  double x = 0.0;        // position of the minimum (plateau midpoint), Angstrom
  double U = 0.0;        // minimum energy, eV
  double x_left = 0.0;   // left bound: barrier position or the open profile's end (wall)
  double x_right = 0.0;  // right bound; x_left < x < x_right in unwrapped coordinates
  double U_left = 0.0;   // energy at the left bound, eV (+inf for a wall)
  double U_right = 0.0;  // energy at the right bound, eV (+inf for a wall)
  int barrier_left = -1;   // index into barriers(), -1 for a wall
  int barrier_right = -1;  // index into barriers(), -1 for a wall
  bool at_end = false;     // the minimum is an end point of an open profile
  // Highest energy still bound in the well: the lower of its two bounds, eV.
  double E_top() const { return U_left < U_right ? U_left : U_right; }
};

class Profile {
 public:
  // x: strictly increasing sample positions (Angstrom), U: energies (eV), at least 3 samples,
  // all finite. periodic: the samples span exactly one period and the last repeats the first
  // (x[n-1] = x[0] + period; U[n-1] must equal U[0] within the prominence, both ends are set
  // to their mean). prominence (eV): the extremum threshold; < 0 selects 1% of max(U) - min(U).
  // Throws InvalidArgument for bad samples and for a profile without a well.
  Profile(const Eigen::Ref<const Eigen::ArrayXd>& x, const Eigen::Ref<const Eigen::ArrayXd>& U,
          bool periodic, double prominence = -1.0);

  // Paper eq 45: U(x) = 2 U_bar [alpha sin^2(pi x/a) + (1 - alpha) cos^2(2 pi x/a)], periodic
  // with period a, sampled at `samples` points per period (plus the closing one).
  static Profile eq45(double alpha, double U_bar, double a, int samples = 4096);

  // U(x) in eV; periodic profiles wrap, open ones are +inf outside [x_begin, x_end].
  double operator()(double x) const;
  double derivative(double x) const;  // dU/dx in eV/Angstrom (0 outside an open profile)
  Eigen::ArrayXd values(const Eigen::Ref<const Eigen::ArrayXd>& x) const;

  bool periodic() const { return periodic_; }
  double period() const { return x_.back() - x_.front(); }  // also the span of an open path
  double x_begin() const { return x_.front(); }
  double x_end() const { return x_.back(); }
  double prominence() const { return prominence_; }
  const std::vector<double>& x_samples() const { return x_; }
  const std::vector<double>& U_samples() const { return u_; }
  const std::vector<Well>& wells() const { return wells_; }
  const std::vector<Barrier>& barriers() const { return barriers_; }

  // Turning point: the x in [x_from, x_stop] (searching left if x_stop < x_from, right
  // otherwise) nearest x_from with U(x) = E, given U(x_from) < E. Returns x_stop if U stays
  // below E (a wall at an open end).
  double crossing(double x_from, double E, double x_stop) const;
  // U at n non-decreasing positions x[0] <= x[1] <= ... (unwrapped coordinates) into out: one
  // binary search, then a forward walk over the knots (the orbit integrals' theta nodes).
  void values_sorted(const double* x, double* out, std::size_t n) const;
  // The x in [a, b] with U(x) = E, for a, b inside one knot interval with U(a) < E <= U(b) or
  // U(a) >= E > U(b) (the interpolant is monotone there): safeguarded Newton on that cubic.
  double solve_in_interval(double a, double b, double E) const;

 private:
  void build_slopes();
  void find_extrema();
  // segment index k with x_[k] <= xr < x_[k+1] for xr inside [x_begin, x_end]
  std::size_t segment(double xr) const;
  double wrap(double x) const;

  std::vector<double> x_, u_, d_;
  // Equally spaced samples (eq45, most tabulated profiles): the segment of a point is found
  // in O(1) from its position instead of by a binary search.
  bool uniform_ = false;
  double inv_h_ = 0.0;
  bool periodic_ = false;
  double prominence_ = 0.0;
  std::vector<Well> wells_;
  std::vector<Barrier> barriers_;
};

}  // namespace quasiion::potential
