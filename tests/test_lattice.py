"""The general tight-binding lattice: closed forms in 1D/2D/3D, Hellmann-Feynman velocities,
hermiticity, symmetry, thread independence, Boltzmann transport and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quasiion
from quasiion import TightBinding, _core


def square(a=2.0, eps=0.1, t=-0.5):
    return TightBinding(a * np.eye(2), [[0.0, 0.0]], [eps],
                        [(0, 0, (1, 0), t), (0, 0, (0, 1), t)])


def cubic(a=3.0, eps=-0.2, t=0.3):
    return TightBinding(a * np.eye(3), [[0.0, 0.0, 0.0]], [eps],
                        [(0, 0, (1, 0, 0), t), (0, 0, (0, 1, 0), t), (0, 0, (0, 0, 1), t)])


def two_orbital_2d(a=2.5, e1=-0.3, e2=0.2, tx=0.15, ty=0.1):
    """Orbitals 1 and 2 in a rectangular-free square cell, coupled only between different
    orbitals along x and y: H12(k) = tx (1 + e^{i kx a}) + ty (1 + e^{i ky a}) ... here one
    bond per direction plus the in-cell one, closed form E = ebar +- sqrt(d^2 + |h|^2)."""
    return TightBinding(a * np.eye(2), [[0, 0], [a / 2, a / 2]], [e1, e2],
                        [(0, 1, (0, 0), tx), (0, 1, (1, 0), tx), (0, 1, (0, 1), ty)])


def test_square_and_cubic_cosine_bands(rng):
    sq = square()
    k = rng.uniform(-2, 2, size=(50, 2))
    np.testing.assert_allclose(sq.bands(k)[:, 0],
                               0.1 - 1.0 * (np.cos(2 * k[:, 0]) + np.cos(2 * k[:, 1])),
                               rtol=0, atol=1e-13)
    cu = cubic()
    k3 = rng.uniform(-2, 2, size=(50, 3))
    np.testing.assert_allclose(cu.bands(k3)[:, 0], -0.2 + 0.6 * np.cos(3 * k3).sum(1),
                               rtol=0, atol=1e-13)
    np.testing.assert_allclose(cu.velocities(k3)[:, 0, :], -0.6 * 3 * np.sin(3 * k3),
                               rtol=0, atol=1e-13)


def test_two_orbital_2d_closed_form(rng):
    a, e1, e2, tx, ty = 2.5, -0.3, 0.2, 0.15, 0.1
    lat = two_orbital_2d(a, e1, e2, tx, ty)
    k = rng.uniform(-3, 3, size=(40, 2))
    h = tx * (1 + np.exp(1j * k[:, 0] * a)) + ty * np.exp(1j * k[:, 1] * a)
    s = np.sqrt(((e1 - e2) / 2) ** 2 + np.abs(h) ** 2)
    expect = np.stack([(e1 + e2) / 2 - s, (e1 + e2) / 2 + s], axis=1)
    np.testing.assert_allclose(lat.bands(k), expect, rtol=0, atol=1e-13)


def test_velocities_match_finite_differences(rng):
    lat = two_orbital_2d()
    k = rng.uniform(-1, 1, size=(10, 2))
    v = lat.velocities(k)
    h = 1e-6
    for a in range(2):
        dk = np.zeros(2)
        dk[a] = h
        fd = (lat.bands(k + dk) - lat.bands(k - dk)) / (2 * h)
        np.testing.assert_allclose(v[:, :, a], fd, rtol=1e-6, atol=1e-8)


def test_eigenstates_diagonalise_the_hamiltonian(rng):
    lat = two_orbital_2d()
    k = rng.uniform(-1, 1, size=(5, 2))
    e, vec = lat.eigenstates(k)
    for q in range(5):
        H = lat.hamiltonian(k[q])
        np.testing.assert_allclose(H, H.conj().T, atol=1e-15)
        np.testing.assert_allclose(H @ vec[q], vec[q] * e[q], atol=1e-13)
        np.testing.assert_allclose(vec[q].conj().T @ vec[q], np.eye(2), atol=1e-13)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=6, max_size=6), st.floats(-3, 3), st.floats(-3, 3))
def test_hermitian_real_spectrum_and_time_reversal(p, kx, ky):
    """Real hoppings: H(-k) = conj H(k), so E(k) = E(-k); H is Hermitian for any complex t."""
    lat = TightBinding([[1.0, 0.3], [0.0, 1.2]], [[0, 0], [0.5, 0.5]], p[:2],
                       [(0, 1, (0, 0), p[2]), (0, 1, (1, -1), p[3]), (1, 1, (0, 1), p[4]),
                        (0, 0, (1, 1), p[5])])
    k = np.array([[kx, ky]])
    H = lat.hamiltonian(k[0])
    assert np.abs(H - H.conj().T).max() < 1e-15
    np.testing.assert_allclose(lat.bands(k), lat.bands(-k), atol=1e-13)
    np.testing.assert_allclose(lat.bands(k)[0], np.linalg.eigvalsh(H), atol=1e-13)


def test_reciprocal_periodicity_and_grid(rng):
    lat = TightBinding([[1.0, 0.3], [0.0, 1.2]], [[0, 0], [0.5, 0.5]], [0.1, -0.1],
                       [(0, 1, (0, 0), 0.3 + 0.1j), (0, 1, (1, -1), -0.2)])
    B = lat.reciprocal_vectors()
    np.testing.assert_allclose(lat.vectors @ B.T, 2 * np.pi * np.eye(2), atol=1e-13)
    k = rng.uniform(-2, 2, size=(8, 2))
    np.testing.assert_allclose(lat.bands(k + B[0] - 2 * B[1]), lat.bands(k), atol=1e-12)
    g = lat.kgrid([4, 6])
    assert g.shape == (24, 2)
    # Symmetric under k -> -k (as a set).
    def canon(x):
        x = np.round(x, 10) + 0.0
        return x[np.lexsort(x.T[::-1])]

    np.testing.assert_allclose(canon(g), canon(-g), atol=1e-12)


def test_results_do_not_depend_on_thread_count():
    lat = cubic()
    k = lat.kgrid(12)
    np.testing.assert_array_equal(lat.bands(k, threads=1), lat.bands(k, threads=2))
    np.testing.assert_array_equal(lat.velocities(k, threads=1), lat.velocities(k, threads=2))
    s1 = lat.conductivity([-0.3, 0.0], 300.0, tau=1e-13, nk=8, threads=1)
    s2 = lat.conductivity([-0.3, 0.0], 300.0, tau=1e-13, nk=8, threads=2)
    np.testing.assert_array_equal(s1, s2)


def test_boltzmann_of_square_lattice_against_numpy():
    """Eq 30 in 2D against the same sum written in numpy, and x/y symmetry."""
    lat = square(a=2.0, eps=0.0, t=-0.05)
    mu = np.array([-0.3, -0.1, 0.0, 0.05])
    T = 400.0
    sx = lat.conductivity(mu, T, tau=1e-13, n0=1e22, nk=64)
    sy = lat.conductivity(mu, T, tau=1e-13, n0=1e22, nk=64, direction=[0, 1])
    np.testing.assert_allclose(sx, sy, rtol=1e-12)
    k = lat.kgrid(64)
    E = -0.1 * (np.cos(2 * k[:, 0]) + np.cos(2 * k[:, 1]))
    # m/s; the core's hbar (constants.hpp) is used so that the check isolates the sum.
    v = 0.1 * 2 * np.sin(2 * k[:, 0]) * _core.velocity_from_slope(1.0)
    kT = quasiion.units.kT(T)
    x = (E[None, :] - mu[:, None]) / kT
    mfd = np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2 / kT  # 1/eV
    ref = (quasiion.units.e * 1e22 * 1e6 * 1e-13 * (v**2 * mfd).mean(1)) * 1e-2
    np.testing.assert_allclose(sx, ref, rtol=1e-10)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="onsite"):
        TightBinding(1.0, np.zeros((0, 1)), [])
    with pytest.raises(ValueError, match="vectors"):
        TightBinding(np.zeros((2, 3)), [[0, 0]], [0.0])
    with pytest.raises(ValueError, match="vectors"):
        TightBinding(np.zeros((2, 2)), [[0, 0]], [0.0])
    with pytest.raises(ValueError, match="positions"):
        TightBinding(np.eye(2), [[0, 0, 0]], [0.0])
    with pytest.raises(ValueError, match="onsite"):
        TightBinding(np.eye(2), [[0, 0]], [np.nan])
    with pytest.raises(ValueError, match=r"hoppings\[0\]\.j"):
        TightBinding(np.eye(2), [[0, 0]], [0.0], [(0, 2, (1, 0), 0.1)])
    with pytest.raises(ValueError, match=r"hoppings\[0\]\.R"):
        TightBinding(np.eye(2), [[0, 0]], [0.0], [(0, 0, (1,), 0.1)])
    with pytest.raises(ValueError, match=r"hoppings\[0\]\.t"):
        TightBinding(np.eye(2), [[0, 0]], [0.0], [(0, 0, (1, 0), np.inf)])
    with pytest.raises(ValueError, match=r"hoppings\[0\]"):
        TightBinding(np.eye(2), [[0, 0]], [0.0], [(0, 0, (0, 0), 0.1)])
    lat = square()
    with pytest.raises(ValueError, match="k"):
        lat.bands(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="k"):
        lat.bands([[np.nan, 0.0]])
    with pytest.raises(ValueError, match="k"):
        lat.bands(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="T"):
        lat.conductivity(0.0, -1.0, tau=1e-13)
    with pytest.raises(ValueError, match="T"):
        lat.conductivity([0.0, 0.1], [300.0, 400.0, 500.0], tau=1e-13)
    with pytest.raises(ValueError, match="tau"):
        lat.conductivity(0.0, 300.0, tau=0.0)
