"""Overlap-route tight binding (eq 15) over many temperatures: quasiion (C++ orbit tables,
parallel over T) against the scipy way (PchipInterpolator + brentq turning points + QAWS
quad orbit integrals tabulated once, then vectorised over T)."""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from quasiion import Potential, units

ALPHA = 0.6
T = np.linspace(150.0, 1500.0, 200)


def _reference(x: np.ndarray, U: np.ndarray) -> np.ndarray:
    f = PchipInterpolator(x, U)
    a = x[-1] - x[0]
    # wells and barrier of eq 45 (known layout: B at 0, A at a/2, barrier U_max between)
    xs = np.linspace(0, a / 2, 4001)
    ib = int(np.argmax(f(xs)))
    xb, Ub = xs[ib], float(f(xs[ib]))
    wells = {"B": (0.0, float(f(0.0)), -xb, xb), "A": (a / 2, float(f(a / 2)), xb, a - xb)}
    tables = {}
    for name, (x0, U0, lo, hi) in wells.items():
        s = 0.5 * (1 - np.cos(np.pi * np.arange(64) / 63))
        E = U0 + (Ub - U0) * np.clip(s, 1e-4, 1 - 1e-9) ** 2
        meanU = []
        for e in E:
            def g(t, e=e):
                return float(f(np.mod(t, a))) - e

            xm, xp = brentq(g, lo, x0), brentq(g, x0, hi)

            def smooth(t, e=e, xm=xm, xp=xp):
                d = e - float(f(np.mod(t, a)))
                return np.sqrt(max((t - xm) * (xp - t), 0.0) / d) if d > 0 else 0.0

            Tn = quad(smooth, xm, xp, weight="alg", wvar=(-0.5, -0.5), limit=100)[0]
            An = quad(lambda t: smooth(t) * float(f(np.mod(t, a))), xm, xp, weight="alg",
                      wvar=(-0.5, -0.5), limit=100)[0]
            meanU.append(An / Tn)
        tables[name] = (U0, E, np.array(meanU))
    kT = units.kT(T)[:, None]
    mean = {}
    for name, (U0, E, mU) in tables.items():
        wgt = np.exp(-(E[None, :] - U0) / kT)
        mean[name] = np.trapezoid(wgt * mU, E, axis=1) / np.trapezoid(wgt, E, axis=1)
    UA0, UB0 = tables["A"][0], tables["B"][0]
    kT = kT[:, 0]
    wA, wB = np.exp(-(Ub - UA0) / kT), np.exp(-(Ub - UB0) / kT)
    return (mean["B"] * np.sqrt(wA) + mean["A"] * np.sqrt(wB)) / np.sqrt((1 + 2 * wA) * (1 + 2 * wB))


def test_overlap_tight_binding_many_T(compare):
    p = Potential.eq45(ALPHA)
    x, U = p.x, p.U

    def ours():
        return Potential.from_samples(x, U, periodic=True).tight_binding(T, "overlap").J0

    ref = _reference(x, U)
    np.testing.assert_allclose(ours(), ref, rtol=2e-3)
    compare(ours, lambda: _reference(x, U), rounds=2, label="overlap J0 at 200 T")
