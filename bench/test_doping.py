"""Doping sweep: every root of eq 42 for 1000 values of mu at the 3 alphas of Fig 4.

quasiion: ``DopedChain.sweep`` (C++, monotone bracketing + Brent per mu, parallel over mu,
GIL released; it also returns sigma, E_t, band edges and the grand potentials, which the
reference does not compute). Reference, the numpy way of the same roots: F(S) vectorised over
the zone nodes (the same quadrature), over a uniform S grid of step kT/8 (the coarsest that finds every root here) and over all mu at
once; sign changes bracket the roots, then one vectorised bisection refines every bracket of
every mu together. Both are checked against the numpy route on a 4x finer zone quadrature.

Algorithmic limit: a root needs ~10-15 evaluations of F (Brent), each n_k (24-48) Fermi pairs;
the scan that finds the brackets is the expensive part when done on a uniform grid
(~100 points x n_k per mu), which numpy must do and a monotone bracketing need not.

Run: ``python -m pytest bench/test_doping.py -s``.
"""

from __future__ import annotations

import os

import numpy as np

import quasiion
from quasiion import paper
from quasiion._core import doping as core

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
MU = np.linspace(-0.8, 0.4, 60 if QUICK else 1000)
ALPHAS = paper.ALPHAS


def _fermi(x):
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def _F(S, mu, cos_u, w, c, kT):
    """F(S) of eq 42 (fixed phase), S and mu broadcast against each other, nodes last."""
    ubar, du = 0.5 * (c.U_A + c.U_B), 0.5 * (c.U_A - c.U_B)
    m = abs(c.J0) * cos_u + S[..., None]
    R = np.sqrt(du**2 + m**2)
    mu = mu[..., None]
    D = _fermi((ubar - R - mu) / kT) - _fermi((ubar + R - mu) / kT)
    return 0.5 * c.K_over_a1 * np.sum(w * (m / R) * D, axis=-1)


def reference_roots(c: quasiion.DopedChain, mu: np.ndarray, T: float, refine: float = 1.0):
    """Every root of S = F(S) on [0, K/(2 a1)] for every mu: a list of arrays."""
    kT = quasiion.units.kT(T).item()
    u, w = (np.asarray(a) for a in core.auto_quadrature(c._chain, kT, refine))
    cos_u = np.cos(u)
    # step kT/8: at kT/4 one mu of this workload has two roots 1.4 meV apart in one cell
    grid = np.linspace(0.0, c.S_max, int(np.ceil(c.S_max / (0.125 * kT))) + 1)
    g = _F(grid[None, :], mu[:, None], cos_u, w, c, kT) - grid[None, :]  # (mu, S)
    im, iS = np.nonzero(np.sign(g[:, :-1]) * np.sign(g[:, 1:]) < 0)
    lo, hi = grid[iS], grid[iS + 1]
    glo = g[im, iS]
    for _ in range(45):  # grid step / 2^45 < 1e-15 eV
        mid = 0.5 * (lo + hi)
        gm = _F(mid, mu[im], cos_u, w, c, kT) - mid
        same = np.sign(gm) == np.sign(glo)
        lo, glo, hi = np.where(same, mid, lo), np.where(same, gm, glo), np.where(same, hi, mid)
    roots = 0.5 * (lo + hi)
    exact = [grid[np.flatnonzero(g[i] == 0.0)] for i in range(mu.size)]
    return [np.sort(np.concatenate([roots[im == i], exact[i]])) for i in range(mu.size)]


def test_doping_sweep_all_roots(compare):
    chains = [quasiion.DopedChain.from_eq45(a) for a in ALPHAS]
    T = paper.T

    def fast():
        return [c.sweep(MU, T) for c in chains]

    def slow():
        return [reference_roots(c, MU, T) for c in chains]

    got, ref = fast(), slow()
    err_q = err_n = 0.0
    for c, wq, rn in zip(chains, got, ref):
        fine = reference_roots(c, MU[::10], T, refine=4.0)
        for i, roots in enumerate(rn):
            ours = wq.roots[i][: wq.n_roots[i]]
            np.testing.assert_allclose(ours, roots, rtol=0, atol=1e-11)  # before timing
            if i % 10 == 0:
                err_q = max(err_q, float(np.max(np.abs(ours - fine[i // 10]))))
                err_n = max(err_n, float(np.max(np.abs(roots - fine[i // 10]))))
    points = len(MU) * len(ALPHAS)
    ratio = compare(fast, slow, rounds=3, label=f"doping sweep, {len(MU)} mu x 3 alpha (all roots)",
                    accuracy={"quasiion": err_q, "reference": err_n})
    compare(lambda: [c.sweep(MU, T, threads=1) for c in chains], slow, rounds=3,
            label=f"doping sweep, {len(MU)} mu x 3 alpha, 1 thread")
    print(f"  {points} points; ratio {ratio:.1f}x with 2 threads")
