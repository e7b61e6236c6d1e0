"""General tight-binding lattices in 1, 2 or 3 dimensions.

A model is d lattice vectors (Angstrom), ``n_orb`` orbitals per cell at given positions
(Angstrom), on-site energies (eV) and hoppings ``(i, j, R, t)``: amplitude ``t`` (eV, may be
complex) from orbital ``i`` in the home cell to orbital ``j`` in the cell at integer offset
``R``. Give each bond once; its Hermitian partner ``(j, i, -R, conj(t))`` is added by the
assembler.

Gauge (the "cell gauge"): ``H_ij(k) = eps_i delta_ij + sum_R t_ij(R) exp(i k . R_cart)``,
``R_cart = sum_a R_a a_a``; orbital positions do not enter the phases, so ``H(k)`` is periodic
in the reciprocal lattice. The paper's eq 17 is written in this gauge. Eigenvalues and group
velocities do not depend on the gauge; eigenvectors differ from the position gauge by the
phases ``exp(i k . r_i)``.

Units: energies eV, lengths Angstrom, wavevectors 1/Angstrom, velocities dE/dk in
eV*Angstrom, conductivity S/cm, densities cm^-3, temperatures K.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._core import bands as _bands
from .executors import ExecutorLike, map_grid, worker_threads

__all__ = ["TightBinding", "Hopping"]

#: A hopping ``(i, j, R, t)``: orbital i (home cell) -> orbital j (cell R), amplitude t (eV).
Hopping = tuple[int, int, Sequence[int], complex]


def _broadcast_pairs(mu: npt.ArrayLike, T: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Validate mu (eV, finite) and T (K, > 0) and broadcast them; returns flat copies and the
    broadcast shape."""
    mu_a = V.finite_array("mu", mu)
    T_a = V.temperature(T)
    try:
        shape = np.broadcast_shapes(mu_a.shape, T_a.shape)
    except ValueError:
        V.fail("T", f"an array of shape {T_a.shape}",
               f"broadcastable with mu of shape {mu_a.shape}")
    m, t = np.broadcast_arrays(mu_a, T_a)
    return np.ascontiguousarray(m.ravel()), np.ascontiguousarray(t.ravel()), shape


def _shaped(values: np.ndarray, shape: tuple) -> np.ndarray | float:
    out = np.asarray(values).reshape(shape)
    return float(out) if out.ndim == 0 else out


