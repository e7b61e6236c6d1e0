"""Overlap-route tight binding (eq 15 with eq 13 densities) of the eq 45 profile at 200
temperatures, from the samples: quasiion against the numpy/scipy way.

Both compute, per well, the orbit average <U>_E at fixed Gauss-Legendre nodes in
s = sqrt((E - U_min)/(E_top - U_min)) (panels graded toward the Boltzmann peak at s = 0 and the
logarithmic period at the barrier top), shared by every temperature, then one weighted sum per
temperature. The reference: scipy's PchipInterpolator, vectorised bisection for the turning
points, Gauss-Legendre in theta under x = c - (L/2) cos(theta) (orbit integrals with no node
on a turning point), a (T x nodes) Boltzmann matrix. Both are checked against the same route
with 512 theta nodes and 16 x 40 s nodes.

Algorithmic limit: about 200 orbits (2 turning points + 32-64 interpolant evaluations each)
and 200 x 200 exponentials, i.e. ~1e4 interpolant evaluations and ~4e4 exp: well under a
millisecond. Numpy spends its time in per-call overhead of the interpolant inside the
bisection (one call per iteration) and in the (T x nodes) temporaries.

Run: ``python -m pytest bench/test_potential.py -s``.
"""

from __future__ import annotations

import os

import numpy as np
from scipy.interpolate import PchipInterpolator

from quasiion import Potential, units

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
ALPHA = 0.6
T = np.linspace(150.0, 1500.0, 20 if QUICK else 200)


def s_rule(n_per: int = 8, low: int = 2, high: int = 10, ratio: float = 0.5):
    """Gauss-Legendre nodes and weights in s on [0, 1], panels [0, 1/4], [1/4, 1/2], then
    toward 1 at 1 - 2^-k (k <= high)."""
    x, w = np.polynomial.legendre.leggauss(n_per)
    edges = np.concatenate([[0.0], ratio ** np.arange(low, 0, -1),
                            1 - ratio ** np.arange(2, high + 1), [1.0]])
    a, b = edges[:-1, None], edges[1:, None]
    return (0.5 * (b - a) * (x + 1) + a).ravel(), (0.5 * (b - a) * w).ravel()


def reference(x, U, T, n_theta=48, rule=None, n_bisect=48):
    """(J0, U_A, U_B) of the overlap route, eV, the numpy/scipy way."""
    s, ws = s_rule() if rule is None else rule
    f = PchipInterpolator(x, U)
    a, m = x[-1] - x[0], len(x) - 1

    def Uw(xx):  # periodic
        return f(np.mod(xx - x[0], a) + x[0])

    # eq 45 layout from the samples: B at x = 0, A at the global minimum, the barrier between
    iA, iB = int(np.argmin(U[:m])), 0
    ib = iB + int(np.argmax(U[iB:iA + 1]))
    Ub, xb = U[ib], x[ib]
    th, wth = np.polynomial.legendre.leggauss(n_theta)
    th, wth = 0.5 * np.pi * (th + 1), 0.5 * np.pi * wth
    kT = units.kT(T)[:, None]
    means = []
    for x0, U0 in ((x[iA], U[iA]), (x[iB], U[iB])):
        D = Ub - U0
        E = U0 + D * s**2
        half = abs(xb - x0)
        # turning points: bisection on both sides at once, vectorised over the nodes
        lo = np.concatenate([np.full(E.size, x0), np.full(E.size, x0 - half)])
        hi = np.concatenate([np.full(E.size, x0 + half), np.full(E.size, x0)])
        EE = np.concatenate([E, E])
        right = np.arange(2 * E.size) < E.size
        for _ in range(n_bisect):
            mid = 0.5 * (lo + hi)
            above = (Uw(mid) >= EE) == right
            hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)
        tp = 0.5 * (lo + hi)
        xp, xm = tp[:E.size], tp[E.size:]
        c, hL = 0.5 * (xp + xm), 0.5 * (xp - xm)
        u = Uw(c[:, None] - hL[:, None] * np.cos(th))
        g = wth * hL[:, None] * np.sin(th) / np.sqrt(np.maximum(E[:, None] - u, 1e-300))
        Umean = (g * u).sum(1) / g.sum(1)
        wE = np.exp(-(E - U0) / kT) * (ws * 2 * D * s)
        means.append(((wE @ Umean) / wE.sum(1), U0))
    (mA, UA0), (mB, UB0) = means
    kT = kT[:, 0]
    wA, wB = np.exp(-(Ub - UA0) / kT), np.exp(-(Ub - UB0) / kT)
    NA, NB = 1 + 2 * wA, 1 + 2 * wB
    J0 = (mB * np.sqrt(wA) + mA * np.sqrt(wB)) / np.sqrt(NA * NB)
    return J0, (mA + 2 * wA * mB) / NA, (mB + 2 * wB * mA) / NB


def test_overlap_tight_binding_many_T(compare):
    p = Potential.eq45(ALPHA)
    x, U = p.x, p.U

    def ours():
        tb = Potential.from_samples(x, U, periodic=True).tight_binding(T, "overlap")
        return tb.J0, tb.U_A, tb.U_B

    fine = reference(x, U, T, n_theta=512, rule=s_rule(16, 3, 40))
    err_q = max(float(np.max(np.abs(a - b))) for a, b in zip(ours(), fine))
    err_n = max(float(np.max(np.abs(a - b))) for a, b in zip(reference(x, U, T), fine))
    assert err_q < 5e-8 and err_n < 5e-8, (err_q, err_n)  # eV, both against the finer route
    compare(ours, lambda: reference(x, U, T), rounds=5,
            label=f"overlap J0, U_A, U_B at {T.size} T from samples",
            accuracy={"quasiion": err_q, "reference": err_n})
