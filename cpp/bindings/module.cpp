#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled core of quasiion (C++17/Eigen). Use the Python API in `quasiion`.";
  quasiion::bindings::bind_common(m);
  auto bands = m.def_submodule("bands", "Lattices, Bloch Hamiltonians, the interstitial chain");
  quasiion::bindings::bind_bands(bands);
  auto potential = m.def_submodule("potential", "Migration profiles to tight-binding parameters");
  quasiion::bindings::bind_potential(potential);
  auto doping = m.def_submodule("doping", "Mean-field Coulomb scattering (section 3.2)");
  quasiion::bindings::bind_doping(doping);
  auto onsager = m.def_submodule("onsager", "Ion-electron ambipolaron and Onsager transport");
  quasiion::bindings::bind_onsager(onsager);
  auto spectrum = m.def_submodule("spectrum", "Eigenvalue counts, gaps and DOS of tridiagonal and banded matrices");
  quasiion::bindings::bind_spectrum(spectrum);
  quasiion::bindings::bind_solver(m);
  auto supercell = m.def_submodule("supercell", "Well chains, distorted supercells, percolation (section 3.4)");
  quasiion::bindings::bind_supercell(supercell);
  auto kubo = m.def_submodule("kubo", "Thermoelectric moments, Kubo-Greenwood and KPM conductivity");
  quasiion::bindings::bind_kubo(kubo);
}
