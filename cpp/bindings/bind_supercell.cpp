// quasiion._core.supercell: well chains, random-distortion supercells, percolation clusters.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/percolation.hpp"
#include "quasiion/potential.hpp"
#include "quasiion/supercell.hpp"
#include "quasiion/wellchain.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

py::tuple spectrum_tuple(supercell::Spectrum&& s) {
  return py::make_tuple(std::move(s.energies), std::move(s.vectors), std::move(s.participation));
}

}  // namespace

void bind_supercell(py::module_& m) {
  using wellchain::WellChain;
  using wellchain::ChainHamiltonian;

  py::class_<WellChain>(m, "WellChain", "Wells and barriers along a chain (eV, Angstrom).")
      .def(py::init([](const Eigen::VectorXd& U, const Eigen::VectorXd& barrier, const Eigen::VectorXd& x,
                       double period, bool periodic, double thermalisation) {
             WellChain c;
             c.U = U;
             c.barrier = barrier;
             c.x = x;
             c.period = period;
             c.periodic = periodic;
             c.thermalisation = thermalisation;
             wellchain::check(c);
             return c;
           }),
           py::arg("U"), py::arg("barrier"), py::arg("x"), py::arg("period"), py::arg("periodic"),
           py::arg("thermalisation") = 0.0)
      .def_readonly("U", &WellChain::U)
      .def_readonly("barrier", &WellChain::barrier)
      .def_readonly("x", &WellChain::x)
      .def_readonly("period", &WellChain::period)
      .def_readonly("periodic", &WellChain::periodic)
      .def_readonly("thermalisation", &WellChain::thermalisation)
      .def("repeat", &wellchain::repeat, py::arg("n_cells"))
      .def("narrow_well",
           [](const WellChain& c, double T) {
             const ChainHamiltonian h = wellchain::narrow_well(c, T);
             return py::make_tuple(h.onsite, h.hopping);
           },
           py::arg("T"))
      .def("distort", &supercell::distort, py::arg("d"), py::arg("seed"), py::arg("index"))
      .def("lattice",
           [](const WellChain& c, double T) { return wellchain::to_lattice(wellchain::narrow_well(c, T)); },
           py::arg("T"))
      .def("dense", [](const WellChain& c, double T) { return wellchain::dense(wellchain::narrow_well(c, T)); },
           py::arg("T"));

  m.def("wellchain_from_landscape", &wellchain::from_landscape, py::arg("landscape"),
        py::arg("thermalisation") = 0.0);
  m.def("eq16_hopping", &wellchain::eq16_hopping, py::arg("site_i"), py::arg("site_j"), py::arg("w_i"),
        py::arg("w_j"), py::arg("N_i"), py::arg("N_j"));

  m.def(
      "distorted_tridiagonal",
      [](const WellChain& cell, int n_cells, double d, double T, std::uint64_t seed, std::uint64_t index) {
        Eigen::VectorXd diag, off;
        {
          py::gil_scoped_release release;
          supercell::distorted_tridiagonal(cell, n_cells, d, T, seed, index, diag, off);
        }
        return py::make_tuple(std::move(diag), std::move(off));
      },
      py::arg("cell"), py::arg("n_cells"), py::arg("d"), py::arg("T"), py::arg("seed"), py::arg("index"));

  m.def(
      "dense_spectrum",
      [](const Eigen::MatrixXd& H, bool vectors) {
        supercell::Spectrum s;
        {
          py::gil_scoped_release release;
          s = supercell::dense_spectrum(H, vectors);
        }
        return spectrum_tuple(std::move(s));
      },
      py::arg("H"), py::arg("vectors") = false);
  m.def(
      "tridiagonal_spectrum",
      [](const Eigen::VectorXd& diag, const Eigen::VectorXd& off, bool vectors) {
        supercell::Spectrum s;
        {
          py::gil_scoped_release release;
          s = supercell::tridiagonal_spectrum(diag, off, vectors);
        }
        return spectrum_tuple(std::move(s));
      },
      py::arg("diag"), py::arg("off"), py::arg("vectors") = false);

  m.def(
      "ensemble",
      [](const WellChain& cell, int n_cells, double d, double T, bool periodic, int n_occupied,
         bool keep_energies, std::uint64_t seed, std::uint64_t first_index, std::size_t count, int threads) {
        supercell::EnsembleOptions o;
        o.n_cells = n_cells;
        o.d = d;
        o.T = T;
        o.periodic = periodic;
        o.n_occupied = n_occupied;
        o.keep_energies = keep_energies;
        supercell::Ensemble e;
        {
          py::gil_scoped_release release;
          e = supercell::ensemble(cell, o, seed, first_index, count, Execution{threads});
        }
        py::dict out;
        out["gap"] = std::move(e.gap);
        out["homo"] = std::move(e.homo);
        out["lumo"] = std::move(e.lumo);
        out["energies"] = std::move(e.energies);
        return out;
      },
      py::arg("cell"), py::arg("n_cells"), py::arg("d"), py::arg("T"), py::arg("periodic"),
      py::arg("n_occupied"), py::arg("keep_energies"), py::arg("seed"), py::arg("first_index"),
      py::arg("count"), py::arg("threads") = 0);

  using percolation::Cluster;
  py::class_<Cluster>(m, "Cluster", "A percolation cluster of appendix 5.2 (eV).")
      .def(py::init([](int n_sites, double U_A, double U_B, double P_AA, double P_AB, double P_BA, double P_BB,
                       double Es_over_kT) {
             Cluster c{n_sites, U_A, U_B, P_AA, P_AB, P_BA, P_BB, Es_over_kT};
             percolation::check(c);
             return c;
           }),
           py::arg("n_sites"), py::arg("U_A"), py::arg("U_B"), py::arg("P_AA"), py::arg("P_AB"),
           py::arg("P_BA"), py::arg("P_BB"), py::arg("Es_over_kT"))
      .def_readonly("n_sites", &Cluster::n_sites)
      .def("truncation",
           [](const Cluster& c, double tol, int max_reach) {
             const auto t = percolation::truncation(c, tol, max_reach);
             return py::make_tuple(t.reach, t.kd, t.bound);
           },
           py::arg("tol"), py::arg("max_reach") = -1)
      .def("band", &percolation::band, py::arg("reach"), py::call_guard<py::gil_scoped_release>())
      .def("dense", &percolation::dense, py::arg("reach"), py::call_guard<py::gil_scoped_release>())
      .def("lattice", &percolation::to_lattice, py::arg("reach"), py::arg("spacing") = 1.0);
}

}  // namespace quasiion::bindings
