"""Random-distortion supercells and N-well chains (section 3.4), against independent routes:
eq 18 in closed form folded into the supercell zone, eq 16 re-implemented in numpy, numpy
eigvalsh/eigh, scipy's tridiagonal solver."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla
from scipy import stats

import quasiion as q
from quasiion import units

T = q.paper.T
KT = units.k_B * T


def eq18(U_A: float, U_B: float, J0: float, a: float, k: np.ndarray) -> np.ndarray:
    """Eq 18 closed form, (nk, 2), eV."""
    m, d = 0.5 * (U_A + U_B), 0.5 * (U_A - U_B)
    S = np.sqrt(d * d + J0 * J0 * np.cos(0.5 * k * a) ** 2)
    return np.stack([m - S, m + S], axis=-1)


def eq16_numpy(U: np.ndarray, b: np.ndarray, kT: float, th: float = 0.0) -> np.ndarray:
    """Per-bond hopping J(b_i)/2 of a periodic well chain, written from eq 13/16 directly."""
    emin = U + th * kT
    nxt = np.roll(np.arange(U.size), -1)
    b = np.maximum(b, np.maximum(emin, emin[nxt]))
    w_right = np.exp(-(b - emin) / kT)            # each well over its right barrier
    w_left = np.exp(-(np.roll(b, 1) - emin) / kT)  # over its left barrier
    N = 1.0 + w_left + w_right
    wi = np.exp(-(b - emin) / kT)
    wj = np.exp(-(b - emin[nxt]) / kT)
    J = (U[nxt] * np.sqrt(wi) + U * np.sqrt(wj)) / np.sqrt(N * N[nxt])
    return 0.5 * J


@pytest.fixture(scope="module")
def pot() -> q.Potential:
    return q.Potential.eq45(0.6)


@pytest.mark.parametrize("n_sites", [1, 2, 5, 8])
def test_distortion_zero_folds_eq18(pot: q.Potential, n_sites: int) -> None:
    tb = pot.tight_binding(T)
    sc = q.DistortedSupercell(pot, n_sites, 0.0, seed=3)
    L = n_sites * tb.a
    K = np.linspace(-np.pi / L, np.pi / L, 9)
    got = sc.bands(K)
    ref = np.sort(np.concatenate([eq18(tb.U_A, tb.U_B, tb.J0, tb.a, K + 2 * np.pi * m / L)
                                  for m in range(n_sites)], axis=1), axis=1)
    np.testing.assert_allclose(got, ref, atol=1e-12)
    # from the two-site parameters the same supercell results
    sc2 = q.DistortedSupercell(tb, n_sites, 0.0)
    np.testing.assert_allclose(sc2.bands(K), ref, atol=1e-12)


def test_distortion_definition(pot: q.Potential) -> None:
    n, d = 400, 0.3
    base = q.DistortedSupercell(pot, n, 0.0).wells()
    sc = q.DistortedSupercell(pot, n, d, seed=11, realisation=4)
    w = sc.wells()
    rU = (w.U / base.U - 1.0) / d
    rb = (w.barrier / base.barrier - 1.0) / d
    r = np.concatenate([rU, rb])
    assert np.all(np.abs(r) <= 1.0)
    # independent uniform draws on [-1, 1]: KS test, and wells and barriers uncorrelated
    assert stats.kstest(r, stats.uniform(loc=-1, scale=2).cdf).pvalue > 1e-3
    assert abs(np.corrcoef(rU, rb)[0, 1]) < 0.15
    np.testing.assert_allclose(w.onsite, w.U)
    np.testing.assert_allclose(w.hopping, eq16_numpy(w.U, w.barrier, KT), rtol=1e-12, atol=1e-15)
    # the k = 0 matrix: diagonal, bonds and the closing bond
    H = sc.hamiltonian()
    ref = np.diag(w.U) + np.diag(w.hopping[:-1], 1) + np.diag(w.hopping[:-1], -1)
    ref[0, -1] = ref[-1, 0] = w.hopping[-1]
    np.testing.assert_allclose(H, ref, atol=1e-15)
    # spectrum against numpy
    np.testing.assert_allclose(sc.spectrum().energies, np.linalg.eigvalsh(ref), atol=1e-12)


def test_realisations_depend_on_seed_and_index_only(pot: q.Potential) -> None:
    a = q.DistortedSupercell(pot, 20, 0.1, seed=5, realisation=7).wells().U
    b = q.DistortedSupercell(pot, 20, 0.1, seed=5, realisation=7).wells().U
    c = q.DistortedSupercell(pot, 20, 0.1, seed=5, realisation=8).wells().U
    e = q.DistortedSupercell(pot, 20, 0.1, seed=6, realisation=7).wells().U
    assert np.array_equal(a, b)
    assert not np.allclose(a, c) and not np.allclose(a, e)


def test_ensemble_threads_and_chunks(pot: q.Potential) -> None:
    sc = q.DistortedSupercell(pot, 20, 0.1)
    one = sc.ensemble(64, seed=9, threads=1, keep_energies=True)
    two = sc.ensemble(64, seed=9, threads=2, keep_energies=True)
    assert np.array_equal(one.gap, two.gap) and np.array_equal(one.energies, two.energies)
    parts = [sc.ensemble(c, seed=9, first_index=f, threads=2) for f, c in ((0, 10), (10, 33), (43, 21))]
    assert np.array_equal(np.concatenate([p.gap for p in parts]), one.gap)
    # row r is realisation r: the single-supercell route agrees
    for r in (0, 17, 63):
        s = sc.with_realisation(r)
        s.seed = 9
        s._super = None
        ev = np.linalg.eigvalsh(s.hamiltonian())
        np.testing.assert_allclose(one.energies[r], ev, atol=1e-12)
        assert one.gap[r] == pytest.approx(ev[20] - ev[19], abs=1e-12)
    assert one.mean == pytest.approx(one.gap.mean())
    assert one.std == pytest.approx(one.gap.std(ddof=1))
    assert one.hist_counts.sum() == 64
    assert one.std > 0


def test_distortion_lowers_gap_on_average(pot: q.Potential) -> None:
    """Section 3.4: distortion lowers E_t (bands flattened but condensed)."""
    g0 = q.DistortedSupercell(pot, 20, 0.0).carrier_formation_energy().gap
    g30 = q.DistortedSupercell(pot, 20, 0.3).ensemble(200, seed=1).mean
    assert g30 < g0 - 0.01


def test_open_chain_tridiagonal_and_gap(pot: q.Potential) -> None:
    sc = q.DistortedSupercell(pot, 150, 0.2, seed=2, realisation=1, periodic=False)
    diag, off = sc.tridiagonal()
    w = sc.wells()  # the same chain through the explicit well list
    np.testing.assert_allclose(diag, w.onsite, atol=0)
    np.testing.assert_allclose(off, w.hopping[:-1], rtol=1e-14, atol=1e-16)
    assert w.hopping[-1] == 0.0
    # independent eq 16 on the distorted wells (open: bulk normalisation, closing bond cut)
    np.testing.assert_allclose(off, eq16_numpy(w.U, w.barrier, KT)[:-1], rtol=1e-12)
    ev = sla.eigvalsh_tridiagonal(diag, off)
    g = sc.carrier_formation_energy()
    assert g.method == "tridiagonal"
    assert g.homo == pytest.approx(ev[149], abs=1e-11)
    assert g.lumo == pytest.approx(ev[150], abs=1e-11)
    np.testing.assert_allclose(sc.spectrum().energies, ev, atol=1e-12)


def test_periodic_gap_and_dos_without_a_dense_matrix(pot: q.Potential) -> None:
    """Periodic supercells go through the ring folded to a band (O(n) memory): the same E_t and
    counts as numpy on the dense k = 0 matrix, and lengths far beyond the dense limit."""
    for n, r in ((7, 0), (40, 3), (301, 5)):
        sc = q.DistortedSupercell(pot, n, 0.3, seed=12, realisation=r)
        g = sc.carrier_formation_energy()
        assert g.method == "band"
        ev = np.linalg.eigvalsh(sc.hamiltonian())
        assert g.homo == pytest.approx(ev[n - 1], abs=1e-11)
        assert g.lumo == pytest.approx(ev[n], abs=1e-11)
        edges = np.linspace(ev[0] - 0.01, ev[-1] + 0.01, 23)
        assert np.array_equal(sc.dos(edges).integrated,
                              (ev[None, :] < edges[:, None]).sum(axis=1))
    # 20000 sites (dense would be 3.2 GB): against shift-invert Lanczos on the sparse ring
    # assembled here from the well list.
    from scipy.sparse import diags
    from scipy.sparse.linalg import eigsh

    big = q.DistortedSupercell(pot, 20000, 0.3, seed=12)
    with pytest.raises(ValueError, match="n_sites"):
        big.hamiltonian()
    g = big.carrier_formation_energy()
    w = big.wells()
    n = w.onsite.size
    H = diags([w.onsite, w.hopping[:-1], w.hopping[:-1]], [0, 1, -1], format="lil")
    H[0, n - 1] = H[n - 1, 0] = w.hopping[-1]
    near = eigsh(H.tocsc(), k=6, sigma=0.5 * (g.homo + g.lumo), return_eigenvectors=False)
    np.testing.assert_allclose([near[near < g.lumo - 1e-9].max(), near[near > g.homo + 1e-9].min()],
                               [g.homo, g.lumo], atol=1e-10)


def test_participation_ratio(pot: q.Potential) -> None:
    sc = q.DistortedSupercell(pot, 12, 0.3, seed=4)
    s = sc.spectrum(vectors=True)
    _, v = np.linalg.eigh(sc.hamiltonian())
    np.testing.assert_allclose(s.participation, 1.0 / (v**4).sum(axis=0), rtol=1e-9)
    assert np.all((s.participation >= 1 - 1e-12) & (s.participation <= 24 + 1e-9))
    # perfect periodic supercell at k = 0: Bloch states are spread over all n_sites cells
    p0 = q.DistortedSupercell(pot, 12, 0.0).spectrum(vectors=True).participation
    assert p0.min() > 12 * 0.5


def test_dos_counts(pot: q.Potential) -> None:
    sc = q.DistortedSupercell(pot, 30, 0.2, seed=8)
    edges = np.linspace(-0.9, 0.0, 37)
    d = sc.dos(edges)
    ev = np.linalg.eigvalsh(sc.hamiltonian())
    assert np.array_equal(d.counts, np.histogram(ev, edges)[0])
    assert np.array_equal(d.integrated, (ev[None, :] < edges[:, None]).sum(axis=1))
    assert np.sum(d.density * np.diff(edges)) == pytest.approx(1.0)
    op = q.DistortedSupercell(pot, 300, 0.2, seed=8, periodic=False)
    ev2 = sla.eigvalsh_tridiagonal(*op.tridiagonal())
    assert np.array_equal(op.dos(edges).counts, np.histogram(ev2, edges)[0])


def test_decoupled_wells_give_onsite_spectrum() -> None:
    """Walls between all wells: zero hoppings, the spectrum is the well minima."""
    x = np.linspace(0, 9, 10)
    U = np.array([-0.5, 5.0, -0.3, 5.0, -0.4, 5.0, -0.2, 5.0, -0.6, 5.0])
    pot = q.Potential.from_samples(np.append(x, 10.0), np.append(U, U[0]), periodic=True)
    ch = pot.tight_binding(300.0)
    assert isinstance(ch, q.ChainTightBinding)
    assert np.all(np.abs(ch.hopping) < 1e-40)
    sc = q.DistortedSupercell(pot, 3, 0.0, periodic=False)
    np.testing.assert_allclose(sc.spectrum().energies, np.sort(np.tile(ch.onsite, 3)), atol=1e-14)
    assert sc.carrier_formation_energy(n_occupied=3).gap == pytest.approx(0.1, abs=1e-12)


def test_three_well_profile_chain() -> None:
    L = 6.0
    x = np.linspace(0, L, 601)
    U = -0.3 + 0.12 * np.cos(6 * np.pi * x / L) + 0.05 * np.cos(2 * np.pi * x / L)
    pot = q.Potential.from_samples(x, U, periodic=True)
    ch = pot.tight_binding(T)
    assert ch.onsite.size == 3
    wells = pot.wells()
    np.testing.assert_allclose(ch.onsite, [w.U for w in wells])
    np.testing.assert_allclose(ch.barrier, [w.U_right for w in wells])
    np.testing.assert_allclose(ch.hopping, eq16_numpy(ch.onsite, ch.barrier, KT), rtol=1e-12)
    # Bloch bands of the 3-orbital chain against numpy's Hermitian H(k) with the phase
    k = np.linspace(-np.pi / L, np.pi / L, 7)
    t = ch.hopping
    Hk = np.zeros((k.size, 3, 3), complex)
    Hk[:, [0, 1, 2], [0, 1, 2]] = ch.onsite
    Hk[:, 0, 1] = t[0]
    Hk[:, 1, 2] = t[1]
    Hk[:, 2, 0] = t[2] * np.exp(1j * k * L)
    Hk = Hk + np.conj(np.transpose(Hk, (0, 2, 1))) - np.eye(3) * ch.onsite
    np.testing.assert_allclose(ch.lattice().bands(k), np.linalg.eigvalsh(Hk), atol=1e-13)
    # a two-well profile through the chain route equals the two-site parameters
    tb = q.Potential.eq45(0.6).tight_binding(T)
    sc = q.DistortedSupercell(q.Potential.eq45(0.6), 1, 0.0)
    assert 2 * abs(sc.wells().hopping[0]) == pytest.approx(abs(tb.J0), rel=1e-12)


def test_validation(pot: q.Potential) -> None:
    with pytest.raises(ValueError, match="d = 1.0"):
        q.DistortedSupercell(pot, 4, 1.0)
    with pytest.raises(ValueError, match="n_sites = 0"):
        q.DistortedSupercell(pot, 0, 0.1)
    with pytest.raises(ValueError, match="seed"):
        q.DistortedSupercell(pot, 4, 0.1, seed=-1)
    with pytest.raises(ValueError, match="n_occupied"):
        q.DistortedSupercell(pot, 4, 0.1).carrier_formation_energy(8)
    with pytest.raises(ValueError, match="periodic"):
        q.DistortedSupercell(pot, 4, 0.1, periodic=False).bands([0.0])
    with pytest.raises(ValueError, match="n_sites = 5000"):
        q.DistortedSupercell(pot, 5000, 0.1).hamiltonian()
    with pytest.raises(ValueError, match="source"):
        q.DistortedSupercell("eq45", 4, 0.1)
    with pytest.raises(ValueError, match="method"):
        q.DistortedSupercell(pot.tight_binding(T, "overlap"), 4, 0.1)
    with pytest.raises(ValueError, match="n_realisations"):
        q.DistortedSupercell(pot, 4, 0.1).ensemble(0)


def test_long_open_chain_gap_against_scipy_bisection() -> None:
    sc = q.DistortedSupercell.eq45(0.6, 50_000, 0.3, seed=12, periodic=False)
    diag, off = sc.tridiagonal()
    ref = sla.eigvalsh_tridiagonal(diag, off, select="i", select_range=(49_999, 50_000))
    g = sc.carrier_formation_energy()
    assert g.homo == pytest.approx(ref[0], abs=1e-11)
    assert g.lumo == pytest.approx(ref[1], abs=1e-11)


def test_million_site_gap_memory() -> None:
    """E_t of a 10^6-site (2 x 10^6 state) distorted chain: peak RSS of the whole process
    (interpreter, numpy, scipy included) under 200 MB; no dense matrix."""
    import os
    import subprocess
    import sys

    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("needs Linux /proc to reset the peak RSS")
    # The high-water mark is reset first: after fork + exec it still holds the parent's.
    code = ("open('/proc/self/clear_refs', 'w').write('5')\n"
            "import quasiion as q\n"
            "sc = q.DistortedSupercell.eq45(0.6, 10**6, 0.1, seed=1, periodic=False)\n"
            "g = sc.carrier_formation_energy()\n"
            "assert 0.2 < g.gap < 0.4, g\n"
            "print([ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak_mb = int(out.stdout.split()[-2]) / 1024
    assert peak_mb < 200, peak_mb


def test_pickled_supercell_computes_the_same_chunks(pot: q.Potential) -> None:
    """A process pool pickles the model and computes (seed, first_index, count) chunks."""
    import pickle

    sc = q.DistortedSupercell(pot, 10, 0.2, seed=3, realisation=2)
    back = pickle.loads(pickle.dumps(sc))
    assert np.array_equal(back.hamiltonian(), sc.hamiltonian())
    whole = sc.ensemble(30)
    parts = [pickle.loads(pickle.dumps(sc)).ensemble(c, first_index=f) for f, c in ((0, 13), (13, 17))]
    assert np.array_equal(np.concatenate([p.gap for p in parts]), whole.gap)
    c = pickle.loads(pickle.dumps(q.PercolationCluster(7, P0=[[0.05, 0.01], [0.02, 0.04]])))
    assert c.P0[1, 0] == 0.02 and c.spectrum().energies.size == 14


def test_ensemble_size_checked_before_work(pot: q.Potential) -> None:
    with pytest.raises(ValueError, match="n_realisations"):
        q.DistortedSupercell(pot, 1500, 0.1).ensemble(10**6)
