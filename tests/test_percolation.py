"""Percolation clusters (appendix 5.2, Fig 8) against independent routes: numpy eigvalsh of
the full block Toeplitz matrix built here, the Kac-Murdock-Szego closed form of the decoupled
(P_AB = 0) chains, and the Toeplitz symbol's limit for large n."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

import quasiion as q


def full_matrix(n: int, U_A: float, U_B: float, P0: np.ndarray, s: float) -> np.ndarray:
    """Appendix 5.2 written out: block (i, j), j > i, is P0 exp(-(j-i-1) s); below, its
    transpose; nothing truncated."""
    H = np.zeros((2 * n, 2 * n))
    for i in range(n):
        H[2 * i, 2 * i], H[2 * i + 1, 2 * i + 1] = U_A, U_B
        for j in range(i + 1, n):
            blk = P0 * np.exp(-(j - i - 1) * s)
            H[2 * i:2 * i + 2, 2 * j:2 * j + 2] = blk
            H[2 * j:2 * j + 2, 2 * i:2 * i + 2] = blk.T
    return H


def kms_eigenvalues(n: int, rho: float) -> np.ndarray:
    """Eigenvalues of the Kac-Murdock-Szego matrix rho^|i-j| (0 < rho < 1): (1 - rho^2) /
    (1 - 2 rho cos t + rho^2) at the n roots t in (0, pi) of
    sin((n+1)t) - 2 rho sin(nt) + rho^2 sin((n-1)t)."""
    f = lambda t: np.sin((n + 1) * t) - 2 * rho * np.sin(n * t) + rho**2 * np.sin((n - 1) * t)  # noqa: E731
    g = np.linspace(1e-12, np.pi - 1e-12, 40 * n + 2001)
    v = f(g)
    idx = np.nonzero(np.sign(v[:-1]) != np.sign(v[1:]))[0]
    t = np.array([brentq(f, g[i], g[i + 1], xtol=1e-15) for i in idx])
    assert t.size == n
    return np.sort((1 - rho**2) / (1 - 2 * rho * np.cos(t) + rho**2))


@pytest.mark.parametrize("s", [0.3, 1.0, 3.0])
def test_truncated_spectrum_within_bound(s: float) -> None:
    P0 = np.array([[0.05, 0.02], [-0.01, 0.04]])
    n = 40
    c = q.PercolationCluster(n, 0.25, -0.25, P0, s, tol=1e-4)
    assert 0 < c.reach < n - 1
    exact = np.linalg.eigvalsh(full_matrix(n, 0.25, -0.25, P0, s))
    got = c.spectrum().energies
    err = np.abs(got - exact).max()
    assert err <= c.truncation_bound + 1e-14
    assert c.truncation_bound <= 1e-4
    assert err > 0  # something was truncated
    # untruncated matrix equals the one written out here
    np.testing.assert_allclose(c.hamiltonian(truncated=False), full_matrix(n, 0.25, -0.25, P0, s),
                               atol=1e-16)
    # the band is the truncated matrix in lower storage
    H = c.hamiltonian()
    B = c.band()
    for r in range(c.kd + 1):
        np.testing.assert_array_equal(B[r, : 2 * n - r], np.diag(H, -r))
    assert np.all(H[np.abs(np.subtract.outer(np.arange(2 * n), np.arange(2 * n))) > c.kd] == 0)


def test_default_tolerance_is_exact_to_round_off() -> None:
    n = 61
    c = q.PercolationCluster(n, Es_over_kT=1.0)
    exact = np.linalg.eigvalsh(full_matrix(n, 0.25, -0.25, np.diag([0.05, 0.05]), 1.0))
    assert np.abs(c.spectrum().energies - exact).max() < 1e-12


@pytest.mark.parametrize("n", [3, 8, 31])
def test_decoupled_chains_match_kms_closed_form(n: int) -> None:
    """P_AB = P_BA = 0: the A and B states form two Toeplitz chains with off-diagonals
    p rho^(m-1) = (p / rho) (KMS - I) at distance m."""
    s, pA, pB = 0.7, 0.05, 0.03
    rho = np.exp(-s)
    c = q.PercolationCluster(n, 0.25, -0.25, np.diag([pA, pB]), s, tol=0.0)
    lam = kms_eigenvalues(n, rho) - 1.0
    ref = np.sort(np.concatenate([0.25 + pA / rho * lam, -0.25 + pB / rho * lam]))
    np.testing.assert_allclose(c.spectrum().energies, ref, atol=1e-12)
    g = c.carrier_formation_energy()
    # lumo: the lowest A state, homo: the highest B state
    assert g.gap == pytest.approx(0.5 + pA / rho * (lam.min()) - pB / rho * lam.max(), abs=1e-12)


def test_gap_decreases_with_cluster_size() -> None:
    """Fig 8: more percolation sites, stronger hybridisation, smaller E_t. With P_AB = 0 the
    gap is 0.5 - (width of the Toeplitz spectrum); Cauchy interlacing makes it non-increasing
    in n and the Toeplitz symbol bounds it from below by 0.5 - 4 P0 / (1 - rho^2)."""
    s = 1.0
    rho = np.exp(-s)
    sizes = [1, 2, 3, 5, 10, 31, 61, 200, 1000]
    gaps = np.array([q.PercolationCluster(n, Es_over_kT=s).carrier_formation_energy().gap
                     for n in sizes])
    assert gaps[0] == pytest.approx(0.5, abs=1e-15)
    assert np.all(np.diff(gaps) < 0)
    limit = 0.5 - 4 * 0.05 / (1 - rho**2)
    assert np.all(gaps >= limit - 1e-12)
    assert gaps[-1] - limit < 1e-5
    # the paper's three clusters, in numbers
    assert gaps[2] == pytest.approx(0.3574, abs=1e-4)  # 3 sites
    assert gaps[5] == pytest.approx(0.2712, abs=1e-4)  # 31 sites
    assert gaps[6] == pytest.approx(0.2694, abs=1e-4)  # 61 sites
    # and the largest gap drop is from 1 to 3 sites
    assert gaps[0] - gaps[2] > gaps[2] - gaps[-1]


def test_large_cluster_band_route() -> None:
    s = 1.0
    c = q.PercolationCluster(4000, Es_over_kT=s)
    g = c.carrier_formation_energy()
    assert g.method == "band"
    # the same band through scipy's banded selected-eigenvalue driver
    ref = sla.eig_banded(c.band(), lower=True, eigvals_only=True, select="i",
                         select_range=(3999, 4000))
    assert g.homo == pytest.approx(ref[0], abs=1e-10)
    assert g.lumo == pytest.approx(ref[1], abs=1e-10)
    assert g.error_bound == c.truncation_bound


def test_zero_hopping_and_single_site() -> None:
    c = q.PercolationCluster(5, 0.1, -0.2, 0.0, 1.0)
    e = c.spectrum().energies
    np.testing.assert_allclose(e, [-0.2] * 5 + [0.1] * 5)
    assert c.carrier_formation_energy().gap == pytest.approx(0.3)
    assert c.reach == 0 and c.kd == 0 and c.truncation_bound == 0
    one = q.PercolationCluster(1, 0.25, -0.25)
    assert one.spectrum().energies.tolist() == [-0.25, 0.25]
    # Es/kT = 0: no decay, nothing can be truncated (all sites couple equally)
    flat = q.PercolationCluster(6, Es_over_kT=0.0, tol=1e-3)
    assert flat.reach == 5 and flat.truncation_bound == 0


def test_participation_and_occupation() -> None:
    c = q.PercolationCluster(31, Es_over_kT=1.0)
    s = c.spectrum(vectors=True)
    _, v = np.linalg.eigh(c.hamiltonian())
    np.testing.assert_allclose(s.participation, 1 / (v**4).sum(axis=0), rtol=1e-8)
    assert s.occupied.sum() == 31 and s.occupied[:31].all()
    # occupied states are the B states (U_B < U_A here): all weight on odd orbitals
    w_B = (s.vectors[1::2, :31] ** 2).sum(axis=0)
    np.testing.assert_allclose(w_B, 1.0, atol=1e-12)


def test_dos_matches_histogram() -> None:
    c = q.PercolationCluster(100, Es_over_kT=0.5)
    edges = np.linspace(-0.5, 0.7, 25)
    ev = np.linalg.eigvalsh(c.hamiltonian())
    assert np.array_equal(c.dos(edges).counts, np.histogram(ev, edges)[0])


def test_validation() -> None:
    with pytest.raises(ValueError, match="n_sites = 0"):
        q.PercolationCluster(0)
    with pytest.raises(ValueError, match="P0"):
        q.PercolationCluster(3, P0=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Es_over_kT = -1"):
        q.PercolationCluster(3, Es_over_kT=-1.0)
    with pytest.raises(ValueError, match="n_sites = 3000"):
        q.PercolationCluster(3000).hamiltonian()
    with pytest.raises(ValueError, match="n_sites = 100000"):
        q.PercolationCluster(100000, Es_over_kT=0.0)
    with pytest.raises(ValueError, match="n_occupied"):
        q.PercolationCluster(3).carrier_formation_energy(6)


def test_truncation_bound_bounds_the_dropped_norm() -> None:
    """The reported bound is >= ||H_full - H_truncated||_2 and, for positive blocks on a long
    cluster (where the infinity norm is nearly attained), not loose by more than 1.5x."""
    P0 = np.array([[0.05, 0.03], [0.02, 0.04]])
    n, s = 300, 0.5
    c = q.PercolationCluster(n, 0.25, -0.25, P0, s, tol=1e-3)
    D = c.hamiltonian(truncated=False) - c.hamiltonian()
    norm = np.linalg.norm(D, 2)
    assert norm <= c.truncation_bound <= 1.5 * norm


def test_zero_matrix_and_decoupled_band_route() -> None:
    z = q.PercolationCluster(4, 0.0, 0.0, 0.0)
    assert np.array_equal(z.spectrum().energies, np.zeros(8))
    assert z.carrier_formation_energy().gap == 0.0
    big = q.PercolationCluster(3000, 0.1, -0.2, 0.0)  # band route on a diagonal matrix
    g = big.carrier_formation_energy()
    assert g.method == "band"
    assert g.homo == pytest.approx(-0.2, abs=1e-12) and g.lumo == pytest.approx(0.1, abs=1e-12)
    d = big.dos(np.array([-0.3, 0.0, 0.2]))
    assert d.counts.tolist() == [3000, 3000]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 25), s=st.floats(0.0, 4.0),
       p=st.lists(st.floats(-0.1, 0.1), min_size=4, max_size=4),
       tol=st.sampled_from([0.0, 1e-8, 1e-4, 1e-2]))
def test_truncation_bound_property(n: int, s: float, p: list[float], tol: float) -> None:
    P0 = np.array(p).reshape(2, 2)
    c = q.PercolationCluster(n, 0.25, -0.25, P0, s, tol=tol)
    exact = np.linalg.eigvalsh(full_matrix(n, 0.25, -0.25, P0, s))
    assert c.truncation_bound <= tol or c.reach == n - 1
    assert np.abs(c.spectrum().energies - exact).max() <= c.truncation_bound + 1e-13
