"""Dense eigenpairs through scipy's LAPACK (registered at import) against Eigen's solver and
numpy; participation ratios against closed forms; memory refusal."""

from __future__ import annotations

import numpy as np
import pytest

import quasiion as q
from quasiion import _core
from quasiion import solvers as S


def _hermitian(rng: np.random.Generator, n: int, complex_: bool) -> np.ndarray:
    a = rng.normal(size=(n, n))
    if complex_:
        a = a + 1j * rng.normal(size=(n, n))
    return a + a.conj().T


def test_lapack_is_registered_at_import() -> None:
    assert _core.active_dense_solver() == "lapack (scipy)"
    assert q.active_dense_solver() == "lapack (scipy)"


@pytest.mark.parametrize("complex_", [True, False])
@pytest.mark.parametrize("n", [1, 2, 7, 64, 300])
def test_lapack_and_eigen_agree(rng: np.random.Generator, n: int, complex_: bool) -> None:
    H = _hermitian(rng, n, complex_)
    a = q.eigh(H, solver="lapack")
    b = q.eigh(H, solver="eigen")
    assert a.solver == "lapack" and b.solver == "eigen"
    np.testing.assert_allclose(a.values, b.values, rtol=0, atol=1e-10 * max(1, n))
    np.testing.assert_allclose(a.values, np.linalg.eigvalsh(H), rtol=0, atol=1e-10 * max(1, n))
    assert a.vectors is not None and a.vectors.dtype == (np.complex128 if complex_ else np.float64)
    U = a.vectors
    np.testing.assert_allclose(U.conj().T @ U, np.eye(n), atol=1e-12 * max(1, n))
    np.testing.assert_allclose(H @ U, U * a.values, atol=1e-11 * max(1, n))
    v = q.eigh(H, eigenvectors=False)
    assert v.vectors is None and v.participation is None
    np.testing.assert_allclose(v.values, a.values, atol=1e-12 * max(1, n))


def test_only_the_lower_triangle_is_read(rng: np.random.Generator) -> None:
    H = _hermitian(rng, 20, True)
    junk = H.copy()
    junk[np.triu_indices(20, 1)] = 99.0  # upper triangle replaced
    np.testing.assert_allclose(q.eigh(junk).values, np.linalg.eigvalsh(H), atol=1e-12)


def test_participation_ratio_limits() -> None:
    # Uncoupled sites: every state on one site (ratio 1); the uniform state of an all-equal
    # hopping matrix spreads over all n sites (ratio n).
    r = q.eigh(np.diag(np.arange(6.0)))
    np.testing.assert_allclose(r.participation, 1.0)
    n = 8
    J = -np.ones((n, n))
    np.fill_diagonal(J, 0.0)
    r = q.eigh(J)
    assert r.participation[0] == pytest.approx(n)  # ground state (1, ..., 1)/sqrt(n)
    # Open chain, closed form psi_j(m) ~ sin(pi m j/(n+1)): PR = 2(n+1)/3.
    n = 50
    T = np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)
    r = q.eigh(T)
    np.testing.assert_allclose(r.participation, 2 * (n + 1) / 3, rtol=1e-10)


def test_eigen_fallback_when_unregistered(rng: np.random.Generator) -> None:
    H = _hermitian(rng, 10, True)
    _core._unregister_lapack()
    try:
        assert _core.active_dense_solver() == "eigen"
        r = q.eigh(H)
        assert r.solver == "eigen"
        with pytest.raises(RuntimeError, match="no LAPACK registered"):
            q.eigh(H, solver="lapack")
    finally:
        from quasiion import _lapack

        assert _lapack.register() == "lapack (scipy)"
    np.testing.assert_allclose(r.values, np.linalg.eigvalsh(H), atol=1e-12)


def test_bands_through_lapack_match_eigen_for_every_thread_count() -> None:
    # A 2D square lattice with 12 orbitals and complex hoppings: bands through LAPACK
    # (registered) and through Eigen agree, for 1 and 2 threads.
    rng = np.random.default_rng(3)
    n = 12
    hops = []
    for _ in range(40):
        i, j = rng.integers(0, n, 2)
        R = rng.integers(-1, 2, 2)
        if i == j and not R.any():
            continue
        hops.append((int(i), int(j), R.tolist(), complex(rng.normal(), rng.normal())))
    tb = q.TightBinding(np.eye(2) * 3.0, rng.uniform(0, 3, (n, 2)), rng.normal(size=n), hops)
    k = rng.uniform(-1, 1, (300, 2))
    e_lapack_1 = tb.bands(k, threads=1)
    e_lapack_2 = tb.bands(k, threads=2)
    np.testing.assert_array_equal(e_lapack_1, e_lapack_2)
    _core._unregister_lapack()
    try:
        e_eigen = tb.bands(k, threads=2)
    finally:
        from quasiion import _lapack

        _lapack.register()
    np.testing.assert_allclose(e_lapack_1, e_eigen, atol=1e-12)


def test_bad_dense_requests_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="square"):
        q.eigh(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"H\[1, 2\]"):
        bad = np.zeros((3, 3))
        bad[1, 2] = np.nan
        q.eigh(bad)
    with pytest.raises(ValueError, match="solver"):
        q.eigh(np.eye(2), solver="magma")
    monkeypatch.setattr(S, "_available_bytes", lambda: 10**6)
    with pytest.raises(ValueError, match="available memory"):
        q.eigh(np.eye(400))
    # A request no machine here could hold is refused before any allocation: the array is a
    # broadcast view (no memory), 10^6 x 10^6.
    monkeypatch.undo()
    huge = np.broadcast_to(np.float64(0.0), (10**6, 10**6))
    with pytest.raises(ValueError, match="available memory"):
        q.eigh(huge)


def test_openblas_thread_count_is_restored_after_a_batch() -> None:
    import ctypes
    import glob
    import os

    import scipy

    libs = glob.glob(os.path.join(os.path.dirname(os.path.dirname(scipy.__file__)), "scipy.libs",
                                  "libscipy_openblas*.so*"))
    if not libs:
        pytest.skip("scipy's OpenBLAS not found")
    get = ctypes.CDLL(libs[0]).scipy_openblas_get_num_threads
    before = get()
    tb = q.TightBinding(1.0, [0.0, 0.5], [0.0, 1.0], [(0, 1, [0], -0.5), (1, 0, [1], -0.5)])
    tb.bands(np.linspace(-3, 3, 2000), threads=2)
    assert get() == before
