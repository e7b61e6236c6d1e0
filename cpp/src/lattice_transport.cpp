#include "quasiion/lattice_transport.hpp"

#include <cmath>
#include <string>

#include "quasiion/validate.hpp"

namespace quasiion::lattice {

transport::FermiWindowSum boltzmann_window(const Lattice& lat,
                                           const Eigen::Ref<const Eigen::MatrixXd>& k,
                                           const Eigen::Ref<const Eigen::VectorXd>& direction,
                                           const std::vector<int>& bands, const Execution& exec,
                                           const HermitianSolver& solver) {
  const int d = lat.dim();
  const int n = lat.n_orbitals();
  validate::same_size("lattice dimension", d, "direction", direction.size());
  validate::all_finite("direction", direction);
  const double norm = direction.norm();
  if (!(std::fabs(norm - 1.0) < 1e-9))
    validate::fail("direction", "a vector of length " + validate::format_value(norm), "a unit vector");
  std::vector<int> sel = bands;
  if (sel.empty())
    for (int m = 0; m < n; ++m) sel.push_back(m);
  for (std::size_t s = 0; s < sel.size(); ++s)
    if (sel[s] < 0 || sel[s] >= n)
      validate::fail("bands[" + std::to_string(s) + "]", std::to_string(sel[s]),
                     "a band index in [0, " + std::to_string(n - 1) + "]");
  validate::non_empty("k", k.rows());
  BandOptions opt;
  opt.velocities = true;
  const Bands b = solve_bands(lat, k, opt, exec, solver);
  const Eigen::Index nk = k.rows();
  const auto ns = static_cast<Eigen::Index>(sel.size());
  Eigen::ArrayXd e(nk * ns), w(nk * ns);
  const double inv_n = 1.0 / static_cast<double>(nk);
  for (Eigen::Index q = 0; q < nk; ++q)
    for (Eigen::Index s = 0; s < ns; ++s) {
      const int m = sel[static_cast<std::size_t>(s)];
      double slope = 0.0;
      for (int a = 0; a < d; ++a) slope += direction[a] * b.velocities(q, m * d + a);
      const double v = transport::velocity_from_slope(slope);
      e[q * ns + s] = b.energies(q, m);
      w[q * ns + s] = v * v * inv_n;
    }
  return transport::FermiWindowSum(e, w);
}

transport::Thermoelectric boltzmann_thermoelectric(
    const Lattice& lat, const Eigen::Ref<const Eigen::MatrixXd>& k,
    const Eigen::Ref<const Eigen::VectorXd>& direction, const std::vector<int>& bands,
    const transport::Carriers& carriers, const Eigen::Ref<const Eigen::ArrayXd>& mu,
    const Eigen::Ref<const Eigen::ArrayXd>& T_kelvin, const Execution& exec,
    const HermitianSolver& solver) {
  validate::non_empty("mu", mu.size());
  validate::same_size("mu", mu.size(), "T", T_kelvin.size());
  transport::conductivity_prefactor(carriers);  // validates before the band work
  const auto sum = boltzmann_window(lat, k, direction, bands, exec, solver);
  return transport::thermoelectric(sum, carriers, mu, T_kelvin, exec);
}

}  // namespace quasiion::lattice
