"""Units and physical constants: the one home for both in the Python layer.

Convention everywhere in quasiion: energy eV, temperature K, length Angstrom, ion mass amu,
time s, diffusivity cm^2/s, conductivity S/cm, carrier density cm^-3, wavevector 1/Angstrom.
Constants are CODATA values from :mod:`scipy.constants`; the C++ core carries the same values
(``quasiion._core.constants``) and a test checks that they agree.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import constants as _c

#: Elementary charge, C.
e: float = _c.e
#: Boltzmann constant, eV/K.
k_B: float = _c.k / _c.e
#: Reduced Planck constant, eV s.
hbar: float = _c.hbar / _c.e
#: Atomic mass unit, kg.
amu: float = _c.physical_constants["atomic mass constant"][0]
#: Electron rest mass, kg.
m_e: float = _c.m_e
#: One Angstrom in m.
angstrom: float = 1e-10
#: The paper's kT = 0.026 eV as a temperature, K (301.7 K).
T_PAPER: float = 0.026 / k_B

#: Masses of common mobile ions, amu.
ION_MASS: dict[str, float] = {"H": 1.008, "Li": 6.94, "Na": 22.990, "Ag": 107.868, "Cu": 63.546,
                              "O": 15.999, "F": 18.998, "Mg": 24.305, "K": 39.098}


def kT(T: npt.ArrayLike) -> np.ndarray:
    """Thermal energy k_B T in eV for temperature ``T`` in K."""
    return np.asarray(T, dtype=float) * k_B


def T_from_kT(kT_eV: npt.ArrayLike) -> np.ndarray:
    """Temperature in K for a thermal energy ``kT_eV`` in eV."""
    return np.asarray(kT_eV, dtype=float) / k_B


def celsius_to_kelvin(T_C: npt.ArrayLike) -> np.ndarray:
    """Temperature in K from degrees Celsius."""
    return np.asarray(T_C, dtype=float) + 273.15


def beta(T: npt.ArrayLike) -> np.ndarray:
    """Inverse thermal energy 1/(k_B T) in 1/eV for ``T`` in K."""
    return 1.0 / kT(T)


def mass_to_eV_s2_per_A2(m_amu: float) -> float:
    """Ion mass in amu expressed in eV s^2/Angstrom^2 (so that m v^2 with v in A/s is in eV)."""
    return m_amu * amu / e * angstrom**2


def S_per_m_to_S_per_cm(sigma: npt.ArrayLike) -> np.ndarray:
    """Conductivity from S/m to S/cm."""
    return np.asarray(sigma, dtype=float) * 1e-2


def m2_per_s_to_cm2_per_s(D: npt.ArrayLike) -> np.ndarray:
    """Diffusivity from m^2/s to cm^2/s."""
    return np.asarray(D, dtype=float) * 1e4
