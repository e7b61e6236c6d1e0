# Type stubs for the compiled module quasiion._core. Each domain's section mirrors its
# cpp/bindings/bind_<domain>.cpp.
from collections.abc import Callable
from types import ModuleType

import numpy as np
import numpy.typing as npt

# --- common (bind_common.cpp) -------------------------------------------------------------
constants: ModuleType

def fermi_occupation(x: npt.ArrayLike) -> np.ndarray: ...
def fermi_minus_derivative_x(x: npt.ArrayLike) -> np.ndarray: ...

class FermiWindowSum:
    def __init__(self, energies: npt.ArrayLike, weights: npt.ArrayLike) -> None: ...
    def __call__(self, mu: float, kT: float) -> float: ...
    def grid(self, mu: npt.ArrayLike, T: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
    def __len__(self) -> int: ...

def conductivity_prefactor(tau: float, n0: float, z: float = 1.0) -> float: ...
def velocity_from_slope(dEdk: float) -> float: ...
def find_all_roots(
    f: Callable[[float], float], lo: float, hi: float, n_scan: int = 400
) -> list[float]: ...

# --- submodules (bind_bands.cpp, bind_potential.cpp, bind_doping.cpp, bind_onsager.cpp) ----
bands: ModuleType
potential: ModuleType  # bind_potential.cpp: see the section below
doping: ModuleType
onsager: ModuleType

# --- potential (bind_potential.cpp): quasiion._core.potential --------------------------------
# class Well:      x, U, x_left, x_right, U_left, U_right, barrier_left, barrier_right, at_end, E_top
# class Barrier:   x, U, at_end
# class Profile(x, U, periodic, prominence=-1.0); Profile.eq45(alpha, U_bar, a, samples=4096)
#     __call__(x) -> U, derivative(x), periodic, period, x_begin, x_end, prominence,
#     x_samples, U_samples, wells, barriers
# class Landscape(profile, energy_nodes=257, panels=32, threads=0)
#     orbit(well, E) -> (x_minus, x_plus, T, U_mean); oscillation_period(well, E, mass)
#     classical_density(well, E, x); well_mean_U(well, kT, thermalisation=0.0)
#     host_parts(host, T, thermalisation=0.0, E_s=inf, max_hops=1) -> [(well, shift, offset, weight)]
#     thermal_density(host, T, x, thermalisation=0.0, E_s=inf, max_hops=1, threads=0)
#         -> array (len(T), len(x))
#     tight_binding(T, method="narrow-well", thermalisation=0.0, threads=0) -> [dict per T]
