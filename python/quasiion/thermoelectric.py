"""Thermoelectric transport of the quasi-ions in the relaxation-time approximation, the state
count of any lattice, and its density of states.

From the same Fermi-window sums as eq 30, the moments
``L_n = (ze)^2 n0 tau <v^2 (E - mu)^n (-df/dE)>`` give

* ``sigma = L0`` (S/cm),
* the ionic Seebeck coefficient ``S = L1 / (z e T L0)`` (V/K; positive when the carriers
  lie above mu, the quasi-ions of a z > 0 ion, negative for quasi-vacancies),
* the heat carried by the quasi-ions at zero particle current (the electronic thermal
  conductivity of a metal) ``kappa = (L2 - L1^2 / L0) / ((ze)^2 T)`` in W/(cm K),
* the Lorenz ratio ``kappa / (sigma T)`` in V^2/K^2.

No cut-off of ``-df/dE`` is applied: S and the Lorenz ratio are computed as the mean and
variance of ``E - mu`` under the window weights, so they stay exact deep in a gap, where
sigma itself may underflow (``log_sigma`` keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from . import _validation as V
from . import units
from ._core import kubo as _kubo
from .interstitial import InterstitialChain
from .lattice import TightBinding, _broadcast_pairs
from .results import ResultMixin

__all__ = ["Thermoelectric", "chain_thermoelectric", "lattice_thermoelectric",
           "carrier_count", "density_of_states"]


@dataclass(frozen=True)
class Thermoelectric(ResultMixin):
    """Thermoelectric coefficients at the (broadcast) pairs ``mu``, ``T``.

    Attributes
    ----------
    mu, T : ndarray
        eV, K.
    sigma : ndarray
        Conductivity, S/cm.
    log_sigma : ndarray
        ln(sigma / (S/cm)), finite where sigma underflows.
    seebeck : ndarray
        Seebeck coefficient (thermopower), V/K.
    kappa : ndarray
        Heat conductivity of the quasi-ions at zero particle current, W/(cm K).
    lorenz : ndarray
        kappa / (sigma T), V^2/K^2 (pi^2/3 (k_B/ze)^2 for a degenerate band).
    """

    mu: np.ndarray
    T: np.ndarray
    sigma: np.ndarray
    log_sigma: np.ndarray
    seebeck: np.ndarray
    kappa: np.ndarray
    lorenz: np.ndarray


def _result(d: dict, m: np.ndarray, t: np.ndarray, shape: tuple) -> Thermoelectric:
    r = {k: np.asarray(v).reshape(shape) for k, v in d.items()}
    return Thermoelectric(mu=m.reshape(shape), T=t.reshape(shape), **r)


def chain_thermoelectric(chain: InterstitialChain, mu: npt.ArrayLike, T: npt.ArrayLike, *,
                         band: int | None = None, nk: int | None = None, tau: float | None = None,
                         threads: int = 0) -> Thermoelectric:
    """Seebeck coefficient and heat conductivity of the interstitial chain (eq 30's moments).

    Parameters
    ----------
    chain : InterstitialChain
        The chain (its ``n0``, ``z`` and, unless ``tau`` is given, ``Ea_BA`` and mass are used).
    mu, T : array_like
        eV, K (> 0), broadcast.
    band : {None, 0, 1}
        Band(s) carrying current; default both.
    nk : int, optional
        Midpoint k-points (default ``chain.default_nk(T)``).
    tau : float, optional
        Relaxation time, s (default ``chain.relaxation_time()``).
    """
    m, t, shape = _broadcast_pairs(mu, T)
    n = chain.default_nk(t) if nk is None else nk
    if int(n) != n or n < 1:
        V.fail("nk", nk, "an integer >= 1")
    b = chain._band(band)
    sel = [] if b == -1 else [b]
    d = _kubo.chain_thermoelectric(chain._c, int(n), sel, chain._tau(tau), chain.n0, chain.z,
                                   m, t, threads)
    return _result(d, m, t, shape)


def lattice_thermoelectric(tb: TightBinding, mu: npt.ArrayLike, T: npt.ArrayLike, *, tau: float,
                           n0: float = 1e22, z: float = 1.0, nk: int | Sequence[int] = 256,
                           direction: npt.ArrayLike | None = None,
                           bands: Sequence[int] | None = None, threads: int = 0) -> Thermoelectric:
    """Seebeck coefficient and heat conductivity of any tight-binding lattice (the moments of
    :meth:`TightBinding.conductivity` on a midpoint k-grid).

    Parameters
    ----------
    tb : TightBinding
    mu, T : array_like
        eV, K (> 0), broadcast.
    tau : float
        Relaxation time, s.
    n0 : float
        Density of unit cells, cm^-3.
    z : float
        Charge number (non-zero).
    nk : int or sequence of d ints
        k-grid points per reciprocal direction.
    direction : array_like, optional
        Transport direction (normalised here); default the first Cartesian axis.
    bands : sequence of int, optional
        Bands carrying current; default all.
    """
    V.relaxation_time(tau)
    V.positive("n0", n0)
    V.charge(z)
    m, t, shape = _broadcast_pairs(mu, T)
    k = tb.kgrid(nk)
    sel = tb._band_selection(bands)
    d = _kubo.lattice_thermoelectric(tb._core, k, tb._unit_direction(direction), sel, float(tau),
                                     float(n0), float(z), m, t, threads)
    return _result(d, m, t, shape)


def carrier_count(tb: TightBinding, mu: npt.ArrayLike, T: npt.ArrayLike, *,
                  nk: int | Sequence[int] = 256, threads: int = 0) -> np.ndarray | float:
    """Mobile ions per unit cell, ``<sum_n f(E_n(k) - mu)>_k`` on a midpoint k-grid.

    For a real-space supercell (one cell) pass ``nk=1`` (k = 0). Returns the broadcast shape of
    ``mu`` and ``T`` (a float if both are scalars), in ions per cell (0 .. n_orbitals).
    """
    m, t, shape = _broadcast_pairs(mu, T)
    e = tb.bands(tb.kgrid(nk), threads=threads).ravel()
    kT = units.k_B * t
    out = np.array([expit(-(e - mi) / ki).sum() for mi, ki in zip(m, kT)]) / (e.size / tb.n_orbitals)
    res = out.reshape(shape)
    return float(res) if res.ndim == 0 else res


def density_of_states(tb: TightBinding, energies: npt.ArrayLike, *, width: float,
                      nk: int | Sequence[int] = 256, threads: int = 0) -> np.ndarray:
    """Density of states per unit cell, 1/eV, Gaussian-broadened with standard deviation
    ``width`` (eV) over a midpoint k-grid; integrates to ``n_orbitals``.

    Parameters
    ----------
    energies : array_like
        Where to evaluate, eV.
    width : float
        Gaussian standard deviation, eV (> 0).
    """
    E = V.finite_array("energies", energies)
    V.positive("width", width)
    e = tb.bands(tb.kgrid(nk), threads=threads).ravel()
    nks = e.size // tb.n_orbitals
    out = np.empty(E.size)
    flat = E.ravel()
    for s in range(0, flat.size, 256):
        x = (flat[s:s + 256, None] - e[None, :]) / width
        out[s:s + 256] = np.exp(-0.5 * x * x).sum(axis=1)
    return (out / (nks * width * np.sqrt(2.0 * np.pi))).reshape(E.shape)
