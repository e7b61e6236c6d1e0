// Argument checks used at the core's boundary. Each throws InvalidArgument with a message of
// the form "<name> = <value>: must be <rule>", so every error names parameter, value and rule.
#pragma once

#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>

#include <Eigen/Core>

#include "quasiion/errors.hpp"

namespace quasiion::validate {

inline std::string format_value(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

[[noreturn]] inline void fail(const std::string& name, const std::string& value,
                              const std::string& rule) {
  throw InvalidArgument(name + " = " + value + ": must be " + rule);
}

inline void finite(const std::string& name, double v) {
  if (!std::isfinite(v)) fail(name, format_value(v), "finite");
}

inline void positive(const std::string& name, double v) {
  if (!(std::isfinite(v) && v > 0.0)) fail(name, format_value(v), "finite and > 0");
}

inline void non_negative(const std::string& name, double v) {
  if (!(std::isfinite(v) && v >= 0.0)) fail(name, format_value(v), "finite and >= 0");
}

// Value inside [lo, hi] (inclusive) and finite.
inline void in_range(const std::string& name, double v, double lo, double hi) {
  if (!(std::isfinite(v) && v >= lo && v <= hi))
    fail(name, format_value(v), "finite and in [" + format_value(lo) + ", " + format_value(hi) + "]");
}

template <class Derived>
void all_finite(const std::string& name, const Eigen::DenseBase<Derived>& a) {
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double v = static_cast<double>(std::real(a.derived().data()[i]));
    const double w = static_cast<double>(std::imag(a.derived().data()[i]));
    if (!std::isfinite(v) || !std::isfinite(w))
      fail(name + "[" + std::to_string(i) + "]", format_value(std::isfinite(v) ? w : v), "finite");
  }
}

template <class Derived>
void all_positive(const std::string& name, const Eigen::DenseBase<Derived>& a) {
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double v = a.derived().data()[i];
    if (!(std::isfinite(v) && v > 0.0))
      fail(name + "[" + std::to_string(i) + "]", format_value(v), "finite and > 0");
  }
}

inline void non_empty(const std::string& name, Eigen::Index n) {
  if (n <= 0) fail(name, "an empty array", "non-empty");
}

inline void same_size(const std::string& name_a, Eigen::Index na, const std::string& name_b,
                      Eigen::Index nb) {
  if (na != nb)
    fail(name_b, "an array of length " + std::to_string(nb),
         "of the same length as " + name_a + " (" + std::to_string(na) + ")");
}

}  // namespace quasiion::validate
