"""tau+/tau-, alpha* and the reduced Onsager matrix over 10^6 (j, rho_e/rho_i, xi0) points:
quasiion (one fused C++ pass, validation inside it) against the same closed forms written in
vectorised numpy, each reference computing exactly what the quasiion call returns.

Algorithmic limit: a few flops and one or two divisions per point, so both sides are bound by
memory traffic: read 3 arrays (24 MB) and write the outputs (8 MB for tau+/tau-). Numpy makes
one pass per operation (about 10 passes over 8 MB temporaries for eq 39); the fused loop makes
one. The matrix returns 11 arrays (about 100 MB written), where numpy is near the same limit.

Run: ``python -m pytest bench/test_onsager.py -s``.
"""

from __future__ import annotations

import os

import numpy as np

import quasiion as q

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
N = 20_000 if QUICK else 1_000_000
_rng = np.random.default_rng(1)
J = 10.0 ** _rng.uniform(-3, 6, N)
R = 10.0 ** _rng.uniform(-3, 6, N)
XI = _rng.uniform(0.01, 1.0, N)


def _check(j, r, xi):
    """The input checks quasiion makes (finite, j, r >= 0, 0 < xi <= 1)."""
    if not (np.isfinite(j).all() and np.isfinite(r).all() and (j >= 0).all() and (r >= 0).all()
            and ((xi > 0) & (xi <= 1)).all()):
        raise ValueError("out of range")


def numpy_tau(j, r, xi):
    """Eq 39 with its input checks, the numpy way."""
    _check(j, r, xi)
    c = (1 + xi) / (1 - xi)
    return 1 + (j * r - 1) / (c * (r + j) + 1)


def numpy_alpha(j, r, xi):
    """Eq 40-41 with their input checks, the numpy way."""
    _check(j, r, xi)
    eps = (1 - xi) / (1 + xi)
    ai = ((1 + j * j) * (1 + xi) + j * (1 - xi)) / ((j + r) * (1 + xi) + (1 - xi)) * eps**2 * r
    return ai, ai / (j * r * numpy_tau(j, r, xi))


def numpy_full(j, r, xi):
    """Everything onsager_matrix returns (checks, tau+/tau-, L, alpha_i*, alpha_e*, PSD and
    the smallest eigenvalue of the symmetric part), the numpy way."""
    _check(j, r, xi)
    p, qq = 0.5 * (1 + xi), 0.5 * (1 - xi)
    c = (1 + xi) / (1 - xi)
    dt = (j * r - 1) / (c * (r + j) + 1)
    t = 1 + dt
    L = np.empty(j.shape + (2, 2))
    ee, ei, ie, ii = L[..., 0, 0], L[..., 0, 1], L[..., 1, 0], L[..., 1, 1]
    ee[...] = t * r * j * p * p / xi
    ei[...] = -(qq / xi) * (t * qq + dt * p * j)
    ie[...] = r * (qq / xi) * (dt * p - qq * j)
    ii[...] = p * p / xi
    alpha_i, alpha_e = np.abs(ie / ii), np.abs(ei / ee)
    # Smallest eigenvalue of the symmetric part as det / lambda_max (no cancellation when
    # one diagonal element dwarfs the other); PSD from the diagonal and the determinant, each
    # up to rounding relative to its own terms.
    b = 0.5 * (ei + ie)
    lam_max = 0.5 * (ee + ii) + np.hypot(0.5 * (ee - ii), b)
    det = ee * ii - b * b
    lam = det / lam_max
    scale = np.maximum(np.abs(ee) + np.abs(ii), np.abs(ei) + np.abs(ie))
    psd = ((ee >= -1e-12 * scale) & (ii >= -1e-12 * scale)
           & (det >= -1e-12 * (np.abs(ee * ii) + b * b)))
    return t, L, alpha_i, alpha_e, psd, lam


def _exact_tau(j, r, xi):
    """The reciprocity solution in a cancellation-free form, in extended precision
    (the finer route both sides are checked against)."""
    j, r, xi = (np.asarray(a, dtype=np.longdouble) for a in (j, r, xi))
    s = (1 + xi) * (j + r)
    return s / (s + (1 - xi)) + (1 - xi) * j * r / (s + (1 - xi))


def test_bench_tau_ratio(compare):
    exact = _exact_tau(J, R, XI)
    got, ref = q.tau_ratio(J, R, XI, "eq39"), numpy_tau(J, R, XI)
    err_q = float(np.max(np.abs(got / exact - 1)))
    err_n = float(np.max(np.abs(ref / exact - 1)))
    assert err_q < 1e-12 and err_n < 1e-9
    compare(lambda: q.tau_ratio(J, R, XI, "eq39"), lambda: numpy_tau(J, R, XI),
            label=f"tau_ratio (eq 39) {N:.0e} points",
            accuracy={"quasiion": err_q, "reference": err_n})
    compare(lambda: q.tau_ratio(J, R, XI, "eq39", threads=1), lambda: numpy_tau(J, R, XI),
            label=f"tau_ratio (eq 39) {N:.0e} points, 1 thread")


def test_bench_alpha_star(compare):
    (ai, ae), (ri, re) = q.alpha_star(J, R, XI, "eq40"), numpy_alpha(J, R, XI)
    np.testing.assert_allclose(ai, ri, rtol=1e-9)
    np.testing.assert_allclose(ae, re, rtol=1e-9)
    compare(lambda: q.alpha_star(J, R, XI, "eq40"), lambda: numpy_alpha(J, R, XI),
            label=f"alpha_star (eq 40-41) {N:.0e} points")


def test_bench_onsager_matrix(compare):
    M = q.onsager_matrix(J, R, XI, method="eq39", warn=False)
    t, L, ai, ae, psd, lam = numpy_full(J, R, XI)
    np.testing.assert_allclose(M.tau_ratio, t, rtol=1e-9)
    np.testing.assert_allclose(M.L, L, rtol=1e-8, atol=1e-12 * np.abs(L).max())
    np.testing.assert_array_equal(M.psd, psd)
    compare(lambda: q.onsager_matrix(J, R, XI, method="eq39", warn=False),
            lambda: numpy_full(J, R, XI), label=f"onsager_matrix {N:.0e} points")
