"""Kubo-Greenwood sigma(mu) at 200 mu for a 2000-orbital (1000-cell) disordered periodic chain
supercell at k = 0: quasiion (narrow-band eigenpairs, see banded_solver.hpp) against the best
scipy eigenpairs (reverse Cuthill-McKee + eig_banded, faster than numpy.linalg.eigh on this
band of half-width 2) plus the best vectorised Kubo sum (one sparse-dense product, one dense
product for the current matrix, the far pairs of all mu as a single matrix product,
near-degenerate pairs with -f'). Peak memory of each in a fresh
process (ru_maxrss increase), against three dense N x N complex matrices. Then KPM on a
10^6-orbital chain: time and memory only (no dense reference is possible).

Quick mode (QUASIION_BENCH_QUICK=1): 200 orbitals, 10^4 for KPM, one round.
"""

from __future__ import annotations

import contextlib
import ctypes
import inspect
import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

import quasiion as q

QUICK = os.environ.get("QUASIION_BENCH_QUICK") == "1"
CELLS = 100 if QUICK else 1000
KPM_CELLS = 5_000 if QUICK else 500_000
ROUNDS = 1 if QUICK else 2
U_A, U_B, J0, A = -0.4, -0.2, -0.1, 4.0
TAU, N0, T = 1e-13, 1e22, 500.0
HBAR, E_CHARGE = 6.582119569e-16, 1.602176634e-19

BUILD = textwrap.dedent("""
    import numpy as np, quasiion as q
    def chain(N, seed, periodic=True):
        rng = np.random.default_rng(seed)
        on = np.tile([{U_A}, {U_B}], N) + rng.uniform(-0.05, 0.05, 2 * N)
        pos, hops = [], []
        for c in range(N):
            pos += [c * {A} + {A} / 2, c * {A}]
            hops.append((2 * c, 2 * c + 1, [0], {J0} / 2))
            if c + 1 < N:
                hops.append((2 * c, 2 * c + 3, [0], {J0} / 2))
            elif periodic:
                hops.append((2 * c, 1, [1], {J0} / 2))
        return q.TightBinding(N * {A}, pos, on, hops)
""").format(U_A=U_A, U_B=U_B, J0=J0, A=A)
exec(BUILD)  # defines chain()
MU = np.linspace(-0.7, 0.1, 200)


@contextlib.contextmanager
def blas_threads(n: int):
    """Limit the OpenBLAS of numpy/scipy to n threads (on a loaded shared machine its spinning
    threads slow eigh down 10x; the comparison is single-threaded on both sides)."""
    setters = []
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "openblas" in path.lower() and ".so" in path:
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                         "openblas_set_num_threads64_", "openblas_set_num_threads"):
                if hasattr(lib, name):
                    setters.append((getattr(lib, name), getattr(lib, name.replace("set", "get"), None)))
                    break
    old = [g() if g else None for _, g in setters]
    for s_, _ in setters:
        s_(n)
    try:
        yield
    finally:
        for (s_, _), o in zip(setters, old):
            if o:
                s_(o)


def numpy_eigenpairs(H):
    """The best scipy route to all eigenpairs: a narrow band (reverse Cuthill-McKee) goes to
    eig_banded (dsbevd; 0.58 s against eigh's 0.72 s for the 2000-orbital ring), else eigh."""
    from scipy.linalg import eig_banded
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    p = reverse_cuthill_mckee(sp.csr_matrix(H), symmetric_mode=True)
    Hp = H[np.ix_(p, p)]
    r, c = np.nonzero(Hp)
    kd = int(np.max(np.abs(r - c)))
    if kd > 32:
        return np.linalg.eigh(H)
    n = H.shape[0]
    ab = np.zeros((kd + 1, n))
    for s in range(kd + 1):
        ab[kd - s, s:] = np.diagonal(Hp, s)
    E, V = eig_banded(ab, lower=False)
    U = np.empty_like(V)
    U[p] = V
    return E, U


