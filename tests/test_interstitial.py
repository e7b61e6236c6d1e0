"""The interstitial chain of section 3.1: eq 17-19 against diagonalisation, edges and masses
(eq 20-22 and the corrected curvature), eq 23/24 against eq 30, units, broadcasting and bad
input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quasiion import InterstitialChain, activation_energy_eq16, units
from quasiion.paper import A_DEFAULT

HBAR2 = (units.hbar * units.e) ** 2 / (units.e * units.amu * units.angstrom**2)  # eV amu A^2


def eq17(UA, UB, J0, a, k):
    h = J0 / 2 * (1 + np.exp(1j * k * a))
    return np.array([[UA, h], [np.conj(h), UB]])


energies = st.floats(-1.0, 1.0)


@settings(max_examples=40, deadline=None)
@given(energies, energies, st.floats(-0.6, 0.6), st.floats(0.5, 8.0),
       st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=8))
def test_eq18_eq19_against_diagonalising_eq17(UA, UB, J0, a, ks):
    c = InterstitialChain(UA, UB, J0, a)
    k = np.array(ks)
    e = c.bands(k)
    w = c.sublattice_weights(k)
    for q, kq in enumerate(k):
        H = eq17(UA, UB, J0, a, kq)
        assert np.abs(H - H.conj().T).max() == 0.0
        ev, vec = np.linalg.eigh(H)
        np.testing.assert_allclose(e[q], ev, atol=1e-13)
        gap = ev[1] - ev[0]
        if gap > 1e-6:  # eigenvectors are defined
            np.testing.assert_allclose(w[q, :, 0], np.abs(vec[0]) ** 2, atol=1e-9 / gap)
    np.testing.assert_allclose(w.sum(axis=2), 1.0, atol=1e-15)
    np.testing.assert_allclose(c.bands(-k), e, atol=1e-15)
    # Through the general lattice too (cell gauge reproduces eq 17 exactly).
    np.testing.assert_allclose(c.lattice().bands(k), e, atol=1e-13)


def test_eq19_as_printed_when_UA_below_UB():
    c = InterstitialChain(-0.4, -0.2, -0.1, 3.0)
    k = np.linspace(-0.99 * np.pi / 3, 0.99 * np.pi / 3, 31)  # eq 19's rho_- is 0/0 at pi/a
    chi = np.abs(c.J0 * np.cos(k * c.a / 2) / c.delta)
    r = np.sqrt(1 + chi**2)
    rho_a_plus = 0.5 * chi**2 / (1 + chi**2 + r)
    rho_a_minus = 0.5 * chi**2 / (1 + chi**2 - r)
    w = c.sublattice_weights(k)
    np.testing.assert_allclose(w[:, 1, 0], rho_a_plus, rtol=1e-12)
    np.testing.assert_allclose(w[:, 0, 0], rho_a_minus, rtol=1e-10)
    np.testing.assert_allclose(c.sublattice_weights([np.pi / 3])[0], [[1, 0], [0, 1]], atol=1e-30)


def test_slopes_match_finite_differences_and_hellmann_feynman():
    c = InterstitialChain(-0.35, -0.15, 0.08, 4.0)
    k = np.linspace(-0.7, 0.7, 15)
    h = 1e-6
    fd = (c.bands(k + h) - c.bands(k - h)) / (2 * h)
    np.testing.assert_allclose(c.slopes(k), fd, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(c.lattice().velocities(k)[:, :, 0], c.slopes(k), atol=1e-13)
    np.testing.assert_allclose(c.slopes(-k), -c.slopes(k), atol=1e-15)


def test_band_edges_and_gap():
    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0)
    ex = c.band_extrema
    assert c.gap == pytest.approx(0.2)
    assert ex["upper_min"] - ex["lower_max"] == pytest.approx(c.gap, abs=1e-15)
    k = np.linspace(-np.pi / 4, np.pi / 4, 2001)
    e = c.bands(k)
    assert e[:, 1].min() == pytest.approx(ex["upper_min"], abs=1e-12)
    assert e[:, 1].max() == pytest.approx(ex["upper_max"], abs=1e-12)
    assert e[:, 0].min() == pytest.approx(ex["lower_min"], abs=1e-12)
    cbm = c.band_edge()
    assert (cbm.band, cbm.kind) == (1, "minimum")
    assert cbm.k == pytest.approx(np.pi / c.a, rel=1e-12)
    assert cbm.energy == pytest.approx(-0.2, abs=1e-14)
    top = c.band_edge(mu=0.5)
    assert (top.band, top.kind) == (1, "maximum") and abs(top.k) < 1e-12
    assert c.band_edge(mu=-1.0).kind == "minimum" and c.band_edge(mu=-1.0).band == 0


@pytest.mark.parametrize("UA,UB,J0,a", [(-0.4, -0.2, -0.1, 4.0), (0.25, -0.25, 0.05, 3.0),
                                         (-0.6, -0.3, 0.02, 2.5)])
def test_numerical_mass_equals_corrected_closed_form(UA, UB, J0, a):
    c = InterstitialChain(UA, UB, J0, a)
    for band in (0, 1):
        for kind in ("minimum", "maximum"):
            edges = [c.band_edge(mu=e, band=band) for e in c.band_extrema.values()]
            edge = next(x for x in edges if x.kind == kind)
            cf = c.curvature_closed_form(band, kind)
            assert edge.curvature == pytest.approx(cf, rel=1e-6)
            assert edge.mass == pytest.approx(HBAR2 / abs(cf), rel=1e-6)
    cbm = c.band_edge()
    assert cbm.curvature == pytest.approx(J0**2 * a**2 / (4 * abs(c.delta)), rel=1e-6)
    assert c.effective_mass() == pytest.approx(HBAR2 * 4 * abs(c.delta) / (J0**2 * a**2), rel=1e-6)


def test_eq21_is_four_times_the_k0_curvature_not_the_cbm_one():
    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0)
    top = c.band_edge(mu=1.0)  # upper-band maximum at k = 0
    assert c.curvature_eq21() == pytest.approx(4 * abs(top.curvature), rel=1e-6)
    s0 = math.hypot(c.delta, c.J0)
    assert c.curvature_eq21() / c.band_edge().curvature == pytest.approx(4 * abs(c.delta) / s0,
                                                                         rel=1e-6)
    D = c.diffusivity(300.0, tau=1e-13)
    assert c.diffusivity(300.0, method="eq21", tau=1e-13) / D == pytest.approx(
        4 * abs(c.delta) / s0, rel=1e-6)
    assert c.diffusivity(300.0, method="closed_form", tau=1e-13) == pytest.approx(D, rel=1e-6)


def test_eq22_carries_a_stray_sqrt2():
    T = units.T_PAPER
    UA, UB = -0.6, -0.3
    Ea = 0.12
    x = math.exp(-Ea / units.kT(T))
    J0 = abs(UA) * math.sqrt(x / (1 + 2 * x))  # eq 16 right-hand side
    assert activation_energy_eq16(UA, J0, T) == pytest.approx(Ea, rel=1e-12)
    c = InterstitialChain(UA, UB, J0, 3.0, Ea_BA=Ea)
    # Middle form of eq 22: kT tau a^2 J0^2 / (hbar^2 |dU0|) = 4 x the corrected Drude D.
    D = c.diffusivity(T)
    d22 = c.diffusivity(T, method="eq22")
    assert d22 / (4 * D) == pytest.approx(math.sqrt(2), rel=1e-6)


def test_relaxation_time_and_drude_units():
    c = InterstitialChain(-0.4, -0.2, -0.1, 3.0, Ea_BA=0.1, mass=6.94)
    m = 6.94 * units.amu
    tau = math.sqrt(m * (3e-10) ** 2 / (2 * 0.1 * units.e))
    assert c.relaxation_time() == pytest.approx(tau, rel=1e-12)
    T = np.array([300.0, 600.0])
    D = c.diffusivity(T)
    mstar = c.effective_mass() * units.amu
    np.testing.assert_allclose(D, units.k_B * T * units.e * tau / mstar * 1e4, rtol=1e-12)
    with pytest.raises(ValueError, match="Ea_BA"):
        InterstitialChain(-0.4, -0.2, -0.1, 3.0).relaxation_time()


def test_eq23_nernst_einstein_cases_and_eq24():
    T = units.T_PAPER
    UA, UB = -0.6, -0.3
    Ea = 0.12
    x = math.exp(-Ea / units.kT(T))
    J0 = abs(UA) * math.sqrt(x / (1 + 2 * x))
    c = InterstitialChain(UA, UB, J0, 3.0, Ea_BA=Ea, n0=2e22, z=1.0)
    tau = c.relaxation_time()
    kT = units.kT(T)
    mu_gap = np.array([-0.5, -0.4, -0.32])
    s = c.conductivity(mu_gap, T, "drude")
    mstar = c.effective_mass() * units.amu
    nc = 2e22 * 1e6 * np.exp(-(c.conduction_band_minimum - mu_gap) / kT)
    np.testing.assert_allclose(s, units.e**2 * tau * nc / mstar * 1e-2, rtol=1e-12)
    # Nernst-Einstein: sigma = (ze)^2 n_c D / kT.
    D = c.diffusivity(T) * 1e-4
    np.testing.assert_allclose(s, units.e**2 * nc * D / (kT * units.e) * 1e-2, rtol=1e-10)
    # Eq 24 with |J0| from eq 16 is eq 23 with eq 21-22's inverse mass: 4x the corrected one.
    np.testing.assert_allclose(c.conductivity(mu_gap, T, "eq24") / s, 4.0, rtol=1e-6)
    # Above the band: quasi-vacancies with the mass at the band maximum.
    mu_up = c.conduction_band_maximum + np.array([0.05, 0.1])
    top = c.band_edge(mu=mu_up[0])
    nv = 2e22 * 1e6 * np.exp(-(mu_up - c.conduction_band_maximum) / kT)
    np.testing.assert_allclose(c.conductivity(mu_up, T, "drude"),
                               units.e**2 * tau * nv / (top.mass * units.amu) * 1e-2, rtol=1e-12)
    # Inside the band: eq 24 does not apply (NaN), eq 23 uses g(mu) delta kT.
    mid = 0.5 * (c.conduction_band_minimum + c.conduction_band_maximum)
    with pytest.raises(ValueError, match=r"mu\[0\] = .*outside the conduction band"):
        c.conductivity(mid, T, "eq24")
    s_mid = c.conductivity(mid, T, "drude", delta=2.0)
    assert s_mid == pytest.approx(2 * c.conductivity(mid, T, "drude"), rel=1e-12)
    assert np.isfinite(s_mid) and s_mid > 0


def test_boltzmann_tends_to_drude_limit_deep_in_the_gap():
    """Non-degenerate limit with kT << band width: sigma_B -> (ze)^2 tau n_c / m* with n_c the
    Boltzmann tail of a 1D parabolic band, n0 a sqrt(kT / (2 pi C)) e^{-(Ec-mu)/kT}."""
    c = InterstitialChain(-0.4, -0.2, -0.1, 3.0)
    cbm = c.band_edge()
    errs = []
    for T in (2.0, 4.0):
        kT = units.kT(T)
        mu = cbm.energy - 25 * kT
        sb = c.conductivity(mu, T, band=1, nk=1 << 16, tau=1e-13)
        nc = c.n0 * 1e6 * c.a * math.sqrt(kT / (2 * math.pi * cbm.curvature)) * math.exp(-25)
        sd = units.e**2 * 1e-13 * nc / (cbm.mass * units.amu) * 1e-2
        errs.append(sb / sd - 1)
    # First-order non-parabolicity: O(b kT), b = 2|dU0|/(3 J0^2) + 1/(2|dU0|).
    b = 2 * 0.1 / (3 * 0.01) + 1 / 0.2
    assert abs(errs[0]) < 3 * b * units.kT(2.0)
    assert errs[1] / errs[0] == pytest.approx(2.0, rel=0.05)


def test_boltzmann_against_the_general_lattice_and_convergence():
    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07)
    mu = np.array([-0.45, -0.3, -0.19, -0.1])
    T = np.array([250.0, 301.7, 400.0, 900.0])
    s = c.conductivity(mu, T)
    lat = c.lattice().conductivity(mu, T, tau=c.relaxation_time(), n0=c.n0, nk=c.default_nk(T))
    np.testing.assert_allclose(s, lat, rtol=1e-9)
    fine = c.conductivity(mu, T, nk=1 << 18)
    np.testing.assert_allclose(s, fine, rtol=1e-9)
    # Band selection: both = lower + upper.
    lo = c.conductivity(mu, T, band=0)
    up = c.conductivity(mu, T, band=1)
    np.testing.assert_allclose(lo + up, s, rtol=1e-12)


def test_conductivity_broadcasts_and_is_thread_independent():
    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07)
    mu = np.linspace(-0.35, -0.1, 5)
    T = np.array([250.0, 300.0, 600.0])
    g = c.conductivity(mu[:, None], T[None, :], nk=4096)
    assert g.shape == (5, 3)
    for j, t in enumerate(T):
        np.testing.assert_array_equal(g[:, j], c.conductivity(mu, t, nk=4096))
    assert isinstance(c.conductivity(-0.3, 300.0), float)
    assert c.conductivity(mu, 300.0, "drude").shape == (5,)
    np.testing.assert_array_equal(c.conductivity(mu, 300.0, nk=4096, threads=1),
                                  c.conductivity(mu, 300.0, nk=4096, threads=2))
    ev = c.boltzmann(nk=4096)
    np.testing.assert_array_equal(ev(mu, np.full(5, 300.0)), c.conductivity(mu, 300.0, nk=4096))


def test_conductivity_rises_with_temperature_for_mu_in_the_gap():
    c = InterstitialChain(-0.4, -0.2, -0.1, A_DEFAULT, Ea_BA=0.07)
    T = np.array([200.0, 300.0, 500.0, 800.0])
    s = c.conductivity(-0.3, T)
    assert np.all(np.diff(s) > 0)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="a ="):
        InterstitialChain(-0.4, -0.2, -0.1, 0.0)
    with pytest.raises(ValueError, match="a ="):
        InterstitialChain(-0.4, -0.2, -0.1, -1.0)
    with pytest.raises(ValueError, match="U_A"):
        InterstitialChain(np.nan, -0.2, -0.1, 3.0)
    with pytest.raises(ValueError, match="U_B"):
        InterstitialChain(-0.4, np.inf, -0.1, 3.0)
    with pytest.raises(ValueError, match="J0"):
        InterstitialChain(-0.4, -0.2, np.nan, 3.0)
    with pytest.raises(ValueError, match="Ea_BA"):
        InterstitialChain(-0.4, -0.2, -0.1, 3.0, Ea_BA=-0.1)
    c = InterstitialChain(-0.4, -0.2, -0.1, 3.0, Ea_BA=0.1)
    with pytest.raises(ValueError, match="k"):
        c.bands([])
    with pytest.raises(ValueError, match="k"):
        c.bands([0.1, np.nan])
    with pytest.raises(ValueError, match="k"):
        c.sublattice_weights(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="T"):
        c.conductivity(-0.3, 0.0)
    with pytest.raises(ValueError, match="T"):
        c.conductivity(-0.3, [300.0, -5.0], "drude")
    with pytest.raises(ValueError, match="T"):
        c.diffusivity(-1.0)
    with pytest.raises(ValueError, match="mu"):
        c.conductivity([np.nan], 300.0)
    with pytest.raises(ValueError, match="T"):
        c.conductivity(np.zeros(3), np.full(4, 300.0))
    with pytest.raises(ValueError, match="method"):
        c.conductivity(-0.3, 300.0, "kubo")
    with pytest.raises(ValueError, match="band"):
        c.conductivity(-0.3, 300.0, band=2)
    with pytest.raises(ValueError, match="nk"):
        c.conductivity(-0.3, 300.0, nk=0)
    with pytest.raises(ValueError, match="band edge"):
        InterstitialChain(-0.3, -0.3, -0.1, 3.0).effective_mass()


def test_cli_bands_prints_and_saves(tmp_path, capsys):
    from quasiion.cli import main

    assert main(["bands", "--nk", "5"]) == 0
    rows = [r for r in capsys.readouterr().out.splitlines() if not r.startswith("#")]
    data = np.array([[float(x) for x in r.split(",")] for r in rows])
    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0)
    np.testing.assert_allclose(data[:, 1:3], c.bands(data[:, 0]), atol=1e-9)
    out, png = tmp_path / "b.csv", tmp_path / "b.png"
    assert main(["bands", "--UA", "-0.5", "--UB", "-0.1", "--J0", "0.05", "--a", "3",
                 "--out", str(out), "--plot", str(png)]) == 0
    assert out.stat().st_size > 0 and png.stat().st_size > 0
    assert main(["bands", "--a", "-1"]) == 2
    assert "a = -1.0" in capsys.readouterr().err


def test_reproduce_fig3(tmp_path):
    from quasiion.reproduce.bands import ITEMS

    (item,) = ITEMS
    lines = item.make(tmp_path)
    assert any("gap = 0.2000 eV" in s for s in lines)
    for f in ("fig3cd_bands.png", "fig3_bands.csv", "fig3_sigma_vs_mu.png",
              "fig3_sigma_vs_invT.png", "fig3_sigma_vs_mu.csv"):
        assert (tmp_path / f).stat().st_size > 0


def test_conductivity_curve_gaps_eq24_only_inside_the_band():
    from quasiion.plotting.bands import conductivity_curve

    c = InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07)
    ex = c.band_extrema
    mu = np.linspace(ex["upper_min"] - 0.1, ex["upper_max"] + 0.1, 41)
    T = 301.7
    s = conductivity_curve(c, mu, T, "eq24")
    inside = (mu > ex["upper_min"]) & (mu < ex["upper_max"])
    assert np.isnan(s[inside]).all() and inside.any()
    np.testing.assert_allclose(s[~inside], c.conductivity(mu[~inside], T, "eq24"), rtol=1e-14)
    assert np.isfinite(conductivity_curve(c, mu, T, "boltzmann")).all()
