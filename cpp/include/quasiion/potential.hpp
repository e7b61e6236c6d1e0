// From a migration-energy profile to quasi-ion tight-binding parameters (paper section 2,
// eq 2-9, 12-16).
//
// Classical density at energy E in a well (eq 2-4): rho_E(x) = 1 / (T(E) sqrt(E - U(x))) on the
// orbit x_-(E) < x < x_+(E) (the connected region around the well's minimum where U < E) and 0
// elsewhere, with T(E) = \int dx / sqrt(E - U) so that \int rho_E dx = 1. The oscillation
// period is W_E = 2 sqrt(m/2) T(E). The 1/sqrt(E - U) singularity at the turning points is
// removed by the change of variables x = c - (L/2) cos(theta) (c, L: centre and length of the
// orbit), under which the integrand (L/2) sin(theta) / sqrt(E - U) is bounded; theta is
// integrated by composite Gauss-Legendre, never touching a turning point.
//
// Thermal in-well density (eq 5-7): rho_w(x) = (1/Z) \int_{E_min}^{E_top} e^{-E/kT} rho_E(x) dE
// with E_min = U(x0) + thermalisation * kT (the paper's "thermalisation coefficient", NOT the
// alpha of eq 45) and E_top the lower of the well's two barriers; Z normalises it to 1. At a
// point x the E integral starts at max(E_min, U(x)), where rho_E(x) is singular: with
// E = U(x) + t^2 the integrand 2 e^{-E/kT} / T(E) dt is smooth. 1/T(E) depends on the profile
// only, so it is tabulated once per well and reused for every temperature.
//
// The x0-host ion (eq 9, 12, 13): the host well with weight 1 and the well j sites away with
// weight exp(-[E_a(j) + (j-1) E_s]/kT) (generalised to unequal barriers: the threshold
// energy to reach site j is max_k [U_barrier_k + (k-1) E_s] over the barriers crossed), each
// well with its own thermal in-well shape (the E_s >> well-depth limit of eq 8); the whole
// density is normalised to 1 (PHYSICS.md). E_s = inf gives the nearest-neighbour limit eq 13.
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include <Eigen/Core>

#include "quasiion/parallel.hpp"
#include "quasiion/profile.hpp"

namespace quasiion::potential {

struct Orbit {
  double x_minus = 0.0;  // left turning point (or wall), Angstrom
  double x_plus = 0.0;   // right turning point (or wall), Angstrom
  double T = 0.0;        // \int dx / sqrt(E - U), Angstrom / sqrt(eV)
  double U_mean = 0.0;   // time average of U over the orbit, eV
};

struct ThermalOptions {
  double thermalisation = 0.0;  // E_min = U(x0) + thermalisation * kT (>= 0)
  double E_s = std::numeric_limits<double>::infinity();  // inelastic loss per hop, eV
  int max_hops = 1;             // farthest site j of eq 12 (>= 0; 0: the host well only)
};

// One weighted piece of an x0-host density: well `well` displaced by `shift` periods, the
// `offset`-th site from the host (negative: to the left), with its normalised weight.
struct DensityPart {
  int well = 0;
  int shift = 0;
  int offset = 0;
  double weight = 0.0;
};

enum class Method { NarrowWell, Overlap };

// The two-site chain (A = lower well, B = higher well) the interstitial model of section 3.1
// consumes (eq 17), at one temperature.
struct TightBinding {
  double T = 0.0;      // K
  double U_A = 0.0;    // on-site energies, eV: well minima (narrow-well) or eq 15 (overlap)
  double U_B = 0.0;
  double J0 = 0.0;     // hopping over the higher barrier, eV
  double Ea_AB = 0.0;  // U_max - U_minA - thermalisation kT, eV
  double Ea_BA = 0.0;  // U_max - U_minB - thermalisation kT, eV
  double U_max = 0.0;  // the higher barrier between A and B, eV
  double a = 0.0;      // lattice constant of the two-site cell, Angstrom
  double J_right = 0.0;  // hopping over the barrier to the right of A, eV
  double J_left = 0.0;   // hopping over the barrier to the left of A (equal if symmetric), eV
  double band_gap = 0.0;  // 2 sqrt(DeltaU^2 + (J_right - J_left)^2 / 4), eV (eq 18 at ka = pi)
  int well_A = 0;
  int well_B = 0;
};

// Orbit tables of every well of a profile (temperature independent) and everything derived
// from them. Immutable after construction; all methods are const and re-entrant.
class Landscape {
 public:
  // energy_nodes: table size of 1/T(E) and <U>_E per well (built on first use, by the thermal
  // densities and by thermalisation > 0); the orbit integrals take 8 * panels nodes in theta
  // (Gauss-Chebyshev: the theta integrand is smooth and periodic, so the equally spaced rule
  // converges geometrically).
  explicit Landscape(Profile profile, int energy_nodes = 257, int panels = 32,
                     const Execution& exec = {});