def numpy_kubo(tb, mu, T, tau, n0):
    """The numpy way: banded or dense eigenpairs, U^T (D U) with D sparse, far pairs as one
    product over all mu."""
    H = tb.hamiltonian([0.0]).real
    x = tb.positions[:, 0]
    L_cell = tb.vectors[0, 0]
    d = x[None, :] - x[:, None]
    d = d - L_cell * np.round(d / L_cell)  # minimum image = the bond vector of the hopping
    D = sp.csr_matrix(np.where(H != 0, d * H, 0.0))
    E, U = numpy_eigenpairs(H)
    M = U.T @ (D @ U)
    P = M * M
    eta = HBAR / tau
    kT = q.units.k_B * T
    dE = E[None, :] - E[:, None]  # E_n - E_m at [m, n]
    near = np.abs(dE) <= 1e-3 * kT
    L = (eta / np.pi) / (dE**2 + eta**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        B = np.where(near, 0.0, P * L / dE)
    X = (E[:, None] - mu[None, :]) / kT
    f, g = expit(-X), expit(X)
    far = 2 * np.einsum("np,np->p", f, B @ g)
    i, j = np.nonzero(np.triu(near))
    w = np.where(i == j, 1.0, 2.0) * P[i, j] * L[i, j]
    xm = 0.5 * (X[i] + X[j])
    nearsum = (w[:, None] * np.exp(-np.abs(xm)) / (1 + np.exp(-np.abs(xm))) ** 2 / kT).sum(0)
    vol = tb.n_orbitals / 2 / n0
    C = np.pi * E_CHARGE * 1e-16 / (HBAR * vol)
    return C * (far + nearsum)


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def peak_memory(code: str, setup: str = f"tb = chain({CELLS}, 1)") -> float:
    """Peak resident-memory increase (bytes) of `code` in a fresh interpreter, after `setup`."""
    prog = "\n".join([
        BUILD,
        "import json",
        "import scipy.sparse as sp",
        "from scipy.special import expit",
        f"HBAR, E_CHARGE = {HBAR!r}, {E_CHARGE!r}",
        inspect.getsource(numpy_eigenpairs),
        inspect.getsource(numpy_kubo),
        setup,
        "mu = np.linspace(-0.7, 0.1, 200)",
        # ru_maxrss survives fork/exec (a large parent would hide the child's peak): reset the
        # high-water mark of this process and read VmHWM - VmRSS (kB) instead.
        "def vm(key):",
        "    return int(next(x for x in open('/proc/self/status') if x.startswith(key)).split()[1])",
        "open('/proc/self/clear_refs', 'w').write('5')",
        "r0 = vm('VmRSS')",
        code,
        "r1 = vm('VmHWM')",
        "print(json.dumps((r1 - r0) * 1024))",
    ])
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, check=True,
                         env=env)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def test_bench_kubo_sigma_200_mu(compare):
    tb = chain(CELLS, 1)  # noqa: F821 - defined by exec(BUILD)
    ours = q.kubo_conductivity(tb, MU, T, tau=TAU, n0=N0)
    ref = numpy_kubo(tb, MU, T, TAU, N0)
    err = np.max(np.abs(ours / ref - 1))
    print(f"\n[kubo] N = {tb.n_orbitals}: max relative difference to numpy {err:.2e}")
    np.testing.assert_allclose(ours, ref, rtol=1e-7)
    with blas_threads(1):
        compare(lambda: q.kubo_conductivity(tb, MU, T, tau=TAU, n0=N0, threads=1),
                lambda: numpy_kubo(tb, MU, T, TAU, N0), rounds=ROUNDS,
                label=f"Kubo-Greenwood sigma at 200 mu, {tb.n_orbitals} orbitals, 1 thread each")
    with blas_threads(1):
        H = tb.hamiltonian([0.0]).real
        t_eigh = min(_time(lambda: np.linalg.eigh(H)) for _ in range(ROUNDS))
        t_band = min(_time(lambda: numpy_eigenpairs(H)) for _ in range(ROUNDS))
    print(f"[kubo] eigenpairs alone: numpy.linalg.eigh {t_eigh * 1e3:.0f} ms, reverse Cuthill-McKee "
          f"+ eig_banded (the reference's route) {t_band * 1e3:.0f} ms (1 thread)")
    n = tb.n_orbitals
    budget = 3 * 16 * n * n
    m_q = peak_memory("q.kubo_conductivity(tb, mu, 500.0, tau=1e-13, n0=1e22)")
    m_np = peak_memory("numpy_kubo(tb, mu, 500.0, 1e-13, 1e22)")
    print(f"[kubo] peak memory: quasiion {m_q / 1e6:.1f} MB, numpy {m_np / 1e6:.1f} MB, "
          f"3 dense complex N x N = {budget / 1e6:.1f} MB")
    if not QUICK:  # below ~100 MB the interpreter's own growth dominates
        assert m_q <= budget


def test_bench_kpm_million_orbitals(benchmark):
    tb = chain(KPM_CELLS, 2, periodic=False)  # noqa: F821
    kw = dict(n0=N0, n_moments=128, n_random=1, n_energies=64, memory_bytes=512e6)
    # Timed here too: with --benchmark-disable (CI's quick mode) the fixture keeps no stats.
    t0 = time.perf_counter()
    r = benchmark.pedantic(lambda: q.kpm_conductivity(tb, MU[:20], T, **kw), rounds=1,
                           iterations=1)
    t = time.perf_counter() - t0
    # One random vector: the trace estimate is unbiased but not positive point by point.
    assert np.all(np.isfinite(r.sigma)) and np.mean(r.sigma) > 0
    code = ("q.kpm_conductivity(tbk, mu[:20], 500.0, n0=1e22, n_moments=128, n_random=1, "
            "n_energies=64, memory_bytes=512e6)")
    prog_mem = peak_memory(code, setup=f"tbk = chain({KPM_CELLS}, 2, False)")
    benchmark.extra_info.update({"orbitals": tb.n_orbitals, "seconds": t, "peak_bytes": prog_mem})
    print(f"\n[kpm] {tb.n_orbitals} orbitals, 128 moments, 64 energies, 1 random vector: "
          f"{t:.1f} s, peak memory increase {prog_mem / 1e6:.0f} MB "
          f"({prog_mem / tb.n_orbitals:.0f} bytes per orbital)")
