"""Ion-electron ambipolaron and Onsager transport (section 3.3): every formula against an
independent route."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quasiion as q
from quasiion import units
from quasiion.cli import main as cli_main

# The core's hbar (eV s). It differs from scipy's by 6e-10 relative (constants.hpp rounds
# hbar to 10 digits), so the free-particle checks take the core's value.
HBAR = q._core.constants.hbar_eVs

J = np.logspace(-3, 3, 7)
R = np.logspace(-2, 3, 6)
XI = np.array([0.02, 0.3, 0.7, 0.99])
JJ, RR, XX = np.meshgrid(J, R, XI, indexing="ij")


def model(**kw):
    base = dict(J0i=-0.05, U0i=-1.3, J0e=-0.2, U0e=0.1, K0=1.0, a=3.0)
    base.update(kw)
    return q.IonElectron(**base)


# --- reciprocity, eq 39, eq 40-41 -----------------------------------------------------------


def test_exact_tau_ratio_gives_reciprocal_matrix():
    # the matrix against eq 38 written out here (the reciprocity of eq 38 as printed at the
    # package's tau+/tau- is tested in test_independent_routes.py)
    M = q.onsager_matrix(JJ, RR, XX, method="exact", warn=False)
    t, p, qq = M.tau_ratio, (1 + XX) / 2, (1 - XX) / 2
    np.testing.assert_allclose(M.L_ee, t * RR * JJ * p**2 / XX, rtol=1e-12)
    np.testing.assert_allclose(M.L_ii, p**2 / XX, rtol=1e-12)
    np.testing.assert_allclose(M.L_ei, -(qq / XX) * (t * qq + (t - 1) * p * JJ), rtol=1e-9,
                               atol=1e-12 * np.abs(M.L_ei).max())
    np.testing.assert_allclose(M.L_ie, RR * (qq / XX) * ((t - 1) * p - qq * JJ), rtol=1e-9,
                               atol=1e-12 * np.abs(M.L_ie).max())
    np.testing.assert_allclose(M.L_ei, M.L_ie, rtol=1e-12, atol=0)
    assert M.L.shape == JJ.shape + (2, 2)


def test_eq39_is_the_exact_reciprocity_solution():
    t_exact = q.tau_ratio(JJ, RR, XX, "exact")
    t39 = q.tau_ratio(JJ, RR, XX, "eq39")
    np.testing.assert_allclose(t39, t_exact, rtol=1e-12, atol=0)
    # and a matrix built with the eq 39 ratio is reciprocal too
    M = q.onsager_matrix(JJ, RR, XX, method="eq39", warn=False)
    np.testing.assert_allclose(M.L_ei, M.L_ie, rtol=1e-12, atol=0)


def test_eq40_41_equal_matrix_ratios():
    ai, ae = q.alpha_star(JJ, RR, XX, "eq40")
    M = q.onsager_matrix(JJ, RR, XX, method="exact", warn=False)
    np.testing.assert_allclose(ai, np.abs(M.L_ie / M.L_ii), rtol=1e-12)
    np.testing.assert_allclose(ae, np.abs(M.L_ei / M.L_ee), rtol=1e-12)
    ai2, ae2 = q.alpha_star(JJ, RR, XX, "exact")
    np.testing.assert_allclose(ai2, ai, rtol=1e-12)
    np.testing.assert_allclose(ae2, ae, rtol=1e-12)


def test_paper_restriction_Lee_over_Lii():
    # L_ee/L_ii = j r tau+/tau- and it is > 1 exactly when j r > 1
    M = q.onsager_matrix(JJ, RR, XX, warn=False)
    ratio = M.L_ee / M.L_ii
    np.testing.assert_allclose(ratio, JJ * RR * M.tau_ratio, rtol=1e-13)
    off = np.abs(JJ * RR - 1) > 1e-9
    assert np.all((ratio[off] > 1) == (JJ * RR > 1)[off])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.just(0.0), st.floats(1e-300, 1e8)),
       st.one_of(st.just(0.0), st.floats(1e-300, 1e8)), st.floats(1e-6, 1.0),
       st.sampled_from(["exact", "eq39", "eq46"]))
def test_tau_ratio_positive_everywhere(j, r, xi, method):
    # t = (j + r + eps r j)/(j + r + eps), eps = (1 - xi)/(1 + xi): > 0 unless j = r = 0
    if j + r > 0:
        assert q.tau_ratio(j, r, xi, "exact") > 0
    elif xi < 1:
        assert q.tau_ratio(j, r, xi, "exact") == 0.0  # the one degenerate corner
    else:  # no coupling: reciprocity holds for any ratio; the core returns 1 by convention
        assert q.tau_ratio(j, r, xi, "exact") == 1.0
    # the closed forms are evaluated as 1 + (...), which rounds to 0 once t < 1e-16
    if j + r > 1e-8:
        assert q.tau_ratio(j, r, xi, method) > 0


# --- limits --------------------------------------------------------------------------------


def test_no_coupling_free_particles():
    m = model(S=0.0)
    assert m.xi0 == 1.0
    tau_m, tau_p, rho_e, rho_i = 2e-14, 5e-14, 1e19, 1e17
    res = m.onsager(rho_e, rho_i, tau_m, tau_plus=tau_p)
    assert res.L_ei == 0.0 and res.L_ie == 0.0
    # free particle: L = rho D / kT with D = kT tau a^2 |J0| / hbar^2 (1/m* = a^2 |J0|/hbar^2)
    a_cm = m.a * 1e-8
    np.testing.assert_allclose(res.L_ee, tau_p * a_cm**2 * rho_e * abs(m.J0e) / HBAR**2,
                               rtol=1e-13)
    np.testing.assert_allclose(res.L_ii, tau_m * a_cm**2 * rho_i * abs(m.J0i) / HBAR**2,
                               rtol=1e-13)
    kT = units.kT(m.T)
    np.testing.assert_allclose(res.D_plus, kT * tau_p * a_cm**2 * abs(m.J0e) / HBAR**2,
                               rtol=1e-13)
    # without coupling every tau ratio is reciprocal; the exact route returns the limit 1
    assert q.tau_ratio(5.0, 1e3, 1.0) == 1.0


def test_knee_and_saturation_of_tau_ratio():
    for r in (1e5, 1e3):
        for xi in (0.1, 0.5, 0.9):
            c = (1 + xi) / (1 - xi)
            j = np.logspace(-2, np.log10(r) + 6, 2000)
            t = q.tau_ratio(j, r, xi)
            # linear regime 1 << j << r: slope dt/dj = 1/c within 1 %
            lin = (j > 30) & (j < r / 300)
            slope = np.diff(t[lin]) / np.diff(j[lin])
            np.testing.assert_allclose(slope, 1 / c, rtol=1e-2)
            # log-log slope of t - 1 is 1 there
            ll = np.diff(np.log(t[lin] - 1)) / np.diff(np.log(j[lin]))
            np.testing.assert_allclose(ll, 1.0, atol=1e-2)
            # saturation for j >> r at 1 + r/c
            sat = j > 1e4 * r
            np.testing.assert_allclose(t[sat], 1 + r / c, rtol=1e-3)
            # knee (half saturation) within a factor 1.5 of j = rho_e/rho_i
            half = np.interp(np.log(0.5 * (t[-1] - 1)), np.log(t - 1), np.log(j))
            assert r / 1.5 < np.exp(half) < 1.5 * r


def test_eq46_approaches_eq39_for_large_j():
    for r in (1e-1, 1e3, 1e5):
        for xi in (0.1, 0.5, 0.9):
            j = np.logspace(2, 8, 13)
            rel = np.abs(q.tau_ratio(j, r, xi, "eq46") / q.tau_ratio(j, r, xi, "eq39") - 1)
            c = (1 + xi) / (1 - xi)
            assert np.all(rel <= 2 * (1 / (r * j) + 1 / (c * j)))
            assert rel[-1] < 1e-6


# --- positive semi-definiteness --------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.floats(-4, 4), st.floats(-4, 4), st.floats(1e-3, 1.0))
def test_psd_exactly_when_alpha_product_below_one(lj, lr, xi):
    j, r = 10.0**lj, 10.0**lr
    ai, ae = q.alpha_star(j, r, xi)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        M = q.onsager_matrix(j, r, xi)
    prod = float(ai * ae)
    if prod < 1 - 1e-9:
        assert bool(M.psd) and not w
        np.testing.assert_allclose(float(np.linalg.det(M.L)) / float(M.L_ee * M.L_ii),
                                   1 - prod, rtol=1e-8, atol=1e-12)
    elif prod > 1 + 1e-9:
        assert not bool(M.psd)
        assert any(issubclass(x.category, q.OnsagerWarning) for x in w)


def test_weak_coupling_is_psd_without_warning():
    j, r, xi = np.meshgrid(np.logspace(-2, 2, 9), np.logspace(-2, 2, 9), [0.9, 0.99, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        M = q.onsager_matrix(j, r, xi)
    assert np.all(M.psd)
    assert np.all(np.linalg.eigvalsh(0.5 * (M.L + np.swapaxes(M.L, -1, -2))) >= 0)


def test_strong_coupling_warns():
    with pytest.warns(q.OnsagerWarning, match="positive semi-definite"):
        M = q.onsager_matrix(1e3, 1.0, 0.1)
    assert not M.psd
    with pytest.warns(q.OnsagerWarning):
        m = model(S=0.9, J0e=-5.0, U0e=4.85)  # j = 100, Delta J_0 = 0.1 eV: xi0 ~ 0.11
        res = m.onsager(1e15, 1e15, 1e-13)
    assert not res.psd and res.min_eigenvalue < 0


# --- the model: bands, branch diffusivities, eq 38 decomposition --------------------------------


def test_bands_against_diagonalisation_and_character():
    m = model()
    b = m.bands(np.linspace(-np.pi / m.a, np.pi / m.a, 31))
    for i, k in enumerate(b.k):
        w, vec = np.linalg.eigh(m.hamiltonian(k))
        np.testing.assert_allclose([b.E_minus[i], b.E_plus[i]], w, atol=1e-14)
        np.testing.assert_allclose(b.electron_plus[i], vec[0, 1] ** 2, atol=1e-12)
    np.testing.assert_allclose(b.electron_plus + b.electron_minus, 1.0, atol=1e-15)
    np.testing.assert_allclose(b.E_plus, b.E_plus[::-1], atol=1e-14)  # symmetric in k


def test_branch_diffusivities_are_band_curvatures():
    # eq 36-37: D = kT tau / m*, with 1/m* the k=0 curvature of each branch (J0 < 0, dJ_0 > 0)
    m = q.IonElectron(J0i=-0.02, U0i=-0.4, J0e=-0.3, U0e=0.6, K0=0.5, Ka=0.1, S=0.05, a=3.0)
    assert m.delta_J(0.0) > 0
    h = 1e-3 / m.a
    b = m.bands(np.array([-h, 0.0, h]))
    curv_p = (b.E_plus[0] - 2 * b.E_plus[1] + b.E_plus[2]) / h**2  # eV A^2
    curv_m = (b.E_minus[0] - 2 * b.E_minus[1] + b.E_minus[2]) / h**2
    tau = 1e-13
    res = m.onsager(1e18, 1e16, tau, tau_plus=tau, warn=False)
    kT = units.kT(m.T)
    np.testing.assert_allclose(res.D_plus, kT * tau * curv_p * 1e-16 / HBAR**2, rtol=1e-5)
    np.testing.assert_allclose(res.D_minus, kT * tau * curv_m * 1e-16 / HBAR**2, rtol=1e-5)


def test_eq38_columns_are_the_branch_fluxes():
    # Gamma_e + Gamma_i from the branch fluxes of eq 36-37 (dilute carriers, rho_pm from
    # rho_e, rho_i through the k=0 weights): column sums of L are fixed.
    m = model(S=0.2)
    rho_e, rho_i, tm = 3e18, 2e17, 1e-13
    res = m.onsager(rho_e, rho_i, tm, warn=False)
    xi = m.xi0
    p, qq = (1 + xi) / 2, (1 - xi) / 2
    kT = units.kT(m.T)
    np.testing.assert_allclose(res.L_ee + res.L_ie,
                               rho_e * (p * res.D_plus - qq * res.D_minus) / (xi * kT), rtol=1e-12)
    np.testing.assert_allclose(res.L_ei + res.L_ii,
                               rho_i * (p * res.D_minus - qq * res.D_plus) / (xi * kT), rtol=1e-12)
    assert res.reciprocity_residual < 1e-12


def test_model_tau_and_alpha_use_model_j_and_xi():
    m = model()
    np.testing.assert_allclose(m.tau_ratio(rho_ratio=1e3), q.tau_ratio(m.j, 1e3, m.xi0))
    np.testing.assert_allclose(m.alpha_star(rho_ratio=1e3), q.alpha_star(m.j, 1e3, m.xi0))
    res = m.onsager(1e18, 1e15, 1e-13)
    np.testing.assert_allclose(res.tau_ratio, q.tau_ratio(m.j, 1e3, m.xi0), rtol=1e-14)
    np.testing.assert_allclose(res.alpha_i, q.alpha_star(m.j, 1e3, m.xi0)[0], rtol=1e-12)


# --- self-consistent coupling -----------------------------------------------------------------


def test_self_consistent_S_satisfies_its_equation():
    m = model()
    c = m.coupling
    assert c.S > 0 and len(c.roots) == 2 and c.roots[0] == 0.0
    np.testing.assert_allclose(m.coupling_map(c.S), c.S, rtol=1e-10)
    # the chosen root has the lowest grand potential and the grand potential is stationary
    assert c.omega[c.chosen] == min(c.omega) and c.rules_disagree
    h = 1e-5
    dom = (m.grand_potential(c.S + h) - m.grand_potential(c.S - h)) / (2 * h)
    assert abs(dom) < 1e-8
    assert model(rule="smallest").coupling.S == 0.0
    assert model(rule="largest").coupling.S == c.S
    np.testing.assert_allclose(c.xi0, abs(m.delta_J(0.0)) / np.hypot(m.delta_J(0.0), c.S),
                               rtol=1e-14)


def test_S_vanishes_as_K_goes_to_zero():
    # ion level held at -0.3 eV after the Kbar shift; only K0 changes
    Ks = np.linspace(0.6, 1.0, 21)
    vals = np.array([model(K0=K, U0i=-0.3 - K).coupling.S for K in Ks])
    on = np.flatnonzero(vals > 0)
    assert 0 < on[0] and np.all(vals[: on[0]] == 0) and np.all(vals[on[0]:] > 0)
    assert np.all(np.diff(vals[on[0]:]) > 0)  # S grows with K
    assert np.all(vals <= Ks / 2)  # every root obeys S <= K0/2, so S -> 0 as K0 -> 0
    # here the onset is first order: just below it three roots, the middle one a maximum of
    # the grand potential (unstable), S = 0 still the lowest
    c = model(K0=0.62, U0i=-0.92).coupling
    assert len(c.roots) == 3 and c.S == 0.0
    assert c.omega[1] > c.omega[2] > c.omega[0]
    assert model(K0=0.3, U0i=-0.6).coupling.S == 0.0
    assert model(K0=0.0, U0i=-0.3).coupling.S == 0.0


def test_coupling_scan_parallel_matches_single():
    m = model()
    mus = np.linspace(-0.4, 0.2, 5)
    many = m.solve_coupling(mus)
    for mu, c in zip(mus, many):
        one = model(mu_e=mu, mu_i=mu).coupling
        assert c.S == one.S


def test_intercell_amplitude_reported():
    c = model(Ka=0.3, U0i=-1.6).coupling
    assert c.S > 0 and np.isfinite(c.intercell)
    assert model(Ka=0.0).coupling.intercell == 0.0


# --- electron parameters (appendix 5.3) ---------------------------------------------------------


def test_electron_parameters_free_electron_curvature():
    m_eff, chi, a = 0.35, 4.2, 3.8
    J0e, U0e = q.electron_parameters(m_eff, chi, a)
    m = q.IonElectron.from_electron(m_eff, chi, a, J0i=-1e-3, U0i=5.0, S=0.0)
    assert (m.J0e, m.U0e) == (J0e, U0e)
    h = 1e-4
    b = m.bands(np.array([-h, 0.0, h]))
    E = b.E_minus  # the electron band is the lower one here (ion level at +5 eV)
    np.testing.assert_allclose(b.electron_minus, 1.0)
    np.testing.assert_allclose(E[1], -chi, rtol=1e-14)
    curvature = (E[0] - 2 * E[1] + E[2]) / h**2  # eV A^2 = hbar^2/m*
    free = HBAR**2 / (m_eff * units.m_e) * units.e * 1e20  # hbar^2/m* in eV A^2
    np.testing.assert_allclose(curvature / 2, free / 2, rtol=1e-6)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("kw, name", [
    (dict(xi0=0.0), "xi0"), (dict(xi0=1.2), "xi0"), (dict(xi0=-0.1), "xi0"),
    (dict(j=-1.0), "j"), (dict(rho_ratio=-2.0), "rho_ratio"), (dict(j=np.nan), "j"),
])
def test_bad_ratios(kw, name):
    args = dict(j=5.0, rho_ratio=1e3, xi0=0.5)
    args.update(kw)
    for fn in (q.tau_ratio, q.alpha_star, q.onsager_matrix):
        with pytest.raises(ValueError, match=name):
            fn(**args)


def test_bad_inputs_named():
    with pytest.raises(ValueError, match="xi0\\[1\\]"):
        q.tau_ratio(1.0, 1.0, [0.5, 0.0])
    with pytest.raises(ValueError, match="method"):
        q.tau_ratio(1.0, 1.0, 0.5, method="eq99")
    with pytest.raises(ValueError, match="tau_ratio"):
        q.onsager_matrix(1.0, 1.0, 0.5, tau_ratio=-1.0)
    with pytest.raises(ValueError, match="K0"):
        model(K0=-1.0)
    with pytest.raises(ValueError, match="m_eff"):
        q.electron_parameters(0.0, 4.0, 3.0)
    with pytest.raises(ValueError, match="rho_e"):
        model(S=0.1).onsager(-1.0, 1e15, 1e-13)
    with pytest.raises(ValueError, match="rho_i"):
        model(S=0.1).onsager(1.0, 0.0, 1e-13)
    with pytest.raises(ValueError, match="rho_ratio"):
        model(S=0.1).tau_ratio(5.0)
    with pytest.raises(ValueError, match="rule"):
        model(rule="paper")


# --- CLI, reproduce, plots -------------------------------------------------------------------


def test_cli_json(capsys):
    assert cli_main(["onsager", "--j", "1,5", "--rho-ratio", "1e3", "--xi0", "0.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["results"]
    assert len(rows) == 2
    for d in rows:
        np.testing.assert_allclose(d["tau_ratio"], q.tau_ratio(d["j"], 1e3, 0.5), rtol=1e-14)
        np.testing.assert_allclose(d["L"][0][1], d["L"][1][0], rtol=1e-12)


def test_cli_bad_input(capsys):
    assert cli_main(["onsager", "--xi0", "1.5"]) == 2
    assert "xi0" in capsys.readouterr().err


def test_reproduce_fig6(tmp_path):
    from quasiion.reproduce.onsager import ITEMS

    (item,) = ITEMS
    lines = item.make(tmp_path)
    assert (tmp_path / "fig6.png").exists() and (tmp_path / "fig6.csv").exists()
    assert any("knee" in s for s in lines)


def test_plots():
    import matplotlib.pyplot as plt

    from quasiion.plotting import plot_alpha_star, plot_ambipolaron_bands, plot_tau_ratio

    ax = plot_tau_ratio(1e3)
    assert len(ax.get_lines()) >= 3
    ax = plot_alpha_star(5.0, which="e")
    assert ax.get_yscale() == "log"
    ax = plot_ambipolaron_bands(model().bands())
    assert len(ax.collections) == 2
    plt.close("all")
