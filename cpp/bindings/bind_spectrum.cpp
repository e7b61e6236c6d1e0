// quasiion._core.spectrum: eigenvalue counts, bisection eigenvalues, gaps and the integrated
// DOS of tridiagonal and banded real symmetric matrices. Conversion and GIL release only.
#include <cstdint>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/lattice.hpp"
#include "quasiion/spectrum.hpp"

namespace py = pybind11;

namespace quasiion::bindings {

namespace {

template <class M>
void bind_functions(py::module_& m) {
  using namespace spectrum;
  m.def(
      "count_below",
      [](const M& H, double E) {
        py::gil_scoped_release release;
        return spectrum::count_below(H, E);
      },
      py::arg("H"), py::arg("E"), "Number of eigenvalues below E (eV).");
  m.def(
      "integrated_dos",
      [](const M& H, const Eigen::ArrayXd& energies, int threads) {
        py::gil_scoped_release release;
        return spectrum::count_below(H, energies, Execution{threads});
      },
      py::arg("H"), py::arg("energies"), py::arg("threads") = 0,
      "Eigenvalue counts below every energy (eV), as floats.");
  m.def(
      "histogram",
      [](const M& H, const Eigen::ArrayXd& edges, int threads) {
        py::gil_scoped_release release;
        return spectrum::histogram(H, edges, Execution{threads});
      },
      py::arg("H"), py::arg("edges"), py::arg("threads") = 0,
      "Eigenvalues per bin [edges[i], edges[i+1]) (eV edges, strictly increasing).");
  m.def(
      "eigenvalues",
      [](const M& H, const std::vector<std::int64_t>& ks, double tol, int threads) {
        py::gil_scoped_release release;
        return spectrum::eigenvalues(H, ks, tol, Execution{threads});
      },
      py::arg("H"), py::arg("ks"), py::arg("tol") = 1e-12, py::arg("threads") = 0,
      "Eigenvalues with 0-based ascending indices ks, to an absolute tol (eV).");
  m.def(
      "gap_at_filling",
      [](const M& H, std::int64_t n_occupied, double tol, int threads) {
        py::gil_scoped_release release;
        return spectrum::gap_at_filling(H, n_occupied, tol, Execution{threads});
      },
      py::arg("H"), py::arg("n_occupied"), py::arg("tol") = 1e-12, py::arg("threads") = 0);
  m.def(
      "gap_at_mu",
      [](const M& H, double mu, double tol, int threads) {
        py::gil_scoped_release release;
        return spectrum::gap_at_mu(H, mu, tol, Execution{threads});
      },
      py::arg("H"), py::arg("mu"), py::arg("tol") = 1e-12, py::arg("threads") = 0);
  m.def(
      "gershgorin", [](const M& H) { return spectrum::gershgorin(H); }, py::arg("H"),
      "(lo, hi) in eV enclosing every eigenvalue.");
}

}  // namespace

void bind_spectrum(py::module_& m) {
  using spectrum::SymmetricBand;
  using spectrum::Tridiagonal;

  py::class_<Tridiagonal>(m, "Tridiagonal",
                          "Real symmetric tridiagonal matrix: diag (n), off (n - 1), eV.")
      .def(py::init([](Eigen::VectorXd diag, Eigen::VectorXd off) {
             Tridiagonal T{std::move(diag), std::move(off)};
             spectrum::check(T);
             return T;
           }),
           py::arg("diag"), py::arg("off"))
      .def_readonly("diag", &Tridiagonal::diag)
      .def_readonly("off", &Tridiagonal::off)
      .def_property_readonly("n", &Tridiagonal::n);

  py::class_<SymmetricBand>(
      m, "SymmetricBand",
      "Real symmetric band matrix, LAPACK lower storage band[r, j] = H[j + r, j], shape "
      "(kd + 1, n), eV (the layout of scipy.linalg.eig_banded(lower=True)).")
      .def(py::init([](Eigen::MatrixXd band) {
             SymmetricBand B{std::move(band)};
             spectrum::check(B);
             return B;
           }),
           py::arg("band"))
      .def_readonly("band", &SymmetricBand::band)
      .def_property_readonly("kd", &SymmetricBand::kd)
      .def_property_readonly("n", &SymmetricBand::n);

  py::class_<spectrum::Gap>(m, "Gap")
      .def_readonly("homo", &spectrum::Gap::homo)
      .def_readonly("lumo", &spectrum::Gap::lumo)
      .def_readonly("gap", &spectrum::Gap::gap)
      .def_readonly("n_occupied", &spectrum::Gap::n_occupied);

  bind_functions<Tridiagonal>(m);
  bind_functions<SymmetricBand>(m);

  m.def("tridiagonal_from_lattice", &spectrum::tridiagonal_from_lattice, py::arg("lattice"),
        "The open real lattice (hoppings only at R = 0, real, between i and i +- 1) as a "
        "Tridiagonal.");
  m.def("band_from_lattice", &spectrum::band_from_lattice, py::arg("lattice"), py::arg("kd") = -1,
        "The open real lattice (hoppings only at R = 0, real) as a SymmetricBand; kd = -1 "
        "takes the largest |i - j|.");
}

}  // namespace quasiion::bindings
