"""Kubo-Greenwood conductivity of real-space supercells: the periodic limit (eq 30), sigma >= 0,
the f-sum rule, thread independence, KPM against a dense evaluation of the same estimator."""

import numpy as np
import pytest

import quasiion as qi
from quasiion import kubo
from quasiion.kubo import (
    average_realisations,
    broadening,
    kpm_conductivity,
    kubo_conductivity,
    optical_conductivity,
)

U_A, U_B, J0, A = -0.4, -0.2, -0.1, 4.0
HBAR = 6.582119569e-16  # eV s
E_CHARGE = 1.602176634e-19


def chain_supercell(N: int, periodic: bool = True, onsite=None) -> qi.TightBinding:
    """N cells of the interstitial chain (A at x = c a + a/2, B at x = c a), bonds J0/2."""
    pos, on, hops = [], [], []
    for c in range(N):
        pos += [c * A + A / 2, c * A]
        on += [U_A, U_B]
        hops.append((2 * c, 2 * c + 1, [0], J0 / 2))
        if c + 1 < N:
            hops.append((2 * c, 2 * c + 3, [0], J0 / 2))
        elif periodic:
            hops.append((2 * c, 1, [1], J0 / 2))
    return qi.TightBinding(N * A, pos, on if onsite is None else onsite, hops)


def random_chain(N: int, seed: int, w: float = 0.05, periodic: bool = False) -> qi.TightBinding:
    rng = np.random.default_rng(seed)
    on = np.tile([U_A, U_B], N) + rng.uniform(-w, w, 2 * N)
    return chain_supercell(N, periodic, on)


@pytest.mark.parametrize("eigensolver", ["dense", "band"])
def test_periodic_limit_converges_to_eq30(eigensolver):
    # Perfect chain supercell at k = 0: its N Bloch states are eq 30's k-grid, the (k, -k)
    # degenerate pairs give the intraband (Boltzmann) term with the same tau, the interband
    # remainder falls as eta^2 = (hbar/tau)^2. Reference: InterstitialChain.conductivity
    # (eq 30 on the converged zone average).
    ch = qi.InterstitialChain(U_A, U_B, J0, A, n0=1e22)
    mu = np.array([-0.45, -0.3, -0.17, 0.0])
    T = 400.0
    err = {}
    for N, tau in ((4, 1e-11), (8, 1e-11), (16, 1e-11), (16, 1e-10)):
        boltz = ch.conductivity(mu, T, tau=tau)
        kg = kubo_conductivity(chain_supercell(N), mu, T, tau=tau, n0=1e22,
                               eigensolver=eigensolver)
        err[N, tau] = np.max(np.abs(kg / boltz - 1))
    # Measured: 0.12, 1.9e-4 (grid-limited), 2.2e-6, 2.2e-8 (eta-limited, 100x per 10x tau).
    assert err[4, 1e-11] > 0.05
    assert 1e-5 < err[8, 1e-11] < 1e-3
    assert err[16, 1e-11] < 5e-6
    assert err[16, 1e-10] < 5e-8
    assert err[16, 1e-11] / err[16, 1e-10] == pytest.approx(100, rel=0.05)


def test_sigma_non_negative_and_thread_independent():
    tb = random_chain(60, 3, periodic=True)
    mu = np.linspace(-0.7, 0.2, 91)
    s1 = kubo_conductivity(tb, mu, 300.0, tau=1e-13, k=[[0.0], [0.3 / (60 * A)]], threads=1)
    s2 = kubo_conductivity(tb, mu, 300.0, tau=1e-13, k=[[0.0], [0.3 / (60 * A)]], threads=2)
    assert np.all(s1 >= 0) and np.max(s1) > 0
    np.testing.assert_array_equal(s1, s2)
    # The real k = 0 path (BLAS products, our threads for the rest).
    r1 = kubo_conductivity(tb, mu, 300.0, tau=1e-13, threads=1)
    r2 = kubo_conductivity(tb, mu, 300.0, tau=1e-13, threads=2)
    assert np.all(r1 >= 0)
    np.testing.assert_array_equal(r1, r2)


def sum_rule_rhs(tb: qi.TightBinding, mu: float, T: float, volume: float) -> float:
    """-C sum_n f_n <n|T2|n>, T2_ij = (x_j - x_i)^2 H_ij, by numpy (open supercell)."""
    H = tb.hamiltonian([0.0]).real
    x = tb.positions[:, 0]
    T2 = (x[None, :] - x[:, None]) ** 2 * H
    E, U = np.linalg.eigh(H)
    f = 1 / (1 + np.exp((E - mu) / (qi.units.k_B * T)))
    C = np.pi * E_CHARGE * 1e-16 / (HBAR * volume)
    return -C * np.sum(f * np.einsum("in,ij,jn->n", U, T2, U))


