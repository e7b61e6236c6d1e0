"""Real-space mean field: eq 42 of the perfect chain (DopedChain) in "paper" mode, the bond
(Fock) decoupling against an independent k-space iteration, mixing, errors."""

import numpy as np
import pytest

import quasiion as qi
from quasiion.realspace_meanfield import (
    anderson_fixed_point,
    solve_realspace_filling,
    solve_realspace_meanfield,
)

T_FIG4 = 0.026 / qi.units.k_B


def chain_cells(dc: qi.DopedChain, N: int) -> qi.TightBinding:
    pos, on, hops = [], [], []
    for c in range(N):
        pos += [c * dc.a + dc.a / 2, c * dc.a]
        on += [dc.U_A, dc.U_B]
        hops.append((2 * c, 2 * c + 1, [0], dc.J0 / 2))
        hops.append((2 * c, (2 * c + 3) % (2 * N), [1 if c + 1 == N else 0], dc.J0 / 2))
    return qi.TightBinding(N * dc.a, pos, on, hops)


@pytest.mark.parametrize("mu", [-0.3, -0.25, -0.2, 0.0])
def test_paper_mode_reproduces_eq42(mu):
    # Fig 4 (alpha = 0.5, kT = 0.026 eV): every root of eq 42 (DopedChain), followed from the
    # roots as starts, to 1e-6 eV (measured ~1e-10 with 2 cells x 1024 supercell k-points).
    dc = qi.DopedChain.from_eq45(0.5)
    ref = dc.solve(mu, T_FIG4)
    tb = chain_cells(dc, 2)
    r = solve_realspace_meanfield(tb, mu, T_FIG4, mode="paper", K_over_a1=dc.K_over_a1,
                                  k=tb.kgrid(1024), starts=list(ref.roots))
    got = np.array([s.amplitude for s in r.solutions])
    np.testing.assert_allclose(got, ref.roots, atol=1e-6)
    assert abs(r.amplitude - ref.S00) < 1e-6
    # Grand potentials per cell agree with eq 42's Omega, and so do the selection rules.
    np.testing.assert_allclose([s.grand_potential for s in r.solutions], ref.grand_potential,
                               atol=1e-9)
    assert r.lowest_omega == ref.lowest_omega
    np.testing.assert_allclose(r.solution.filling, ref.filling, atol=1e-8)


def fock_chain_kspace(U_A, U_B, J0, a, K, mu, T, nk=4096, s0=0.0):
    """Independent route: the perfect chain's Fock decoupling on its two bonds in k-space by
    damped iteration. Bonds A->B (same cell, length a/2) and A->B(cell +1) (length a/2)."""
    kT = qi.units.k_B * T
    k = (-np.pi + 2 * np.pi * (np.arange(nk) + 0.5) / nk) / a
    V = K / (a / 2)
    d1 = d2 = -s0 * np.sign(J0)
    for _ in range(5000):
        h = (J0 / 2 + d1) + (J0 / 2 + d2) * np.exp(1j * k * a)
        H = np.zeros((nk, 2, 2), complex)
        H[:, 0, 0], H[:, 1, 1], H[:, 0, 1], H[:, 1, 0] = U_A, U_B, h, np.conj(h)
        E, U = np.linalg.eigh(H)
        f = 1 / (1 + np.exp((E - mu) / kT))
        g = np.einsum("kn,kn,kn->k", f, np.conj(U[:, 0, :]), U[:, 1, :])
        G1 = np.mean(g)
        G2 = np.mean(g * np.exp(1j * k * a))
        n1, n2 = -V * np.conj(G1), -V * np.conj(G2)
        if max(abs(n1 - d1), abs(n2 - d2)) < 1e-13:
            return n1, n2
        d1, d2 = 0.5 * (d1 + n1), 0.5 * (d2 + n2)
    raise AssertionError("k-space iteration did not converge")


@pytest.mark.parametrize("mu", [-0.45, -0.2])
def test_bond_mode_against_kspace_fock(mu):
    dc = qi.DopedChain.from_eq45(0.5)
    K = 0.6  # eV*Angstrom: V = 0.3 eV per bond, a single solution
    tb = chain_cells(dc, 3)
    r = solve_realspace_meanfield(tb, mu, T_FIG4, mode="bond", K=K, k=tb.kgrid(700),
                                  starts=[0.0])
    n1, n2 = fock_chain_kspace(dc.U_A, dc.U_B, dc.J0, dc.a, K, mu, T_FIG4, nk=2100)
    dt = r.solution.hopping_shift
    # Hopping order of chain_cells: intra-cell, inter-cell, per cell.
    np.testing.assert_allclose(dt[0::2], n1, atol=1e-9)
    np.testing.assert_allclose(dt[1::2], n2, atol=1e-9)
    assert r.solution.history[-1] < 1e-11


def test_bond_mode_disordered_and_filling():
    dc = qi.DopedChain.from_eq45(0.5)
    rng = np.random.default_rng(3)
    tb = chain_cells(dc, 12)
    on = tb.onsite + rng.uniform(-0.03, 0.03, tb.n_orbitals)
    tb = qi.TightBinding(tb.vectors, tb.positions, on, tb.hoppings)
    r = solve_realspace_meanfield(tb, -0.2, T_FIG4, mode="bond", K=1.0, k=tb.kgrid(8))
    assert len(r.solutions) >= 1 and all(s.history[-1] < 1e-11 for s in r.solutions)
    # Bond orders differ bond by bond once the sites are disordered.
    assert np.std(np.abs(r.solution.hopping_shift)) > 1e-6
    # Filling of the perfect chain: n(mu) through the self-consistent solution.
    tb0 = chain_cells(dc, 2)
    mu, rf = solve_realspace_filling(tb0, 1.99, T_FIG4, mu_bounds=(-0.2, 0.2), mode="paper",
                                     K_over_a1=dc.K_over_a1, k=tb0.kgrid(256))
    assert rf.solution.filling == pytest.approx(1.99, abs=1e-9)
    assert dc.solve(mu, T_FIG4).filling == pytest.approx(1.99, abs=1e-6)
    # 1.5 ions per cell lies inside the first-order jump of n(mu) near mu = -0.25 eV.
    with pytest.raises(ValueError, match="jump"):
        solve_realspace_filling(tb0, 1.5, T_FIG4, mu_bounds=(-0.4, 0.0), mode="paper",
                                K_over_a1=dc.K_over_a1, k=tb0.kgrid(256))


def test_anderson_and_errors():
    # A contraction x = cos(x) converges; a diverging map raises with its history.
    x, hist = anderson_fixed_point(np.cos, np.array([0.0]))
    assert x[0] == pytest.approx(0.7390851332151607, abs=1e-10) and hist[-1] < 1e-11
    with pytest.raises(qi.ConvergenceError) as e:
        anderson_fixed_point(lambda x: 2 * x + 1 + np.sin(5 * x) * 10, np.array([0.3]), max_iter=5)
    assert len(e.value.history) == 5
    tb = chain_cells(qi.DopedChain.from_eq45(0.5), 2)
    with pytest.raises(ValueError, match="K_over_a1"):
        solve_realspace_meanfield(tb, 0.0, 300.0, mode="paper")
    with pytest.raises(ValueError, match="mode"):
        solve_realspace_meanfield(tb, 0.0, 300.0, mode="hartree", K=1.0)