  const Profile& profile() const { return profile_; }
  int n_wells() const { return static_cast<int>(profile_.wells().size()); }

  // The orbit at energy E in `well` (U_min < E < E_top), computed directly (not tabulated).
  Orbit orbit(int well, double E) const;
  // W_E = 2 sqrt(m/2) T(E) in s, for the ion mass in amu.
  double oscillation_period(int well, double E, double mass_amu) const;
  // |rho_E(x)| of eq 3-4 normalised to 1 over the orbit (0 outside), 1/Angstrom.
  Eigen::ArrayXd classical_density(int well, double E, const Eigen::Ref<const Eigen::ArrayXd>& x) const;

  // Normalised thermal in-well density rho_w(x) (eq 7 / Z), 1/Angstrom; x in the well's
  // unwrapped coordinates [x_left, x_right], 0 elsewhere.
  double well_density(int well, double x, double kT, double thermalisation) const;
  // \int rho_w(x) U(x) dx, eV.
  double well_mean_U(int well, double kT, double thermalisation) const;
  // E_min of a well at kT; throws InvalidArgument if E_min >= E_top (no bound energies).
  double E_min(int well, double kT, double thermalisation) const;

  // The parts of the x0-host density of well `host` (eq 9, 12, 13); weights sum to 1.
  std::vector<DensityPart> host_parts(int host, double T_kelvin, const ThermalOptions& opt) const;
  // The x0-host density at x (Angstrom), 1/Angstrom, integrating to 1 over all x.
  Eigen::ArrayXd thermal_density(int host, double T_kelvin, const ThermalOptions& opt,
                                 const Eigen::Ref<const Eigen::ArrayXd>& x) const;
  // The same for many temperatures: shape (T.size(), x.size()). At thermalisation 0 the
  // t-nodes of each x are built once and shared by every T, parallel over blocks of x (the
  // result does not depend on the thread count); else parallel over T.
  Eigen::ArrayXXd thermal_density(int host, const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin,
                                   const ThermalOptions& opt, const Eigen::Ref<const Eigen::ArrayXd>& x,
                                   const Execution& exec) const;

  // Two-site tight-binding parameters (eq 15 overlap or eq 16 narrow-well, full form) with
  // nearest-neighbour densities (eq 13). Needs a periodic profile with 1 or 2 wells per
  // period or an open one with exactly 2 wells (extended by mirror symmetry to A B A B ...).
  TightBinding tight_binding(double T_kelvin, Method method, double thermalisation = 0.0) const;
  std::vector<TightBinding> tight_binding(const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, Method method,
                                          double thermalisation, const Execution& exec) const;

 private:
  struct Table {
    std::vector<double> s, E, invT, Umean;  // s = sqrt((E - U0) / (E_top - U0)), Chebyshev-spaced
    // bucket[b]: the last node with s <= b / bucket.size(), a start for the look-up's short
    // forward walk (no acos per look-up)
    std::vector<int> bucket;
    // 1/T on node interval m as invT_a[m] + invT_b[m] s
    std::vector<double> invT_a, invT_b;
  };
  double inv_T(int well, double E) const;
  double mean_U_at(int well, double E) const;
  double interp(const Table& t, const std::vector<double>& v, double E, int well) const;
  // The orbit at E with n_theta Gauss-Chebyshev nodes in theta.
  Orbit orbit_nodes(int well, double E, int n_theta) const;
  const std::vector<Table>& tables() const;  // built once, on first use (thread-safe)

  // <U>_E at fixed Gauss-Legendre nodes in s = sqrt((E - U_min)/(E_top - U_min)), panels
  // graded toward both ends (the Boltzmann peak at s = 0 when kT << well depth; the
  // logarithmic period at the barrier top), shared by every temperature: the thermal mean of
  // U at thermalisation 0 is one weighted sum per temperature, with no interpolation.
  struct QuadTable {
    std::vector<double> E, w, Umean;  // w includes dE = 2 D s ds
  };
  struct Lazy {
    std::once_flag once;
    std::vector<Table> tables;
  };

  // From a well's minimum outwards to one bound: the knot positions and the running maximum of
  // U over them. The interpolant is monotone between knots, so the turning point at E lies in
  // the interval before the first knot whose running maximum reaches E (a binary search).
  struct Reach {
    std::vector<double> x, run_max;
  };
  double turning_point(int well, double E, bool right) const;
  // max U over [min(x, x0), max(x, x0)] (x inside the well, U(x) = ux): the running maximum of
  // the knots in between, found by binary search in the Reach tables, O(log samples).
  double gate(int well, double x, double ux) const;

  Profile profile_;
  std::vector<Reach> reach_;  // 2 per well: left, right
  int panels_;
  int energy_nodes_;
  Execution exec_;
  std::shared_ptr<Lazy> lazy_;
  std::vector<QuadTable> quad_;
};

}  // namespace quasiion::potential
