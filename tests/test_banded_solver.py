"""The narrow-band eigensolver (reverse Cuthill-McKee + band eigenvalues + inverse iteration)
against numpy.linalg.eigh, and the Kubo-Greenwood conductivity through it against a numpy
Kubo sum written here."""

import numpy as np
import pytest
from scipy.special import expit

import quasiion as qi
from quasiion import _core
from quasiion._core import banded
from quasiion.kubo import kubo_conductivity

HBAR = 6.582119569e-16  # eV s
E_CHARGE = 1.602176634e-19


def sparse_of(H: np.ndarray):
    i, j = np.nonzero(np.triu(H, 1))
    return np.diag(H).copy(), i.astype(np.int32), j.astype(np.int32), H[i, j].copy()


def ring(n: int, seed: int, w: float = 0.3, t: float = -0.5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    H = np.diag(rng.uniform(-w, w, n))
    i = np.arange(n)
    H[i, (i + 1) % n] = H[(i + 1) % n, i] = t
    return H


def open_chain(n: int, seed: int) -> np.ndarray:
    H = ring(n, seed)
    H[0, -1] = H[-1, 0] = 0.0
    return H


def strip(length: int, width: int, seed: int) -> np.ndarray:
    """A periodic-in-length strip of a square lattice, random on-site energies, orbitals
    numbered column-major so that the natural order is wide and the ordering must find the
    narrow one."""
    rng = np.random.default_rng(seed)
    n = length * width
    H = np.diag(rng.uniform(-1, 1, n))

    def idx(x, y):
        return y * length + x  # the wide order: neighbours along x are 1 apart, along y L apart

    for x in range(length):
        for y in range(width):
            for x2, y2 in (((x + 1) % length, y), (x, y + 1)):
                if y2 < width:
                    H[idx(x, y), idx(x2, y2)] = H[idx(x2, y2), idx(x, y)] = -1.0
    return H


def projector_error(E, U, w, V, scale):
    """Max difference of the spectral projectors of the two eigensystems, eigenvalues grouped
    where they are degenerate (the eigenvectors themselves are then not unique)."""
    groups = np.split(np.arange(E.size), np.nonzero(np.diff(w) > 1e-9 * scale)[0] + 1)
    err = 0.0
    for g in groups:
        P1 = U[:, g] @ U[:, g].T
        P2 = V[:, g] @ V[:, g].T
        err = max(err, np.max(np.abs(P1 - P2)))
    return err


@pytest.mark.parametrize(
    "name, H, kd",
    [
        ("open chain", open_chain(300, 1), 1),
        ("disordered ring", ring(301, 2), 2),
        ("perfect ring (k, -k degenerate)", ring(200, 3, w=0.0), 2),
        ("strip 60 x 3", strip(60, 3, 4), None),
        ("strip 40 x 6 (generic band width)", strip(40, 6, 5), None),
    ],
)
def test_eigenpairs_against_numpy(name, H, kd):
    E, U, info = banded.eigh(*sparse_of(H), force=True)
    assert info["done"], info
    if kd is not None:
        assert info["kd"] == kd
    n = H.shape[0]
    w, V = np.linalg.eigh(H)
    scale = np.max(np.abs(w))
    np.testing.assert_allclose(E, w, rtol=0, atol=1e-12 * scale)
    assert np.max(np.abs(U.T @ U - np.eye(n))) < 1e-10
    assert np.max(np.linalg.norm(H @ U - U * E, axis=0)) < 1e-12 * scale
    assert projector_error(E, U, w, V, scale) < 1e-9


def test_ordering_finds_the_narrow_band():
    H = strip(50, 4, 6)
    d, i, j, _ = sparse_of(H)
    assert np.max(np.abs(i - j)) == 50  # the wide natural order: rows of length 50
    perm, kd = banded.ordering(d, i, j)
    assert sorted(perm) == list(range(H.shape[0]))
    Hp = H[np.ix_(perm, perm)]
    r, c = np.nonzero(Hp)
    assert np.max(np.abs(r - c)) == kd
    # As narrow as scipy's reverse Cuthill-McKee (an independent implementation) finds.
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    p = reverse_cuthill_mckee(csr_matrix(H), symmetric_mode=True)
    r2, c2 = np.nonzero(H[np.ix_(p, p)])
    assert kd <= np.max(np.abs(r2 - c2)) <= 10


def test_components_repeated_pairs_and_self_bonds():
    # Two chains not connected to each other, a pair given twice (summed) and a bond of an
    # orbital to itself (an image bond: 2 t on the diagonal, as in the dense assembly).
    A = open_chain(80, 7)
    B = ring(90, 8)
    H = np.zeros((170, 170))
    H[:80, :80], H[80:, 80:] = A, B
    d, i, j, v = sparse_of(H)
    i = np.concatenate([i, [5, 100]]).astype(np.int32)
    j = np.concatenate([j, [6, 100]]).astype(np.int32)
    v = np.concatenate([v, [0.25, 0.125]])
    H2 = H.copy()
    H2[5, 6] += 0.25
    H2[6, 5] += 0.25
    H2[100, 100] += 0.25
    E, U, info = banded.eigh(d, i, j, v, force=True)
    assert info["done"] and info["kd"] <= 2
    np.testing.assert_allclose(E, np.linalg.eigvalsh(H2), atol=1e-13)
    assert np.max(np.linalg.norm(H2 @ U - U * E, axis=0)) < 1e-12


def test_large_degenerate_cluster_stays_orthonormal():
    # 60 decoupled dimers with the same energies: every eigenvalue 60-fold degenerate, one
    # cluster each; the members must come out orthonormal and span the right subspace.
    H = np.zeros((120, 120))
    for k in range(60):
        H[2 * k, 2 * k + 1] = H[2 * k + 1, 2 * k] = -0.3
        H[2 * k, 2 * k] = 0.1
    E, U, info = banded.eigh(*sparse_of(H), force=True)
    assert info["done"] and info["largest_cluster"] == 60
    assert np.max(np.abs(U.T @ U - np.eye(120))) < 1e-10
    assert np.max(np.linalg.norm(H @ U - U * E, axis=0)) < 1e-12
    # Automatic mode declines: a 60-member cluster costs more than a dense solve here.
    _, _, auto = banded.eigh(*sparse_of(H))
    assert not auto["done"] and "kd" not in auto["reason"]


def test_thread_count_does_not_change_the_result():
    args = sparse_of(ring(500, 9))
    E1, U1, _ = banded.eigh(*args, threads=1)
    E2, U2, _ = banded.eigh(*args, threads=2)
    np.testing.assert_array_equal(E1, E2)
    np.testing.assert_array_equal(U1, U2)


def test_declines_wide_matrices_and_without_lapack():
    rng = np.random.default_rng(10)
    M = rng.normal(size=(100, 100))
    H = M + M.T
    E, U, info = banded.eigh(*sparse_of(H))
    assert E is None and not info["done"] and "half-bandwidth" in info["reason"]
    # Without LAPACK: small problems use multisection eigenvalues, larger ones decline.
    assert _core._has_band_lapack()
    _core._unregister_band_lapack()
    try:
        Hs = ring(200, 11)
        E, U, info = banded.eigh(*sparse_of(Hs))
        assert info["done"]
        np.testing.assert_allclose(E, np.linalg.eigvalsh(Hs), atol=1e-12)
        assert np.max(np.linalg.norm(Hs @ U - U * E, axis=0)) < 1e-12
        _, _, big = banded.eigh(*sparse_of(ring(1000, 12)))
        assert not big["done"] and "LAPACK" in big["reason"]
    finally:
        qi._lapack.register()
    assert _core._has_band_lapack()


def test_bad_input():
    d, i, j, v = sparse_of(ring(20, 13))
    with pytest.raises(ValueError, match="index"):
        banded.eigh(d, i, (j + 100).astype(np.int32), v)
    with pytest.raises(ValueError, match="value"):
        banded.eigh(d, i, j, np.where(np.arange(v.size) == 3, np.nan, v))
    with pytest.raises(ValueError, match="diagonal"):
        banded.eigh(np.where(np.arange(d.size) == 0, np.inf, d), i, j, v)


# --- the conductivity through the band route --------------------------------------------------

def chain(N: int, seed: int, periodic: bool) -> qi.TightBinding:
    rng = np.random.default_rng(seed)
    on = np.tile([-0.4, -0.2], N) + rng.uniform(-0.05, 0.05, 2 * N)
    pos, hops = [], []
    for c in range(N):
        pos += [4.0 * c + 2.0, 4.0 * c]
        hops.append((2 * c, 2 * c + 1, [0], -0.05))
        if c + 1 < N:
            hops.append((2 * c, 2 * c + 3, [0], -0.05))
        elif periodic:
            hops.append((2 * c, 1, [1], -0.05))
    return qi.TightBinding(4.0 * N, pos, on, hops)


def numpy_kubo(tb, mu, T, tau, n0):
    """sigma = C sum_mn |<m|V|n>|^2 (f_n - f_m)/(E_m - E_n) L_eta(E_m - E_n), V_ij = d_ij H_ij
    (minimum-image bond vectors), directly over all pairs with numpy (-f' on the diagonal)."""
    H = tb.hamiltonian([0.0]).real
    x = tb.positions[:, 0]
    L = tb.vectors[0, 0]
    d = x[None, :] - x[:, None]
    d -= L * np.round(d / L)
    E, U = np.linalg.eigh(H)
    P = (U.T @ (d * H) @ U) ** 2
    eta = HBAR / tau
    kT = qi.units.k_B * T
    dE = E[None, :] - E[:, None]
    lor = (eta / np.pi) / (dE**2 + eta**2)
    out = []
    for m in np.atleast_1d(mu):
        f = expit(-(E - m) / kT)
        with np.errstate(invalid="ignore", divide="ignore"):
            F = (f[None, :] - f[:, None]) / (E[:, None] - E[None, :])
        F = np.where(np.abs(dE) < 1e-12, (f * (1 - f) / kT)[None, :], F)
        out.append(np.sum(P * F * lor))
    vol = tb.n_orbitals / 2 / n0
    return np.pi * E_CHARGE * 1e-16 / (HBAR * vol) * np.array(out)


@pytest.mark.parametrize("periodic", [False, True])
def test_kubo_band_route_against_numpy(periodic):
    tb = chain(150, 14, periodic)
    mu = np.linspace(-0.6, 0.0, 7)
    ref = numpy_kubo(tb, mu, 500.0, 1e-13, 1e22)
    for solver in ("auto", "band", "dense"):
        np.testing.assert_allclose(
            kubo_conductivity(tb, mu, 500.0, tau=1e-13, n0=1e22, eigensolver=solver), ref,
            rtol=1e-8)
    with pytest.raises(ValueError, match="eigensolver"):
        kubo_conductivity(tb, mu, 500.0, tau=1e-13, eigensolver="fast")


def test_band_route_refused_when_required_and_impossible():
    # A dense random coupling pattern: the band route declines, and "band" says why.
    rng = np.random.default_rng(15)
    n = 40
    hops = [(i, j, [0], rng.uniform(-0.1, 0.1)) for i in range(n) for j in range(i + 1, n)]
    tb = qi.TightBinding(100.0, np.arange(n) * 2.0, rng.uniform(-0.2, 0.2, n), hops)
    with pytest.raises(RuntimeError, match="band eigensolver declined.*half-bandwidth"):
        kubo_conductivity(tb, -0.1, 400.0, tau=1e-13, eigensolver="band")
    np.testing.assert_allclose(kubo_conductivity(tb, -0.1, 400.0, tau=1e-13),
                               kubo_conductivity(tb, -0.1, 400.0, tau=1e-13, eigensolver="dense"))
