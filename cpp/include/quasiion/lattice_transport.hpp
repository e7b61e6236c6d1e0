// Lattice-level transport beyond eq 30's conductivity: the thermoelectric moments of any
// tight-binding lattice (Seebeck coefficient, heat conductivity of the quasi-ions) and the
// state count (carriers per cell) on a k-grid.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "quasiion/hermitian_solver.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/parallel.hpp"
#include "quasiion/transport.hpp"

namespace quasiion::lattice {

// The window sum of eq 30 along `direction` (unit vector, length d): energies E_n(k) (eV) and
// weights v_n(k)^2 / N ((m/s)^2) of the selected bands (empty = all) over the N rows of k.
transport::FermiWindowSum boltzmann_window(const Lattice& lat,
                                           const Eigen::Ref<const Eigen::MatrixXd>& k,
                                           const Eigen::Ref<const Eigen::VectorXd>& direction,
                                           const std::vector<int>& bands,
                                           const Execution& exec = {},
                                           const HermitianSolver& solver = default_hermitian_solver());

// sigma (S/cm), Seebeck coefficient (V/K), heat conductivity (W/(cm K)) and Lorenz ratio
// (V^2/K^2) in the relaxation-time approximation at the pairs (mu[i], T[i]); see
// transport::Thermoelectric.
transport::Thermoelectric boltzmann_thermoelectric(
    const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
    const Eigen::Ref<const Eigen::VectorXd>& direction, const std::vector<int>& bands,
    const transport::Carriers& carriers, const Eigen::Ref<const Eigen::ArrayXd>& mu,
    const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, const Execution& exec = {},
    const HermitianSolver& solver = default_hermitian_solver());

}  // namespace quasiion::lattice
