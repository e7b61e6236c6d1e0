#include "quasiion/wellchain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/potential.hpp"
#include "quasiion/validate.hpp"

namespace quasiion::wellchain {

double eq16_hopping(double site_i, double site_j, double w_i, double w_j, double N_i, double N_j) {
  return (site_j * std::sqrt(w_i) + site_i * std::sqrt(w_j)) / std::sqrt(N_i * N_j);
}

void check(const WellChain& c) {
  const Eigen::Index n = c.U.size();
  if (n < 1) validate::fail("U", "an empty array", "at least one well");
  validate::same_size("U", n, "barrier", c.barrier.size());
  validate::same_size("U", n, "x", c.x.size());
  validate::all_finite("U", c.U);
  validate::all_finite("x", c.x);
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::isnan(c.barrier[i]) || c.barrier[i] == -std::numeric_limits<double>::infinity())
      validate::fail("barrier[" + std::to_string(i) + "]", validate::format_value(c.barrier[i]),
                     "a number or +inf (a wall)");
  validate::positive("period", c.period);
  validate::non_negative("thermalisation", c.thermalisation);
}

WellChain repeat(const WellChain& cell, int n_cells) {
  check(cell);
  if (n_cells < 1) validate::fail("n_cells", std::to_string(n_cells), ">= 1");
  const Eigen::Index m = cell.U.size();
  WellChain out;
  out.U.resize(m * n_cells);
  out.barrier.resize(m * n_cells);
  out.x.resize(m * n_cells);
  for (int c = 0; c < n_cells; ++c) {
    out.U.segment(c * m, m) = cell.U;
    out.barrier.segment(c * m, m) = cell.barrier;
    out.x.segment(c * m, m) = cell.x.array() + c * cell.period;
  }
  out.period = cell.period * n_cells;
  out.periodic = cell.periodic;
  out.thermalisation = cell.thermalisation;
  return out;
}

WellChain from_landscape(const potential::Landscape& land, double thermalisation) {
  validate::non_negative("thermalisation", thermalisation);
  const auto& prof = land.profile();
  const auto& wells = prof.wells();
  const Eigen::Index n = static_cast<Eigen::Index>(wells.size());
  WellChain c;
  c.U.resize(n);
  c.barrier.resize(n);
  c.x.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& w = wells[static_cast<std::size_t>(i)];
    c.U[i] = w.U;
    c.x[i] = w.x;
    c.barrier[i] = w.U_right;  // between well i and i+1 (periodic: mod n)
  }
  c.periodic = prof.periodic();
  if (!c.periodic) {
    // The open path's ends are walls: the chain stops there.
    c.barrier[n - 1] = std::numeric_limits<double>::infinity();
    c.period = prof.period() + (n > 0 ? 1.0 : 0.0);  // any length > the span; unused by H
  } else {
    c.period = prof.period();
  }
  c.thermalisation = thermalisation;
  return c;
}

ChainHamiltonian narrow_well(const WellChain& c, double T_kelvin) {
  check(c);
  validate::positive("T", T_kelvin);
  const double kT = constants::kT_eV(T_kelvin);
  const Eigen::Index n = c.U.size();
  ChainHamiltonian h;
  h.onsite.resize(n);
  h.hopping.resize(n);
  assemble_narrow_well(
      n, [&](Eigen::Index i) { return c.U[i]; }, [&](Eigen::Index i) { return c.barrier[i]; }, kT,
      c.thermalisation, [&](Eigen::Index i, double e) { h.onsite[i] = e; },
      [&](Eigen::Index i, double t) { h.hopping[i] = t; });
  if (!c.periodic) h.hopping[n - 1] = 0.0;
  h.x = c.x;
  h.period = c.period;
  h.periodic = c.periodic;
  return h;
}

lattice::Lattice to_lattice(const ChainHamiltonian& h) {
  const int n = h.size();
  if (n < 1) validate::fail("onsite", "an empty array", "at least one orbital");
  Eigen::MatrixXd vec(1, 1);
  vec(0, 0) = h.period;
  Eigen::MatrixXd pos = h.x;
  std::vector<lattice::Hopping> hops;
  hops.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i + 1 < n; ++i) {
    lattice::Hopping t;
    t.i = i;
    t.j = i + 1;
    t.R = Eigen::VectorXi::Zero(1);
    t.t = h.hopping[i];
    hops.push_back(t);
  }
  if (h.periodic && h.hopping[n - 1] != 0.0) {
    lattice::Hopping t;
    t.i = n - 1;
    t.j = 0;
    t.R = Eigen::VectorXi::Ones(1);
    t.t = h.hopping[n - 1];
    hops.push_back(t);
  }
  return lattice::Lattice(vec, pos, h.onsite, hops);
}

Eigen::MatrixXd dense(const ChainHamiltonian& h) {
  const Eigen::Index n = h.onsite.size();
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(n, n);
  H.diagonal() = h.onsite;
  for (Eigen::Index i = 0; i + 1 < n; ++i) {
    H(i, i + 1) += h.hopping[i];
    H(i + 1, i) += h.hopping[i];
  }
  if (h.periodic && n > 0) {
    const Eigen::Index j = n - 1;
    // n = 1: the bond to its own image adds 2t at k = 0; n = 2 doubles the 0-1 element.
    if (n == 1) {
      H(0, 0) += 2.0 * h.hopping[0];
    } else {
      H(j, 0) += h.hopping[j];
      H(0, j) += h.hopping[j];
    }
  }
  return H;
}

}  // namespace quasiion::wellchain
