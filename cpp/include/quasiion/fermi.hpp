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

// -df/dE in 1/eV, with E, mu, kT in eV.
inline double minus_derivative(double energy, double mu, double kT) {
  return minus_derivative_x((energy - mu) / kT) / kT;
}

}  // namespace quasiion::fermi
