"""The solver layer against the numpy/scipy way, same run, agreement asserted first.

Algorithmic limits (what the best possible code could do, and where numpy/scipy stand):

- Dense eigenpairs (n = 2000): ~(4/3 + 4/3 + 2) n^3 flops for the Householder reduction, the
  divide-and-conquer tridiagonal solve and the back-transformation; LAPACK's zheevd/dsyevd are
  at that limit. numpy.linalg.eigh calls the same drivers, so the best achievable ratio is ~1:
  the benchmark checks that going through the capsule (copies in and out, no re-linking) costs
  nothing.
- Bloch bands (n_orb = 16, 32 on 10^4 k): per k, one O(n_orb^2) assembly and an O(n_orb^3)
  zheevd (the limit for all eigenvalues). numpy with hoppings grouped by R does the assembly as
  one einsum (memory traffic nk n_orb^2 n_R complex) and a stacked eigvalsh (zheevd per matrix
  on one core); quasiion assembles in cache and runs the per-k solves on all cores, so the
  limit of the ratio is ~the number of cores.
- E_t of a 10^6-site chain: two eigenvalues by bisection on Sturm counts, ~45 counts of n
  divisions each for 1e-12 eV. dstebz (scipy's select='i') evaluates one shift per pass and is
  bound by the division latency (~15-20 cycles/site); quasiion evaluates 8 shifts per pass and
  per thread (bound by the division throughput) and multisects.
- DOS of a chain: m energies cost m n divisions (throughput bound, parallel); all eigenvalues
  cost O(n^2) (dsterf, the fastest scipy driver measured here: sterf < stev < stemr << stebz).
- E_t of a banded matrix: a count costs n kd^2 / 2 multiply-adds; scipy's eig_banded
  (dsbevx) first reduces the band to tridiagonal form in O(n^2 kd).

Run: ``python -m pytest bench/test_spectrum_solvers.py -s`` (``QUASIION_BENCH_QUICK=1``: small sizes).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import scipy.linalg as sl

import quasiion as q

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
ROUNDS = 1 if QUICK else 2


def _residual(H: np.ndarray, w: np.ndarray, U: np.ndarray) -> float:
    return float(np.abs(H @ U - U * w).max())


# --- dense eigenpairs -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["complex", "real"])
def test_dense_eigh_2000(compare, kind: str) -> None:
    n = 200 if QUICK else 2000
    rng = np.random.default_rng(1)
    H = rng.normal(size=(n, n))
    if kind == "complex":
        H = H + 1j * rng.normal(size=(n, n))
    H = H + H.conj().T
    r = q.eigh(H)
    w, U = np.linalg.eigh(H)
    assert r.solver == "lapack (scipy)"
    np.testing.assert_allclose(r.values, w, atol=1e-10 * np.abs(w).max())
    res_q, res_np = _residual(H, r.values, r.vectors), _residual(H, w, U)
    print(f"\n[dense {kind} {n}] residual |HU - UE|: quasiion {res_q:.2e}, numpy {res_np:.2e}")
    assert res_q < 1e-10 * np.abs(w).max()
    compare(lambda: q.eigh(H), lambda: np.linalg.eigh(H), rounds=ROUNDS,
            label=f"all eigenpairs, {n}x{n} {kind}")


# --- Bloch bands ------------------------------------------------------------------------------

def _model(n_orb: int, seed: int) -> tuple[list, np.ndarray]:
    """A 2D square-lattice model (a = 3 Angstrom), every orbital bonded to every orbital of the
    home cell and of the cells (1,0), (0,1), (1,1), (1,-1)."""
    rng = np.random.default_rng(seed)
    hops = []
    for R in ([0, 0], [1, 0], [0, 1], [1, 1], [1, -1]):
        for i in range(n_orb):
            for j in range(n_orb):
                if R == [0, 0] and j <= i:
                    continue
                hops.append((i, j, R, complex(rng.normal(0, 0.1), rng.normal(0, 0.1))))
    return hops, rng.normal(0, 0.5, n_orb)


def _numpy_bands(hops: list, onsite: np.ndarray, k: np.ndarray, a: float) -> np.ndarray:
    """Hoppings grouped by R (partners included), H(k) by one einsum, stacked eigvalsh."""
    n = onsite.size
    T: dict[tuple[int, int], np.ndarray] = {}
    for i, j, R, t in hops:
        for key, (ii, jj, tt) in (((R[0], R[1]), (i, j, t)),
                                  ((-R[0], -R[1]), (j, i, np.conj(t)))):
            T.setdefault(key, np.zeros((n, n), complex))[ii, jj] += tt
    Rs = np.array(list(T), dtype=float) * a
    Ts = np.stack(list(T.values()))
    phases = np.exp(1j * (k @ Rs.T))  # (nk, nR)
    H = np.einsum("kr,rij->kij", phases, Ts)
    H[:, np.arange(n), np.arange(n)] += onsite
    return np.linalg.eigvalsh(H)


@pytest.mark.parametrize("n_orb", [16, 32])
def test_bloch_bands_2d(compare, n_orb: int) -> None:
    a = 3.0
    nk = 500 if QUICK else 10**4
    hops, onsite = _model(n_orb, n_orb)
    tb = q.TightBinding(np.eye(2) * a, np.zeros((n_orb, 2)), onsite, hops)
    k = np.random.default_rng(2).uniform(-np.pi / a, np.pi / a, (nk, 2))
    e_q = tb.bands(k)
    e_np = _numpy_bands(hops, onsite, k, a)
    err = np.abs(e_q - e_np).max()
    print(f"\n[bands {n_orb} orbitals] max |E_quasiion - E_numpy| = {err:.2e} eV")
    assert err < 1e-11
    compare(lambda: tb.bands(k), lambda: _numpy_bands(hops, onsite, k, a), rounds=ROUNDS,
            label=f"Bloch bands, {n_orb} orbitals, {nk} k")


# --- E_t of a long chain ------------------------------------------------------------------------

def test_chain_gap_1e6(compare) -> None:
    n = 10**5 if QUICK else 10**6
    rng = np.random.default_rng(3)
    d = rng.uniform(-1, 1, n)  # Anderson-disordered chain, eV
    e = np.full(n - 1, -0.5)
    k = n // 2

    def scipy_way() -> np.ndarray:
        return sl.eigvalsh_tridiagonal(d, e, select="i", select_range=(k - 1, k))

    g = q.chain_gap(d, e, n_occupied=k, tol=1e-12)
    ref = scipy_way()
    fine = q.chain_gap(d, e, n_occupied=k, tol=1e-14)
    err_q = max(abs(g.homo - fine.homo), abs(g.lumo - fine.lumo))
    err_s = float(np.abs(ref - [fine.homo, fine.lumo]).max())
    print(f"\n[chain E_t {n}] error vs tol=1e-14 bisection: quasiion {err_q:.1e} eV, "
          f"scipy {err_s:.1e} eV; gap {g.gap:.6e} eV")
    assert err_q <= 1e-12 and err_s <= 1e-12
    compare(lambda: q.chain_gap(d, e, n_occupied=k, tol=1e-12), scipy_way, rounds=ROUNDS,
            label=f"E_t, {n}-site chain, 2 eigenvalues")


# --- DOS of a chain -----------------------------------------------------------------------------

@pytest.mark.parametrize("n", [10**4, 10**5])
def test_chain_dos(compare, n: int) -> None:
    if QUICK and n > 10**4:
        pytest.skip("quick mode")
    if QUICK:
        n = 2000
    rng = np.random.default_rng(4)
    d = rng.uniform(-1, 1, n)
    e = np.full(n - 1, -0.5)
    edges = np.linspace(-2.1, 2.1, 1001)  # 1000 bins

    def scipy_way() -> np.ndarray:
        w = sl.eigvalsh_tridiagonal(d, e, lapack_driver="sterf")
        return np.histogram(w, edges)[0]

    r = q.dos(edges, onsite=d, hopping=e)
    np.testing.assert_array_equal(r.counts, scipy_way())
    compare(lambda: q.dos(edges, onsite=d, hopping=e), scipy_way, rounds=1 if n > 10**4 else ROUNDS,
            label=f"DOS, {n}-site chain, 1000 bins (vs dsterf + histogram)")


# --- E_t of a percolation-like band matrix ------------------------------------------------------

def percolation_band(n_sites: int, es_over_kT: float, cutoff: float = 1e-12) -> np.ndarray:
    """Block Toeplitz, 2x2 blocks: U = diag(0.25, -0.25) eV on the diagonal, P_l =
    0.05 exp(-l Es/kT) eV on the diagonal of the block l cells away, dropped below `cutoff`."""
    L = int(np.floor(np.log(0.05 / cutoff) / es_over_kT))
    band = np.zeros((2 * L + 1, 2 * n_sites))
    band[0] = np.tile([0.25, -0.25], n_sites)
    for ell in range(1, L + 1):
        band[2 * ell] = 0.05 * np.exp(-ell * es_over_kT)
    return band


def test_percolation_band_gap(compare) -> None:
    n_sites = 500 if QUICK else 10**4
    band = percolation_band(n_sites, 2.0)
    k = n_sites  # one ion per site: the n lowest of 2n states occupied

    def scipy_way() -> np.ndarray:
        return sl.eig_banded(band, lower=True, eigvals_only=True, select="i",
                             select_range=(k - 1, k))

    g = q.band_gap(band, n_occupied=k)
    ref = scipy_way()
    err = float(np.abs(ref - [g.homo, g.lumo]).max())
    print(f"\n[percolation E_t, {n_sites} sites, kd = {band.shape[0] - 1}] "
          f"|quasiion - eig_banded| = {err:.1e} eV, E_t = {g.gap:.6f} eV")
    assert err < 1e-11
    compare(lambda: q.band_gap(band, n_occupied=k), scipy_way, rounds=1 if not QUICK else 1,
            label=f"E_t, {2 * n_sites}x{2 * n_sites} band (kd={band.shape[0] - 1})")
