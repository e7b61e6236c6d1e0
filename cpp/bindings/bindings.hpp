// The pybind11 module quasiion._core: one bind_* function per domain, each in its own file and
// each filling its own submodule. Bindings convert, release the GIL and map exceptions; they
// hold no physics.
#pragma once

#include <pybind11/pybind11.h>

namespace quasiion::bindings {

void bind_common(pybind11::module_& m);     // errors, constants, Fermi functions, transport kernel
void bind_bands(pybind11::module_& m);      // lattices, Bloch Hamiltonians, the interstitial chain
void bind_potential(pybind11::module_& m);  // migration profiles -> tight-binding parameters
void bind_doping(pybind11::module_& m);     // mean-field Coulomb scattering, super-ionic transition
void bind_onsager(pybind11::module_& m);    // ion-electron ambipolaron and Onsager matrix
void bind_solver(pybind11::module_& m);     // LAPACK registration, dense eigenpairs (_core.dense)
void bind_spectrum(pybind11::module_& m);   // eigenvalue counts, gaps, DOS of large sparse spectra
void bind_supercell(pybind11::module_& m);  // well chains, distorted supercells, percolation clusters
void bind_kubo(pybind11::module_& m);       // thermoelectric moments, Kubo-Greenwood, KPM, real-space mean field

}  // namespace quasiion::bindings
