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
potential: ModuleType
doping: ModuleType
onsager: ModuleType
