"""Spectra of large real symmetric Hamiltonians without diagonalising them (section 3.4).

A tridiagonal chain (on-site energies and nearest-neighbour hoppings) or a banded matrix
(LAPACK lower storage, the layout of ``scipy.linalg.eig_banded(lower=True)``) is never
formed densely: eigenvalue counts below an energy come from Sturm sequences (tridiagonal) or
the inertia of a banded LDL^T factorisation, single eigenvalues from multisection on those
counts. This gives

* the gap around a filling or a chemical potential, the carrier formation energy E_t of
  section 3.4 (:func:`chain_gap`, :func:`band_gap`), to 1e-12 eV in O(n) memory;
* the integrated density of states on an energy grid (:func:`count_below`) and the density
  of states per bin (:func:`dos`).

Costs: one count is n divisions (chain) or n kd^2 / 2 multiply-adds (band); an eigenvalue to
1e-12 eV takes ~15-40 rounds of counts. Energies in eV throughout.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._core import spectrum as _spectrum
from .results import ResultMixin

__all__ = ["GapResult", "DosResult", "chain_gap", "band_gap", "count_below", "dos"]


@dataclass(frozen=True)
class GapResult(ResultMixin):
    """The gap around a filling.

    Attributes
    ----------
    homo : float
        Highest occupied eigenvalue (eigenvalue ``n_occupied - 1``, ascending), eV.
    lumo : float
        Lowest empty eigenvalue (eigenvalue ``n_occupied``), eV.
    gap : float
        ``lumo - homo``, eV: the carrier formation energy E_t of section 3.4.
    n_occupied : int
        Number of eigenvalues below the gap.
    n_states : int
        Matrix size.
    tol : float
        Absolute accuracy of homo and lumo, eV.
    """

    homo: float
    lumo: float
    gap: float
    n_occupied: int
    n_states: int
    tol: float


@dataclass(frozen=True)
class DosResult(ResultMixin):
    """Density of states on a grid of bins.

    Attributes
    ----------
    edges : ndarray, shape (m + 1,)
        Bin edges, eV.
    centers : ndarray, shape (m,)
        Bin centres, eV.
    counts : ndarray, shape (m,)
        Eigenvalues in ``[edges[i], edges[i+1])`` (exact counts, no broadening).
    density : ndarray, shape (m,)
        ``counts / (n_states * width)``: states per eV per state, integrating to the fraction
        of the spectrum inside the grid.
    integrated : ndarray, shape (m + 1,)
        Number of eigenvalues below each edge (the integrated DOS).
    n_states : int
        Matrix size.
    """

    edges: np.ndarray
    centers: np.ndarray
    counts: np.ndarray
    density: np.ndarray
    integrated: np.ndarray
    n_states: int


def _tridiagonal(onsite: npt.ArrayLike, hopping: npt.ArrayLike) -> _spectrum.Tridiagonal:
    d = V.finite_array("onsite", onsite, ndim=1)
    e = V.finite_array("hopping", hopping, ndim=1, allow_empty=True)
    if e.size != d.size - 1:
        V.fail("hopping", V.Described(f"an array of length {e.size}"),
               f"of length len(onsite) - 1 = {d.size - 1} (hopping[i] couples sites i and i + 1)")
    return _spectrum.Tridiagonal(d, e)


def _band(band: npt.ArrayLike) -> _spectrum.SymmetricBand:
    b = V.finite_array("band", band, ndim=2)
    return _spectrum.SymmetricBand(b)


def _matrix(onsite: npt.ArrayLike | None, hopping: npt.ArrayLike | None,
            band: npt.ArrayLike | None) -> _spectrum.Tridiagonal | _spectrum.SymmetricBand:
    if band is not None:
        if onsite is not None or hopping is not None:
            V.fail("band", V.Described("given together with onsite/hopping"),
                   "given alone (a banded matrix) or replaced by onsite and hopping (a chain)")
        return _band(band)
    if onsite is None:
        V.fail("onsite", None, "given (with hopping) for a chain, or pass band=")
    if hopping is None:
        V.fail("hopping", None, "given with onsite (length len(onsite) - 1)")
    return _tridiagonal(onsite, hopping)


def _threads(threads: int) -> int:
    t = operator.index(threads)
    if t < 0:
        V.fail("threads", t, ">= 0 (0 = one per core)")
    return t


def _gap(H: _spectrum.Tridiagonal | _spectrum.SymmetricBand, mu: float | None,
         n_occupied: int | None, tol: float, threads: int) -> GapResult:
    tol = V.positive("tol", tol)
    threads = _threads(threads)
    n = int(H.n)
    if n < 2:
        V.fail("n", n, ">= 2 states (one below and one above the gap)")
    if (mu is None) == (n_occupied is None):
        V.fail("mu", mu, "given, or n_occupied given instead (exactly one of the two)")
    if mu is not None:
        mu = V.finite("mu", mu)
        lo, hi = _spectrum.gershgorin(H)
        below = _spectrum.count_below(H, mu)
        if not 1 <= below <= n - 1:
            V.fail("mu", mu, f"inside the spectrum (at least one eigenvalue below and one above;"
                   f" {below} of {n} are below, the spectrum lies in [{lo:.6g}, {hi:.6g}] eV)")
        g = _spectrum.gap_at_filling(H, below, tol, threads)
    else:
        try:
            k = operator.index(n_occupied)  # type: ignore[arg-type]
        except TypeError:
            V.fail("n_occupied", n_occupied, "an integer")
        if not 1 <= k <= n - 1:
            V.fail("n_occupied", k, f"in [1, n - 1] = [1, {n - 1}]")
        g = _spectrum.gap_at_filling(H, k, tol, threads)
    return GapResult(homo=g.homo, lumo=g.lumo, gap=g.gap, n_occupied=int(g.n_occupied),
                     n_states=n, tol=tol)


def chain_gap(onsite: npt.ArrayLike, hopping: npt.ArrayLike, mu: float | None = None,
              n_occupied: int | None = None, *, tol: float = 1e-12,
              threads: int = 0) -> GapResult:
    """Gap of an open chain ``H = diag(onsite) + offdiag(hopping)`` around a filling.

    Parameters
    ----------
    onsite : array_like, shape (n,)
        On-site energies, eV.
    hopping : array_like, shape (n - 1,)
        ``hopping[i]`` couples sites i and i + 1, eV (zeros split the chain into blocks).
    mu : float, optional
        Chemical potential, eV: homo is the highest eigenvalue below mu, lumo the lowest at or
        above it. Exactly one of ``mu`` and ``n_occupied``.
    n_occupied : int, optional
        Number of occupied states, in [1, n - 1].
    tol : float
        Absolute accuracy of homo and lumo, eV.
    threads : int
        Worker threads (0 = one per core); the result does not depend on it.

    Returns
    -------
    GapResult
        homo, lumo and gap = lumo - homo in eV (the carrier formation energy E_t).

    Notes
    -----
    Never forms a dense matrix: memory is a few arrays of length n, time O(n) per count.
    """
    return _gap(_tridiagonal(onsite, hopping), mu, n_occupied, tol, threads)


def band_gap(band: npt.ArrayLike, mu: float | None = None, n_occupied: int | None = None, *,
             tol: float = 1e-12, threads: int = 0) -> GapResult:
    """Gap of a real symmetric band matrix around a filling.

    Parameters
    ----------
    band : array_like, shape (kd + 1, n)
        Lower band storage, ``band[r, j] = H[j + r, j]`` in eV (as for
        ``scipy.linalg.eig_banded(band, lower=True)``); entries with ``j + r >= n`` are
        ignored.
    mu, n_occupied, tol, threads
        As in :func:`chain_gap`.

    Returns
    -------
    GapResult
        homo, lumo, gap in eV.

    Notes
    -----
    Memory O(n kd), time O(n kd^2) per count; the band is never reduced to tridiagonal form.
    """
    return _gap(_band(band), mu, n_occupied, tol, threads)


def count_below(energies: npt.ArrayLike, *, onsite: npt.ArrayLike | None = None,
                hopping: npt.ArrayLike | None = None, band: npt.ArrayLike | None = None,
                threads: int = 0) -> np.ndarray:
    """Number of eigenvalues below each energy (the integrated density of states).

    Give a chain (``onsite``, ``hopping``, eV, as in :func:`chain_gap`) or a band matrix
    (``band``, as in :func:`band_gap`).

    Parameters
    ----------
    energies : array_like
        Energies, eV (any shape).
    threads : int
        Worker threads (0 = one per core); the result does not depend on it.

    Returns
    -------
    ndarray of int64, the shape of ``energies``
        Eigenvalues strictly below each energy (an eigenvalue within ~1e-300 eV of an energy
        may count on either side).
    """
    H = _matrix(onsite, hopping, band)
    E = V.finite_array("energies", energies, allow_empty=True)
    out = _spectrum.integrated_dos(H, np.ascontiguousarray(E.ravel()), _threads(threads))
    return np.asarray(out).astype(np.int64).reshape(E.shape)


def dos(edges: npt.ArrayLike, *, onsite: npt.ArrayLike | None = None,
        hopping: npt.ArrayLike | None = None, band: npt.ArrayLike | None = None,
        threads: int = 0) -> DosResult:
    """Density of states on the bins between ``edges`` (eV), from eigenvalue counts.

    The counts per bin are exact (the histogram of the spectrum, as
    ``numpy.histogram(eigenvalues, edges)`` up to eigenvalues lying exactly on an edge), without
    computing the spectrum: m + 1 Sturm or inertia counts. No broadening is applied; smooth it
    afterwards if wanted.

    Parameters
    ----------
    edges : array_like, shape (m + 1,)
        Strictly increasing bin edges, eV.
    onsite, hopping, band, threads
        As in :func:`count_below`.
    """
    H = _matrix(onsite, hopping, band)
    e = _bin_edges(edges)
    integ = np.asarray(_spectrum.integrated_dos(H, np.ascontiguousarray(e), _threads(threads)))
    return _dos_result(e, integ, int(H.n))


def _bin_edges(edges: npt.ArrayLike) -> np.ndarray:
    """Validated DOS bin edges (eV): finite, 1-D, at least two, strictly increasing."""
    e = V.finite_array("edges", edges, ndim=1)
    if e.size < 2:
        V.fail("edges", V.Described(f"an array of length {e.size}"), "of length >= 2")
    if not (np.diff(e) > 0).all():
        i = int(np.argmin(np.diff(e) > 0)) + 1
        V.fail(f"edges[{i}]", e[i], f"strictly increasing (> edges[{i - 1}] = {e[i - 1]})")
    return e


def _dos_result(e: np.ndarray, integrated: np.ndarray, n_states: int) -> DosResult:
    """The DOS on bins ``e`` from the eigenvalue counts below each edge."""
    integ = np.asarray(integrated, dtype=np.int64)
    counts = np.diff(integ)
    return DosResult(edges=e, centers=0.5 * (e[1:] + e[:-1]), counts=counts,
                     density=counts / (n_states * np.diff(e)), integrated=integ,
                     n_states=n_states)
