"""Eigenvalue counts, gaps and DOS of chains and band matrices against scipy/numpy
diagonalisation (independent LAPACK routes)."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.linalg as sl
from hypothesis import given, settings
from hypothesis import strategies as st

import quasiion as q


def _dense_band(band: np.ndarray) -> np.ndarray:
    kd1, n = band.shape
    H = np.zeros((n, n))
    for r in range(kd1):
        idx = np.arange(n - r)
        H[idx + r, idx] = band[r, : n - r]
        H[idx, idx + r] = band[r, : n - r]
    return H


@st.composite
def chains(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 40))
    seed = draw(st.integers(0, 2**31))
    p_zero = draw(st.sampled_from([0.0, 0.3, 1.0]))
    degenerate = draw(st.booleans())
    rng = np.random.default_rng(seed)
    d = rng.uniform(-1, 1, n)
    e = rng.uniform(-1, 1, n - 1)
    e[rng.random(n - 1) < p_zero] = 0.0
    if degenerate:  # integer on-sites and zero hoppings in places: repeated eigenvalues
        d = np.round(d * 2) / 2
        e = np.where(rng.random(n - 1) < 0.5, 0.0, np.round(e * 2) / 2)
    return d, e


@st.composite
def bands(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 30))
    kd = draw(st.integers(0, min(6, n - 1)))
    seed = draw(st.integers(0, 2**31))
    p_zero = draw(st.sampled_from([0.0, 0.5, 1.0]))
    rng = np.random.default_rng(seed)
    b = rng.uniform(-1, 1, (kd + 1, n))
    b[1:][rng.random((kd, n)) < p_zero] = 0.0
    return b


@settings(max_examples=60, deadline=None)
@given(chains())
def test_chain_gap_and_counts_match_scipy(case: tuple[np.ndarray, np.ndarray]) -> None:
    d, e = case
    w = sl.eigvalsh_tridiagonal(d, e)
    n = d.size
    k = max(1, n // 2)
    g = q.chain_gap(d, e, n_occupied=k)
    assert abs(g.homo - w[k - 1]) < 2e-12 and abs(g.lumo - w[k]) < 2e-12
    assert g.gap == pytest.approx(w[k] - w[k - 1], abs=4e-12)
    E = np.linspace(-3.1, 3.1, 57)
    c = q.count_below(E, onsite=d, hopping=e)
    # Eigenvalues within 1e-12 of an energy may count either way.
    lo = (w[None, :] < E[:, None] - 1e-12).sum(axis=1)
    hi = (w[None, :] < E[:, None] + 1e-12).sum(axis=1)
    assert ((c >= lo) & (c <= hi)).all()


@settings(max_examples=60, deadline=None)
@given(bands())
def test_band_counts_and_gaps_match_eig_banded(band: np.ndarray) -> None:
    n = band.shape[1]
    w = sl.eig_banded(band, lower=True, eigvals_only=True)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(_dense_band(band)), atol=1e-12)
    E = np.linspace(-5, 5, 41)
    c = q.count_below(E, band=band)
    lo = (w[None, :] < E[:, None] - 1e-11).sum(axis=1)
    hi = (w[None, :] < E[:, None] + 1e-11).sum(axis=1)
    assert ((c >= lo) & (c <= hi)).all()
    if n >= 2:
        k = n // 2
        g = q.band_gap(band, n_occupied=k)
        assert abs(g.homo - w[k - 1]) < 2e-12 and abs(g.lumo - w[k]) < 2e-12


def test_gap_at_mu_picks_neighbours_of_mu(rng: np.random.Generator) -> None:
    d, e = rng.uniform(-1, 1, 300), rng.uniform(-0.5, 0.5, 299)
    w = sl.eigvalsh_tridiagonal(d, e)
    mu = 0.5 * (w[123] + w[124])
    g = q.chain_gap(d, e, mu=mu)
    assert g.n_occupied == 124
    assert abs(g.homo - w[123]) < 1e-12 and abs(g.lumo - w[124]) < 1e-12
    # The same chain as a band matrix (kd = 1) and padded to kd = 3 with zeros.
    band = np.zeros((4, 300))
    band[0], band[1, :-1] = d, e
    for b in (band[:2], band):
        gb = q.band_gap(b, mu=mu)
        assert gb.n_occupied == 124
        assert abs(gb.homo - w[123]) < 1e-12 and abs(gb.lumo - w[124]) < 1e-12


def test_dos_is_the_histogram_of_the_spectrum(rng: np.random.Generator) -> None:
    d, e = rng.uniform(-1, 1, 2000), np.full(1999, -0.5)
    w = sl.eigvalsh_tridiagonal(d, e)
    edges = np.linspace(-2.5, 2.5, 201)
    r = q.dos(edges, onsite=d, hopping=e)
    np.testing.assert_array_equal(r.counts, np.histogram(w, edges)[0])
    assert r.density.sum() * (edges[1] - edges[0]) == pytest.approx(1.0)  # all states inside
    np.testing.assert_array_equal(r.integrated, np.searchsorted(w, edges))
    r1 = q.dos(edges, onsite=d, hopping=e, threads=1)
    r2 = q.dos(edges, onsite=d, hopping=e, threads=2)
    np.testing.assert_array_equal(r1.counts, r2.counts)


def test_percolation_like_band_gap_matches_eig_banded() -> None:
    # Block Toeplitz, 2x2 blocks: U = diag(0.25, -0.25), P_l = 0.05 exp(-l Es/kT) on the
    # block diagonals, truncated below 1e-12.
    n_cells, es = 200, 1.0
    L = int(np.ceil(np.log(0.05 / 1e-12) / es))
    n = 2 * n_cells
    kd = 2 * L + 1
    band = np.zeros((kd + 1, n))
    band[0] = np.tile([0.25, -0.25], n_cells)
    for ell in range(1, L + 1):
        p = 0.05 * np.exp(-ell * es)
        band[2 * ell, :] = p  # P_l = p * identity between cells l apart
    g = q.band_gap(band, n_occupied=n_cells)
    w = sl.eig_banded(band, lower=True, select="i", select_range=(n_cells - 1, n_cells),
                      eigvals_only=True)
    assert abs(g.homo - w[0]) < 1e-11 and abs(g.lumo - w[1]) < 1e-11


def test_bad_input_is_refused_with_named_parameter() -> None:
    with pytest.raises(ValueError, match="hopping"):
        q.chain_gap([0, 1, 2], [0.1], mu=0.5)
    with pytest.raises(ValueError, match="onsite"):
        q.chain_gap([0, np.nan, 2], [0.1, 0.2], mu=0.5)
    with pytest.raises(ValueError, match="mu"):
        q.chain_gap([0, 1, 2], [0.1, 0.2], mu=10.0)
    with pytest.raises(ValueError, match="mu"):
        q.chain_gap([0, 1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="n_occupied"):
        q.chain_gap([0, 1, 2], [0.1, 0.2], n_occupied=3)
    with pytest.raises(ValueError, match="tol"):
        q.chain_gap([0, 1, 2], [0.1, 0.2], n_occupied=1, tol=0.0)
    with pytest.raises(ValueError, match="band"):
        q.band_gap(np.zeros(5), n_occupied=1)
    with pytest.raises(ValueError, match="edges"):
        q.dos([0.0, 1.0, 0.5], onsite=[0, 1], hopping=[0.1])
    with pytest.raises(ValueError, match="band"):
        q.count_below([0.0], onsite=[0, 1], hopping=[0.1], band=np.zeros((1, 2)))


def test_open_lattice_conversion_matches_hamiltonian() -> None:
    from quasiion._core import bands as _bands
    from quasiion._core import spectrum as _spectrum

    n = 6
    hi = np.array([0, 1, 2, 0, 3])
    hj = np.array([1, 2, 3, 2, 5])
    t = np.array([-0.5, 0.3, -0.2, 0.1, 0.05], dtype=complex)
    lat = _bands.Lattice(np.eye(1) * 3.0, np.zeros((n, 1)), np.arange(n) * 0.1, hi, hj,
                         np.zeros((5, 1), dtype=np.int32), t)
    B = _spectrum.band_from_lattice(lat)
    assert B.kd == 2
    np.testing.assert_allclose(_dense_band(np.asarray(B.band)), lat.hamiltonian([0.0]).real)
    with pytest.raises(ValueError, match="tridiagonal"):
        _spectrum.tridiagonal_from_lattice(lat)


def test_million_site_chain_gap_stays_under_200_MB() -> None:
    # A fresh interpreter, so that the peak RSS belongs to this computation only.
    code = textwrap.dedent("""
        import resource
        import numpy as np
        import quasiion as q
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rng = np.random.default_rng(1)
        n = 10**6
        g = q.chain_gap(rng.uniform(-1, 1, n), np.full(n - 1, -0.5), n_occupied=n // 2,
                        tol=1e-9)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((peak - base) / 1024, peak / 1024, g.gap)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300)
    extra_mb, peak_mb, gap = (float(x) for x in out.stdout.split())
    assert extra_mb < 200, out.stdout  # a dense 10^6 x 10^6 matrix would be 8 TB
    assert gap > 0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


def test_results_do_not_depend_on_the_thread_count(rng: np.random.Generator) -> None:
    d, e = rng.uniform(-1, 1, 5000), np.full(4999, -0.5)
    band = np.zeros((3, 600))
    band[0], band[1], band[2] = rng.uniform(-1, 1, 600), 0.3, 0.1
    chains = [q.chain_gap(d, e, n_occupied=2500, threads=t) for t in (1, 2, 3)]
    bands = [q.band_gap(band, n_occupied=300, threads=t) for t in (1, 2, 3)]
    for r in (chains, bands):
        assert all((x.homo, x.lumo) == (r[0].homo, r[0].lumo) for x in r)
