"""Mobile-ion doping (section 3.2, appendix 5.1): eq 42 roots, grand potential, rules, phases,
bands eq 29, conductivity eq 30, filling, and the paper's Fig 4 claims."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quasiion
from quasiion import paper, units

KT = 0.026
T = paper.T
#: PHYSICS.md's eq 45 table (alpha -> U_A, U_B, J0), used as inputs for the fast unit tests;
#: the Fig 4 claims are checked at quasiion.Potential's eq 45 parameters.
TABLE = {0.5: (-0.6, -0.300, -0.0234), 0.6: (-0.6, -0.240, -0.0963), 0.7: (-0.6, -0.180, -0.260)}


def chain(alpha: float, **kw) -> quasiion.DopedChain:
    ua, ub, j = TABLE[alpha]
    return quasiion.DopedChain(ua, ub, j, paper.A_DEFAULT, **kw)


# --- an independent numpy route: eq 28's complex off-diagonal on the half zone ka in [0, pi]
# (the integrands are even in k but kinked at the zone boundary, so the periodic trapezoid
# converges only as 1/n^2: numpy's Gauss-Legendre on the half zone, many points) -------------
_GL = {}


def np_parts(c: quasiion.DopedChain, S: float, high: bool, n: int = 400):
    if n not in _GL:
        x, w = np.polynomial.legendre.leggauss(n)
        _GL[n] = (0.5 * np.pi * (x + 1), w / 2)
    th, _ = _GL[n]
    hop = 0.5 * c.J0 * (1 + np.exp(1j * th))  # eq 17 off-diagonal
    phi = th / 2 + (0.0 if high else np.pi)  # eq 44
    h = hop + S * np.exp(1j * phi)  # eq 28
    ubar, du = 0.5 * (c.U_A + c.U_B), 0.5 * (c.U_A - c.U_B)
    R = np.sqrt(du**2 + np.abs(h) ** 2)
    return _GL[n][1], h, ubar, du, R


def fermi(x):
    return 0.5 * (1 - np.tanh(0.5 * x))


def np_F(c, S, mu, kT, high=False, n=400):
    w, _, ubar, du, R = np_parts(c, S, high, n)
    g = du / R  # g_p of appendix 5.1
    return c.K_over_a1 * np.sum(w * np.sqrt(1 - g**2) / 2 * (fermi((ubar - R - mu) / kT)
                                                            - fermi((ubar + R - mu) / kT)))


def np_omega(c, S, mu, kT, high=False, n=400):
    w, _, ubar, _, R = np_parts(c, S, high, n)
    lev = np.logaddexp(0, -(ubar - R - mu) / kT) + np.logaddexp(0, -(ubar + R - mu) / kT)
    return -kT * np.sum(w * lev) + S**2 / c.K_over_a1


# --- bands ------------------------------------------------------------------------------------
def test_bands_at_S00_zero_are_eq18_and_eq29_matches_diagonalisation():
    c = chain(0.7, K_over_a1=0.0)
    s = c.solve(0.0, T)
    assert s.S00 == 0.0 and s.roots.tolist() == [0.0]
    k = np.linspace(-np.pi / c.a, np.pi / c.a, 41)
    ubar, du = 0.5 * (c.U_A + c.U_B), 0.5 * (c.U_A - c.U_B)
    eq18 = np.sqrt(du**2 + c.J0**2 * np.cos(k * c.a / 2) ** 2)
    np.testing.assert_allclose(s.bands(k), np.c_[ubar - eq18, ubar + eq18], rtol=0, atol=1e-14)
    # eq 28 diagonalised at a self-consistent S00, both phases, against eq 29 / its strict form
    full = chain(0.7)
    for mu, phase in [(-0.3, "fixed"), (-0.3, "strict"), (0.2, "strict")]:
        sol = full.solve(mu, T, phase=phase)
        th = k * c.a
        h = 0.5 * c.J0 * (1 + np.exp(1j * th)) + sol.S00 * np.exp(
            1j * (th / 2 + (0.0 if sol.high_branch else np.pi)))
        H = np.zeros((k.size, 2, 2), complex)
        H[:, 0, 0], H[:, 1, 1], H[:, 0, 1], H[:, 1, 0] = c.U_A, c.U_B, h, h.conj()
        np.testing.assert_allclose(sol.bands(k), np.linalg.eigvalsh(H), rtol=0, atol=1e-13)
        # CBM sublattice weights against the eigenvector
        e = sol.band_edges()
        i = np.argmin(np.abs(k - e["cbm_k"]))
        w, vec = np.linalg.eigh(H[i])
        assert e["cbm_weight_B"] == pytest.approx(abs(vec[1, 1]) ** 2, abs=1e-12)
        assert e["upper_min"] == pytest.approx(w[1], abs=1e-13)


def test_strict_phase_uses_ka_over_2_exactly_above_J0():
    c = chain(0.7)
    for mu in np.linspace(-0.6, 0.3, 10):
        s = c.solve(mu, T, phase="strict")
        np.testing.assert_array_equal(s.root_high_branch, s.roots > abs(c.J0))
        assert s.phi_s == ("ka/2" if s.S00 > abs(c.J0) else "ka/2+pi")


# --- eq 42 and the grand potential ------------------------------------------------------------
@pytest.mark.parametrize("alpha", [0.5, 0.7])
@pytest.mark.parametrize("phase", ["fixed", "strict"])
def test_every_root_satisfies_eq42_independently(alpha, phase):
    c = chain(alpha)
    found_three = False
    for mu in np.linspace(-0.8, 0.4, 13):
        s = c.solve(mu, T, phase=phase)
        found_three |= s.roots.size == 3
        for r, high in zip(s.roots, s.root_high_branch):
            assert abs(np_F(c, r, mu, KT, high) - r) < 1e-10
            assert 0 <= r <= c.S_max
    assert found_three or phase == "strict"


def test_grand_potential_is_the_functional_of_eq42():
    c = chain(0.5)
    for mu in (-0.7, -0.24, 0.1):
        mf = c.mean_field(mu, T)
        for S in (0.0, 0.02, 0.3, 0.7):
            assert mf.grand_potential(S) == pytest.approx(np_omega(c, S, mu, KT), abs=1e-12)
        for r in c.solve(mu, T).roots:  # stationary at every root
            assert abs(d_omega(c, r, mu)) < 1e-9
        # and d Omega / dS = (2/(K/a1)) (S - F(S)) everywhere
        for S in (0.05, 0.4):
            assert d_omega(c, S, mu) == pytest.approx(2 / c.K_over_a1 * (S - np_F(c, S, mu, KT)),
                                                      abs=1e-9)


def d_omega(c, S, mu, h=1e-4):
    """Five-point central difference of the numpy Omega(S)."""
    o = [np_omega(c, S + j * h, mu, KT) for j in (-2, -1, 1, 2)]
    return (o[0] - 8 * o[1] + 8 * o[2] - o[3]) / (12 * h)


def test_K_to_zero_solution_tends_to_zero_linearly():
    base = chain(0.7)
    mu = -0.3
    # linear response: S00 -> K * A with A = <m/(2R)(f- - f+)> at S = 0 (independent numpy)
    A = np_F(quasiion.DopedChain(base.U_A, base.U_B, base.J0, base.a, 1.0), 0.0, mu, KT)
    for K in (1e-1, 1e-2, 1e-3, 1e-4):
        s = quasiion.DopedChain(base.U_A, base.U_B, base.J0, base.a, K).solve(mu, T)
        assert s.roots.size == 1
        assert s.S00 <= K / 2
        assert s.S00 / K == pytest.approx(A, rel=5 * K)


@settings(max_examples=40, deadline=None)
@given(ua=st.floats(-1.0, 0.0), gap=st.floats(0.0, 0.6), j=st.floats(0.0, 0.5),
       K=st.floats(0.05, 3.0), mu=st.floats(-1.5, 0.6), T=st.floats(50.0, 1500.0),
       phase=st.sampled_from(["fixed", "strict"]))
def test_free_energy_rule_never_higher_than_smallest(ua, gap, j, K, mu, T, phase):
    c = quasiion.DopedChain(ua, ua + gap, -j, 3.0, K)
    try:
        a = c.solve(mu, T, rule="smallest", phase=phase)
    except quasiion.ConvergenceError:
        assert phase == "strict"  # the fixed phase always has a root (F(0) >= 0 >= F(S_max) - S_max)
        return
    b = c.solve(mu, T, rule="free-energy", phase=phase)
    np.testing.assert_array_equal(a.roots, b.roots)
    assert b.grand_potential[b.selected] <= a.grand_potential[a.selected]
    assert b.grand_potential[b.selected] == b.grand_potential.min()
    assert a.S00 == a.roots.min()
    assert a.rules_disagree == (a.selected != b.selected)
    assert np.all(np.abs(a.residuals) < 1e-12)


def test_free_energy_rule_prefers_the_fixed_phase():
    # At any S the fixed phase has the larger |h_k|, hence the lower band grand potential:
    # the package's Omega of each phase against the independent numpy one, then the order.
    c = chain(0.7)
    for mu in (-0.3, 0.0, 0.2):
        fixed, strict = c.mean_field(mu, T, "fixed"), c.mean_field(mu, T, "strict")
        for S in (0.3, 0.5, 0.7):
            assert fixed.grand_potential(S) == pytest.approx(np_omega(c, S, mu, KT), abs=1e-12)
            assert strict.grand_potential(S) == pytest.approx(
                np_omega(c, S, mu, KT, high=S > abs(c.J0)), abs=1e-12)
            if S > abs(c.J0):
                assert fixed.grand_potential(S) < strict.grand_potential(S)


def test_monotone_search_matches_uniform_scan_and_k_convergence():
    from quasiion._core import doping as core

    for alpha in (0.5, 0.7):
        c = chain(alpha)
        n = c.k_points(T)
        assert n == 24 if alpha == 0.5 else 48
        for mu in np.linspace(-0.8, 0.4, 25):
            a = core.solve(c._chain, mu, T)
            b = core.solve(c._chain, mu, T, uniform_scan=True)
            fine = core.solve(c._chain, mu, T, k_refine=4.0)
            np.testing.assert_allclose(a["roots"], b["roots"], rtol=0, atol=1e-12)
            np.testing.assert_allclose(a["roots"], fine["roots"], rtol=0, atol=1e-12)
            s = c.solve(mu, T)
            assert s.conductivity() == pytest.approx(s.conductivity(n_k=8 * n), rel=1e-10)


@pytest.mark.parametrize("gap", [0.0, 1e-6, 1e-3, 0.02])
def test_k_convergence_for_near_degenerate_sites(gap):
    # |dU|/|J0| -> 0 puts the square-root branch points at the zone ends: graded panels
    from quasiion._core import doping as core

    c = quasiion.DopedChain(-0.4, -0.4 + gap, -0.45, 4.0, 1.3)
    for mu in (-0.9, -0.4, 0.0):
        for phase in ("fixed", "strict"):
            try:
                a = core.solve(c._chain, mu, 600.0, phase=phase)
            except quasiion.ConvergenceError:
                continue
            b = core.solve(c._chain, mu, 600.0, phase=phase, k_refine=4.0)
            np.testing.assert_allclose(a["roots"], b["roots"], rtol=0, atol=1e-11)


def test_monotone_fixed_points_on_a_python_map():
    xs = quasiion._core.monotone_fixed_points(lambda x: 0.5 * (1 + np.tanh(12 * (x - 0.5))), 0.0, 1.0)
    ref = quasiion._core.find_all_roots(lambda x: 0.5 * (1 + np.tanh(12 * (x - 0.5))) - x,
                                        0.0, 1.0, 4000)
    np.testing.assert_allclose(xs, ref, atol=1e-13)


# --- conductivity eq 30 -------------------------------------------------------------------------
def test_conductivity_matches_an_independent_eq30():
    c = chain(0.7, tau=2e-13, n0=3e21, z=2.0)
    for mu in (-0.2, 0.05, 0.3):
        s = c.solve(mu, T)
        n = 20000
        k = -np.pi / c.a + 2 * np.pi / c.a * (np.arange(n) + 0.5) / n
        E = s.bands(k)[:, 1]
        dk = 1e-6
        v = (s.bands(k + dk)[:, 1] - s.bands(k - dk)[:, 1]) / (2 * dk)  # eV*A
        v = v * units.angstrom / units.hbar  # m/s
        x = (E - mu) / KT
        mdf = 0.25 / np.cosh(x / 2) ** 2 / KT  # -df/dE, 1/eV
        sigma = (2.0 * units.e) ** 2 * 3e21 * 1e6 * 2e-13 * np.mean(v**2 * mdf) / units.e * 1e-2
        assert s.conductivity() == pytest.approx(sigma, rel=1e-6)


# --- filling ------------------------------------------------------------------------------------
def test_filling_round_trip_and_coexistence():
    c = chain(0.7)
    for mu in (-0.5, 0.05, 0.1):
        s = c.solve(mu, T)
        f = c.solve_filling(s.filling, T)
        assert not f.coexistence
        assert f.filling == pytest.approx(s.filling, abs=1e-9)
        if mu > 0:  # mu is well conditioned where dn/dmu is not tiny (not deep in a gap)
            assert f.mu == pytest.approx(mu, abs=1e-8)
    # inside the density jump of the transition: the two coexisting phases bracket the target
    f = c.solve_filling(1.5, T)
    assert f.coexistence and f.filling_below < 1.5 < f.filling_above
    assert 0.0 < f.mu < 0.1
    below, above = c.solve(f.mu - 1e-6, T), c.solve(f.mu + 1e-6, T)
    assert below.S00 > 0.5 and above.S00 < 0.1


def test_filling_is_monotone_in_mu_under_the_free_energy_rule():
    # n = -dOmega/dmu of a concave envelope: non-decreasing in mu
    c = chain(0.6)
    w = c.sweep(np.linspace(-1.2, 0.6, 181), T, rule="free-energy")
    assert np.all(np.diff(w.filling) >= -1e-12)


# --- sweeps ---------------------------------------------------------------------------------------
def test_sweep_equals_single_solves_and_is_thread_independent():
    c = chain(0.6)
    mu = np.linspace(-0.7, 0.3, 21)
    w1 = c.sweep(mu, T, threads=1)
    w2 = c.sweep(mu, [T, 400.0], threads=2, chunk=7, progress=lambda d, n: calls.append((d, n)))
    np.testing.assert_array_equal(w1.S00, w2.S00[0])
    np.testing.assert_array_equal(w1.sigma, w2.sigma[0])
    assert calls[-1] == (42, 42) and len(calls) == 6
    for i in (0, 9, 20):
        s = c.solve(mu[i], T)
        assert w1.S00[i] == s.S00
        np.testing.assert_array_equal(w1.roots[i][: w1.n_roots[i]], s.roots)
        assert w1.sigma[i] == s.conductivity()
        assert w1.E_t[i] == s.E_t
        assert w1.rules_disagree[i] == s.rules_disagree
    assert w2.S00.shape == (2, 21) and w2.roots.shape[:2] == (2, 21)


calls: list[tuple[int, int]] = []


def test_strict_phase_can_have_no_solution():
    c = quasiion.DopedChain(-0.852, -0.360, -0.686, 4.0, 2.38)
    with pytest.raises(quasiion.ConvergenceError, match="no self-consistent") as info:
        c.solve(-1.1168, 812.2, phase="strict")
    assert len(info.value.history) == 8
    w = c.sweep(np.array([-1.1168, 0.0]), 812.2, phase="strict")
    assert w.failed[0] and np.isnan(w.S00[0])
    c.solve(-1.1168, 812.2, phase="fixed")  # the fixed phase always has one


# --- the paper's Fig 4 claims at the eq 45 parameters ----------------------------------------
def test_eq45_chain_matches_the_physics_table():
    for alpha, (ua, ub, j) in TABLE.items():
        c = quasiion.DopedChain.from_eq45(alpha)
        assert (c.U_A, c.U_B) == pytest.approx((ua, ub), abs=5e-4)
        assert c.J0 == pytest.approx(j, rel=5e-3)
        assert (c.K_over_a1, c.gamma, c.a) == (paper.K_OVER_A1, paper.GAMMA, paper.A_DEFAULT)


def test_fig4_claims():
    mu = np.arange(-0.6, 0.4001, 0.01)
    result = {}
    for alpha in (0.5, 0.6, 0.7):
        w = quasiion.DopedChain.from_eq45(alpha).sweep(mu, T)
        tr = w.transition()
        i = int(np.searchsorted(mu, tr["mu_above"]))
        # abrupt drop of |S00| from ~0.73 eV to ~0 within one 0.01 eV step
        assert 0.72 < w.S00[i - 1] < 0.74 and w.S00[i] < 0.05
        assert np.all(w.S00[:i] > 0.72) and np.all(w.S00[i:] < 0.05)
        # sigma jumps by orders of magnitude at the transition ...
        assert tr["sigma_jump_decades"] > 4
        # ... and falls with further doping
        assert np.all(np.diff(w.sigma[i:]) < 0)
        assert w.sigma[-1] < 1e-3 * w.sigma[i]
        # E_t drops: quasi-ion carriers below, quasi-vacancy carriers above
        assert w.carrier[i - 1] == 1 and w.carrier[i] == -1 and w.E_t[i] < 0.5 * w.E_t[i - 1]
        result[alpha] = (tr["mu_above"], w.sigma.max())
    assert -0.3 < result[0.5][0] < -0.2
    assert 0.0 < result[0.7][0] < 0.1
    assert result[0.5][0] < result[0.6][0] < result[0.7][0]
    assert result[0.5][1] < result[0.6][1] < result[0.7][1]


# --- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw,name", [({"K_over_a1": -1.0}, "K_over_a1"), ({"a": 0.0}, "a"),
                                     ({"J0": np.nan}, "J0"), ({"tau": -1.0}, "tau")])
def test_bad_chain_parameters(kw, name):
    args = {"U_A": -0.6, "U_B": -0.2, "J0": -0.1, "a": 4.0, **kw}
    with pytest.raises(ValueError, match=name):
        quasiion.DopedChain(**args)


def test_bad_solve_input():
    c = chain(0.5)
    with pytest.raises(ValueError, match="^T = "):
        c.solve(0.0, 0.0)
    with pytest.raises(ValueError, match="^T = "):
        c.solve(0.0, -5.0)
    with pytest.raises(ValueError, match="^mu = "):
        c.solve(np.nan, T)
    with pytest.raises(ValueError, match="^mu = "):
        c.solve(np.inf, T)
    with pytest.raises(ValueError, match="rule"):
        c.solve(0.0, T, rule="largest")
    with pytest.raises(ValueError, match="phase"):
        c.solve(0.0, T, phase="free")
    for n in (0.0, 2.0, -0.1, 2.5, np.nan):
        with pytest.raises(ValueError, match="^filling = "):
            c.solve_filling(n, T)
    with pytest.raises(ValueError, match=r"mu\[1\]"):
        c.sweep([0.0, np.nan], T)
    with pytest.raises(ValueError, match="T"):
        c.sweep([0.0], [300.0, 0.0])
    from quasiion._core import doping as core

    with pytest.raises(ValueError, match="K_over_a1"):
        core.Chain(-0.6, -0.2, -0.1, 4.0, -1.0)


def test_results_export(tmp_path):
    c = chain(0.6)
    s = c.solve(-0.1, T)
    d = s.to_dict()
    assert d["S00"] == s.S00 and d["J0"] == c.J0
    s.save_npz(tmp_path / "s.npz")
    w = c.sweep(np.linspace(-0.3, 0.0, 4), T)
    p = w.save_csv(tmp_path / "w.csv")
    data = np.genfromtxt(p, delimiter=",", names=True, skip_header=1)
    np.testing.assert_allclose(data["S00_eV"], w.S00, rtol=1e-9)
    w.save_npz(tmp_path / "w.npz")


# --- CLI, plots, reproduce ----------------------------------------------------------------------
def test_cli_doping(tmp_path, capsys):
    from quasiion.cli import main

    out, png = tmp_path / "t.csv", tmp_path / "p.png"
    rc = main(["doping", "--alpha", "0.5", "0.7", "--mu", "-0.4:0.2:0.02", "--T", "301.7",
               "--out", str(out), "--plot", str(png), "--quiet"])
    assert rc == 0 and png.stat().st_size > 0
    text = capsys.readouterr().out
    assert "mu_t" in text and "0.7" in text
    data = np.genfromtxt(out, delimiter=",", names=True, skip_header=1)
    assert data.size == 2 * 31 and np.all(data["S00_eV"] >= 0)
    assert main(["doping", "--chain", "-0.6", "-0.2", "-0.1", "--mu", "0", "--T", "-3"]) == 2
    assert "T = -3.0" in capsys.readouterr().err


def test_plots_return_axes():
    import matplotlib.pyplot as plt

    from quasiion.plotting import doping as pd

    c = chain(0.6)
    mu = np.linspace(-0.3, 0.0, 16)
    sweeps = {"0.6": c.sweep(mu, T)}
    for f in (pd.plot_S00, pd.plot_sigma, pd.plot_cbm_weights, pd.plot_E_t):
        assert f(sweeps) is not None
    assert pd.plot_band_edges(sweeps["0.6"]) is not None
    assert pd.plot_conduction_band({"x": c.solve(-0.1, T)}) is not None
    fig = pd.plot_phase_diagram(mu, [0.6], sweeps["0.6"].S00[None], sweeps["0.6"].sigma[None])
    assert len(fig.axes) == 4
    assert pd.plot_doping_overview({"0.6": c}, sweeps) is not None
    plt.close("all")


def test_reproduce_items_registered():
    from quasiion.reproduce import items

    names = [it.name for it in items()]
    assert {"fig4", "fig9", "fig10"} <= set(names)


def test_saturated_S00_at_the_upper_bound_is_found():
    # U_A = U_B, mu at the band centre, kT << |J0|: F(S) = (K/2) <tanh(R/2kT)> reaches K/2 to
    # the last bit, so the only root is S00 = K/(2 a1) itself (found by hypothesis once).
    c = quasiion.DopedChain(0.0, 0.0, -0.5, 3.0, 1.0)
    s = c.solve(0.0, 50.0, phase="fixed")
    assert s.roots.size == 1
    assert s.S00 == pytest.approx(0.5, abs=1e-12)


def _scan_roots(c: quasiion.DopedChain, mu: np.ndarray, kT: float, n: int = 200):
    """Every root of eq 42 (fixed phase) at each mu by an independent numpy route: eq 28's
    complex off-diagonal on n Gauss-Legendre nodes of the half zone, a uniform S scan of step
    kT/16, sign changes refined by vectorised bisection."""
    x, w = np.polynomial.legendre.leggauss(n)
    th, w = 0.5 * np.pi * (x + 1), w / 2
    ubar, du = 0.5 * (c.U_A + c.U_B), 0.5 * (c.U_A - c.U_B)

    def g(S, m):  # F(S) - S, S and m broadcast, nodes last
        h = 0.5 * c.J0 * (1 + np.exp(1j * th)) + S[..., None] * np.exp(1j * (th / 2 + np.pi))
        R = np.sqrt(du**2 + np.abs(h) ** 2)
        D = fermi((ubar - R - m[..., None]) / kT) - fermi((ubar + R - m[..., None]) / kT)
        return 0.5 * c.K_over_a1 * np.sum(w * np.abs(h) / R * D, axis=-1) - S

    grid = np.linspace(0.0, c.S_max, int(np.ceil(c.S_max / (kT / 16))) + 1)
    gv = g(grid[None, :], mu[:, None])
    im, iS = np.nonzero(np.sign(gv[:, :-1]) * np.sign(gv[:, 1:]) < 0)
    lo, hi, glo = grid[iS], grid[iS + 1], gv[im, iS]
    for _ in range(48):
        mid = 0.5 * (lo + hi)
        gm = g(mid, mu[im])
        same = np.sign(gm) == np.sign(glo)
        lo, glo, hi = np.where(same, mid, lo), np.where(same, gm, glo), np.where(same, hi, mid)
    return [0.5 * (lo + hi)[im == i] for i in range(mu.size)]


@pytest.mark.parametrize("alpha", [0.5, 0.6])
def test_sweep_roots_appear_and_disappear_like_an_independent_scan(alpha):
    """Across the transitions the number of roots changes 1 -> 3 -> 1 along mu; every root of
    the sweep (any thread count, any chunking) against the numpy scan."""
    c = chain(alpha)
    mu = np.linspace(-0.8, 0.4, 241)
    ref = _scan_roots(c, mu, units.kT(T).item())
    counts = np.array([r.size for r in ref])
    assert {1, 3} <= set(counts.tolist())  # the grid does cross the transitions
    assert np.count_nonzero(np.diff(counts)) >= 2
    w1 = c.sweep(mu, T, threads=1)
    for w in (w1, c.sweep(mu, T, threads=2), c.sweep(mu, T, threads=2, chunk=37)):
        np.testing.assert_array_equal(w.n_roots, counts)
        for i, r in enumerate(ref):
            np.testing.assert_allclose(w.roots[i][: w.n_roots[i]], r, rtol=0, atol=1e-12)
        np.testing.assert_allclose(w.roots, w1.roots, rtol=0, atol=1e-13)
