"""10^4 realisations of a 20-site random-distortion supercell (40 x 40, section 3.4): every
eigenvalue and E_t of each. quasiion builds and diagonalises each realisation in C++ with
threads over realisations; the reference is what a competent numpy user writes from the
same definition: the per-realisation random draws (the same counter-based stream, vectorised
in uint64), the distorted wells and eq 16 hoppings vectorised over all realisations, the
stacked (R, 40, 40) matrices built at once and one ``numpy.linalg.eigvalsh`` call.

Quick mode (QUASIION_BENCH_QUICK=1): 500 realisations, one round."""

from __future__ import annotations

import os

import numpy as np

import quasiion as q
from quasiion import units

QUICK = os.environ.get("QUASIION_BENCH_QUICK") == "1"
R = 500 if QUICK else 10_000
ROUNDS = 1 if QUICK else 3
N_SITES, D, SEED = 20, 0.1, 7
T = q.paper.T

_G = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def draws(seed: int, first: int, count: int, n: int) -> np.ndarray:
    """r of shape (count, n) in [-1, 1): draw j of realisation first + i (supercell.hpp)."""
    with np.errstate(over="ignore"):
        idx = np.arange(first, first + count, dtype=np.uint64)
        key = _mix(_mix(np.uint64(seed) + _G)
                   ^ (idx * np.uint64(0xD1B54A32D192ED03) + np.uint64(0x8CB92BA72F3D8DD7)))
        j = np.arange(1, n + 1, dtype=np.uint64)
        z = _mix(key[:, None] + j[None, :] * _G)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-52 - 1.0


def numpy_ensemble(U0: np.ndarray, b0: np.ndarray, kT: float, count: int):
    """All eigenvalues and E_t of `count` periodic distorted supercells, vectorised numpy."""
    n = U0.size
    r = draws(SEED, 0, count, 2 * n)
    U = U0 * (1 + D * r[:, 0::2])
    b = b0 * (1 + D * r[:, 1::2])
    nxt = np.roll(np.arange(n), -1)
    b = np.maximum(b, np.maximum(U, U[:, nxt]))
    wr = np.exp(-(b - U) / kT)
    wl = np.exp(-(np.roll(b, 1, axis=1) - U) / kT)
    N = 1 + wl + wr
    wj = np.exp(-(b - U[:, nxt]) / kT)
    t = 0.5 * (U[:, nxt] * np.sqrt(wr) + U * np.sqrt(wj)) / np.sqrt(N * N[:, nxt])
    H = np.zeros((count, n, n))
    i = np.arange(n)
    H[:, i, i] = U
    H[:, i, nxt] += t
    H[:, nxt, i] += t
    e = np.linalg.eigvalsh(H)
    return e, e[:, N_SITES] - e[:, N_SITES - 1]


def test_bench_distortion_ensemble(compare):
    sc = q.DistortedSupercell.eq45(0.6, N_SITES, D, seed=SEED)
    base = q.DistortedSupercell.eq45(0.6, N_SITES, 0.0).wells()
    kT = units.k_B * T
    ens = sc.ensemble(R, threads=2, keep_energies=True)
    e_ref, gap_ref = numpy_ensemble(base.U, base.barrier, kT, R)
    np.testing.assert_allclose(ens.energies, e_ref, atol=1e-12)
    np.testing.assert_allclose(ens.gap, gap_ref, atol=1e-12)
    print(f"\n  max |E - E_numpy| = {np.abs(ens.energies - e_ref).max():.2e} eV over {R} x 40")
    compare(lambda: sc.ensemble(R, threads=2, keep_energies=True),
            lambda: numpy_ensemble(base.U, base.barrier, kT, R), rounds=ROUNDS,
            label=f"{R} distorted 20-site supercells (40x40), all eigenvalues + E_t, 2 threads")
