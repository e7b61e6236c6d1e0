"""Kubo-Greenwood conductivity of real-space supercells (beyond the paper).

The paper judges disorder through the carrier formation energy E_t of small clusters only;
here the conductivity itself of a supercell (any :class:`~quasiion.TightBinding` read as a
supercell: periodic, sampled at Bloch vectors k, or open) follows from all its eigenpairs and
the current operator of its hoppings in the position gauge (bond vector
``r_j + R.A - r_i``), with the Lorentzian broadening ``eta = hbar / tau`` of the relaxation
time tau of section 3.1:

    sigma(mu, T) = C <sum_mn |<m|dH/dk|n>|^2 F_mn L_eta(E_m - E_n)>_k,
    F_mn = (f(E_n) - f(E_m)) / (E_m - E_n),  C = z^2 pi e / (hbar V),

which for a perfect chain reduces to eq 30 on the supercell's k-grid (plus interband terms
that vanish as eta -> 0). Larger supercells use the kernel polynomial method (Chebyshev
moments with the Jackson kernel, stochastic traces, O(N) memory) with a stated statistical
error. See ``cpp/include/quasiion/kubo.hpp`` for the exact forms, including the f-sum rule.

Units: eV, K, Angstrom, s, S/cm, cm^-3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from . import units
from ._core import kubo as _kubo
from .lattice import TightBinding, _broadcast_pairs, _shaped
from .results import ResultMixin

__all__ = ["kubo_conductivity", "optical_conductivity", "kpm_conductivity", "KpmConductivity",
           "RealisationAverage", "average_realisations", "broadening", "supercell_conductivity",
           "conductivity_vs_distortion", "DistortionScan"]


def _register_blas() -> None:
    # The k = 0 products run on the BLAS scipy ships (no link-time BLAS in the wheel).
    try:
        from scipy.linalg import cython_blas

        _kubo._register_dgemm(cython_blas.__pyx_capi__["dgemm"])  # type: ignore[attr-defined]
    except (ImportError, KeyError, ValueError):  # pragma: no cover - Eigen's products remain
        pass


_register_blas()

_EIGENSOLVERS = ("auto", "dense", "band")

#: Dense eigenpairs beyond this many orbitals are refused (memory ~ 3 x 16 N^2 bytes).
MAX_DENSE_ORBITALS = 12000


def broadening(tau: float) -> float:
    """The Lorentzian half-width ``hbar / tau`` in eV for a relaxation time ``tau`` in s."""
    return float(_kubo.broadening_from_tau(V.positive("tau", tau)))


def _volume(tb: TightBinding, volume: float | None, n0: float | None, n_cells: float | None) -> float:
    if volume is not None:
        return V.positive("volume", volume)
    V.positive("n0", 1.0 if n0 is None else n0)
    cells = tb.n_orbitals / 2 if n_cells is None else V.positive("n_cells", n_cells)
    return cells / (1e22 if n0 is None else n0)


def _kpoints(tb: TightBinding, k: npt.ArrayLike | None, k_weights: npt.ArrayLike | None,
             ) -> tuple[np.ndarray, np.ndarray]:
    if k is None:
        kk = np.zeros((1, tb.dim))
    else:
        kk = tb._k(k)
    if k_weights is None:
        w = np.zeros(0)
    else:
        w = V.finite_array("k_weights", k_weights, ndim=1)
        if w.size != kk.shape[0] or np.any(w < 0) or not w.sum() > 0:
            V.fail("k_weights", k_weights, f"{kk.shape[0]} non-negative weights with a positive sum")
    return kk, w


def _common(tb: TightBinding, tau: float, direction: npt.ArrayLike | None, z: float) -> tuple:
    if not isinstance(tb, TightBinding):
        V.fail("lattice", type(tb).__name__, "a quasiion.TightBinding")
    eta = broadening(tau)
    V.charge(z)
    return eta, tb._unit_direction(direction)


def kubo_conductivity(tb: TightBinding, mu: npt.ArrayLike, T: npt.ArrayLike, *, tau: float,
                      volume: float | None = None, n0: float | None = None,
                      n_cells: float | None = None, z: float = 1.0,
                      k: npt.ArrayLike | None = None, k_weights: npt.ArrayLike | None = None,
                      direction: npt.ArrayLike | None = None,
                      threads: int = 0, eigensolver: str = "auto") -> np.ndarray | float:
    """Kubo-Greenwood DC conductivity of a supercell, S/cm.

    Parameters
    ----------
    tb : TightBinding
        The supercell (its hoppings across the cell boundary make it periodic; without them it
        is open).
    mu, T : array_like
        eV, K (> 0); broadcast. Eigenpairs and current matrix elements are computed once for
        all pairs.
    tau : float
        Relaxation time, s; the Lorentzian broadening is ``hbar / tau``.
    volume : float, optional
        Supercell volume, cm^3. Default ``n_cells / n0``.
    n0 : float, optional
        Density of primitive cells (the chain's A+B pairs), cm^-3 (default 1e22).
    n_cells : float, optional
        Primitive cells in the supercell (default ``n_orbitals / 2``, two sites per cell).
    z : float
        Charge number.
    k : array_like, shape (nk, d), optional
        Bloch vectors of the supercell, 1/Angstrom (default k = 0 only).
    k_weights : array_like, optional
        Weights of the k rows (default uniform).
    direction : array_like, optional
        Transport direction; default the first axis.
    eigensolver : {"auto", "dense", "band"}
        Eigenpairs at k = 0 with real hoppings: ``"auto"`` takes the narrow-band route when the
        hopping graph is narrow (chains, rings, strips: reverse Cuthill-McKee to half-bandwidth
        kd, then MRRR or banded inverse iteration, O(N^2 kd) instead of O(N^3)) and the dense
        LAPACK solver otherwise; ``"dense"`` always the dense one; ``"band"`` requires the band
        route (an error if it declines). Other k always use the dense complex solver.

    Returns
    -------
    ndarray or float
        S/cm with the broadcast shape of mu and T.
    """
    eigensolver = V.choice("eigensolver", eigensolver, _EIGENSOLVERS)
    eta, d = _common(tb, tau, direction, z)
    if tb.n_orbitals > MAX_DENSE_ORBITALS:
        V.fail("lattice", f"a supercell of {tb.n_orbitals} orbitals",
               f"at most {MAX_DENSE_ORBITALS} for dense eigenpairs; use kpm_conductivity")
    vol = _volume(tb, volume, n0, n_cells)
    kk, w = _kpoints(tb, k, k_weights)
    m, t, shape = _broadcast_pairs(mu, T)
    out = _kubo.conductivity(tb._core, kk, w, d, eta, vol, float(z), m, t, threads, eigensolver)
    return _shaped(out, shape)


def optical_conductivity(tb: TightBinding, hbar_omega: npt.ArrayLike, *, mu: float, T: float,
                         tau: float, volume: float | None = None, n0: float | None = None,
                         n_cells: float | None = None, z: float = 1.0,
                         k: npt.ArrayLike | None = None, k_weights: npt.ArrayLike | None = None,
                         direction: npt.ArrayLike | None = None, threads: int = 0,
                         eigensolver: str = "auto") -> np.ndarray:
    """Re sigma(omega) of a supercell, S/cm, at photon energies ``hbar_omega`` (eV), each
    transition broadened by the Lorentzian of half-width ``hbar / tau``; its integral over
    hbar*omega obeys the f-sum rule (see the module docstring). Other parameters as
    :func:`kubo_conductivity`."""
    eigensolver = V.choice("eigensolver", eigensolver, _EIGENSOLVERS)
    eta, d = _common(tb, tau, direction, z)
    vol = _volume(tb, volume, n0, n_cells)
    kk, w = _kpoints(tb, k, k_weights)
    om = V.finite_array("hbar_omega", hbar_omega)
    out = _kubo.optical_conductivity(tb._core, kk, w, d, eta, vol, float(z), V.finite("mu", mu),
                                     float(V.temperature(T)), om.ravel(), threads, eigensolver)
    return np.asarray(out).reshape(om.shape)


@dataclass(frozen=True)
class KpmConductivity(ResultMixin):
    """KPM conductivity.

    Attributes
    ----------
    mu, T : ndarray
        eV, K.
    sigma : ndarray
        S/cm, mean over the random vectors.
    error : ndarray
        Its statistical error (standard error of the mean over the ``n_random`` vectors), S/cm;
        the Jackson kernel's energy resolution ``resolution`` is part of the estimator.
    energy, sigma_E : ndarray
        sigma(E) on the Chebyshev energy grid (eV, S/cm).
    resolution : float
        Kernel resolution pi * (half spectral width) / n_moments, eV.
    n_moments, n_random : int
    """

    mu: np.ndarray
    T: np.ndarray
    sigma: np.ndarray
    error: np.ndarray
    energy: np.ndarray
    sigma_E: np.ndarray
    resolution: float
    n_moments: int
    n_random: int


def kpm_conductivity(tb: TightBinding, mu: npt.ArrayLike, T: npt.ArrayLike, *,
                     volume: float | None = None, n0: float | None = None,
                     n_cells: float | None = None, z: float = 1.0, n_moments: int = 256,
                     n_random: int = 8, n_energies: int = 0, seed: int = 1,
                     k: npt.ArrayLike | None = None, direction: npt.ArrayLike | None = None,
                     memory_bytes: float = 256e6, threads: int = 0) -> KpmConductivity:
    """Kubo-Greenwood conductivity by the kernel polynomial method, for supercells too large
    for dense eigenpairs (sparse Hamiltonian, O(N) memory).

    ``sigma(E) = C Tr[V delta(E - H) V delta(E - H)]`` with ``delta`` expanded in
    ``n_moments`` Chebyshev polynomials (Jackson kernel), the trace over ``n_random``
    random-phase vectors; ``sigma(mu, T) = int (-df/dE) sigma(E) dE`` on the Chebyshev grid
    of ``n_energies`` points (default ``2 n_moments``). The broadening is the kernel's
    (``resolution``), not hbar/tau; keep kT above the energy grid spacing.
    """
    _, d = _common(tb, 1.0, direction, z)
    for name, val, lo in (("n_moments", n_moments, 2), ("n_random", n_random, 1),
                          ("n_energies", n_energies, 0), ("seed", seed, 0)):
        if int(val) != val or val < lo:
            V.fail(name, val, f"an integer >= {lo}")
    vol = _volume(tb, volume, n0, n_cells)
    kk = np.zeros(tb.dim) if k is None else V.finite_array("k", k, ndim=1)
    if kk.size != tb.dim:
        V.fail("k", k, f"one Bloch vector of length {tb.dim}")
    V.positive("memory_bytes", memory_bytes)
    m, t, shape = _broadcast_pairs(mu, T)
    r = _kubo.kpm_sigma_E(tb._core, kk, d, 1.0, vol, float(z), int(n_moments), int(n_random),
                          int(n_energies), int(seed), float(memory_bytes), threads)
    # The thermal average is a trapezoid sum of -f' sigma(E) on the energy grid: it needs the
    # grid spacing near each mu below kT.
    e = np.asarray(r["energy"])
    h = np.diff(e)
    mid = 0.5 * (e[1:] + e[:-1])
    for mi, ti in zip(m, t):
        kT = units.k_B * ti
        near = np.abs(mid - mi) < 10 * kT
        if np.any(h[near] > kT):
            V.fail("n_energies", n_energies,
                   f"a grid finer than kT = {kT:.3g} eV near mu = {mi:.4g} eV (spacing "
                   f"{h[near].max():.3g} eV there); raise n_energies or T")
    avg = np.asarray(_kubo.kpm_thermal_average(r["energy"], r["samples"], m, t))
    return KpmConductivity(mu=m.reshape(shape), T=t.reshape(shape), sigma=avg[:, 0].reshape(shape),
                           error=avg[:, 1].reshape(shape), energy=np.asarray(r["energy"]),
                           sigma_E=np.asarray(r["sigma_E"]), resolution=float(r["resolution"]),
                           n_moments=int(n_moments), n_random=int(n_random))


@dataclass(frozen=True)
class RealisationAverage(ResultMixin):
    """Mean and spread over disorder realisations.

    Attributes
    ----------
    seeds : ndarray
        The seeds used.
    values : ndarray
        (n_seeds, ...) per realisation.
    mean, std, sem : ndarray
        Mean, standard deviation (ddof = 1) and standard error of the mean over realisations.
    """

    seeds: np.ndarray
    values: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    sem: np.ndarray


def average_realisations(compute: Callable[[int], npt.ArrayLike],
                         seeds: Sequence[int]) -> RealisationAverage:
    """Average ``compute(seed)`` (e.g. a supercell's conductivity at fixed mu, T) over seeds.

    Parameters
    ----------
    compute : callable
        Maps an integer seed to an array (the same shape for every seed).
    seeds : sequence of int
        At least one seed (two for a spread).
    """
    s = [int(x) for x in seeds]
    if not s:
        V.fail("seeds", seeds, "at least one seed")
    vals = np.array([np.asarray(compute(x), dtype=float) for x in s])
    n = len(s)
    std = vals.std(axis=0, ddof=1) if n > 1 else np.zeros(vals.shape[1:])
    return RealisationAverage(seeds=np.array(s), values=vals, mean=vals.mean(axis=0), std=std,
                              sem=std / np.sqrt(n))


def supercell_conductivity(supercell: Any, mu: npt.ArrayLike, *, tau: float,
                           realisations: Sequence[int] = (0, 1, 2, 3), T: float | None = None,
                           n0: float = 1e22, z: float = 1.0, method: str = "dense",
                           threads: int = 0, **kpm: Any) -> RealisationAverage:
    """Kubo-Greenwood conductivity (S/cm) of a disordered supercell, averaged over disorder
    realisations with its spread.

    Parameters
    ----------
    supercell : object
        A supercell builder with ``lattice()`` (a :class:`TightBinding`), ``with_realisation(i)``
        (the same supercell for realisation i), ``n_sites`` (primitive cells) and ``T`` (the
        temperature its hoppings were derived at, K), as the section 3.4 supercells provide.
    mu : array_like
        Chemical potentials, eV.
    tau : float
        Relaxation time, s (broadening hbar/tau).
    realisations : sequence of int
        Realisation indices averaged over.
    T : float, optional
        Temperature of the Fermi factors, K (default ``supercell.T``).
    n0 : float
        Density of primitive cells, cm^-3 (volume = n_sites / n0).
    method : {"dense", "kpm"}
        Dense eigenpairs or the kernel polynomial method (keywords ``kpm`` passed on).

    Returns
    -------
    RealisationAverage
        ``values`` (n_realisations, len(mu)), ``mean``, ``std``, ``sem`` in S/cm.
    """
    V.choice("method", method, ("dense", "kpm"))
    for attr in ("lattice", "with_realisation", "n_sites", "T"):
        if not hasattr(supercell, attr):
            V.fail("supercell", type(supercell).__name__,
                   "an object with lattice(), with_realisation(), n_sites and T")
    Tk = float(supercell.T) if T is None else float(V.temperature(T))
    mu_a = V.finite_array("mu", mu, ndim=1)

    def one(r: int) -> np.ndarray:
        tb = supercell.with_realisation(int(r)).lattice()
        if method == "dense":
            return np.asarray(kubo_conductivity(tb, mu_a, Tk, tau=tau, n0=n0,
                                                n_cells=supercell.n_sites, z=z, threads=threads))
        return kpm_conductivity(tb, mu_a, Tk, n0=n0, n_cells=supercell.n_sites, z=z,
                                seed=int(r) + 1, threads=threads, **kpm).sigma

    return average_realisations(one, realisations)


def conductivity_vs_distortion(make: Callable[[float], Any], levels: Sequence[float],
                               mu: float, *, tau: float,
                               realisations: Sequence[int] = (0, 1, 2, 3),
                               T: float | None = None, n0: float = 1e22,
                               threads: int = 0) -> DistortionScan:
    """sigma at one mu versus distortion level: ``make(d)`` builds the supercell at level d
    (e.g. ``lambda d: DistortedSupercell.eq45(0.5, 200, d)``); each level is averaged over
    ``realisations``. Returns a :class:`DistortionScan` (S/cm)."""
    lv = [V.finite("levels", x) for x in levels]
    if not lv:
        V.fail("levels", levels, "at least one distortion level")
    res = [supercell_conductivity(make(d), [mu], tau=tau, realisations=realisations, T=T,
                                  n0=n0, threads=threads) for d in lv]
    return DistortionScan(levels=np.array(lv), mu=float(mu),
                          sigma=np.array([r.mean[0] for r in res]),
                          std=np.array([r.std[0] for r in res]),
                          values=np.array([r.values[:, 0] for r in res]))


@dataclass(frozen=True)
class DistortionScan(ResultMixin):
    """sigma versus distortion level at one mu.

    Attributes
    ----------
    levels : ndarray
        Distortion levels.
    mu : float
        eV.
    sigma, std : ndarray
        Mean and spread (ddof = 1) over realisations, S/cm.
    values : ndarray
        (n_levels, n_realisations), S/cm.
    """

    levels: np.ndarray
    mu: float
    sigma: np.ndarray
    std: np.ndarray
    values: np.ndarray
