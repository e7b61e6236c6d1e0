"""Random-distortion supercells (paper section 3.4, Fig 7) and their spectra.

A supercell is ``n_sites`` periods of a chain of wells: for the paper's eq 45 profile each
period holds two wells (an A and a B state: a "two-state site"), so the Hamiltonian is
``2 n_sites`` square. The distortion (PHYSICS.md; defined once, in ``cpp/src/supercell.cpp``):
every well minimum U_i and every barrier b_i is scaled by its own factor ``(1 + d r)``, r
uniform in [-1, 1], and the hoppings are re-derived from the distorted wells and barriers
through eq 16 (narrow-well, full form; ``J/2`` per bond as in eq 17)::

    import quasiion
    sc = quasiion.DistortedSupercell.eq45(0.6, n_sites=20, d=0.1, seed=1)
    sc.carrier_formation_energy().gap        # E_t, eV
    sc.bands(k)                              # supercell bands along k (periodic)
    ens = sc.ensemble(1000, seed=2)          # E_t statistics over realisations

Realisation ``i`` of seed ``s`` depends on ``(s, i)`` only (a counter-based stream), so
ensembles are identical for any thread count and any split of the indices into chunks.
A periodic supercell's spectrum, gap and DOS are those of its Gamma-point (k = 0) matrix
(Born-von Karman boundary conditions); ``periodic=False`` cuts the closing bond (an open
chain, tridiagonal: E_t of 10^6 sites runs in O(N) memory).

Energies eV, temperatures K, lengths Angstrom.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from . import paper
from . import spectrum as _sp
from ._core import supercell as _cs
from .results import ResultMixin
from .spectrum import DosResult, _bin_edges, _dos_result

__all__ = ["DistortedSupercell", "SupercellSpectrum", "CarrierFormationEnergy",
           "GapEnsemble", "SupercellWells"]

#: Largest matrix (orbitals) diagonalised densely: 3000^2 doubles = 72 MB, seconds of work.
DENSE_MAX = 3000
#: Largest open chain whose full spectrum is computed (tridiagonal QL, O(n^2) time).
TRIDIAGONAL_ALL_MAX = 20000
#: Largest open chain (orbitals) accepted at all: 16 bytes per orbital.
CHAIN_MAX = 50_000_000
#: Largest ensemble: realisations x orbitals kept.
ENSEMBLE_MAX_VALUES = 50_000_000
#: Largest ensemble per call: realisations x n^2 (O(n^2) per realisation), ~10 minutes here.
ENSEMBLE_MAX_WORK = 2 * 10**11


# --- results ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SupercellSpectrum(ResultMixin):
    """Eigenstates of a finite Hamiltonian (a supercell at k = 0 or a cluster).

    Attributes
    ----------
    energies : ndarray, shape (n,)
        Eigenvalues, ascending, eV.
    occupied : ndarray of bool, shape (n,)
        The ``n_occupied`` lowest states.
    n_occupied : int
        Number of occupied states (default one ion per site).
    participation : ndarray, shape (n,) or None
        Participation ratio ``1 / sum_i |psi_n(i)|^4`` of each state (1: on one orbital, n:
        spread evenly); only with ``vectors=True``.
    vectors : ndarray, shape (n, n) or None
        Eigenvectors as columns (only with ``vectors=True``).
    homo, lumo, gap : float
        Highest occupied and lowest empty eigenvalue and E_t = lumo - homo, eV.
    """

    energies: np.ndarray
    occupied: np.ndarray
    n_occupied: int
    participation: np.ndarray | None
    vectors: np.ndarray | None
    homo: float
    lumo: float
    gap: float


@dataclass(frozen=True)
class CarrierFormationEnergy(ResultMixin):
    """E_t: the gap between the highest occupied and the lowest empty state (section 3.4).

    Attributes
    ----------
    gap, homo, lumo : float
        E_t = lumo - homo and the two states, eV.
    n_occupied, n_states : int
        Filling and matrix size.
    method : str
        ``"dense"``, ``"tridiagonal"`` or ``"band"`` (the route taken).
    error_bound : float
        Bound on the error of homo and lumo from a truncated Hamiltonian (percolation tail),
        eV; 0 when nothing is truncated.
    """

    gap: float
    homo: float
    lumo: float
    n_occupied: int
    n_states: int
    method: str
    error_bound: float = 0.0


@dataclass(frozen=True)
class GapEnsemble(ResultMixin):
    """E_t over realisations ``first_index .. first_index + n - 1`` of ``seed``.

    Attributes
    ----------
    seed, first_index : int
        The realisations (each depends on ``(seed, index)`` only).
    gap, homo, lumo : ndarray, shape (n,)
        Per realisation, eV.
    mean, std : float
        Mean and standard deviation (ddof = 1; 0 for one realisation) of E_t, eV.
    stderr : float
        Standard error of the mean, eV.
    hist_counts : ndarray, shape (bins,)
        Histogram of E_t over ``hist_edges`` (eV).
    hist_edges : ndarray, shape (bins + 1,)
    energies : ndarray, shape (n, n_states) or None
        Every eigenvalue of every realisation, if kept, eV.
    d : float
        Distortion level.
    """

    seed: int
    first_index: int
    gap: np.ndarray
    homo: np.ndarray
    lumo: np.ndarray
    mean: float
    std: float
    stderr: float
    hist_counts: np.ndarray
    hist_edges: np.ndarray
    energies: np.ndarray | None
    d: float


@dataclass(frozen=True)
class SupercellWells(ResultMixin):
    """The (distorted) wells of one supercell realisation, for plots (Fig 7a-c).

    Attributes
    ----------
    x : ndarray, shape (n,)
        Well positions, Angstrom.
    U : ndarray, shape (n,)
        Well minima, eV.
    barrier : ndarray, shape (n,)
        Barrier between well i and i + 1 (the last closes the period), eV.
    period : float
        Supercell length, Angstrom.
    onsite, hopping : ndarray, shape (n,)
        The resulting Hamiltonian: on-site energies and the hopping over each barrier, eV.
    """

    x: np.ndarray
    U: np.ndarray
    barrier: np.ndarray
    period: float
    onsite: np.ndarray
    hopping: np.ndarray


# --- helpers shared with percolation ------------------------------------------------------
def _n_occupied(value: int | None, default: int, n_states: int) -> int:
    if value is None:
        value = default
    if int(value) != value or not 1 <= int(value) <= n_states - 1:
        V.fail("n_occupied", value, f"an integer in [1, {n_states - 1}] (states: {n_states})")
    return int(value)


def _dos_from_energies(energies: np.ndarray, e: np.ndarray) -> DosResult:
    integ = np.searchsorted(np.sort(energies), e, side="left")
    return _dos_result(e, integ, energies.size)


def _spectrum_result(e: np.ndarray, vecs: np.ndarray | None, pr: np.ndarray | None,
                     n_occ: int) -> SupercellSpectrum:
    occ = np.zeros(e.size, dtype=bool)
    occ[:n_occ] = True
    return SupercellSpectrum(energies=e, occupied=occ, n_occupied=n_occ, participation=pr,
                             vectors=vecs, homo=float(e[n_occ - 1]), lumo=float(e[n_occ]),
                             gap=float(e[n_occ] - e[n_occ - 1]))


def _seed(name: str, value: int) -> int:
    if isinstance(value, bool) or int(value) != value or not 0 <= int(value) < 2**64:
        V.fail(name, value, "an integer in [0, 2**64)")
    return int(value)


# --- the supercell ----------------------------------------------------------------------
class DistortedSupercell:
    """A random-distortion supercell of ``n_sites`` periods of a well chain (section 3.4).

    Parameters
    ----------
    source : Potential or TightBindingParameters
        A :class:`quasiion.Potential` (any number of wells per period; one period is a
        "site") or two-site :class:`quasiion.TightBindingParameters` from the
        ``"narrow-well"`` method (wells U_A, U_B, both barriers at U_max, lattice constant a).
    n_sites : int
        Periods in the supercell (>= 1).
    d : float
        Distortion level in [0, 1) (0.1 = 10 %).
    T : float, optional
        Temperature, K (default: the parameters' T, or the paper's 301.7 K for a Potential).
    seed : int
        Random seed (>= 0).
    realisation : int
        Realisation index (>= 0); with ``seed`` it fixes the distortion.
    periodic : bool
        Periodic supercell (Bloch phase on the closing bond; spectra at k = 0) or an open chain.
    thermalisation : float
        E_min = U_min + thermalisation kT in eq 16 (>= 0; a Potential only).

    Raises
    ------
    ValueError
        Naming the parameter: bad sizes or levels, overlap-method parameters, a profile
        without wells.
    """

    def __init__(self, source: Any, n_sites: int = 20, d: float = 0.1, *, T: float | None = None,
                 seed: int = 0, realisation: int = 0, periodic: bool = True,
                 thermalisation: float = 0.0) -> None:
        from .potential import Potential, TightBindingParameters

        if isinstance(n_sites, bool) or int(n_sites) != n_sites or n_sites < 1:
            V.fail("n_sites", n_sites, "an integer >= 1")
        self.n_sites = int(n_sites)
        self.d = V.in_range("d", d, 0.0, 1.0, open_hi=True)
        self.seed = _seed("seed", seed)
        self.realisation = _seed("realisation", realisation)
        self.periodic = bool(periodic)
        th = V.non_negative("thermalisation", thermalisation)
        if isinstance(source, Potential):
            if not source.periodic:
                V.fail("source", V.Described("an open Potential"),
                       "a periodic Potential (the supercell repeats one period)")
            self.T = paper.T if T is None else float(V.positive("T", T))
            self._cell = _cs.wellchain_from_landscape(source._landscape, th)
        elif isinstance(source, TightBindingParameters):
            if source.method != "narrow-well":
                V.fail("source.method", source.method,
                       "'narrow-well' (the distortion re-derives hoppings through eq 16)")
            if th != 0.0:
                V.fail("thermalisation", th, "0 for TightBindingParameters (theirs is used)")
            self.T = source.T if T is None else float(V.positive("T", T))
            a = source.a
            self._cell = _cs.WellChain(np.array([source.U_A, source.U_B]),
                                       np.array([source.U_max, source.U_max]),
                                       np.array([0.0, 0.5 * a]), a, True, source.thermalisation)
        else:
            V.fail("source", V.Described(type(source).__name__),
                   "a quasiion.Potential or quasiion.TightBindingParameters")
        self.n_states = self.n_sites * len(self._cell.U)
        if self.n_states > CHAIN_MAX:
            V.fail("n_sites", n_sites, f"at most {CHAIN_MAX // len(self._cell.U)} "
                   f"({len(self._cell.U)} wells per site, {CHAIN_MAX} orbitals)")
        if self.n_states < 2:
            V.fail("n_sites", n_sites, "large enough for at least 2 states")
        self._super: Any = None

    @classmethod
    def eq45(cls, alpha: float, n_sites: int = 20, d: float = 0.1, *, U_bar: float = paper.U_BAR0,
             a: float = paper.A_DEFAULT, **kwargs: Any) -> DistortedSupercell:
        """The supercell of the paper's eq 45 profile (two wells, A and B, per site).

        Parameters
        ----------
        alpha : float
            Shape of eq 45.
        U_bar : float
            Mean depth, eV. a: lattice constant, Angstrom.
        **kwargs
            As for the constructor (``T``, ``seed``, ``realisation``, ``periodic``, ...).
        """
        from .potential import Potential

        return cls(Potential.eq45(alpha, U_bar, a), n_sites, d, **kwargs)

    # --- structure -----------------------------------------------------------------
    @property
    def default_n_occupied(self) -> int:
        """One ion per site: the ``n_sites`` lowest states."""
        return self.n_sites

    def _supercell(self) -> Any:
        if self._super is None:
            if self.n_states > DENSE_MAX * 100:
                V.fail("n_sites", self.n_sites,
                       f"at most {DENSE_MAX * 100 // len(self._cell.U)} for the explicit well "
                       "list (use tridiagonal() or carrier_formation_energy() for longer chains)")
            c = self._cell.repeat(self.n_sites)
            c = _cs.WellChain(c.U, c.barrier, c.x, c.period, self.periodic, c.thermalisation)
            self._super = c.distort(self.d, self.seed, self.realisation)
        return self._super

    def with_realisation(self, realisation: int) -> DistortedSupercell:
        """The same supercell for another realisation index."""
        out = object.__new__(type(self))
        out.__dict__.update(self.__dict__)
        out.realisation = _seed("realisation", realisation)
        out._super = None
        return out

    def wells(self) -> SupercellWells:
        """The distorted wells and barriers and the resulting on-site energies and hoppings."""
        c = self._supercell()
        on, hop = c.narrow_well(self.T)
        return SupercellWells(np.array(c.x), np.array(c.U), np.array(c.barrier), float(c.period),
                              np.array(on), np.array(hop))

    def tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:
        """The open chain as (diag, off) (eV; len n and n - 1), built without the dense matrix.

        Raises ValueError for a periodic supercell (its closing bond is not tridiagonal).
        """
        if self.periodic:
            V.fail("periodic", True, "False for the tridiagonal form (an open chain)")
        diag, off = _cs.distorted_tridiagonal(self._cell, self.n_sites, self.d, self.T,
                                              self.seed, self.realisation)
        return np.asarray(diag), np.asarray(off)

    def _ring_band(self) -> np.ndarray:
        """The periodic supercell's k = 0 matrix as a band of half-width 2 (LAPACK lower
        storage, ``band[r, j] = H[j + r, j]``, eV), orbitals in the folded order
        0, n-1, 1, n-2, ... that brings every bond of the ring, the closing one included,
        within two places: Sturm-like inertia counts in O(n) memory for any n."""
        on, hop = (np.asarray(a) for a in self._supercell().narrow_well(self.T))
        n = on.size
        order = np.empty(n, dtype=np.int64)
        order[0::2] = np.arange((n + 1) // 2)
        order[1::2] = n - 1 - np.arange(n // 2)
        pos = np.empty(n, dtype=np.int64)
        pos[order] = np.arange(n)
        band = np.zeros((3, n))
        band[0] = on[order]
        a = np.arange(n)
        pa, pb = pos[a], pos[(a + 1) % n]
        np.add.at(band, (np.abs(pa - pb), np.minimum(pa, pb)), hop)
        return band

    def _check_dense(self, what: str) -> None:
        if self.n_states > DENSE_MAX:
            V.fail("n_sites", self.n_sites,
                   f"at most {DENSE_MAX // len(self._cell.U)} for {what} (a dense "
                   f"{self.n_states}x{self.n_states} matrix); use "
                   "carrier_formation_energy() or dos() for long chains")

    def hamiltonian(self) -> np.ndarray:
        """The real symmetric matrix at k = 0 (periodic) or of the open chain, eV."""
        self._check_dense("hamiltonian()")
        return np.asarray(self._supercell().dense(self.T))

    def lattice(self) -> Any:
        """The supercell as a :class:`quasiion.TightBinding` (one cell of all orbitals; periodic:
        the closing bond carries the Bloch phase)."""
        from .lattice import TightBinding

        if self.n_states > DENSE_MAX:
            self._check_dense("lattice()")
        c = self._supercell()
        _, hop = c.narrow_well(self.T)
        n = self.n_states
        hops: list[Any] = [(i, i + 1, (0,), complex(hop[i])) for i in range(n - 1)]
        if self.periodic and hop[n - 1] != 0.0:
            hops.append((n - 1, 0, (1,), complex(hop[n - 1])))
        return TightBinding._from_core(c.lattice(self.T), hops)

    def bands(self, k: npt.ArrayLike, *, threads: int = 0) -> np.ndarray:
        """Supercell bands along k (1/Angstrom), shape (nk, n_states), eV (Fig 7d-f).

        The supercell zone is ``|k| <= pi / (n_sites a)``. Periodic supercells only.
        """
        if not self.periodic:
            V.fail("periodic", False, "True for bands along k")
        self._check_dense("bands()")
        kk = V.finite_array("k", k, allow_empty=False)
        e, _, _ = self._supercell().lattice(self.T).solve(kk.reshape(-1, 1), False, False,
                                                         int(threads))
        return np.asarray(e).reshape(kk.shape + (self.n_states,))

    # --- spectra ---------------------------------------------------------------------
    def spectrum(self, *, vectors: bool = False, n_occupied: int | None = None) -> SupercellSpectrum:
        """All eigenvalues (and with ``vectors`` eigenvectors and participation ratios).

        Dense for a periodic supercell (k = 0); tridiagonal QL for an open chain.
        """
        n_occ = _n_occupied(n_occupied, self.default_n_occupied, self.n_states)
        if self.periodic or vectors:
            self._check_dense("spectrum()")
        if self.n_states > TRIDIAGONAL_ALL_MAX:
            V.fail("n_sites", self.n_sites, f"at most {TRIDIAGONAL_ALL_MAX // len(self._cell.U)} "
                   "for all eigenvalues; use carrier_formation_energy() or dos()")
        if self.periodic:
            e, v, pr = _cs.dense_spectrum(self.hamiltonian(), vectors)
        else:
            diag, off = self.tridiagonal()
            e, v, pr = _cs.tridiagonal_spectrum(diag, off, vectors)
        return _spectrum_result(np.asarray(e), np.asarray(v) if vectors else None,
                                np.asarray(pr) if vectors else None, n_occ)

    def carrier_formation_energy(self, n_occupied: int | None = None, *, tol: float = 1e-12,
                                 threads: int = 0) -> CarrierFormationEnergy:
        """E_t = lumo - homo at a filling (default one ion per site), eV.

        Open chains go through Sturm-sequence bisection on the tridiagonal matrix, periodic
        supercells through banded-inertia bisection on the k = 0 ring folded to half-width 2
        (both O(n) memory, any length; ``tol`` is the absolute accuracy, eV).
        """
        n_occ = _n_occupied(n_occupied, self.default_n_occupied, self.n_states)
        V.positive("tol", tol)
        if self.periodic and self.n_states < 3:
            s = self.spectrum(n_occupied=n_occ)
            return CarrierFormationEnergy(s.gap, s.homo, s.lumo, n_occ, self.n_states, "dense")
        if self.periodic:
            g = _sp.band_gap(self._ring_band(), n_occupied=n_occ, tol=tol, threads=threads)
            return CarrierFormationEnergy(float(g.lumo - g.homo), float(g.homo), float(g.lumo),
                                          n_occ, self.n_states, "band")
        diag, off = self.tridiagonal()
        g = _sp.chain_gap(diag, off, n_occupied=n_occ, tol=tol, threads=threads)
        homo, lumo = g.homo, g.lumo
        return CarrierFormationEnergy(float(lumo - homo), float(homo), float(lumo), n_occ,
                                      self.n_states, "tridiagonal")

    def dos(self, edges: npt.ArrayLike, *, threads: int = 0) -> DosResult:
        """Density of states on the bins between ``edges`` (eV): exact eigenvalue counts.

        Counts at the edges, never all eigenvalues: Sturm counts for open chains, banded
        inertia counts of the folded ring for periodic supercells.
        """
        e = _bin_edges(edges)
        if not self.periodic:
            diag, off = self.tridiagonal()
            integ = _sp.count_below(e, onsite=diag, hopping=off, threads=threads)
            return _dos_result(e, integ, self.n_states)
        if self.n_states < 3:
            return _dos_from_energies(self.spectrum().energies, e)
        integ = _sp.count_below(e, band=self._ring_band(), threads=threads)
        return _dos_result(e, integ, self.n_states)

    def ensemble(self, n_realisations: int, seed: int | None = None, *, first_index: int = 0,
                 n_occupied: int | None = None, keep_energies: bool = False, bins: int = 40,
                 threads: int = 0, executor: Any = None, chunk: int | None = None,
                 progress: Any = None, save: Any = None) -> GapEnsemble:
        """E_t over realisations ``first_index .. first_index + n_realisations - 1``.

        Parameters
        ----------
        n_realisations : int
            Number of realisations (>= 1).
        seed : int, optional
            Seed of the ensemble (default: this supercell's seed).
        first_index : int
            First realisation index: chunks ``(seed, first_index, count)`` computed anywhere
            concatenate to the same ensemble.
        n_occupied : int, optional
            Filling (default one ion per site).
        keep_energies : bool
            Also return every eigenvalue of every realisation.
        bins : int
            Histogram bins of E_t.
        threads : int
            Worker threads over realisations (0 = one per core; one per worker process under
            an executor); results do not depend on it.
        executor, chunk, progress, save : optional
            Run the realisations in chunks ``(seed, first, count)`` on an executor (processes,
            dask, ...), with a progress bar and a resumable ``.npz``/``.nc`` file (see
            :mod:`quasiion.executors`); bit-identical to ``executor=None``.
        """
        if isinstance(n_realisations, bool) or int(n_realisations) != n_realisations \
                or n_realisations < 1:
            V.fail("n_realisations", n_realisations, "an integer >= 1")
        s = self.seed if seed is None else _seed("seed", seed)
        first = _seed("first_index", first_index)
        n_occ = _n_occupied(n_occupied, self.default_n_occupied, self.n_states)
        if self.periodic:
            self._check_dense("ensemble()")
        elif self.n_states > TRIDIAGONAL_ALL_MAX and keep_energies:
            V.fail("n_sites", self.n_sites, f"at most {TRIDIAGONAL_ALL_MAX // len(self._cell.U)} "
                   "per realisation with keep_energies=True")
        if keep_energies and n_realisations * self.n_states > ENSEMBLE_MAX_VALUES:
            V.fail("n_realisations", n_realisations,
                   f"at most {ENSEMBLE_MAX_VALUES // self.n_states} with keep_energies=True")
        work = int(n_realisations) * self.n_states * (self.n_states if self.n_states
                                                      <= TRIDIAGONAL_ALL_MAX else 60)
        if work > ENSEMBLE_MAX_WORK:
            V.fail("n_realisations", n_realisations,
                   f"at most {max(ENSEMBLE_MAX_WORK // (work // int(n_realisations)), 1)} for "
                   f"{self.n_states} states (an hour or more of work); split the ensemble into "
                   "chunks with first_index")
        if isinstance(bins, bool) or int(bins) != bins or bins < 1:
            V.fail("bins", bins, "an integer >= 1")
        if executor is not None or save is not None:
            from . import executors as ex

            c = self._cell
            r, _ = ex.run_ensemble(
                functools.partial(_ensemble_rows, self, n_occ, bool(keep_energies),
                                  ex.worker_threads(executor, int(threads))),
                int(n_realisations), seed=s, first_index=first, executor=executor, chunk=chunk,
                progress=progress, desc="supercell ensemble", save=save,
                kind="supercell-ensemble", min_chunk=8,
                inputs={"n_sites": self.n_sites, "d": self.d, "T": self.T,
                        "periodic": self.periodic, "n_occupied": n_occ,
                        "keep_energies": bool(keep_energies), "U": np.asarray(c.U).tolist(),
                        "barrier": np.asarray(c.barrier).tolist(),
                        "x": np.asarray(c.x).tolist(), "period": float(c.period)},
                units={"gap": "eV", "homo": "eV", "lumo": "eV", "energies": "eV"})
        else:
            r = _ensemble_rows(self, n_occ, bool(keep_energies), int(threads), s, first,
                               int(n_realisations))
        gap = np.asarray(r["gap"])
        counts, hedges = np.histogram(gap, bins=int(bins))
        std = float(gap.std(ddof=1)) if gap.size > 1 else 0.0
        return GapEnsemble(seed=s, first_index=first, gap=gap, homo=np.asarray(r["homo"]),
                           lumo=np.asarray(r["lumo"]), mean=float(gap.mean()), std=std,
                           stderr=std / np.sqrt(gap.size), hist_counts=counts, hist_edges=hedges,
                           energies=np.asarray(r["energies"]) if keep_energies else None, d=self.d)

    # --- pickling (process pools split ensembles into (seed, first_index, count) chunks) ---
    # --- transport and mean field (quasiion.kubo, quasiion.realspace_meanfield) ------------
    def conductivity(self, mu: npt.ArrayLike, *, tau: float,
                     realisations: Sequence[int] = (0, 1, 2, 3), T: float | None = None,
                     n0: float = 1e22, method: str = "dense", threads: int = 0,
                     **kpm: Any) -> Any:
        """Kubo-Greenwood conductivity (S/cm) at chemical potentials ``mu`` (eV), averaged over
        the given realisations with its spread (:func:`quasiion.kubo.supercell_conductivity`):
        relaxation time ``tau`` (s) sets the broadening hbar/tau, ``T`` the Fermi factors
        (default this supercell's T), ``n0`` the site density (cm^-3); ``method="kpm"`` for
        supercells too large for dense eigenpairs. Returns a ``RealisationAverage``."""
        from .kubo import supercell_conductivity

        return supercell_conductivity(self, mu, tau=tau, realisations=realisations, T=T, n0=n0,
                                      method=method, threads=threads, **kpm)

    def solve_meanfield(self, mu: float, *, mode: str = "bond", K: float | None = None,
                        K_over_a1: float | None = None, **kw: Any) -> Any:
        """Real-space mean field of the inter-site Coulomb repulsion (eq 25-26) on this
        realisation at chemical potential ``mu`` (eV) and this supercell's T
        (:func:`quasiion.realspace_meanfield.solve_realspace_meanfield`): ``mode="bond"``
        (a bond order per bond, K in eV*Angstrom) or ``"paper"`` (eq 42's ansatz, K/a1 in eV)."""
        from .realspace_meanfield import solve_realspace_meanfield

        return solve_realspace_meanfield(self.lattice(), mu, self.T, mode=mode, K=K,
                                         K_over_a1=K_over_a1, n_cells=self.n_sites, **kw)

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_cell", "_super")}
        c = self._cell
        state["_cell_fields"] = (np.asarray(c.U), np.asarray(c.barrier), np.asarray(c.x),
                                 float(c.period), bool(c.periodic), float(c.thermalisation))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        fields = state.pop("_cell_fields")
        self.__dict__.update(state)
        self._cell = _cs.WellChain(*fields)
        self._super = None

    def __repr__(self) -> str:
        kind = "periodic" if self.periodic else "open"
        return (f"DistortedSupercell({self.n_sites} sites, {self.n_states} states, d = {self.d:g}, "
                f"T = {self.T:g} K, seed = {self.seed}, realisation = {self.realisation}, {kind})")


def _ensemble_rows(sc: DistortedSupercell, n_occ: int, keep_energies: bool, threads: int,
                   seed: int, first: int, count: int) -> dict[str, Any]:
    """Gap, HOMO, LUMO (eV) and, if kept, every eigenvalue of realisations
    ``first .. first + count - 1`` (one chunk of an ensemble, computable anywhere)."""
    if not sc.periodic and sc.n_states > TRIDIAGONAL_ALL_MAX:
        # long open chains: only the two eigenvalues around the gap, O(N) per realisation
        gaps = []
        for i in range(count):
            diag, off = _cs.distorted_tridiagonal(sc._cell, sc.n_sites, sc.d, sc.T, seed,
                                                  first + i)
            gaps.append(_sp.chain_gap(diag, off, n_occupied=n_occ, threads=threads))
        return {"gap": np.array([g.gap for g in gaps]), "homo": np.array([g.homo for g in gaps]),
                "lumo": np.array([g.lumo for g in gaps])}
    r = _cs.ensemble(sc._cell, sc.n_sites, sc.d, sc.T, sc.periodic, n_occ, keep_energies, seed,
                     first, count, threads)
    out = {k: np.asarray(r[k]) for k in ("gap", "homo", "lumo")}
    if keep_energies:
        out["energies"] = np.asarray(r["energies"])
    return out