@pytest.mark.parametrize("eigensolver", ["dense", "band"])
def test_f_sum_rule_open_supercell(eigensolver):
    tb = random_chain(40, 7)
    vol = 40 / 1e22
    mu, T, tau = -0.3, 500.0, 1e-13
    eta = broadening(tau)
    fine = np.arange(-1.0, 1.0, eta / 20)
    outer = np.geomspace(1.0, 2000.0, 4000)
    w = np.concatenate([-outer[::-1], fine, outer])
    w = np.unique(w)
    s = optical_conductivity(tb, w, mu=mu, T=T, tau=tau, volume=vol, eigensolver=eigensolver)
    integral = np.trapezoid(s, w)
    # Tails beyond 2000 eV miss 2 eta / (pi 2000 eV) ~ 2e-6 of the weight.
    np.testing.assert_allclose(integral, sum_rule_rhs(tb, mu, T, vol), rtol=1e-4)
    # omega = 0 is the DC value.
    dc = kubo_conductivity(tb, mu, T, tau=tau, volume=vol)
    np.testing.assert_allclose(optical_conductivity(tb, [0.0], mu=mu, T=T, tau=tau, volume=vol)[0],
                               dc, rtol=1e-10)


def test_deep_gap_exact():
    # mu far below both bands: sigma ~ e^{-(E_min - mu)/kT} without cancellation; compare the
    # ratio of two mu 0.1 eV apart with the Boltzmann factor.
    tb = random_chain(30, 1)
    T = 300.0
    s = kubo_conductivity(tb, [-2.0, -2.1], T, tau=1e-13)
    assert s[0] > 0 and s[1] > 0
    np.testing.assert_allclose(s[1] / s[0], np.exp(-0.1 / (qi.units.k_B * T)), rtol=1e-9)


def test_realisation_average():
    mu = np.array([-0.3, -0.17])
    res = average_realisations(
        lambda seed: kubo_conductivity(random_chain(30, seed), mu, 400.0, tau=1e-13), [1, 2, 3])
    assert res.values.shape == (3, 2)
    np.testing.assert_allclose(res.mean, res.values.mean(axis=0))
    assert np.all(res.std > 0)


def test_kpm_against_dense_same_kernel():
    # 1000 cells = 2000 orbitals, disordered, open. The dense route evaluates the same Jackson
    # estimator exactly from numpy eigenpairs; KPM must agree within its stated error.
    tb = random_chain(1000, 11, w=0.03)
    vol = 1000 / 1e22
    mu = np.array([-0.43, -0.4, -0.19, -0.15])
    T = np.full(4, 600.0)
    M = 128
    r = kpm_conductivity(tb, mu, T, volume=vol, n_moments=M, n_random=12, seed=5)
    H = tb.hamiltonian([0.0]).real
    x = tb.positions[:, 0]
    D = (x[None, :] - x[:, None]) * H
    E, U = np.linalg.eigh(H)
    P = (U.T @ D @ U) ** 2
    lo, hi = H.diagonal() - np.abs(H - np.diag(H.diagonal())).sum(1), \
        H.diagonal() + np.abs(H - np.diag(H.diagonal())).sum(1)
    half = (hi.max() - lo.min()) / 2 * 1.01
    mid = (hi.max() + lo.min()) / 2
    n = np.arange(M)
    th = np.pi / (M + 1)
    g = ((M - n + 1) * np.cos(th * n) + np.sin(th * n) / np.tan(th)) / (M + 1)
    xs = (r.energy - mid) / half
    Tx = np.cos(np.outer(n, np.arccos(xs)))
    Te = np.cos(np.outer(n, np.arccos((E - mid) / half)))
    dl = ((np.where(n == 0, 1, 2) * g)[:, None] * Tx).T @ Te / (half * np.pi * np.sqrt(1 - xs**2))[:, None]
    C = np.pi * E_CHARGE * 1e-16 / (HBAR * vol)
    sE = C * np.einsum("jm,mn,jn->j", dl, P, dl)
    kT = qi.units.k_B * T[:, None]
    xx = (r.energy[None, :] - mu[:, None]) / kT
    mfp = np.exp(-np.abs(xx)) / (1 + np.exp(-np.abs(xx))) ** 2 / kT
    dense = np.trapezoid(mfp * sE[None, :], r.energy, axis=1)
    assert np.all(r.error > 0)
    assert np.all(np.abs(r.sigma - dense) < 4 * r.error)
    assert np.all(r.error < 0.2 * dense)


def test_bad_input():
    tb = chain_supercell(4)
    with pytest.raises(ValueError, match="tau"):
        kubo_conductivity(tb, 0.0, 300.0, tau=0.0)
    with pytest.raises(ValueError, match="k_weights"):
        kubo_conductivity(tb, 0.0, 300.0, tau=1e-13, k=[[0.0]], k_weights=[-1.0])
    with pytest.raises(ValueError, match="n_moments"):
        kpm_conductivity(tb, 0.0, 300.0, n_moments=1)
    with pytest.raises(ValueError, match="direction"):
        kubo_conductivity(tb, 0.0, 300.0, tau=1e-13, direction=[0.0])
    assert kubo.MAX_DENSE_ORBITALS > 2000


