"""Doping sweep: every root of eq 42 for 1000 values of mu at the 3 alphas of Fig 4.

quasiion: ``DopedChain.sweep`` (C++ monotone bracketing + Brent, parallel over mu, GIL
released; it also returns sigma, E_t, band edges and the grand potentials). Reference: the
straightforward numpy/scipy way of the same root problem: F(S) vectorised over the zone
(the same half-zone Gauss-Legendre nodes) and over a uniform S grid of step kT/4, then
``scipy.optimize.brentq`` on every bracket. The reference is timed on every 10th mu (300
points) and scaled to 3000 points; the ratio is per point.

Run: ``python -m pytest bench/test_doping.py --benchmark-only -s``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import brentq

import quasiion
from quasiion import paper
from quasiion._core import doping as core

MU = np.linspace(-0.8, 0.4, 1000)
ALPHAS = paper.ALPHAS
SUBSET = 10  # the reference runs on every 10th mu


def _fermi(x):
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def reference_roots(c: quasiion.DopedChain, mu_values: np.ndarray, T: float) -> list[np.ndarray]:
    kT = quasiion.units.kT(T).item()
    u, w = core.auto_quadrature(c._chain, kT)
    cos_u, w = np.asarray(u), np.asarray(w)
    cos_u = np.cos(cos_u)
    ubar, du = 0.5 * (c.U_A + c.U_B), 0.5 * (c.U_A - c.U_B)
    J, K = abs(c.J0), c.K_over_a1
    S_max = 0.5 * K
    grid = np.linspace(0.0, S_max, int(np.ceil(S_max / (0.25 * kT))) + 1)
    out = []
    for mu in mu_values:

        def F(S, mu=mu):
            m = J * cos_u + np.asarray(S, dtype=float)[..., None]
            R = np.sqrt(du**2 + m**2)
            D = _fermi((ubar - R - mu) / kT) - _fermi((ubar + R - mu) / kT)
            return 0.5 * K * np.sum(w * (m / R) * D, axis=-1)

        g = F(grid) - grid
        roots = [grid[i] for i in np.flatnonzero(g == 0.0)]
        for i in np.flatnonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0):
            roots.append(brentq(lambda s: float(F(s)) - s, grid[i], grid[i + 1], xtol=1e-14))
        out.append(np.sort(roots))
    return out


def test_doping_sweep_all_roots(compare, benchmark):
    chains = [quasiion.DopedChain.from_eq45(a) for a in ALPHAS]
    T = paper.T

    def fast():
        return [c.sweep(MU, T) for c in chains]

    def slow_subset():
        return [reference_roots(c, MU[::SUBSET], T) for c in chains]

    # agreement first (same roots on the subset)
    got, ref = fast(), slow_subset()
    for w, r in zip(got, ref):
        for i, roots in enumerate(r):
            j = i * SUBSET
            np.testing.assert_allclose(w.roots[j][: w.n_roots[j]], roots, rtol=0, atol=1e-11)

    ratio = compare(fast, slow_subset, rounds=2, label="doping sweep, 1000 mu x 3 alpha",
                    reference_scale=SUBSET)
    points = len(MU) * len(ALPHAS)
    fast_s = benchmark.extra_info["quasiion_s"]
    ref_s = benchmark.extra_info["reference_s"]  # already scaled to the full sweep
    benchmark.extra_info.update({
        "points": points,
        "quasiion_us_per_point": fast_s / points * 1e6,
        "reference_us_per_point": ref_s / points * 1e6,
        "reference_timed_on": f"every {SUBSET}th mu ({points // SUBSET} points), scaled x{SUBSET}",
        "ratio_per_point": ratio,
    })
    t0 = time.perf_counter()
    chains[0].sweep(MU, T, threads=1)
    one_thread = time.perf_counter() - t0
    benchmark.extra_info["quasiion_alpha0.5_one_thread_s"] = one_thread
    print(f"  per point: quasiion {fast_s / points * 1e6:.1f} us, numpy/scipy "
          f"{ref_s / points * 1e6:.1f} us -> {ratio:.0f}x (reference timed on 1/{SUBSET})")
