// Fermi-Dirac occupation and its energy derivative: the one home for both in the core.
// Overflow-safe for any (E - mu)/kT, including +-inf.
#pragma once

#include <cmath>

namespace quasiion::fermi {

// f(x) = 1 / (exp(x) + 1), x = (E - mu) / kT.
inline double occupation(double x) {
  if (x >= 0.0) {
    const double e = std::exp(-x);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + std::exp(x));
}

// 1 - f(x), computed without cancellation.
inline double vacancy(double x) { return occupation(-x); }

// -df/dx = f (1 - f) = exp(-|x|) / (1 + exp(-|x|))^2; symmetric in x, at most 1/4.
inline double minus_derivative_x(double x) {
  const double e = std::exp(-std::fabs(x));
  const double d = 1.0 + e;
  return e / (d * d);
}

// Grand potential of one fermion level in units of kT: -ln(1 + exp(-x)), x = (E - mu)/kT.
inline double level_grand_potential_x(double x) {
  if (x >= 0.0) return -std::log1p(std::exp(-x));
  return x - std::log1p(std::exp(x));
}

// f(x - r) - f(x + r) for r >= 0 at a fixed x: the occupation difference of a bonding /
// antibonding pair E = E0 -+ R (x = (E0 - mu)/kT, r = R/kT) that every mean-field sum of the
// paper needs. Written as (1 - q^2) / ((1 + A q)(1 + q / A)) with q = e^{-r}, A = e^{|x|}
// (the difference is even in x): one exp (or expm1) per call instead of two exp, and no
// cancellation for r << 1. Falls back to the two occupations (at |x|) where A or q would
// leave the double range.
class OccupationDifference {
 public:
  explicit OccupationDifference(double x)
      : x_(std::fabs(x)), A_(std::exp(x_)), safe_(x_ < 700.0) {}

  double operator()(double r) const {
    if (!safe_ || r > 700.0) return occupation(x_ - r) - occupation(x_ + r);
    double q, one_minus_q2;
    if (r < 1.0) {  // 1 - q^2 from expm1: exact digits for small r
      const double em = std::expm1(-r);
      q = 1.0 + em;
      one_minus_q2 = -em * (2.0 + em);
    } else {
      q = std::exp(-r);
      one_minus_q2 = 1.0 - q * q;
    }
    return one_minus_q2 / ((1.0 + A_ * q) * (1.0 + q / A_));
  }

 private:
  double x_, A_;
  bool safe_;
};

// -df/dE in 1/eV, with E, mu, kT in eV.
inline double minus_derivative(double energy, double mu, double kT) {
  return minus_derivative_x((energy - mu) / kT) / kT;
}

}  // namespace quasiion::fermi
