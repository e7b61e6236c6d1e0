"""Nearest-neighbour quasi-ion chains of any number of wells per period (eq 16-17 generalised).

:meth:`quasiion.Potential.tight_binding` returns a :class:`ChainTightBinding` for profiles that
are not a two-site chain: a periodic profile with more than two wells per period (say a
nudged-elastic-band path over a supercell) or an open path with other than two wells. Well i
(in order along x) has on-site energy U_i (its minimum); the bond over barrier b_i between
wells i and i + 1 carries the hopping ``J(b_i)/2`` of eq 16-17 (full form), with the eq 13
normalisation of each well over its two barriers. For two wells per period this is exactly
the two-site chain (``J0 = J(U_max)``). Energies eV, positions Angstrom, temperatures K.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._core import supercell as _cs
from .results import ResultMixin

__all__ = ["ChainTightBinding"]


@dataclass(frozen=True)
class ChainTightBinding(ResultMixin):
    """An N-orbital chain from a profile (narrow-well eq 16), at one temperature.

    Attributes
    ----------
    onsite : ndarray, shape (n,)
        Well minima, eV, in order along x.
    hopping : ndarray, shape (n,)
        ``hopping[i]`` couples wells i and i + 1, eV; ``hopping[n-1]`` closes the period
        (0 for an open path).
    x : ndarray, shape (n,)
        Well positions, Angstrom.
    barrier : ndarray, shape (n,)
        Barrier between well i and i + 1, eV (+inf: a wall at an open end).
    period : float
        Period, Angstrom (an open path: its span plus one, unused by H).
    periodic : bool
        A periodic profile (Bloch phase on the closing bond) or an open path.
    T : float
        Temperature, K.
    thermalisation : float
        E_min = U_min + thermalisation kT.
    """

    onsite: np.ndarray
    hopping: np.ndarray
    x: np.ndarray
    barrier: np.ndarray
    period: float
    periodic: bool
    T: float
    thermalisation: float

    def hamiltonian(self) -> np.ndarray:
        """The real symmetric matrix at k = 0 (periodic) or of the open chain, eV."""
        return np.asarray(self._chain().dense(self.T))

    def _chain(self) -> Any:
        return _cs.WellChain(self.onsite, self.barrier, self.x, self.period, self.periodic,
                             self.thermalisation)

    def lattice(self) -> Any:
        """As a :class:`quasiion.TightBinding` (one cell; periodic: Bloch phase on the closing
        bond, so ``lattice().bands(k)`` gives the chain's bands)."""
        from .lattice import TightBinding

        n = self.onsite.size
        hops: list[Any] = [(i, i + 1, (0,), complex(self.hopping[i])) for i in range(n - 1)]
        if self.periodic and self.hopping[n - 1] != 0.0:
            hops.append((n - 1, 0, (1,), complex(self.hopping[n - 1])))
        return TightBinding._from_core(self._chain().lattice(self.T), hops)


def chain_tight_binding(landscape: Any, T: float, thermalisation: float) -> ChainTightBinding:
    """The chain of a profile's Landscape at T (K); inputs already validated."""
    c = _cs.wellchain_from_landscape(landscape, thermalisation)
    on, hop = c.narrow_well(T)
    return ChainTightBinding(np.asarray(on), np.asarray(hop), np.asarray(c.x),
                             np.asarray(c.barrier), float(c.period), bool(c.periodic), float(T),
                             thermalisation)
