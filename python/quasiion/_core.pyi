# Type stubs for the compiled module quasiion._core. Each domain's section mirrors its
# cpp/bindings/bind_<domain>.cpp.
from collections.abc import Callable
from types import ModuleType
from typing import Any

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
    def pairs(self, mu: npt.ArrayLike, T: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
    def __len__(self) -> int: ...

def conductivity_prefactor(tau: float, n0: float, z: float = 1.0) -> float: ...
def velocity_from_slope(dEdk: float) -> float: ...
def monotone_fixed_points(F: Callable[[float], float], lo: float, hi: float,
                          resolution: float = 1e-3) -> list[float]: ...
def find_all_roots(
    f: Callable[[float], float], lo: float, hi: float, n_scan: int = 400
) -> list[float]: ...


# --- bands (bind_bands.cpp): quasiion._core.bands ------------------------------------------
# Declared as a class namespace so that `_core.bands.X` type-checks.
class bands:  # noqa: N801
    class Lattice:
        def __init__(self, vectors: npt.ArrayLike, positions: npt.ArrayLike,
                     onsite: npt.ArrayLike, hop_i: npt.ArrayLike, hop_j: npt.ArrayLike,
                     hop_R: npt.ArrayLike, hop_t: npt.ArrayLike) -> None: ...
        dim: int
        n_orbitals: int
        vectors: np.ndarray
        positions: np.ndarray
        onsite: np.ndarray
        def reciprocal_vectors(self) -> np.ndarray: ...
        def hamiltonian(self, k: npt.ArrayLike) -> np.ndarray: ...
        def derivative(self, k: npt.ArrayLike, direction: int) -> np.ndarray: ...
        def solve(self, k: npt.ArrayLike, eigenvectors: bool = False, velocities: bool = False,
                  threads: int = 0) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]: ...
        def midpoint_kgrid(self, n: list[int]) -> np.ndarray: ...
        def boltzmann_conductivity(self, k: npt.ArrayLike, direction: npt.ArrayLike,
                                   bands: list[int], tau: float, n0: float, z: float,
                                   mu: npt.ArrayLike, T: npt.ArrayLike,
                                   threads: int = 0) -> np.ndarray: ...

    class Chain:
        def __init__(self, U_A: float, U_B: float, J0: float, a: float) -> None: ...
        U_A: float
        U_B: float
        J0: float
        a: float
        mean: float
        delta: float

    class BandEdge:
        band: int
        minimum: bool
        k: float
        energy: float
        curvature: float
        mass: float

    class ChainBoltzmann:
        def __init__(self, chain: bands.Chain, nk: int, bands: list[int], tau: float, n0: float,
                     z: float, threads: int = 0) -> None: ...
        def __call__(self, mu: npt.ArrayLike, T: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
        nk: int

    @staticmethod
    def to_lattice(chain: Chain) -> Lattice: ...
    @staticmethod
    def bands(chain: Chain, k: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
    @staticmethod
    def slopes(chain: Chain, k: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
    @staticmethod
    def site_A_weights(chain: Chain, k: npt.ArrayLike, threads: int = 0) -> np.ndarray: ...
    @staticmethod
    def band_edge(chain: Chain, band: int, minimum: bool) -> BandEdge: ...
    @staticmethod
    def nearest_edge(chain: Chain, mu: float, band: int = -1) -> BandEdge: ...
    @staticmethod
    def curvature_closed_form(chain: Chain, band: int, minimum: bool) -> float: ...
    @staticmethod
    def curvature_eq21(chain: Chain) -> float: ...
    @staticmethod
    def relaxation_time(mass: float, a: float, Ea_BA: float) -> float: ...
    @staticmethod
    def drude_diffusivity(T: float, tau: float, mass: float) -> float: ...
    @staticmethod
    def diffusivity_from_curvature(T: float, tau: float, curvature: float) -> float: ...
    @staticmethod
    def diffusivity_eq22(chain: Chain, T: float, tau: float, Ea_BA: float) -> float: ...
    @staticmethod
    def nernst_einstein(chain: Chain, mu: npt.ArrayLike, T: npt.ArrayLike, tau: float,
                        n0: float, z: float, band: int = 1, delta: float = 1.0) -> np.ndarray: ...
    @staticmethod
    def conductivity_eq24(chain: Chain, mu: npt.ArrayLike, T: npt.ArrayLike, tau: float,
                          n0: float, z: float, Ea_BA: float) -> np.ndarray: ...
    @staticmethod
    def default_nk(chain: Chain, T_min: float) -> int: ...

# --- onsager (bind_onsager.cpp): the attributes of the submodule `onsager` ----------------
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
                       threads: int = 0) -> list[dict[str, Any]]: ...
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

onsager: _OnsagerModule
potential: ModuleType  # bind_potential.cpp: see the section below
doping: _DopingModule  # bind_doping.cpp: see the section below

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
#     tight_binding_arrays(T, method="narrow-well", thermalisation=0.0, threads=0)
#         -> {field: array per T, U_max, a, well_A, well_B}

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
