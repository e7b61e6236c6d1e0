#include <exception>
#include <string>

#include <Eigen/Core>
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "quasiion/constants.hpp"
#include "quasiion/errors.hpp"
#include "quasiion/fermi.hpp"
#include "quasiion/meanfield.hpp"
#include "quasiion/roots.hpp"
#include "quasiion/transport.hpp"

namespace py = pybind11;

// Set by CMakeLists.txt for this module; the fallbacks keep other builds compiling.
#ifndef QUASIION_VERSION
#define QUASIION_VERSION "unknown"
#endif
#ifndef QUASIION_BUILD_TYPE
#define QUASIION_BUILD_TYPE "unknown"
#endif
#ifndef QUASIION_COMPILER
#define QUASIION_COMPILER "unknown"
#endif

namespace quasiion::bindings {

namespace {

void translate_errors(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const quasiion::ConvergenceError& e) {
    // quasiion.errors.ConvergenceError(message, history) is a Python class, so that users
    // can catch it without importing the extension.
    py::object cls = py::module_::import("quasiion.errors").attr("ConvergenceError");
    py::object exc = cls(e.what(), py::cast(e.history()));
    PyErr_SetObject(cls.ptr(), exc.ptr());
  } catch (const quasiion::InvalidArgument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const quasiion::Error& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

}  // namespace

void bind_common(py::module_& m) {
  py::register_exception_translator(&translate_errors);

  auto c = m.def_submodule("constants", "The constants the C++ core uses (CODATA 2022)");
  c.attr("elementary_charge") = constants::elementary_charge;
  c.attr("boltzmann_eV") = constants::boltzmann_eV;
  c.attr("hbar_eVs") = constants::hbar_eVs;
  c.attr("amu_kg") = constants::amu_kg;
  c.attr("electron_mass_kg") = constants::electron_mass_kg;

  m.def(
      "fermi_occupation",
      [](const Eigen::ArrayXd& x) { return x.unaryExpr(&fermi::occupation).eval(); },
      py::arg("x"), "Fermi-Dirac occupation 1/(exp(x)+1) of x = (E - mu)/kT, overflow-safe.");
  m.def(
      "fermi_minus_derivative_x",
      [](const Eigen::ArrayXd& x) { return x.unaryExpr(&fermi::minus_derivative_x).eval(); },
      py::arg("x"), "-df/dx = f(1-f) of x = (E - mu)/kT, overflow-safe.");

  py::class_<transport::FermiWindowSum>(m, "FermiWindowSum",
                                        "I(mu, T) = sum_i w_i (-df/dE)(E_i) in [w]/eV, with the "
                                        "states sorted once and only the Fermi window summed.")
      .def(py::init([](const Eigen::ArrayXd& e, const Eigen::ArrayXd& w) {
             py::gil_scoped_release release;
             return transport::FermiWindowSum(e, w);
           }),
           py::arg("energies"), py::arg("weights"))
      .def("__call__", &transport::FermiWindowSum::operator(), py::arg("mu"), py::arg("kT"))
      .def(
          "grid",
          [](const transport::FermiWindowSum& s, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T,
             int threads) {
            py::gil_scoped_release release;
            return s.grid(mu, T, Execution{threads});
          },
          py::arg("mu"), py::arg("T"), py::arg("threads") = 0,
          "Values on the grid mu (eV) x T (K), shape (len(mu), len(T)).")
      .def(
          "pairs",
          [](const transport::FermiWindowSum& s, const Eigen::ArrayXd& mu, const Eigen::ArrayXd& T,
             int threads) {
            py::gil_scoped_release release;
            return s.pairs(mu, T, Execution{threads});
          },
          py::arg("mu"), py::arg("T"), py::arg("threads") = 0,
          "Values at the pairs (mu[i], T[i]), equal lengths.")
      .def("__len__", &transport::FermiWindowSum::size);

  m.def(
      "conductivity_prefactor",
      [](double tau, double n0, double z) {
        return transport::conductivity_prefactor({tau, n0, z});
      },
      py::arg("tau"), py::arg("n0"), py::arg("z") = 1.0,
      "z^2 e n0 tau in S/cm per (m/s)^2/eV: sigma = prefactor * <v^2 (-df/dE)>.");
  m.def("velocity_from_slope", &transport::velocity_from_slope, py::arg("dEdk"),
        "Group velocity in m/s from dE/dk in eV*Angstrom.");

  m.def(
      "find_all_roots",
      [](const std::function<double(double)>& f, double lo, double hi, int n_scan) {
        roots::ScanOptions opt;
        opt.n_scan = n_scan;
        const auto rs = roots::find_all(f, lo, hi, opt);
        std::vector<double> xs;
        for (const auto& r : rs) xs.push_back(r.x);
        return xs;
      },
      py::arg("f"), py::arg("lo"), py::arg("hi"), py::arg("n_scan") = 400,
      "Every root of a Python callable f on [lo, hi] (scan + Brent); for tests and small jobs.");

  m.def(
      "monotone_fixed_points",
      [](const std::function<double(double)>& F, double lo, double hi, double resolution) {
        meanfield::MonotoneOptions o;
        o.resolution = resolution;
        std::vector<double> xs;
        for (const auto& r : meanfield::monotone_fixed_points(F, lo, hi, o)) xs.push_back(r.x);
        return xs;
      },
      py::arg("F"), py::arg("lo"), py::arg("hi"), py::arg("resolution") = 1e-3,
      "Every fixed point of a non-decreasing Python callable on [lo, hi] (for tests).");

  m.def(
      "build_info",
      [] {
        py::dict d;
        d["version"] = QUASIION_VERSION;
        d["compiler"] = QUASIION_COMPILER;
        d["build_type"] = QUASIION_BUILD_TYPE;
        d["cxx_standard"] = std::to_string(__cplusplus);
        d["eigen"] = std::to_string(EIGEN_WORLD_VERSION) + "." +
                     std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION);
        d["pybind11"] = std::to_string(PYBIND11_VERSION_MAJOR) + "." +
                        std::to_string(PYBIND11_VERSION_MINOR) + "." +
                        std::to_string(PYBIND11_VERSION_PATCH);
        return d;
      },
      "How this module was built: version (the CMake project version), compiler, build_type, "
      "cxx_standard, eigen, pybind11 (all str).");
}

}  // namespace quasiion::bindings
