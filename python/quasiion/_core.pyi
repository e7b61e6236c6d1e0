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

# --- onsager (bind_onsager.cpp): the attributes of the submodule `onsager` above ------------
# (typed here as a class; `onsager: ModuleType` above can become `onsager: _OnsagerModule`
# when the submodule sections are merged)
class _OnsagerModel:
    J0e: float
    U0e: float
    J0i: float
    U0i: float
    K0: float
    Ka: float
    a: float
    def __init__(self, J0e: float, U0e: float, J0i: float, U0i: float, K0: float = 0.0,
                 Ka: float = 0.0, a: float = 1.0) -> None: ...

class _OnsagerModule:
    Model: type[_OnsagerModel]
    @staticmethod
    def electron_from_physical(m_eff: float, chi_e: float, a: float) -> tuple[float, float]: ...
    @staticmethod
    def free_electron_hopping(a: float) -> float: ...
    @staticmethod
    def delta_J(model: _OnsagerModel, ka: float) -> float: ...
    @staticmethod
    def xi0(model: _OnsagerModel, S: float) -> float: ...
    @staticmethod
    def hamiltonian(model: _OnsagerModel, S: float, k: float) -> np.ndarray: ...
    @staticmethod
    def bands(model: _OnsagerModel, S: float, k: npt.ArrayLike, threads: int = 0
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
    @staticmethod
    def coupling_map(model: _OnsagerModel, S: float, mu_e: float, mu_i: float, T: float,
                     n_k: int) -> float: ...
    @staticmethod
    def grand_potential(model: _OnsagerModel, S: float, mu_e: float, mu_i: float, T: float,
                        n_k: int) -> float: ...
    @staticmethod
    def solve_coupling(model: _OnsagerModel, mu_e: npt.ArrayLike, mu_i: npt.ArrayLike, T: float,
                       n_k: int = 0, n_scan: int = 400, rule: str = "lowest_free_energy",
                       threads: int = 0) -> list[dict[str, object]]: ...
    @staticmethod
    def tau_ratio(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
                  method: str = "exact", threads: int = 0) -> np.ndarray: ...
    @staticmethod
    def onsager_reduced(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
                        tau_ratio: npt.ArrayLike, method: str = "exact", threads: int = 0
                        ) -> dict[str, np.ndarray]: ...
    @staticmethod
    def alpha_star_closed(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
                          threads: int = 0) -> np.ndarray: ...
    @staticmethod
    def branch_mobility(j: float, xi0: float) -> tuple[float, float]: ...
    @staticmethod
    def onsager_prefactor(tau_minus: float, a: float, rho_i: float, J0i: float) -> float: ...
