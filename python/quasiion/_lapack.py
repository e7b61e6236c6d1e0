"""Registers scipy's LAPACK (zheevd, dsyevd, and the band routines) in the compiled core at import.

The wheel links no BLAS/LAPACK: the core calls LAPACK through function pointers that scipy
exports as PyCapsules in ``scipy.linalg.cython_lapack.__pyx_capi__`` (LP64, the same
OpenBLAS scipy uses). If scipy is missing or its capsules have an unexpected signature, the
core keeps Eigen's solver; ``quasiion._core.active_dense_solver()`` says which one is used.
"""

from __future__ import annotations

import ctypes
import glob
import os

from ._core import _register_band_lapack, _register_lapack

_BAND_ROUTINES = ("dsbtrd", "dsterf")


def _openblas_thread_setter() -> int:
    """Address of ``openblas_set_num_threads_local`` (sets the thread count, returns the
    previous one) in the OpenBLAS that scipy's LAPACK runs on, or 0 if not found.

    The core makes that library single-threaded around batches of small solves that it runs on
    its own threads (Bloch bands over k); otherwise every 16x16 solve would start OpenBLAS
    threads and oversubscribe the cores.
    """
    import scipy

    libs = os.path.join(os.path.dirname(os.path.dirname(scipy.__file__)), "scipy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)  # already loaded by scipy: the same instance
            fn = lib.openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        addr = ctypes.cast(fn, ctypes.c_void_p).value
        return int(addr or 0)
    return 0


def register() -> str:
    """Register scipy's zheevd/dsyevd and the band routines of the narrow-band eigensolver;
    returns the active dense solver's name."""
    from ._core import active_dense_solver

    try:
        from scipy.linalg import cython_lapack
    except ImportError:  # pragma: no cover - scipy is a dependency
        return active_dense_solver()
    capi = cython_lapack.__pyx_capi__  # type: ignore[attr-defined]
    try:
        _register_lapack(capi["zheevd"], capi["dsyevd"], "scipy", _openblas_thread_setter())
    except (KeyError, ValueError):  # pragma: no cover - a future scipy with another ABI
        pass
    try:  # the narrow-band eigensolver (chains, rings, strips): optional
        _register_band_lapack(*(capi[name] for name in _BAND_ROUTINES))
    except (KeyError, ValueError):  # pragma: no cover - the dense route remains
        pass
    return active_dense_solver()


register()
