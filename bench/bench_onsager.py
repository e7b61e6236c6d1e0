"""tau+/tau- and the reciprocal Onsager matrix over 10^6 (j, rho_e/rho_i, xi0) points:
quasiion (C++, threads) vs the same eq 38/39 algebra written in vectorised numpy.

The matrix benchmark's reference computes what ``onsager_matrix`` returns: input checks,
tau+/tau-, the four entries, alpha_i* and alpha_e*, and positive semi-definiteness. This is
closed-form elementwise algebra, where vectorised numpy is already near memory speed: expect a
ratio near 1, not the large factors of the band and mean-field benchmarks."""

from __future__ import annotations

import numpy as np

import quasiion as q

N = 1_000_000
_rng = np.random.default_rng(1)
J = 10.0 ** _rng.uniform(-3, 6, N)
R = 10.0 ** _rng.uniform(-3, 6, N)
XI = _rng.uniform(0.01, 1.0, N)


def numpy_matrix(j, r, xi):
    p, qq = 0.5 * (1 + xi), 0.5 * (1 - xi)
    c = (1 + xi) / (1 - xi)
    dt = (j * r - 1) / (c * (r + j) + 1)
    t = 1 + dt
    ee = t * r * j * p * p / xi
    ei = -(qq / xi) * (t * qq + dt * p * j)
    ie = r * (qq / xi) * (dt * p - qq * j)
    ii = p * p / xi
    return t, ee, ei, ie, ii


def numpy_full(j, r, xi):
    """Everything onsager_matrix returns, the numpy way."""
    for a in (j, r, xi):
        if not np.isfinite(a).all():
            raise ValueError("non-finite input")
    if (j < 0).any() or (r < 0).any() or not ((xi > 0) & (xi <= 1)).all():
        raise ValueError("out of range")
    t, ee, ei, ie, ii = numpy_matrix(j, r, xi)
    L = np.stack([np.stack([ee, ei], -1), np.stack([ie, ii], -1)], -2)
    alpha_i, alpha_e = np.abs(ie / ii), np.abs(ei / ee)
    off = 0.5 * (ei + ie)
    lam = 0.5 * (ee + ii) - np.sqrt(0.25 * (ee - ii) ** 2 + off**2)
    psd = lam >= -1e-12 * np.maximum(np.abs(ee) + np.abs(ii), np.abs(ei) + np.abs(ie))
    return t, L, alpha_i, alpha_e, psd


def test_bench_onsager_matrix(compare):
    M = q.onsager_matrix(J, R, XI, method="eq39", warn=False)
    t, ee, ei, ie, ii = numpy_matrix(J, R, XI)
    np.testing.assert_allclose(M.tau_ratio, t, rtol=1e-12)
    compare(lambda: q.onsager_matrix(J, R, XI, method="eq39", warn=False),
            lambda: numpy_full(J, R, XI), label="onsager_matrix 1e6 points")


def test_bench_tau_ratio(compare):
    compare(lambda: q.tau_ratio(J, R, XI, "eq39"), lambda: numpy_matrix(J, R, XI)[0],
            label="tau_ratio 1e6 points")
