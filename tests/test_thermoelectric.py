"""Thermoelectric moments: Heikes limit, scipy quadrature of the 1D band, Wiedemann-Franz and
nondegenerate limits, exactness deep in the gap; state count and density of states."""

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expit

import quasiion as qi
from quasiion import units
from quasiion.thermoelectric import (
    carrier_count,
    chain_thermoelectric,
    density_of_states,
    lattice_thermoelectric,
)

KB = units.k_B  # eV/K = V/K per unit charge


def one_band(eps: float, t: float, a: float = 3.0) -> qi.TightBinding:
    return qi.TightBinding(a, [0.0], [eps], [(0, 0, [1], t)])


def test_heikes_limit_and_sign_change():
    # A band 4 t = 4e-5 eV wide at kT = 0.052 eV: S -> (k/e) ln((1 - c)/c), c = f(eps - mu),
    # up to O((2 t / kT)^2) ~ 1.5e-7 relative.
    eps, T = -0.3, 600.0
    mu = eps + np.array([-0.15, -0.05, -0.01, 0.01, 0.05, 0.15])
    r = lattice_thermoelectric(one_band(eps, 1e-5), mu, T, tau=1e-13, nk=64)
    c = expit(-(eps - mu) / (KB * T))
    heikes = KB * np.log((1 - c) / c)
    np.testing.assert_allclose(r.seebeck, heikes, rtol=1e-6)
    assert np.all(r.seebeck[:3] > 0) and np.all(r.seebeck[3:] < 0)


def chain_moments_quad(ch, mu, T, band):
    """<(E - mu)^n> of the band-`band` window weights by scipy quad over the zone."""
    kT = KB * T
    J, d = abs(ch.J0), ch.delta
    sgn = 1 if band == 1 else -1

    def E(k):
        return ch.mean + sgn * np.sqrt(d * d + J * J * np.cos(k * ch.a / 2) ** 2)

    def v2(k):
        S = np.sqrt(d * d + J * J * np.cos(k * ch.a / 2) ** 2)
        return (J * J * ch.a * np.sin(k * ch.a) / (4 * S)) ** 2

    def mfp(x):
        return np.exp(-abs(x)) / (1 + np.exp(-abs(x))) ** 2

    # Factor the largest weight out so the quadrature sees O(1) numbers deep in the gap.
    e0 = min(abs(E(0.0) - mu), abs(E(np.pi / ch.a) - mu))
    out = []
    for n in range(3):
        def f(k, n=n):
            x = (E(k) - mu) / kT
            return v2(k) * (E(k) - mu) ** n * mfp(x) * np.exp(e0 / kT)
        out.append(integrate.quad(f, 0, np.pi / ch.a, epsabs=0, epsrel=1e-12, limit=400)[0])
    return out


@pytest.mark.parametrize("mu", [-0.5, -0.3, -0.19, -0.17, 0.4])
def test_chain_seebeck_and_lorenz_against_quad(mu):
    ch = qi.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07)
    T = 500.0
    r = chain_thermoelectric(ch, mu, T, band=1)
    m0, m1, m2 = chain_moments_quad(ch, mu, T, 1)
    np.testing.assert_allclose(r.seebeck, m1 / m0 / T, rtol=1e-8)
    var = m2 / m0 - (m1 / m0) ** 2
    np.testing.assert_allclose(r.lorenz, var / T**2, rtol=1e-6)
    sigma = ch.conductivity(mu, T, band=1)
    np.testing.assert_allclose(r.sigma, sigma, rtol=1e-12)
    np.testing.assert_allclose(r.kappa, sigma * var / T, rtol=1e-6)


def test_exact_deep_in_the_gap():
    # mu 30 eV below the band: sigma underflows (e^-700), S and the Lorenz ratio do not.
    ch = qi.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07)
    T = 500.0
    mu = -30.0
    r = chain_thermoelectric(ch, mu, T, band=1)
    m0, m1, m2 = chain_moments_quad(ch, mu, T, 1)
    assert np.isfinite(r.log_sigma) and r.log_sigma < -600
    np.testing.assert_allclose(r.seebeck, m1 / m0 / T, rtol=1e-10)
    np.testing.assert_allclose(r.lorenz, (m2 / m0 - (m1 / m0) ** 2) / T**2, rtol=1e-6)


def test_wiedemann_franz_degenerate_band():
    # Wide band (4 t = 4 eV), mu inside, kT = 8.6 meV: Lorenz -> pi^2/3 (k/e)^2 (Sommerfeld,
    # corrections O((kT/W)^2) ~ 1e-5).
    r = lattice_thermoelectric(one_band(0.0, 1.0), [0.3, -0.7], 100.0, tau=1e-13, nk=40000)
    np.testing.assert_allclose(r.lorenz, np.pi**2 / 3 * KB**2, rtol=1e-3)