def test_complex_gauge_phases_equal_real_path():
    # An open chain with complex bond phases is gauge-equivalent to the real one (no loops):
    # the complex route must give the real route's sigma.
    tb = random_chain(25, 4)
    rng = np.random.default_rng(9)
    hops = [(i, j, R, t * np.exp(1j * rng.uniform(0, 2 * np.pi))) for i, j, R, t in tb.hoppings]
    tbc = qi.TightBinding(tb.vectors, tb.positions, tb.onsite, hops)
    mu = np.linspace(-0.6, 0.0, 13)
    np.testing.assert_allclose(kubo_conductivity(tbc, mu, 400.0, tau=1e-13),
                               kubo_conductivity(tb, mu, 400.0, tau=1e-13), rtol=1e-9)


def test_blas_and_eigen_products_agree():
    from quasiion._core import kubo as core

    tb = random_chain(150, 8, periodic=True)
    mu = np.linspace(-0.6, 0.0, 9)
    assert core._has_dgemm()
    with_blas = kubo_conductivity(tb, mu, 400.0, tau=1e-13)
    core._register_dgemm(None)
    try:
        eigen = kubo_conductivity(tb, mu, 400.0, tau=1e-13)
    finally:
        kubo._register_blas()
    assert core._has_dgemm()
    np.testing.assert_allclose(with_blas, eigen, rtol=1e-10)
    with pytest.raises(ValueError, match="dgemm"):
        core._register_dgemm(object())


class _FakeSupercell:
    """The supercell interface (lattice, with_realisation, n_sites, T): random on-site
    distortion of relative level d on the chain."""

    def __init__(self, n_sites: int, d: float, realisation: int = 0, T: float = 400.0):
        self.n_sites, self.d, self.realisation, self.T = n_sites, d, realisation, T

    def with_realisation(self, r: int) -> "_FakeSupercell":
        return _FakeSupercell(self.n_sites, self.d, r, self.T)

    def lattice(self) -> qi.TightBinding:
        rng = np.random.default_rng(1000 + self.realisation)
        on = np.tile([U_A, U_B], self.n_sites) * (1 + self.d * rng.uniform(-1, 1, 2 * self.n_sites))
        return chain_supercell(self.n_sites, True, on)


def test_supercell_conductivity_and_distortion_scan():
    sc = _FakeSupercell(40, 0.05)
    r = kubo.supercell_conductivity(sc, [-0.3, -0.17], tau=1e-13, realisations=[0, 1, 2])
    direct = [kubo_conductivity(sc.with_realisation(i).lattice(), [-0.3, -0.17], 400.0,
                                tau=1e-13, n_cells=40) for i in range(3)]
    np.testing.assert_allclose(r.values, direct, rtol=1e-12)
    # d = 0: every realisation is the perfect chain, no spread.
    scan = kubo.conductivity_vs_distortion(lambda d: _FakeSupercell(40, d), [0.0, 0.05], -0.3,
                                           tau=1e-13, realisations=[0, 1])
    assert scan.std[0] < 1e-12 * scan.sigma[0] and scan.std[1] > 0
    with pytest.raises(ValueError, match="supercell"):
        kubo.supercell_conductivity(object(), [0.0], tau=1e-13)


def test_kpm_grid_too_coarse_for_kT():
    tb = random_chain(50, 2)
    with pytest.raises(ValueError, match="n_energies"):
        kpm_conductivity(tb, -0.3, 5.0, n_moments=16, n_energies=8, n_random=1)


def test_distorted_supercell_methods():
    sc = qi.DistortedSupercell.eq45(0.5, 30, 0.1)
    r = sc.conductivity([-0.3], tau=1e-13, realisations=[0, 1])
    direct = kubo_conductivity(sc.with_realisation(1).lattice(), [-0.3], sc.T, tau=1e-13,
                               n_cells=30)
    np.testing.assert_allclose(r.values[1], direct, rtol=1e-12)
    assert r.std[0] > 0
    mf = sc.solve_meanfield(-0.2, mode="bond", K=0.3, starts=[0.0])
    assert mf.solution.history[-1] < 1e-11
    assert len(mf.solution.hopping_shift) == len(sc.lattice().hoppings)
    # eq 42's ansatz on the distorted chain: the low and high solutions of Fig 4 persist.
    mp = sc.solve_meanfield(-0.2, mode="paper", K_over_a1=1.5)
    assert len(mp.solutions) == 2 and mp.solutions[1].amplitude > 0.7


def test_reproduce_sigma_distortion_registered():
    from quasiion.reproduce import items

    assert "sigma_distortion" in [it.name for it in items()]


def test_cli_conductivity(tmp_path, capsys):
    import json

    from quasiion.cli import main

    assert main(["conductivity", "--n-sites", "20", "--d", "0,0.1", "--realisations", "2",
                 "--json", "--plot", str(tmp_path / "s.png")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["d"] for r in out["results"]] == [0.0, 0.1]
    assert out["results"][0]["sigma_std"][0] == 0.0 and out["results"][1]["sigma_std"][0] > 0
    assert (tmp_path / "s.png").exists()
    assert main(["conductivity", "--realisations", "0"]) == 2
