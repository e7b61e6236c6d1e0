"""tau+/tau- and the reciprocal Onsager matrix over 10^6 (j, rho_e/rho_i, xi0) points:
quasiion (C++, threads) vs the same eq 38/39 algebra written in vectorised numpy."""

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


def test_bench_onsager_matrix(compare):
    M = q.onsager_matrix(J, R, XI, method="eq39", warn=False)
    t, ee, ei, ie, ii = numpy_matrix(J, R, XI)
    np.testing.assert_allclose(M.tau_ratio, t, rtol=1e-12)
    compare(lambda: q.onsager_matrix(J, R, XI, method="eq39", warn=False),
            lambda: numpy_matrix(J, R, XI), label="onsager_matrix 1e6 points")


def test_bench_tau_ratio(compare):
    compare(lambda: q.tau_ratio(J, R, XI, "eq39"), lambda: numpy_matrix(J, R, XI)[0],
            label="tau_ratio 1e6 points")
