"""Band structures along a path through named points of the Brillouin zone (2D/3D lattices,
1D too).

Points are given in fractional coordinates of the reciprocal vectors (``k = sum_a f_a b_a``),
e.g. for a square lattice ``{"G": (0, 0), "X": (0.5, 0), "M": (0.5, 0.5)}`` and the path
``["G", "X", "M", "G"]``. Units: k in 1/Angstrom, energies in eV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import _validation as V
from .lattice import TightBinding
from .results import ResultMixin

__all__ = ["BandPath", "band_path"]


@dataclass(frozen=True)
class BandPath(ResultMixin):
    """Bands along a k-path.

    Attributes
    ----------
    k : ndarray, shape (nk, d)
        Cartesian wavevectors, 1/Angstrom.
    distance : ndarray, shape (nk,)
        Cumulative path length, 1/Angstrom (the x axis of a band plot).
    energies : ndarray, shape (nk, n_orb)
        eV, ascending per k.
    labels : list of str
        Names of the corner points.
    label_positions : ndarray
        Their distances along the path, 1/Angstrom.
    """

    k: np.ndarray
    distance: np.ndarray
    energies: np.ndarray
    labels: list[str]
    label_positions: np.ndarray


def band_path(tb: TightBinding, points: Mapping[str, npt.ArrayLike], path: Sequence[str], *,
              n: int = 100, threads: int = 0) -> BandPath:
    """Bands of ``tb`` along straight segments through named points.

    Parameters
    ----------
    tb : TightBinding
    points : mapping name -> fractional coordinates (length d)
        Coordinates in units of the reciprocal vectors.
    path : sequence of names
        At least two; consecutive names are joined by a straight segment.
    n : int
        Points per segment (>= 2); segment ends are shared.
    """
    if int(n) != n or n < 2:
        V.fail("n", n, "an integer >= 2")
    if len(path) < 2:
        V.fail("path", list(path), "at least two point names")
    B = tb.reciprocal_vectors()
    cart = {}
    for name in path:
        if name not in points:
            V.fail("path", name, f"a name among the points {sorted(points)}")
        f = V.finite_array(f"points[{name!r}]", points[name], ndim=1)
        if f.size != tb.dim:
            V.fail(f"points[{name!r}]", points[name], f"{tb.dim} fractional coordinates")
        cart[name] = f @ B
    segs = []
    for i, (a, b) in enumerate(zip(path[:-1], path[1:])):
        t = np.linspace(0.0, 1.0, int(n))[(1 if i else 0):, None]
        segs.append(cart[a] + t * (cart[b] - cart[a]))
    k = np.vstack(segs)
    step = np.linalg.norm(np.diff(k, axis=0), axis=1)
    dist = np.concatenate([[0.0], np.cumsum(step)])
    ticks = np.array([0.0] + [dist[(i + 1) * (int(n) - 1)] for i in range(len(path) - 1)])
    return BandPath(k=k, distance=dist, energies=tb.bands(k, threads=threads), labels=list(path),
                    label_positions=ticks)