class TightBinding:
    """A tight-binding lattice in 1, 2 or 3 dimensions.

    Parameters
    ----------
    vectors : array_like, shape (d, d), or a number for d = 1
        Lattice vectors as rows, Angstrom.
    positions : array_like, shape (n_orb, d), or (n_orb,) for d = 1
        Orbital positions, Angstrom (used for plots; not in the Bloch phases, see the module
        docstring on the gauge).
    onsite : array_like, shape (n_orb,)
        On-site energies, eV.
    hoppings : iterable of (i, j, R, t)
        Each bond once: orbital ``i`` (home cell) to orbital ``j`` in the cell at integer
        offset ``R`` (length d), amplitude ``t`` in eV (real or complex).

    Raises
    ------
    ValueError
        Naming the parameter: non-square or singular ``vectors``, mismatched shapes, no
        orbitals, non-finite values, orbital indices out of range, offsets of the wrong
        length, or a hopping from an orbital to itself at R = 0.
    """

    def __init__(self, vectors: npt.ArrayLike, positions: npt.ArrayLike, onsite: npt.ArrayLike,
                 hoppings: Iterable[Hopping] = ()) -> None:
        vec = V.finite_array("vectors", vectors)
        if vec.ndim == 0:
            vec = vec.reshape(1, 1)
        if vec.ndim != 2 or vec.shape[0] != vec.shape[1] or not 1 <= vec.shape[0] <= 3:
            V.fail("vectors", f"an array of shape {vec.shape}", "of shape (d, d) with d = 1, 2 or 3")
        d = vec.shape[0]
        on = V.finite_array("onsite", onsite, ndim=1)
        pos = V.finite_array("positions", positions)
        if d == 1 and pos.ndim == 1:
            pos = pos.reshape(-1, 1)
        if pos.shape != (on.size, d):
            V.fail("positions", f"an array of shape {pos.shape}",
                   f"of shape (n_orb, d) = ({on.size}, {d}), one row per on-site energy")
        hi, hj, hR, ht = [], [], [], []
        for h, hop in enumerate(hoppings):
            try:
                i, j, R, t = hop
            except (TypeError, ValueError):
                V.fail(f"hoppings[{h}]", hop, "a tuple (i, j, R, t)")
            try:
                R_arr = np.atleast_1d(np.asarray(R))
                ok = (R_arr.ndim == 1 and R_arr.size == d and R_arr.dtype.kind in "iuf"
                      and bool(np.all(np.isfinite(R_arr))) and np.all(np.equal(np.mod(R_arr, 1), 0)))
            except (TypeError, ValueError):
                ok = False
            if not ok:
                V.fail(f"hoppings[{h}].R", R, f"{d} integer(s)")
            if np.any(np.abs(R_arr.astype(float)) > 2**31 - 1):  # the core holds int32 offsets
                V.fail(f"hoppings[{h}].R", R, "integers within +-(2^31 - 1)")
            try:
                tc = complex(t)
            except (TypeError, ValueError):
                V.fail(f"hoppings[{h}].t", t, "a finite number (eV)")
            if not (np.isfinite(tc.real) and np.isfinite(tc.imag)):
                V.fail(f"hoppings[{h}].t", t, "finite")
            if not all(isinstance(x, (int, np.integer)) and not isinstance(x, bool)
                       for x in (i, j)):
                V.fail(f"hoppings[{h}]", hop, "integer orbital indices i, j")
            hi.append(int(i))
            hj.append(int(j))
            hR.append(R_arr.astype(int))
            ht.append(tc)
        self._dim = d
        self._hoppings: list[Hopping] = [(a, b, tuple(int(x) for x in r), c)
                                         for a, b, r, c in zip(hi, hj, hR, ht)]
        self._core = _bands.Lattice(
            vec, pos, on, np.asarray(hi, dtype=np.int32), np.asarray(hj, dtype=np.int32),
            np.asarray(hR, dtype=np.int32).reshape(len(hR), d), np.asarray(ht, dtype=complex))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickles (process pools, dask) as its constructor arguments
        return (TightBinding, (self.vectors, self.positions, self.onsite, self.hoppings))

    @classmethod
    def _from_core(cls, core: _bands.Lattice, hoppings: list[Hopping]) -> TightBinding:
        self = cls.__new__(cls)
        self._core = core
        self._dim = core.dim
        self._hoppings = hoppings
        return self

    # --- properties --------------------------------------------------------------------
    @property
    def dim(self) -> int:
        """Number of dimensions d."""
        return self._dim

    @property
    def n_orbitals(self) -> int:
        """Orbitals per cell."""
        return int(self._core.n_orbitals)

    @property
    def vectors(self) -> np.ndarray:
        """Lattice vectors as rows, (d, d), Angstrom."""
        return np.array(self._core.vectors)

    @property
    def positions(self) -> np.ndarray:
        """Orbital positions, (n_orb, d), Angstrom."""
        return np.array(self._core.positions)

    @property
    def onsite(self) -> np.ndarray:
        """On-site energies, (n_orb,), eV."""
        return np.array(self._core.onsite)

    @property
    def hoppings(self) -> list[Hopping]:
        """The hoppings as given, ``(i, j, R, t)``."""
        return list(self._hoppings)

    def reciprocal_vectors(self) -> np.ndarray:
        """Rows b_i with a_i . b_j = 2 pi delta_ij, (d, d), 1/Angstrom."""
        return np.array(self._core.reciprocal_vectors())

    def __repr__(self) -> str:
        return (f"TightBinding(dim={self.dim}, n_orbitals={self.n_orbitals}, "
                f"hoppings={len(self._hoppings)})")

    # --- k points ----------------------------------------------------------------------
    def _k(self, k: npt.ArrayLike) -> np.ndarray:
        arr = V.finite_array("k", k)
        if self.dim == 1 and arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2 or arr.shape[1] != self.dim:
            V.fail("k", f"an array of shape {arr.shape}",
                   f"of shape (nk, {self.dim})" + (" or (nk,)" if self.dim == 1 else ""))
        return np.ascontiguousarray(arr)

    def kgrid(self, n: int | Sequence[int]) -> np.ndarray:
        """Uniform midpoint grid over the first Brillouin-zone parallelepiped.

        Parameters
        ----------
        n : int or sequence of d ints
            Points along each reciprocal vector.

        Returns
        -------
        ndarray, shape (prod(n), d)
            k = sum_a f_a b_a with f_a = -1/2 + (j_a + 1/2)/n_a, in 1/Angstrom. The grid is
            symmetric under k -> -k and averages smooth periodic functions with exponential
            accuracy.
        """
        return np.array(self._core.midpoint_kgrid(self._grid_sizes(n)))

    # At most this many k-points x orbitals in one grid (~1 GB of k, energies and velocities).
    MAX_GRID_STATES = 1 << 24

    def _grid_sizes(self, n: object) -> list[int]:
        """Validated k-grid sizes, checked against MAX_GRID_STATES before any work."""
        items = [n] * self.dim if np.ndim(n) == 0 else list(n)  # type: ignore[call-overload,arg-type]
        if len(items) != self.dim:
            V.fail("nk", n, f"an integer or {self.dim} integers")
        ns = [V.integer("nk", x, 1) for x in items]
        states = int(np.prod(ns, dtype=object)) * self.n_orbitals
        if states > self.MAX_GRID_STATES:
            V.fail("nk", n, f"at most {self.MAX_GRID_STATES} k-points x orbitals in all "
                   f"(asked: {states}, ~{states * 8 * (2 * self.dim + 4) / 1e9:.1f} GB and "
                   "minutes of work); use a coarser grid")
        return ns

    # --- spectra -----------------------------------------------------------------------
    def hamiltonian(self, k: npt.ArrayLike) -> np.ndarray:
        """Bloch Hamiltonian H(k), (n_orb, n_orb) complex, eV, at one k (length d, 1/Angstrom)."""
        kk = V.finite_array("k", k)
        return np.array(self._core.hamiltonian(np.atleast_1d(kk)))

    def bands(self, k: npt.ArrayLike, *, threads: int = 0) -> np.ndarray:
        """Band energies at each k.

        Parameters
        ----------
        k : array_like, shape (nk, d) (or (nk,) for d = 1)
            Wavevectors, 1/Angstrom.
        threads : int
            Worker threads (0: one per core). Results do not depend on it.

        Returns
        -------
        ndarray, shape (nk, n_orb)
            Eigenvalues in eV, ascending along each row.
        """
        e, _, _ = self._core.solve(self._k(k), False, False, V.threads(threads))
        return np.asarray(e)

    def eigenstates(self, k: npt.ArrayLike, *, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Energies and eigenvectors at each k.

        Returns
        -------
        energies : ndarray, shape (nk, n_orb)
            eV, ascending per k.
        vectors : ndarray, shape (nk, n_orb, n_orb), complex
            ``vectors[q, :, n]`` is the normalised eigenvector (orbital components, cell
            gauge) of ``energies[q, n]``.
        """
        kk = self._k(k)
        e, v, _ = self._core.solve(kk, True, False, V.threads(threads))
        n = self.n_orbitals
        return np.asarray(e), np.asarray(v).reshape(kk.shape[0], n, n)

    def velocities(self, k: npt.ArrayLike, *, threads: int = 0) -> np.ndarray:
        """Band slopes dE_n/dk_a by Hellmann-Feynman, ``<u_n| dH/dk_a |u_n>``.

        Returns
        -------
        ndarray, shape (nk, n_orb, d)
            eV*Angstrom (divide by hbar for a velocity; at exact degeneracies the split
            follows the solver's basis).
        """
        kk = self._k(k)
        _, _, vel = self._core.solve(kk, False, True, V.threads(threads))
        return np.asarray(vel).reshape(kk.shape[0], self.n_orbitals, self.dim)

    # --- transport ---------------------------------------------------------------------
    def _band_selection(self, bands: Sequence[int] | None) -> list[int]:
        """Validated band indices for the transport sums ([] = all bands): distinct, in
        range, non-empty when given (a repeated band would be counted twice)."""
        if bands is None:
            return []
        sel = [V.integer("bands", b, 0, self.n_orbitals - 1) for b in bands]
        if not sel or len(set(sel)) != len(sel):
            V.fail("bands", list(bands), "a non-empty list of distinct band indices "
                   "(None: all bands)")
        return sel

    def _unit_direction(self, direction: npt.ArrayLike | None) -> np.ndarray:
        """The transport direction as a unit vector of length ``dim`` (default: the first
        Cartesian axis); any non-zero vector is normalised."""
        if direction is None:
            return np.eye(self.dim)[0]
        d = V.finite_array("direction", direction, ndim=1)
        if d.size != self.dim or not np.linalg.norm(d) > 0:
            V.fail("direction", d, f"a non-zero vector of length {self.dim}")
        return d / np.linalg.norm(d)

    def conductivity(self, mu: npt.ArrayLike, T: npt.ArrayLike, *, tau: float, n0: float = 1e22,
                     z: float = 1.0, nk: int | Sequence[int] = 256,
                     direction: npt.ArrayLike | None = None,
                     bands: Sequence[int] | None = None, threads: int = 0,
                     executor: ExecutorLike = None, chunk: int | None = None,
                     progress: bool | None = None) -> np.ndarray | float:
        """Boltzmann conductivity (d-dimensional paper eq 30) in the relaxation-time approximation.

        ``sigma = (z e)^2 n0 tau <v^2 (-df/dE)>`` with the average over a midpoint k-grid of the
        zone and v the group velocity along ``direction``.

        Parameters
        ----------
        mu : array_like
            Chemical potential(s), eV.
        T : array_like
            Temperature(s), K (> 0); broadcast against ``mu``.
        tau : float
            Relaxation time, s.
        n0 : float
            Density of unit cells, cm^-3.
        z : float
            Charge number of the carrier.
        nk : int or sequence of d ints
            k-grid points per reciprocal direction.
        direction : array_like, shape (d,), optional
            Transport direction (normalised here); default the first Cartesian axis.
        bands : sequence of int, optional
            Band indices (0-based, ascending energy) carrying current; default all.
        executor, chunk, progress : optional
            Run the (mu, T) points in chunks on an executor (see :mod:`quasiion.executors`;
            each chunk samples the zone again); bit-identical to ``executor=None``.

        Returns
        -------
        ndarray or float
            S/cm, of the broadcast shape of ``mu`` and ``T`` (a float if both are scalars).
        """
        V.relaxation_time(tau)
        V.positive("n0", n0)
        V.charge(z)
        m, t, shape = _broadcast_pairs(mu, T)
        dvec = self._unit_direction(direction)
        sel = self._band_selection(bands)
        if executor is not None:
            fn = functools.partial(_boltzmann_chunk, self, nk, dvec, sel, float(tau), float(n0),
                                   float(z), worker_threads(executor, V.threads(threads)))
            return _shaped(map_grid(fn, m, t, executor=executor, chunk=chunk, progress=progress,
                                    desc="conductivity"), shape)
        k = self.kgrid(nk)
        out = self._core.boltzmann_conductivity(k, dvec, sel, float(tau), float(n0), float(z),
                                                m, t, V.threads(threads))
        return _shaped(out, shape)


def _boltzmann_chunk(tb: TightBinding, nk: Any, dvec: np.ndarray, sel: list[int], tau: float,
                     n0: float, z: float, threads: int, m: np.ndarray,
                     t: np.ndarray) -> np.ndarray:
    return np.asarray(tb._core.boltzmann_conductivity(tb.kgrid(nk), dvec, sel, tau, n0, z, m, t,
                                                      threads))
