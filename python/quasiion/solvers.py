"""Dense eigenpairs of Hermitian and real symmetric matrices, and participation ratios.

``eigh`` runs LAPACK's divide-and-conquer drivers (zheevd for complex, dsyevd for real
matrices) through the compiled core, on scipy's LAPACK registered at import (see
``quasiion._core.active_dense_solver()``), or Eigen's solver when no LAPACK is registered.
Use it when all eigenpairs are wanted; for a few eigenvalues, a gap or a DOS of a chain or a
band matrix use :mod:`quasiion.spectrum` (O(n) memory).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._core import active_dense_solver
from ._core import dense as _dense
from .results import ResultMixin

__all__ = ["EighResult", "eigh", "participation_ratio", "active_dense_solver"]


@dataclass(frozen=True)
class EighResult(ResultMixin):
    """Eigenpairs of a dense Hermitian matrix.

    Attributes
    ----------
    values : ndarray, shape (n,)
        Eigenvalues, ascending (the matrix's unit, eV for a Hamiltonian).
    vectors : ndarray, shape (n, n), or None
        Orthonormal eigenvectors as columns, same order (complex for a complex input, real
        for a real one); None if not asked for.
    participation : ndarray, shape (n,), or None
        Participation ratio of each eigenvector, ``1 / sum_i |psi_i|^4``: 1 for a state on one
        site, n for a state spread evenly over all n sites.
    solver : str
        The solver used ("lapack (scipy)" or "eigen").
    """

    values: np.ndarray
    vectors: np.ndarray | None
    participation: np.ndarray | None
    solver: str


def _available_bytes() -> int | None:
    """MemAvailable from /proc/meminfo (Linux), else None."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        return None
    return None  # pragma: no cover


def _check_memory(n: int, complex_: bool, vectors: bool) -> None:
    # Input copy in the core, the LAPACK matrix (overwritten by the eigenvectors), divide and
    # conquer workspaces (~n^2 complex + 2 n^2 real, or ~2 n^2 real) and the returned array.
    item = 16 if complex_ else 8
    need = n * n * (item * 3 + (16 if complex_ else 8) * (2 if vectors else 0))
    avail = _available_bytes()
    if avail is not None and need > avail:
        V.fail("H", V.Described(f"a {n}x{n} {'complex' if complex_ else 'real'} matrix"),
               f"small enough to diagonalise in the available memory (needs ~{need / 2**30:.1f} GiB,"
               f" {avail / 2**30:.1f} GiB available); use quasiion.spectrum for gaps and DOS of "
               "chains and band matrices")


def participation_ratio(vectors: npt.ArrayLike) -> np.ndarray:
    """Participation ratios ``1 / sum_i |psi_i|^4`` of the columns of ``vectors``
    (each normalised first), shape (n_states,)."""
    v = np.asarray(vectors)
    if v.ndim != 2 or v.size == 0:
        V.fail("vectors", V.Described(f"an array of shape {v.shape}"), "2-dimensional, non-empty")
    p = np.abs(v) ** 2
    norm = p.sum(axis=0)
    if not (np.isfinite(norm).all() and (norm > 0).all()):
        V.fail("vectors", V.Described("a column of zero or non-finite norm"),
               "finite columns with non-zero norm")
    p /= norm
    return 1.0 / (p**2).sum(axis=0)


def eigh(H: npt.ArrayLike, eigenvectors: bool = True, *, solver: str = "default") -> EighResult:
    """All eigenpairs of a dense Hermitian (complex) or real symmetric matrix.

    Parameters
    ----------
    H : array_like, shape (n, n)
        The matrix (eV for a Hamiltonian); only its lower triangle is read. A real array takes
        the real path (dsyevd), a complex one the complex path (zheevd).
    eigenvectors : bool
        Also compute the eigenvectors and their participation ratios.
    solver : {"default", "lapack", "eigen"}
        "default" is LAPACK when registered (always, when scipy is installed), else Eigen.

    Raises
    ------
    ValueError
        Non-square or non-finite ``H``, or a matrix too large for the available memory
        (checked before allocating).
    """
    V.choice("solver", solver, ("default", "lapack", "eigen"))
    a = np.asarray(H)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        V.fail("H", V.Described(f"an array of shape {a.shape}"), "a non-empty square matrix")
    is_complex = np.iscomplexobj(a)
    _check_memory(a.shape[0], is_complex, eigenvectors)
    if is_complex:
        a = np.asarray(a, dtype=np.complex128)
    else:
        a = V.finite_array("H", a, ndim=2)
    if not np.isfinite(a).all():
        idx = np.argwhere(~np.isfinite(a))[0]
        V.fail(f"H[{idx[0]}, {idx[1]}]", a[tuple(idx)], "finite")
    # The core reads the lower triangle of its column-major copy; for a C-ordered array that is
    # the transpose, so hand it the Fortran-ordered view (no copy for a Fortran array).
    a = np.asfortranarray(a)
    if is_complex:
        w, U = _dense.eigh_complex(a, eigenvectors, solver)
    else:
        w, U = _dense.eigh_real(a, eigenvectors, solver)
    used = active_dense_solver() if solver == "default" else solver
    pr = participation_ratio(U) if U is not None else None
    return EighResult(values=np.asarray(w), vectors=U, participation=pr, solver=used)
