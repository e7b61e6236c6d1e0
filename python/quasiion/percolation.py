"""Multi-site percolation clusters (paper section 3.4, appendix 5.2, Fig 8).

``n_sites`` sites with two states each (orbital ``2i``: the A state of site i, ``2i + 1``: its
B state). The Hamiltonian is block Toeplitz: diagonal blocks ``U = diag(U_A, U_B)`` and, between
sites at distance ``m >= 1``, ``P_{m-1} = P0 exp(-(m-1) E_s/kT)`` above the diagonal and its
transpose below (so H is symmetric for any P0; the paper prints P0 on both sides, the same
when ``P_AB = P_BA``). The far tail is truncated where it falls below ``tol``: the matrix is
banded with ``kd = 2 reach + 1`` sub-diagonals and every eigenvalue is within
:attr:`PercolationCluster.truncation_bound` of the untruncated one (Weyl's inequality on a
bound of the dropped part's norm)::

    import quasiion
    c = quasiion.PercolationCluster(61, Es_over_kT=1.0)       # Fig 8 parameters by default
    c.carrier_formation_energy().gap                         # E_t, eV
    c.spectrum().energies                                    # all 122 states

The paper does not give E_s/kT; it is a parameter. E_t is the gap between the highest
occupied and the lowest empty state with one ion per site (the n lowest of 2n states).
Energies eV.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from . import paper
from . import spectrum as _sp
from ._core import supercell as _cs
from .spectrum import DosResult, _bin_edges, _dos_result
from .supercell import (
    DENSE_MAX,
    CarrierFormationEnergy,
    SupercellSpectrum,
    _dos_from_energies,
    _n_occupied,
    _spectrum_result,
)

__all__ = ["PercolationCluster"]

#: Clusters up to this many states are diagonalised for E_t and DOS (all states at once).
DENSE_GAP_MAX = 400
#: Largest band storage accepted, doubles (kd + 1) x 2n: 800 MB.
BAND_MAX_VALUES = 100_000_000


class PercolationCluster:
    """A closed percolation region of ``n_sites`` sites (appendix 5.2).

    Parameters
    ----------
    n_sites : int
        Number of percolation sites (>= 1).
    U_A, U_B : float
        On-site energies of the A (regular) and B (interstitial) state, eV (appendix 5.2:
        +0.25 and -0.25; any values are accepted).
    P0 : float or array_like, shape (2, 2)
        Nearest-site block ``[[P_AA, P_AB], [P_BA, P_BB]]`` in eV; a number p means
        ``[[p, 0], [0, p]]`` (the paper's Fig 8: P_AA = P_BB = 0.05, P_AB = P_BA = 0).
    Es_over_kT : float
        E_s/kT >= 0: the block at distance m is ``P0 exp(-(m-1) E_s/kT)``.
    tol : float
        Truncation tolerance, eV (>= 0): the dropped tail's norm bound stays below it
        (0: keep the whole matrix).

    Raises
    ------
    ValueError
        Naming the parameter.
    """

    def __init__(self, n_sites: int, U_A: float = paper.PERC_U0A, U_B: float = paper.PERC_U0B,
                 P0: float | npt.ArrayLike = paper.PERC_P_AA, Es_over_kT: float = 1.0, *,
                 tol: float = 1e-13) -> None:
        if isinstance(n_sites, bool) or int(n_sites) != n_sites or n_sites < 1:
            V.fail("n_sites", n_sites, "an integer >= 1")
        self.n_sites = int(n_sites)
        self.U_A = V.finite("U_A", U_A)
        self.U_B = V.finite("U_B", U_B)
        p = V.finite_array("P0", P0)
        if p.ndim == 0:
            p = np.array([[float(p), 0.0], [0.0, float(p)]])
        if p.shape != (2, 2):
            V.fail("P0", V.Described(f"an array of shape {p.shape}"), "a number or of shape (2, 2)")
        self.P0 = p
        self.Es_over_kT = V.non_negative("Es_over_kT", Es_over_kT)
        self.tol = V.non_negative("tol", tol)
        self._core = _cs.Cluster(self.n_sites, self.U_A, self.U_B, p[0, 0], p[0, 1], p[1, 0],
                                 p[1, 1], self.Es_over_kT)
        self.reach, self.kd, self.truncation_bound = self._core.truncation(self.tol)
        self.n_states = 2 * self.n_sites
        if (self.kd + 1) * self.n_states > BAND_MAX_VALUES:
            V.fail("n_sites", n_sites,
                   f"small enough for a band of (kd + 1) x 2 n_sites <= {BAND_MAX_VALUES} values "
                   f"(kd = {self.kd} at Es_over_kT = {self.Es_over_kT:g}, tol = {self.tol:g}); "
                   "raise Es_over_kT or tol")

    @property
    def default_n_occupied(self) -> int:
        """One ion per site: the ``n_sites`` lowest of the ``2 n_sites`` states."""
        return self.n_sites

    def _check_dense(self, what: str) -> None:
        if self.n_states > DENSE_MAX:
            V.fail("n_sites", self.n_sites, f"at most {DENSE_MAX // 2} for {what} (a dense "
                   f"{self.n_states}x{self.n_states} matrix); use carrier_formation_energy() "
                   "or dos(), which work on the band")

    def hamiltonian(self, *, truncated: bool = True) -> np.ndarray:
        """The dense ``2 n_sites`` square Hamiltonian, eV (``truncated=False``: the whole tail)."""
        self._check_dense("hamiltonian()")
        return np.asarray(self._core.dense(self.reach if truncated else self.n_sites - 1))

    def band(self) -> np.ndarray:
        """The truncated matrix in lower band storage ``band[r, j] = H[j + r, j]``, shape
        ``(kd + 1, 2 n_sites)``, eV (as for ``scipy.linalg.eig_banded(lower=True)``)."""
        return np.asarray(self._core.band(self.reach))

    def lattice(self, spacing: float = 1.0) -> Any:
        """The cluster as a :class:`quasiion.TightBinding` (one cell, no inter-cell bonds; site i
        at x = i spacing, Angstrom)."""
        from .lattice import TightBinding

        self._check_dense("lattice()")
        V.positive("spacing", spacing)
        H = self.hamiltonian()
        i, j = np.nonzero(np.triu(H, 1))
        hops: list[Any] = [(int(a), int(b), (0,), complex(H[a, b])) for a, b in zip(i, j)]
        return TightBinding._from_core(self._core.lattice(self.reach, spacing), hops)

    def spectrum(self, *, vectors: bool = False, n_occupied: int | None = None) -> SupercellSpectrum:
        """All states (Fig 8a-c): eigenvalues, occupation (the ``n_occupied`` lowest), and with
        ``vectors`` eigenvectors and participation ratios."""
        n_occ = _n_occupied(n_occupied, self.default_n_occupied, self.n_states)
        self._check_dense("spectrum()")
        e, v, pr = _cs.dense_spectrum(self.hamiltonian(), vectors)
        return _spectrum_result(np.asarray(e), np.asarray(v) if vectors else None,
                                np.asarray(pr) if vectors else None, n_occ)

    def carrier_formation_energy(self, n_occupied: int | None = None, *, tol: float = 1e-12,
                                 threads: int = 0) -> CarrierFormationEnergy:
        """E_t = lumo - homo with ``n_occupied`` states filled (default one ion per site), eV.

        Small clusters are diagonalised; larger ones go through the inertia of the banded
        matrix (never dense). ``error_bound`` is the truncation bound (eV).
        """
        n_occ = _n_occupied(n_occupied, self.default_n_occupied, self.n_states)
        V.positive("tol", tol)
        if self.n_states <= DENSE_GAP_MAX:
            s = self.spectrum(n_occupied=n_occ)
            homo, lumo, method = s.homo, s.lumo, "dense"
        else:
            g = _sp.band_gap(self.band(), n_occupied=n_occ, tol=tol, threads=threads)
            homo, lumo, method = g.homo, g.lumo, "band"
        return CarrierFormationEnergy(float(lumo - homo), float(homo), float(lumo), n_occ,
                                      self.n_states, method, float(self.truncation_bound))

    def dos(self, edges: npt.ArrayLike, *, threads: int = 0) -> DosResult:
        """Density of states on the bins between ``edges`` (eV): exact eigenvalue counts of the
        truncated matrix (banded inertia counts for large clusters)."""
        e = _bin_edges(edges)
        if self.n_states > DENSE_GAP_MAX:
            integ = _sp.count_below(e, band=self.band(), threads=threads)
            return _dos_result(e, integ, self.n_states)
        return _dos_from_energies(self.spectrum().energies, e)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.n_sites, self.U_A, self.U_B, self.P0, self.Es_over_kT, self.tol))

    def __repr__(self) -> str:
        return (f"PercolationCluster({self.n_sites} sites, U_A = {self.U_A:g}, U_B = {self.U_B:g} "
                f"eV, Es/kT = {self.Es_over_kT:g}, reach = {self.reach}, "
                f"truncation bound = {self.truncation_bound:.2g} eV)")


def _rebuild(n_sites: int, U_A: float, U_B: float, P0: np.ndarray, Es_over_kT: float,
             tol: float) -> PercolationCluster:
    return PercolationCluster(n_sites, U_A, U_B, P0, Es_over_kT, tol=tol)
