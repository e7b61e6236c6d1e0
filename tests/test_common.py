"""The shared machinery: constants, Fermi functions, the Fermi-window sum, errors, root scan."""

import numpy as np
import pytest
from scipy import constants as sc

import quasiion
from quasiion import _core, units


def test_core_and_python_constants_agree():
    c = _core.constants
    assert c.elementary_charge == pytest.approx(units.e, rel=1e-14, abs=0)
    assert c.boltzmann_eV == pytest.approx(units.k_B, rel=1e-14, abs=0)
    assert c.hbar_eVs == pytest.approx(units.hbar, rel=1e-14, abs=0)
    assert c.amu_kg == pytest.approx(units.amu, rel=1e-14, abs=0)
    assert c.electron_mass_kg == pytest.approx(sc.m_e, rel=1e-14, abs=0)


def test_paper_temperature():
    # kT in eV from CODATA's k_B and e (scipy), not from units: the paper's kT = 0.026 eV
    T = np.array([1.0, 301.7, 1500.0])
    np.testing.assert_allclose(units.kT(T), sc.k * T / sc.e, rtol=1e-14)
    assert units.T_PAPER == pytest.approx(0.026 * sc.e / sc.k, rel=1e-14)
    assert units.T_PAPER == pytest.approx(301.7, abs=0.05)


def test_fermi_functions_are_overflow_safe():
    x = np.array([-1e6, -800.0, -1.0, 0.0, 2.0, 800.0, 1e6, np.inf, -np.inf])
    with np.errstate(all="raise"):
        f = _core.fermi_occupation(x)
        d = _core.fermi_minus_derivative_x(x)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(d))
    np.testing.assert_allclose(f + _core.fermi_occupation(-x), 1.0, rtol=1e-15)
    np.testing.assert_allclose(d, f * (1 - f), rtol=1e-12, atol=1e-300)


def test_window_sum_matches_numpy(rng):
    e = rng.normal(size=5000)
    w = rng.random(5000)
    s = _core.FermiWindowSum(e, w)
    mu = np.linspace(-4, 4, 9)
    T = np.array([50.0, 300.0, 2000.0])
    got = s.grid(mu, T)
    kT = units.kT(T)
    x = (e[None, :, None] - mu[:, None, None]) / kT[None, None, :]
    ref = (w[None, :, None] * _core.fermi_minus_derivative_x(x.ravel()).reshape(x.shape)).sum(1) / kT
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_window_sum_rejects_bad_input():
    with pytest.raises(ValueError, match="weights"):
        _core.FermiWindowSum(np.zeros(3), np.zeros(2))
    s = _core.FermiWindowSum(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="T"):
        s.grid(np.zeros(2), np.array([300.0, -1.0]))


def test_convergence_error_carries_history():
    with pytest.raises(quasiion.ConvergenceError) as info:
        _core.find_all_roots(lambda x: float("nan") if x > 0.5 else x - 2.0, 0.0, 1.0)
    assert len(info.value.history) > 0


def test_find_all_roots():
    roots = _core.find_all_roots(lambda x: np.sin(7 * x), 0.1, 3.0)
    np.testing.assert_allclose(roots, np.pi / 7 * np.arange(1, 7), atol=1e-13)
