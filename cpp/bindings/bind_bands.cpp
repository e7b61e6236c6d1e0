// quasiion._core.bands: the general lattice and the interstitial chain (section 3.1).
// Conversion and GIL release only; validation and physics live in the core.
#include <complex>
#include <vector>

#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/interstitial.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/validate.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

using RowMatrixXi = Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<lattice::Hopping> make_hoppings(const Eigen::VectorXi& i, const Eigen::VectorXi& j,
                                            const RowMatrixXi& R, const Eigen::VectorXcd& t) {
  validate::same_size("hop_i", i.size(), "hop_j", j.size());
  validate::same_size("hop_i", i.size(), "hop_R", R.rows());
  validate::same_size("hop_i", i.size(), "hop_t", t.size());
  std::vector<lattice::Hopping> out(static_cast<std::size_t>(i.size()));
  for (Eigen::Index h = 0; h < i.size(); ++h) {
    auto& hp = out[static_cast<std::size_t>(h)];
    hp.i = i[h];
    hp.j = j[h];
    hp.R = R.row(h).transpose();
    hp.t = t[h];
  }
  return out;
}

std::vector<int> band_list(const std::vector<int>& b) { return b; }

}  // namespace

void bind_bands(py::module_& m) {
  using lattice::Lattice;
  using interstitial::Chain;

  py::class_<Lattice>(m, "Lattice",
                      "Tight-binding lattice in 1-3 dimensions (cell gauge: H_ij(k) = eps_i "
                      "delta_ij + sum_R t_ij(R) exp(i k.R_cart)); each bond given once.")
      .def(py::init([](const Eigen::MatrixXd& vectors, const Eigen::MatrixXd& positions,
                       const Eigen::VectorXd& onsite, const Eigen::VectorXi& hop_i,
                       const Eigen::VectorXi& hop_j, const RowMatrixXi& hop_R,
                       const Eigen::VectorXcd& hop_t) {
             return Lattice(vectors, positions, onsite, make_hoppings(hop_i, hop_j, hop_R, hop_t));
           }),
           py::arg("vectors"), py::arg("positions"), py::arg("onsite"), py::arg("hop_i"),
           py::arg("hop_j"), py::arg("hop_R"), py::arg("hop_t"))
      .def_property_readonly("dim", &Lattice::dim)
      .def_property_readonly("n_orbitals", &Lattice::n_orbitals)
      .def_property_readonly("vectors", &Lattice::vectors)
      .def_property_readonly("positions", &Lattice::positions)
      .def_property_readonly("onsite", &Lattice::onsite)
      .def("reciprocal_vectors", &Lattice::reciprocal_vectors)
      .def("hamiltonian", &Lattice::hamiltonian, py::arg("k"))
      .def("derivative", &Lattice::derivative, py::arg("k"), py::arg("direction"))
      .def(
          "solve",
          [](const Lattice& lat, const Eigen::MatrixXd& k, bool vectors, bool velocities, int threads) {
            lattice::Bands b;
            {
              py::gil_scoped_release release;
              lattice::BandOptions o;
              o.eigenvectors = vectors;
              o.velocities = velocities;
              b = lattice::solve_bands(lat, k, o, interruptible(threads));
            }
            py::object ev = py::none(), vel = py::none();
            if (vectors) ev = py::cast(std::move(b.eigenvectors));
            if (velocities) vel = py::cast(std::move(b.velocities));
            return py::make_tuple(py::cast(std::move(b.energies)), ev, vel);
          },
          py::arg("k"), py::arg("eigenvectors") = false, py::arg("velocities") = false,
          py::arg("threads") = 0,
          "(energies (nk, n), eigenvectors (nk*n, n) or None, velocities (nk, n*d) or None).")
      .def(
          "midpoint_kgrid",
          [](const Lattice& lat, const std::vector<int>& n) { return lattice::midpoint_kgrid(lat, n); },
          py::arg("n"))
      .def(
          "boltzmann_conductivity",
          [](const Lattice& lat, const Eigen::MatrixXd& k, const Eigen::VectorXd& direction,
             const std::vector<int>& bands, double tau, double n0, double z, const Eigen::ArrayXd& mu,
             const Eigen::ArrayXd& T, int threads) {
            py::gil_scoped_release release;
            return lattice::boltzmann_conductivity(lat, k, direction, bands, {tau, n0, z}, mu, T,
                                                   interruptible(threads));
          },
          py::arg("k"), py::arg("direction"), py::arg("bands"), py::arg("tau"), py::arg("n0"),
          py::arg("z"), py::arg("mu"), py::arg("T"), py::arg("threads") = 0,
          "sigma(mu[i], T[i]) in S/cm (eq 30 along a unit direction, average over the k rows).");

  py::class_<Chain>(m, "Chain", "The two-site interstitial chain of eq 17 (eV, eV, eV, Angstrom).")
      .def(py::init([](double U_A, double U_B, double J0, double a) {
             Chain c{U_A, U_B, J0, a};
             interstitial::check(c);
             return c;
           }),
           py::arg("U_A"), py::arg("U_B"), py::arg("J0"), py::arg("a"))
      .def_readonly("U_A", &Chain::U_A)
      .def_readonly("U_B", &Chain::U_B)
      .def_readonly("J0", &Chain::J0)
      .def_readonly("a", &Chain::a)
      .def_property_readonly("mean", &Chain::mean)
      .def_property_readonly("delta", &Chain::delta);

  py::class_<interstitial::BandEdge>(m, "BandEdge")
      .def_readonly("band", &interstitial::BandEdge::band)
      .def_readonly("minimum", &interstitial::BandEdge::minimum)
      .def_readonly("k", &interstitial::BandEdge::k)
      .def_readonly("energy", &interstitial::BandEdge::energy)
      .def_readonly("curvature", &interstitial::BandEdge::curvature)
      .def_readonly("mass", &interstitial::BandEdge::mass);

  m.def("to_lattice", &interstitial::to_lattice, py::arg("chain"));
  m.def(
      "bands",
      [](const Chain& c, const Eigen::ArrayXd& k, int threads) {
        py::gil_scoped_release release;
        return interstitial::bands(c, k, interruptible(threads));
      },
      py::arg("chain"), py::arg("k"), py::arg("threads") = 0);
  m.def(
      "slopes",
      [](const Chain& c, const Eigen::ArrayXd& k, int threads) {
        py::gil_scoped_release release;
        return interstitial::slopes(c, k, interruptible(threads));
      },
      py::arg("chain"), py::arg("k"), py::arg("threads") = 0);
  m.def(
      "site_A_weights",
      [](const Chain& c, const Eigen::ArrayXd& k, int threads) {
        py::gil_scoped_release release;
        return interstitial::site_A_weights(c, k, interruptible(threads));
      },
      py::arg("chain"), py::arg("k"), py::arg("threads") = 0);
  m.def(
      "band_edge",
      [](const Chain& c, int band, bool minimum) {
        py::gil_scoped_release release;
        return interstitial::band_edge(c, band, minimum);
      },
      py::arg("chain"), py::arg("band"), py::arg("minimum"));
  m.def(
      "nearest_edge",
      [](const Chain& c, double mu, int band) {
        py::gil_scoped_release release;
        return interstitial::nearest_edge(c, mu, band);
      },
      py::arg("chain"), py::arg("mu"), py::arg("band") = -1);
  m.def("curvature_closed_form", &interstitial::curvature_closed_form, py::arg("chain"),
        py::arg("band"), py::arg("minimum"));
  m.def("curvature_eq21", &interstitial::curvature_eq21, py::arg("chain"));
  m.def("relaxation_time", &interstitial::relaxation_time, py::arg("mass"), py::arg("a"),
        py::arg("Ea_BA"));
  m.def("drude_diffusivity", &interstitial::drude_diffusivity, py::arg("T"), py::arg("tau"),
        py::arg("mass"));
  m.def("diffusivity_from_curvature", &interstitial::diffusivity_from_curvature, py::arg("T"),
        py::arg("tau"), py::arg("curvature"));
  m.def("diffusivity_eq22", &interstitial::diffusivity_eq22, py::arg("chain"), py::arg("T"),
        py::arg("tau"), py::arg("Ea_BA"));
  m.def(
      "nernst_einstein",
      [](const Chain& c, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T, double tau, double n0,
         double z, int band, double delta) {
        py::gil_scoped_release release;
        return interstitial::nernst_einstein(c, mu, T, {tau, n0, z}, band, delta);
      },
      py::arg("chain"), py::arg("mu"), py::arg("T"), py::arg("tau"), py::arg("n0"), py::arg("z"),
      py::arg("band") = 1, py::arg("delta") = 1.0);
  m.def(
      "conductivity_eq24",
      [](const Chain& c, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T, double tau, double n0,
         double z, double Ea_BA) {
        py::gil_scoped_release release;
        return interstitial::conductivity_eq24(c, mu, T, {tau, n0, z}, Ea_BA);
      },
      py::arg("chain"), py::arg("mu"), py::arg("T"), py::arg("tau"), py::arg("n0"), py::arg("z"),
      py::arg("Ea_BA"));
  py::class_<interstitial::ChainBoltzmann>(
      m, "ChainBoltzmann",
      "Eq 30 for the chain: bands sampled and sorted once, then sigma(mu[i], T[i]) in S/cm.")
      .def(py::init([](const Chain& c, int nk, const std::vector<int>& bands, double tau, double n0,
                       double z, int threads) {
             py::gil_scoped_release release;
             return interstitial::ChainBoltzmann(c, nk, band_list(bands), {tau, n0, z},
                                                 interruptible(threads));
           }),
           py::arg("chain"), py::arg("nk"), py::arg("bands"), py::arg("tau"), py::arg("n0"),
           py::arg("z"), py::arg("threads") = 0)
      .def(
          "__call__",
          [](const interstitial::ChainBoltzmann& b, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T,
             int threads) {
            py::gil_scoped_release release;
            return b(mu, T, interruptible(threads));
          },
          py::arg("mu"), py::arg("T"), py::arg("threads") = 0)
      .def_property_readonly("nk", &interstitial::ChainBoltzmann::nk);
  m.def("default_nk", &interstitial::default_nk, py::arg("chain"), py::arg("T_min"));
}

}  // namespace quasiion::bindings
