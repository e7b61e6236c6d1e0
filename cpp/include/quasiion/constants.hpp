// Physical constants (CODATA 2022, exact where SI defines them) and the unit conversions the
// core needs. The Python layer takes the same values from scipy.constants; a test checks that
// the two agree.
#pragma once

namespace quasiion::constants {

inline constexpr double elementary_charge = 1.602176634e-19;      // C (exact)
inline constexpr double boltzmann_eV = 1.380649e-23 / elementary_charge;   // eV/K (exact)
inline constexpr double hbar_eVs = 6.62607015e-34 / (2.0 * 3.14159265358979323846) / elementary_charge;  // eV s (h exact)
inline constexpr double amu_kg = 1.66053906892e-27;               // kg
inline constexpr double electron_mass_kg = 9.1093837139e-31;      // kg
inline constexpr double angstrom_m = 1e-10;                       // m

// kT in eV at temperature T in K.
inline double kT_eV(double T_kelvin) { return boltzmann_eV * T_kelvin; }

}  // namespace quasiion::constants