def test_nondegenerate_parabolic_limit():
    # Deep below a wide cosine band (1D, v^2 ~ E - E_c): E - E_c ~ Gamma(3/2) kT, so
    # S = (E_c - mu + 3/2 kT)/T and Lorenz = 3/2 (k/e)^2, up to O(kT / band width).
    t = 5.0
    Ec = -2 * t
    T = 300.0
    mu = Ec - 1.0
    r = lattice_thermoelectric(one_band(0.0, t), mu, T, tau=1e-13, nk=200000)
    kT = KB * T
    np.testing.assert_allclose(r.seebeck, (Ec - mu + 1.5 * kT) / T, rtol=1e-4)
    np.testing.assert_allclose(r.lorenz, 1.5 * KB**2, rtol=5e-3)


def test_carrier_count_and_dos():
    tb = one_band(0.0, 0.5)
    # Half filling at mu = 0 by particle-hole symmetry; full and empty limits.
    assert carrier_count(tb, 0.0, 300.0, nk=512) == pytest.approx(0.5, abs=1e-12)
    assert carrier_count(tb, 5.0, 300.0, nk=512) == pytest.approx(1.0, abs=1e-12)
    # DOS of the cosine band 1/(pi sqrt(4t^2 - E^2)) away from the edges.
    E = np.array([-0.5, 0.0, 0.4])
    g = density_of_states(tb, E, width=2e-3, nk=200000)
    np.testing.assert_allclose(g, 1 / (np.pi * np.sqrt(1.0 - E**2)), rtol=1e-3)
    grid = np.linspace(-1.5, 1.5, 3001)
    assert np.trapezoid(density_of_states(tb, grid, width=0.02, nk=2000), grid) == \
        pytest.approx(1.0, rel=1e-6)


def test_bad_input_names_parameter():
    with pytest.raises(ValueError, match="tau"):
        lattice_thermoelectric(one_band(0, 0.1), 0.0, 300.0, tau=-1.0)
    with pytest.raises(ValueError, match="T"):
        chain_thermoelectric(qi.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07), 0.0, -5.0)
    with pytest.raises(ValueError, match="width"):
        density_of_states(one_band(0, 0.1), [0.0], width=0.0)


def test_band_selection_follows_the_conductivity_rule():
    """A repeated band would be summed twice: rejected, as TightBinding.conductivity does; a
    selection of every band equals the default (all bands)."""
    tb = qi.TightBinding(4.0, [0.0, 2.0], [-0.3, -0.1], [(0, 1, [0], -0.05), (1, 0, [1], -0.05)])
    with pytest.raises(ValueError, match="bands"):
        lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13, bands=[1, 1])
    with pytest.raises(ValueError, match="bands"):
        lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13, bands=[])
    both = lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13, bands=[0, 1])
    default = lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13)
    sigma_by_band = sum(lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13, bands=[b]).sigma
                        for b in (0, 1))
    assert both.sigma == pytest.approx(default.sigma, rel=1e-12)
    assert both.sigma == pytest.approx(sigma_by_band, rel=1e-12)
    with pytest.raises(ValueError, match="direction"):
        lattice_thermoelectric(tb, -0.2, 400.0, tau=1e-13, direction=[0.0])


def test_band_path_square_lattice_and_plots():
    # Square lattice, nearest-neighbour t: E = 2t (cos kx a + cos ky a).
    t, a = -0.1, 3.0
    tb = qi.TightBinding(np.eye(2) * a, [[0.0, 0.0]], [0.0],
                         [(0, 0, [1, 0], t), (0, 0, [0, 1], t)])
    bp = qi.band_path(tb, {"G": (0, 0), "X": (0.5, 0), "M": (0.5, 0.5)}, ["G", "X", "M", "G"], n=21)
    kx, ky = bp.k[:, 0], bp.k[:, 1]
    np.testing.assert_allclose(bp.energies[:, 0], 2 * t * (np.cos(kx * a) + np.cos(ky * a)),
                               atol=1e-12)
    np.testing.assert_allclose(bp.label_positions,
                               np.pi / a * np.array([0, 1, 2, 2 + np.sqrt(2)]), rtol=1e-12)
    from quasiion import plotting

    ax = plotting.plot_band_path(bp)
    assert len(ax.get_xticks()) == 4
    r = chain_thermoelectric(qi.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.07),
                             np.linspace(-0.5, 0.0, 11), 500.0)
    assert plotting.plot_seebeck(r) is not None
    with pytest.raises(ValueError, match="path"):
        qi.band_path(tb, {"G": (0, 0)}, ["G", "Y"])
