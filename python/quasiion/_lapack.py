"""Registers scipy's LAPACK (zheevd, dsyevd) in the compiled core at import.

The wheel links no BLAS/LAPACK: the core calls LAPACK through function pointers that scipy
exports as PyCapsules in ``scipy.linalg.cython_lapack.__pyx_capi__`` (LP64, the same
OpenBLAS scipy uses). If scipy is missing or its capsules have an unexpected signature, the
core keeps Eigen's solver; ``quasiion._core.active_dense_solver()`` says which one is used.
"""

from __future__ import annotations

from ._core import _register_lapack


def register() -> str:
    """Register scipy's zheevd/dsyevd; returns the active solver's name."""
    from ._core import active_dense_solver

    try:
        from scipy.linalg import cython_lapack
    except ImportError:  # pragma: no cover - scipy is a dependency
        return active_dense_solver()
    capi = cython_lapack.__pyx_capi__  # type: ignore[attr-defined]
    try:
        _register_lapack(capi["zheevd"], capi["dsyevd"], "scipy")
    except (KeyError, ValueError):  # pragma: no cover - a future scipy with another ABI
        pass
    return active_dense_solver()


register()
