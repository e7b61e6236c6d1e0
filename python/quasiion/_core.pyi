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
doping: _DopingModule  # bind_doping.cpp: see the section below
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

# --- doping (bind_doping.cpp): quasiion._core.doping -----------------------------------------
# (declared as a stub class so type checkers see the submodule's members)
class _DopingChain:
    U_A: float
    U_B: float
    J0: float
    a: float
    K_over_a1: float
    gamma: float
    S_max: float
    def __init__(self, U_A: float, U_B: float, J0: float, a: float, K_over_a1: float = 1.5,
                 gamma: float = 1.0) -> None: ...

class _DopingMeanField:
    n_k: int
    S_max: float
    kT: float
    def __init__(self, chain: _DopingChain, mu: float, T: float, phase: str = "fixed",
                 n_k: int = 0, k_refine: float = 1.0) -> None: ...
    def map(self, S: float) -> float: ...
    def grand_potential(self, S: float) -> float: ...
    def filling(self, S: float) -> float: ...
    def map_on(self, S: float, high: bool) -> float: ...
    def grand_potential_on(self, S: float, high: bool) -> float: ...
    def high_branch(self, S: float) -> bool: ...
    def branches(self) -> list[tuple[float, float]]: ...

class _DopingModule:
    Chain: type[_DopingChain]
    MeanField: type[_DopingMeanField]
    def auto_k_points(self, chain: _DopingChain, kT: float) -> int: ...
    def auto_quadrature(self, chain: _DopingChain, kT: float,
                        refine: float = 1.0) -> tuple[np.ndarray, np.ndarray]: ...
    def solve(self, chain: _DopingChain, mu: float, T: float, phase: str = "fixed",
              rule: str = "smallest", n_k: int = 0, resolution_kT: float = 0.25,
              uniform_scan: bool = False, k_refine: float = 1.0) -> dict: ...
    def monotone_fixed_points(self, F: Callable[[float], float], lo: float, hi: float,
                              resolution: float = 1e-3) -> list[float]: ...
    def bands(self, chain: _DopingChain, S: float, high_branch: bool,
              k: npt.ArrayLike) -> np.ndarray: ...
    def off_diagonal(self, chain: _DopingChain, S: float, high_branch: bool,
                     k: npt.ArrayLike) -> np.ndarray: ...
    def band_edges(self, chain: _DopingChain, S: float, high_branch: bool) -> dict: ...
    def carrier_formation_energy(self, chain: _DopingChain, S: float, high_branch: bool,
                                 mu: float) -> tuple[float, int]: ...
    def conductivity(self, chain: _DopingChain, S: float, high_branch: bool, mu: float,
                     T: float, tau: float, n0: float, z: float = 1.0, n_k: int = 0,
                     both_bands: bool = False) -> float: ...
    def sweep(self, chain: _DopingChain, mu: npt.ArrayLike, T: npt.ArrayLike,
              phase: str = "fixed", rule: str = "smallest", n_k: int = 0,
              resolution_kT: float = 0.25, uniform_scan: bool = False, tau: float = 1e-13,
              n0: float = 1e22, z: float = 1.0, threads: int = 0) -> dict: ...
    def solve_filling(self, chain: _DopingChain, n: float, T: float, phase: str = "fixed",
                      rule: str = "smallest", n_k: int = 0,
                      resolution_kT: float = 0.25) -> dict: ...
