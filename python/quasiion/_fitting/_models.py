"""The conductivity-temperature models: value, Jacobian, parameter boxes and the global step.

Every model is written for y = ln sigma (or ln(sigma T) when ``sigma_is="sigmaT"``) as a
function of T in K and beta = 1/(k_B T) in 1/eV. Each model is linear in some of its
parameters once the others are fixed; the global step exploits that (variable projection): it
scans the nonlinear parameters on a grid, solves the linear ones exactly (with their sign
bound) at every grid point, and hands the best few grid points to the local optimiser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import units

Array = np.ndarray


@dataclass(frozen=True)
class Model:
    """One model: names, units, value, Jacobian, bounds and starting points."""

    name: str
    params: tuple[str, ...]
    units: tuple[str, ...]
    formula: str
    value: Callable[[Array, Array, Array], Array]  # (p, T, beta) -> y
    jac: Callable[[Array, Array, Array], Array]  # (p, T, beta) -> dy/dp, shape (n, k)
    bounds: Callable[[Array, bool], tuple[Array, Array]]  # (T, physical) -> (lb, ub)
    starts: Callable[[Array, Array, Array, Array, bool], list[Array]]  # (T, beta, y, w, physical)

    @property
    def n_params(self) -> int:
        return len(self.params)


# ---------------------------------------------------------------------------------------------
# weighted two-column least squares, vectorised over many problems (the inner linear solve)


def _line_fit(u: Array, z: Array, w2: Array, slope_sign: int) -> tuple[Array, Array, Array]:
    """Fit z ~ a + s*u for each row of z (and u, if 2-D) with weights w2 (= w^2).

    ``slope_sign`` = +1 forces s >= 0, -1 forces s <= 0, 0 leaves it free. Returns (a, s, ssr)
    per row. Where u has no spread (one distinct value) the slope is 0.
    """
    W = w2.sum()
    ub = (u * w2).sum(-1) / W
    zb = (z * w2).sum(-1) / W
    du = u - ub[..., None]
    dz = z - zb[..., None]
    suu = (du * du * w2).sum(-1)
    suz = (du * dz * w2).sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(suu > 0, suz / np.where(suu > 0, suu, 1.0), 0.0)
    if slope_sign > 0:
        s = np.maximum(s, 0.0)
    elif slope_sign < 0:
        s = np.minimum(s, 0.0)
    a = zb - s * ub
    r = z - a[..., None] - s[..., None] * u
    return a, s, (r * r * w2).sum(-1)


def _top(ssr: Array, k: int) -> Array:
    ssr = np.where(np.isfinite(ssr), ssr, np.inf)
    return np.argsort(ssr.ravel(), kind="stable")[:k]


N_POLISH = 3  # grid points handed to the local optimiser per model

# ---------------------------------------------------------------------------------------------
# plain Arrhenius: y = -E_a beta + c


def _arr_value(p: Array, T: Array, beta: Array) -> Array:
    return -p[0] * beta + p[1]


def _arr_jac(p: Array, T: Array, beta: Array) -> Array:
    return np.column_stack([-beta, np.ones_like(beta)])


def _arr_bounds(T: Array, physical: bool) -> tuple[Array, Array]:
    lo = 0.0 if physical else -np.inf
    return np.array([lo, -np.inf]), np.array([np.inf, np.inf])


def arrhenius_solution(beta: Array, y: Array, w: Array, physical: bool) -> Array:
    """The exact (global) weighted least-squares Arrhenius parameters (E_a, c)."""
    a, s, _ = _line_fit(beta, y, w * w, -1 if physical else 0)
    return np.array([-float(s), float(a)])


def _arr_starts(T: Array, beta: Array, y: Array, w: Array, physical: bool) -> list[Array]:
    return [arrhenius_solution(beta, y, w, physical)]


# ---------------------------------------------------------------------------------------------
# the paper's "Arrhenius with b ln beta": y = -E~ beta - b ln beta + c (beta in 1/eV)


def _arrb_value(p: Array, T: Array, beta: Array) -> Array:
    return -p[0] * beta - p[1] * np.log(beta) + p[2]


def _arrb_jac(p: Array, T: Array, beta: Array) -> Array:
    return np.column_stack([-beta, -np.log(beta), np.ones_like(beta)])


def _arrb_bounds(T: Array, physical: bool) -> tuple[Array, Array]:
    # The paper's form has no sign constraint: b absorbs the curvature (Table 1: b ~ -35).
    return np.full(3, -np.inf), np.full(3, np.inf)


def _arrb_starts(T: Array, beta: Array, y: Array, w: Array, physical: bool) -> list[Array]:
    A = np.column_stack([-beta, -np.log(beta), np.ones_like(beta)]) * w[:, None]
    p, *_ = np.linalg.lstsq(A, y * w, rcond=None)
    return [p]


# ---------------------------------------------------------------------------------------------
# quasi-ion (section 3.2): y = -E_t beta - E_a0 (beta - beta0) - ln[1 + 2 exp(-E_a0 (beta -
# beta0))] + c  =  -E_t beta - ln(exp(x) + 2) + c  with x = E_a0 (beta - beta0)

LN2 = float(np.log(2.0))


def _qi_g(E_a0: Array, beta0: Array, beta: Array) -> Array:
    """-E_a0 (beta - beta0) - ln[1 + 2 exp(-E_a0 (beta - beta0))], overflow-safe."""
    x = E_a0 * (beta - beta0)
    return -np.logaddexp(x, LN2)


def _qi_value(p: Array, T: Array, beta: Array) -> Array:
    return -p[0] * beta + _qi_g(p[1], p[2], beta) + p[3]


def _expit(z: Array) -> Array:
    # 1 / (1 + exp(-z)) without overflow
    return np.exp(-np.logaddexp(0.0, -z))


def _qi_jac(p: Array, T: Array, beta: Array) -> Array:
    x = p[1] * (beta - p[2])
    s = _expit(x - LN2)  # d ln(e^x + 2)/dx = e^x / (e^x + 2)
    return np.column_stack([-beta, -s * (beta - p[2]), s * p[1], np.ones_like(beta)])


def _qi_bounds(T: Array, physical: bool) -> tuple[Array, Array]:
    if physical:  # E_t >= 0, E_a0 >= 0, beta0 >= 0 (closed box; a fit on a face is reported)
        return np.array([0.0, 0.0, 0.0, -np.inf]), np.full(4, np.inf)
    return np.full(4, -np.inf), np.full(4, np.inf)


#: How far (in units of x = E_a0 (beta - beta0)) the embedded Arrhenius solution keeps the
#: bend beyond the data: exp(-40)/2 ~ 2e-18 is below double-precision round-off of ln 2.
X_EMBED = 40.0


def arrhenius_as_quasi_ion(E_a: float, c: float, beta_max: float, E_a0: float = 1.0) -> Array:
    """Quasi-ion parameters reproducing the Arrhenius line y = -E_a beta + c to round-off.

    For beta << beta0 (all data on the high-temperature side of the bend) the quasi-ion model
    is -E_t beta - ln 2 + c' - O(exp(E_a0 (beta - beta0))): so E_t = E_a, c' = c + ln 2 and
    beta0 = beta_max + X_EMBED / E_a0. This is the limit in which quasi-ion contains Arrhenius
    (E_t >= 0 whenever E_a >= 0, so it respects the physical box too).

    E_a in eV, c in ln(S/cm), beta_max in 1/eV (> 0), E_a0 in eV (> 0).
    """
    from .. import _validation as V

    E_a = V.finite("E_a", E_a)
    c = V.finite("c", c)
    beta_max = V.positive("beta_max", beta_max)
    E_a0 = V.positive("E_a0", E_a0)
    return np.array([E_a, E_a0, beta_max + X_EMBED / E_a0, c + LN2])


def _qi_starts(T: Array, beta: Array, y: Array, w: Array, physical: bool) -> list[Array]:
    w2 = w * w
    bmin, bmax = float(beta.min()), float(beta.max())
    span = max(bmax - bmin, 1e-3 * bmax)
    # nonlinear parameters on a grid: E_a0 log-spaced (both signs when unconstrained), beta0
    # across and beyond the measured window
    ea = np.geomspace(1e-3, 20.0, 48)
    b0 = np.linspace(bmin - 1.0 * span, bmax + 1.0 * span, 49)
    if physical:
        b0 = b0[b0 >= 0.0]
        if b0.size == 0 or b0[0] > 0:
            b0 = np.concatenate([[0.0], b0])
    else:
        ea = np.concatenate([-ea[::-1], ea])
    EA, B0 = np.meshgrid(ea, b0, indexing="ij")
    g = _qi_g(EA.ravel()[:, None], B0.ravel()[:, None], beta[None, :])
    z = y[None, :] - g
    a, s, ssr = _line_fit(beta, z, w2, -1 if physical else 0)  # z = c - E_t beta
    out = []
    for i in _top(ssr, N_POLISH):
        out.append(np.array([-s[i], EA.ravel()[i], B0.ravel()[i], a[i]]))
    E_a, c = arrhenius_solution(beta, y, w, physical)
    out.append(arrhenius_as_quasi_ion(E_a, c, bmax))
    return out


# ---------------------------------------------------------------------------------------------
# Vogel-Tammann-Fulcher: sigma = A exp(-B / (k_B (T - T0))), T0 < min T: y = ln A - B u,
# u = 1 / (k_B (T - T0))

#: T0 stays below min(T) by this fraction of min(T) (the model is singular at T0 = T).
T0_GAP = 1e-4


def _vtf_value(p: Array, T: Array, beta: Array) -> Array:
    return p[0] - p[1] / (units.k_B * (T - p[2]))


def _vtf_jac(p: Array, T: Array, beta: Array) -> Array:
    d = T - p[2]
    return np.column_stack([np.ones_like(T), -1.0 / (units.k_B * d), -p[1] / (units.k_B * d * d)])


def _vtf_bounds(T: Array, physical: bool) -> tuple[Array, Array]:
    t0_hi = float(T.min()) * (1.0 - T0_GAP)
    if physical:  # B >= 0, 0 <= T0 < min T
        return np.array([-np.inf, 0.0, 0.0]), np.array([np.inf, np.inf, t0_hi])
    return np.array([-np.inf, -np.inf, -np.inf]), np.array([np.inf, np.inf, t0_hi])


def _vtf_starts(T: Array, beta: Array, y: Array, w: Array, physical: bool) -> list[Array]:
    tmin = float(T.min())
    # T0 from 0 (Arrhenius) towards min T, denser near min T where the model bends most
    gap = np.geomspace(T0_GAP, 1.0, 80)
    t0 = tmin * (1.0 - gap)
    if not physical:
        t0 = np.concatenate([t0, -tmin * np.geomspace(1e-2, 10.0, 20)])
    u = 1.0 / (units.k_B * (T[None, :] - t0[:, None]))
    a, s, ssr = _line_fit(u, np.broadcast_to(y, u.shape), w * w, -1 if physical else 0)
    return [np.array([a[i], -s[i], t0[i]]) for i in _top(ssr, N_POLISH)]


MODELS: dict[str, Model] = {
    "quasi-ion": Model(
        "quasi-ion", ("E_t", "E_a0", "beta0", "ln_sigma0"), ("eV", "eV", "1/eV", "ln(S/cm)"),
        "ln s = -E_t b - E_a0 (b - b0) - ln[1 + 2 exp(-E_a0 (b - b0))] + ln s0",
        _qi_value, _qi_jac, _qi_bounds, _qi_starts),
    "arrhenius": Model(
        "arrhenius", ("E_a", "ln_sigma0"), ("eV", "ln(S/cm)"), "ln s = -E_a b + ln s0",
        _arr_value, _arr_jac, _arr_bounds, _arr_starts),
    "arrhenius-b": Model(
        "arrhenius-b", ("E_tilde", "b", "ln_sigma0"), ("eV", "1", "ln(S/cm)"),
        "ln s = -E~ b - b_ ln b + ln s0  (b = 1/kT in 1/eV)",
        _arrb_value, _arrb_jac, _arrb_bounds, _arrb_starts),
    "vtf": Model(
        "vtf", ("ln_A", "B", "T0"), ("ln(S/cm)", "eV", "K"), "s = A exp(-B / (k (T - T0)))",
        _vtf_value, _vtf_jac, _vtf_bounds, _vtf_starts),
}
