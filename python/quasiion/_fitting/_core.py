"""fit_conductivity, compare_fits, their result objects and the identifiability checks."""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .. import units
from ..results import ResultMixin
from ._models import MODELS, Model, arrhenius_as_quasi_ion, arrhenius_solution

MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
SIGMA_IS: tuple[str, ...] = ("sigma", "sigmaT")
BOUNDS: tuple[str | None, ...] = ("physical", None)

#: |correlation| above this is reported as "not separately identified".
CORR_LIMIT = 0.995
#: A scaled-Jacobian singular value below this fraction of the largest is a flat direction.
FLAT_LIMIT = 1e-7
#: Duplicate temperatures whose ln sigma differ by more than this are "contradictory".
DUPLICATE_TOL = 0.2
#: Local apparent activation energy (eV) between neighbouring points above which the data
#: are reported as jumping (a phase transition or an artefact).
JUMP_E = 2.5
#: Function evaluations per local polish (each start); the global step makes long runs
#: unnecessary, and flat valleys (unidentified parameters) would otherwise run long.
MAX_NFEV = 150


class FitWarning(UserWarning):
    """A fit or its data has a problem the user must know about: a parameter not identified by
    the data, a parameter on its bound, no degrees of freedom, contradictory duplicates,
    non-monotonic points or a jump. The same texts are kept in the result's ``warnings``."""


def _warn(messages: Sequence[str], stacklevel: int = 3) -> None:
    for m in messages:
        warnings.warn(m, FitWarning, stacklevel=stacklevel)


# ---------------------------------------------------------------------------------------------
# results


@dataclass
class FitResult(ResultMixin):
    """The fit of one model to conductivity-temperature data.

    Attributes
    ----------
    model : str
        ``"quasi-ion"``, ``"arrhenius"``, ``"arrhenius-b"`` or ``"vtf"``.
    sigma_is : str
        ``"sigma"`` (the model is for ln sigma) or ``"sigmaT"`` (for ln(sigma T)).
    param_names : tuple of str
        In order; units in ``param_units``. Energies eV, beta0 1/eV, T0 K; ``ln_sigma0`` and
        ``ln_A`` are natural logs of S/cm (of S K/cm when ``sigma_is="sigmaT"``).
    params, stderr : dict
        Best-fit values and their standard errors (nan where undefined: no degrees of freedom
        or a flat direction).
    covariance, correlation : ndarray (k, k)
    rmse : float
        Root mean square of the residuals of ln sigma (the paper's RMSE; the same for the
        sigmaT forms, since ln(sigma T) and ln sigma differ by the data's ln T).
    aic, aicc, bic : float
        n ln(SSR/n) + 2k, + the small-sample correction, + k ln n (SSR weighted; nan without
        degrees of freedom).
    n_points, dof : int
    T, sigma, sigma_fit, residuals, weights : ndarray
        The data used (K, S/cm), the model at the data, ln sigma - ln sigma_fit, the weights.
    warnings : list of str
        Identifiability and data problems (also emitted as :class:`FitWarning`).
    """

    model: str
    sigma_is: str
    param_names: tuple[str, ...]
    param_units: tuple[str, ...]
    params: dict[str, float]
    stderr: dict[str, float]
    covariance: np.ndarray
    correlation: np.ndarray
    rmse: float
    ssr: float
    aic: float
    aicc: float
    bic: float
    n_points: int
    dof: int
    T: np.ndarray
    sigma: np.ndarray
    sigma_fit: np.ndarray
    residuals: np.ndarray
    weights: np.ndarray
    bounds: str | None
    n_starts: int
    fixed: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def values(self) -> np.ndarray:
        """Parameter values in ``param_names`` order."""
        return np.array([self.params[n] for n in self.param_names])

    def ln_sigma(self, T: npt.ArrayLike) -> np.ndarray:
        """ln of the fitted conductivity (S/cm) at temperatures ``T`` (K)."""
        T = V.temperature(T)
        m = MODELS[self.model]
        y = m.value(self.values, T, units.beta(T))
        return y - np.log(T) if self.sigma_is == "sigmaT" else y

    def __call__(self, T: npt.ArrayLike) -> np.ndarray:
        """The fitted conductivity in S/cm at temperatures ``T`` in K."""
        return np.exp(self.ln_sigma(T))

    def curve(self, n: int = 200, T_min: float | None = None,
              T_max: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(T in K, sigma in S/cm) on ``n`` points uniform in 1/T over the data range."""
        lo = float(self.T.min()) if T_min is None else V.positive("T_min", T_min)
        hi = float(self.T.max()) if T_max is None else V.positive("T_max", T_max)
        T = 1.0 / np.linspace(1.0 / lo, 1.0 / hi, n)
        return T, self(T)

    @property
    def beta0_in_range(self) -> bool:
        """For the quasi-ion model: whether beta0 lies inside the measured 1/kT range."""
        if self.model != "quasi-ion":
            return False
        b = units.beta(self.T)
        return bool(b.min() <= self.params["beta0"] <= b.max())

    @property
    def T_bend(self) -> float:
        """For the quasi-ion model: the temperature 1/(k_B beta0) of the bend, K."""
        if self.model != "quasi-ion":
            raise ValueError(f"model = {self.model!r}: T_bend needs 'quasi-ion'")
        b0 = self.params["beta0"]
        return float(1.0 / (units.k_B * b0)) if b0 > 0 else math.inf

    def summary(self) -> str:
        """A few lines: the model, each parameter with its standard error, RMSE, AIC, BIC."""
        lines = [f"{self.model} fit of ln({'sigma T' if self.sigma_is == 'sigmaT' else 'sigma'})"
                 f" to {self.n_points} points (dof {self.dof}, bounds {self.bounds}):"]
        for n, u in zip(self.param_names, self.param_units):
            lines.append(f"  {n:10s} = {_pm(self.params[n], self.stderr[n])} {u}")
        lines.append(f"  RMSE(ln sigma) = {self.rmse:.4g}   AIC = {self.aic:.4g}   "
                     f"BIC = {self.bic:.4g}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    __str__ = summary


def _pm(v: float, se: float) -> str:
    if abs(v) < 1e-200:  # a parameter on its bound 0 reached as a subnormal: print 0
        v = 0.0
    if not np.isfinite(se):
        return f"{v:.4g} +- {se}"
    return f"{v:.4g} +- {se:.2g}"


# ---------------------------------------------------------------------------------------------
# input checks and data diagnostics


def _prepare(T: Any, sigma: Any, weights: Any, duplicates: str,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Validated, sorted, de-duplicated (T, ln sigma, weights) and data-level diagnostics."""
    T = V.finite_array("T", T, ndim=1)
    if (T <= 0).any():
        i = int(np.argmax(T <= 0))
        V.fail(f"T[{i}]", T[i], "> 0 (temperatures in K)")
    sigma = V.finite_array("sigma", sigma, ndim=1)
    V.same_shape("T", T, "sigma", sigma)
    if (sigma <= 0).any():
        i = int(np.argmax(sigma <= 0))
        V.fail(f"sigma[{i}]", sigma[i], "> 0 (S/cm; the models are fitted to ln sigma)")
    if weights is None:
        w = np.ones_like(T)
    else:
        w = V.positive_array("weights", weights, ndim=1)
        V.same_shape("T", T, "weights", w)
    V.choice("duplicates", duplicates, ("average", "error", "keep"))
    order = np.argsort(T, kind="stable")
    T, y, w = T[order], np.log(sigma[order]), w[order]
    notes: list[str] = []
    # duplicates: same T within 1e-9 relative
    same = np.diff(T) <= 1e-9 * T[1:]
    if same.any() and duplicates != "keep":
        groups = np.split(np.arange(T.size), np.flatnonzero(~same) + 1)
        bad = [g for g in groups if g.size > 1 and np.ptp(y[g]) > DUPLICATE_TOL]
        if bad and duplicates == "error":
            g = bad[0]
            raise ValueError(
                f"sigma = {np.exp(y[g])} at T = {T[g[0]]:g} K: duplicate temperatures with "
                f"contradictory values (ln sigma differs by {np.ptp(y[g]):.3g} > "
                f"{DUPLICATE_TOL}); remove them or pass duplicates='average'")
        for g in bad:
            notes.append(f"duplicate temperature T = {T[g[0]]:g} K with contradictory sigma "
                         f"{', '.join(f'{s:.3g}' for s in np.exp(y[g]))} S/cm: averaged in ln "
                         "sigma")
        w2 = w * w
        T = np.array([T[g].mean() for g in groups])
        y = np.array([(y[g] * w2[g]).sum() / w2[g].sum() for g in groups])
        w = np.array([math.sqrt(w2[g].sum()) for g in groups])
    notes += _shape_diagnostics(T, y)
    return T, y, w, notes


def _shape_diagnostics(T: np.ndarray, y: np.ndarray) -> list[str]:
    """Non-monotonic points and jumps in the data (sorted by T, y = ln sigma)."""
    out: list[str] = []
    if T.size < 2:
        return out
    beta = units.beta(T)
    dy = np.diff(y)
    db = -np.diff(beta)  # > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        e_loc = dy / db  # local apparent activation energy, eV
    for i in range(T.size - 1):
        if dy[i] < -DUPLICATE_TOL / 2:
            out.append(
                f"non-monotonic data: sigma falls from {math.exp(y[i]):.3g} S/cm at "
                f"{T[i]:g} K to {math.exp(y[i + 1]):.3g} S/cm at {T[i + 1]:g} K (a phase change "
                "or an artefact; every model here has sigma rising with T over a physical "
                "range, so the fit cannot follow it)")
        elif np.isfinite(e_loc[i]) and e_loc[i] > JUMP_E:
            out.append(
                f"jump in the data between {T[i]:g} K and {T[i + 1]:g} K: apparent activation "
                f"energy {e_loc[i]:.3g} eV > {JUMP_E} eV (a phase transition?); fit each phase "
                "separately over its own temperature range")
    return out


# ---------------------------------------------------------------------------------------------
# the fit


def _local(m: Model, p0: np.ndarray, free: np.ndarray, T: np.ndarray, beta: np.ndarray,
           y: np.ndarray, w: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    p0 = np.clip(p0, lb, ub)
    if not free.any():
        return p0

    def full(q: np.ndarray) -> np.ndarray:
        p = p0.copy()
        p[free] = q
        return p

    def res(q: np.ndarray) -> np.ndarray:
        return w * (m.value(full(q), T, beta) - y)

    def jac(q: np.ndarray) -> np.ndarray:
        return w[:, None] * m.jac(full(q), T, beta)[:, free]

    from scipy.optimize import least_squares  # here: `import quasiion` stays light

    try:
        with np.errstate(all="ignore"):
            sol = least_squares(res, p0[free], jac=jac, bounds=(lb[free], ub[free]),
                                method="trf", x_scale="jac", ftol=1e-13, xtol=1e-13,
                                gtol=1e-13, max_nfev=MAX_NFEV)
        return full(sol.x)
    except (ValueError, np.linalg.LinAlgError):  # a start the optimiser cannot use
        return p0


def _ssr(m: Model, p: np.ndarray, T: np.ndarray, beta: np.ndarray, y: np.ndarray,
         w: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        r = w * (m.value(p, T, beta) - y)
    v = float(r @ r)
    return v if math.isfinite(v) else math.inf


def _identifiability(names: tuple[str, ...], p: np.ndarray, J: np.ndarray, ssr: float, n: int,
                     absolute_weights: bool, lb: np.ndarray, ub: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Covariance, standard errors, correlation (of the free parameters) and the warnings."""
    k = len(names)
    dof = n - k
    notes: list[str] = []
    if k == 0:
        return np.zeros((0, 0)), np.zeros(0), np.zeros((0, 0)), notes
    norms = np.linalg.norm(J, axis=0)
    cov = np.full((k, k), np.nan)
    flat: set[int] = {i for i in range(k) if not norms[i] > 0}
    if dof == 0:
        notes.append(f"no degrees of freedom: {n} points for {k} parameters, the curve "
                     "interpolates the data; standard errors and AIC/BIC are undefined")
    Js = J / np.where(norms > 0, norms, 1.0)
    _, s, Vt = np.linalg.svd(Js, full_matrices=False)
    small = s < FLAT_LIMIT * s[0] if s.size and s[0] > 0 else np.ones(k, bool)
    for j in np.flatnonzero(small).tolist():
        v = np.abs(Vt[j])
        flat |= set(np.flatnonzero(v > 0.3 * v.max()).tolist())
    if flat:
        notes.append("flat likelihood: " + ", ".join(names[i] for i in sorted(flat))
                     + " not identified by the data (a direction of parameter space leaves "
                     "the fit unchanged)")
    if dof > 0 and not absolute_weights and ssr <= (1e-10) ** 2 * n:
        notes.append("the curve passes through every point (RMSE below 1e-10): the standard "
                     "errors come out as 0 because the residuals are 0, not because the data "
                     "determine the parameters; give the measurement uncertainties (weights) "
                     "for meaningful errors")
    if dof > 0:
        s2 = 1.0 if absolute_weights else ssr / dof
        keep = ~small
        inv = (Vt[keep].T / s[keep] ** 2) @ Vt[keep]  # pseudo-inverse of Js^T Js
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = inv / np.outer(norms, norms) * s2
        for i in flat:
            cov[i, :] = np.nan
            cov[:, i] = np.nan
            cov[i, i] = np.inf
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.outer(se, se)
    corr[~np.isfinite(corr)] = np.nan
    np.fill_diagonal(corr, 1.0)
    for i in range(k):
        for j in range(i + 1, k):
            if np.isfinite(corr[i, j]) and abs(corr[i, j]) > CORR_LIMIT:
                notes.append(f"{names[i]} and {names[j]} are not separately identified: "
                             f"correlation {corr[i, j]:+.4f}")
    for i in range(k):
        tol = 1e-9 * max(1.0, abs(p[i]))
        if abs(p[i] - lb[i]) <= tol or abs(p[i] - ub[i]) <= tol:
            edge = lb[i] if abs(p[i] - lb[i]) <= tol else ub[i]
            notes.append(f"{names[i]} = {p[i]:.4g} sits on its bound {edge:.4g}: the data push "
                         "it outside the physical range; its standard error is not meaningful")
        elif i not in flat and np.isfinite(se[i]) and se[i] > abs(p[i]) and names[i] not in (
                "ln_sigma0", "ln_A"):
            notes.append(f"{names[i]} is poorly determined: standard error {se[i]:.3g} exceeds "
                         f"|{names[i]}| = {abs(p[i]):.3g}")
    return cov, se, corr, notes


def _fit(T: np.ndarray, y: np.ndarray, w: np.ndarray, model: str, sigma_is: str,
         bounds: str | None, p0: Mapping[str, float] | Sequence[float] | None,
         absolute_weights: bool, fixed: Mapping[str, float] | None = None) -> FitResult:
    """The fit on prepared data (sorted, ln sigma, weights); warnings collected, not emitted."""
    m = MODELS[model]
    fixed = dict(fixed or {})
    unknown = set(fixed) - set(m.params)
    if unknown:
        V.fail("fixed", fixed, f"a mapping with keys among {m.params} (model {model!r})")
    free = np.array([nm not in fixed for nm in m.params])
    n, k = T.size, int(free.sum())
    if n < k:
        raise ValueError(f"T = {n} points: the {model!r} model has {k} free parameters "
                         f"({', '.join(np.array(m.params)[free])}) and needs at least {k} "
                         "distinct temperatures")
    beta = units.beta(T)
    yy = y + np.log(T) if sigma_is == "sigmaT" else y
    physical = bounds == "physical"
    lb, ub = m.bounds(T, physical)
    fixed_vals = np.array([V.finite(f"fixed[{nm!r}]", fixed.get(nm, 0.0)) for nm in m.params])
    for i, nm in enumerate(m.params):
        if nm in fixed and not lb[i] <= fixed_vals[i] <= ub[i]:
            V.fail(f"fixed[{nm!r}]", fixed_vals[i], f"in [{lb[i]}, {ub[i]}] (bounds={bounds!r})")
    starts = m.starts(T, beta, yy, w, physical)
    if p0 is not None:
        if isinstance(p0, Mapping):
            if set(p0) - set(m.params):
                V.fail("p0", dict(p0), f"a mapping with keys among {m.params}")
            base = starts[0].copy()
            for i, name in enumerate(m.params):
                if name in p0:
                    base[i] = V.finite(f"p0[{name!r}]", p0[name])
            starts.append(base)
        else:
            arr = V.finite_array("p0", p0, ndim=1)
            if arr.size != m.n_params:
                V.fail("p0", arr, f"{m.n_params} values ({', '.join(m.params)})")
            starts.append(arr)
    cands: list[np.ndarray] = []
    for s in starts:
        s = np.where(free, np.clip(s, lb, ub), fixed_vals)
        cands.append(s)  # the start itself competes: the result is never worse than a start
        cands.append(_local(m, s, free, T, beta, yy, w, lb, ub))
    costs = [_ssr(m, c, T, beta, yy, w) for c in cands]
    best = int(np.argmin(costs))
    p, ssr = cands[best], costs[best]
    if not math.isfinite(ssr):
        raise ValueError(f"model = {model!r}: no finite fit found for these data (every start "
                         "gives an infinite or NaN misfit); check that T (K) and sigma (S/cm) "
                         "are in those units and positive, drop outliers, try another model, or "
                         "lift the physical bounds (bounds=None, CLI --unbounded)")
    with np.errstate(all="ignore"):
        J = w[:, None] * m.jac(p, T, beta)[:, free]
    names_free = tuple(np.array(m.params)[free].tolist())
    cov_f, se_f, corr_f, notes = _identifiability(names_free, p[free], J, ssr, n,
                                                  absolute_weights, lb[free], ub[free])
    kk = m.n_params
    cov = np.zeros((kk, kk))
    corr = np.full((kk, kk), np.nan)
    np.fill_diagonal(corr, 1.0)
    idx = np.flatnonzero(free)
    cov[np.ix_(idx, idx)] = cov_f
    corr[np.ix_(idx, idx)] = corr_f
    se = np.zeros(kk)
    se[idx] = se_f
    if model == "quasi-ion":
        b0 = p[2]
        if not beta.min() <= b0 <= beta.max():
            notes.append(
                f"beta0 = {b0:.4g} 1/eV lies outside the measured range [{beta.min():.4g}, "
                f"{beta.max():.4g}] 1/eV: the bend is not in the data, so E_a0 and beta0 are "
                "constrained only by the curvature (or not at all)")
        if not fixed:
            E_a, c = arrhenius_solution(beta, yy, w, physical)
            arr_ssr = _ssr(m, arrhenius_as_quasi_ion(E_a, c, float(beta.max())), T, beta, yy, w)
            if ssr >= arr_ssr * (1.0 - 1e-9):
                notes.append(
                    "the fit is the Arrhenius limit of the quasi-ion form (E_t = E_a, bend "
                    "outside the data): the data do not bend the way the form does (its "
                    "apparent activation energy E_t + E_a0 / (1 + 2 exp(-E_a0 (beta - beta0))) "
                    "can only grow on cooling)")
    fit_y = m.value(p, T, beta)
    if sigma_is == "sigmaT":
        fit_y = fit_y - np.log(T)
    resid = y - fit_y
    rmse = float(np.sqrt(np.mean(resid**2)))
    dof = n - k
    if dof > 0 and ssr > 0:
        ll = n * math.log(ssr / n)
        aic = ll + 2 * k
        bic = ll + k * math.log(n)
        aicc = aic + 2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else math.nan
    else:
        aic = aicc = bic = math.nan
    sig_unit = "ln(S K/cm)" if sigma_is == "sigmaT" else "ln(S/cm)"
    punits = tuple(sig_unit if u == "ln(S/cm)" else u for u in m.units)
    return FitResult(
        model=model, sigma_is=sigma_is, param_names=m.params, param_units=punits,
        params={nm: float(v) for nm, v in zip(m.params, p)},
        stderr={nm: float(v) for nm, v in zip(m.params, se)},
        covariance=cov, correlation=corr, rmse=rmse, ssr=float(ssr), aic=aic, aicc=aicc,
        bic=bic, n_points=n, dof=dof, T=T, sigma=np.exp(y), sigma_fit=np.exp(fit_y),
        residuals=resid, weights=w, bounds=bounds, n_starts=len(starts),
        fixed=tuple(nm for nm in m.params if nm in fixed), warnings=notes)


def _unpack(T: Any, sigma: Any) -> tuple[Any, Any]:
    if sigma is None:
        from ._data import ConductivityData, read_conductivity_csv

        data = T if isinstance(T, ConductivityData) else read_conductivity_csv(T)
        return data.T, data.sigma
    return T, sigma


def _checked_data(T: Any, sigma: Any, weights: Any, duplicates: str, sigma_is: str,
                  bounds: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The options both entry points share, validated, and the data as :func:`_prepare`
    returns it: sorted, de-duplicated (T, ln sigma, weights) and data-level diagnostics."""
    V.choice("sigma_is", sigma_is, SIGMA_IS)
    if bounds not in BOUNDS:
        V.fail("bounds", bounds, "'physical' or None")
    T, sigma = _unpack(T, sigma)
    return _prepare(T, sigma, weights, duplicates)


def fit_conductivity(
    T: Any,
    sigma: npt.ArrayLike | None = None,
    model: str = "quasi-ion",
    sigma_is: str = "sigma",
    weights: npt.ArrayLike | None = None,
    bounds: str | None = "physical",
    *,
    p0: Mapping[str, float] | Sequence[float] | None = None,
    duplicates: str = "average",
    absolute_weights: bool = False,
    fixed: Mapping[str, float] | None = None,
) -> FitResult:
    """Fit a conductivity-temperature model to measured data (section 3.2, Table 1).

    Parameters
    ----------
    T : array_like, shape (n,)
        Temperatures in K (> 0). Or a :class:`ConductivityData`, a path to a CSV file or a
        DataFrame / mapping of columns (then ``sigma`` is None; see
        :func:`read_conductivity_csv`).
    sigma : array_like, shape (n,)
        Conductivities in S/cm (> 0: the models are fitted to ln sigma).
    model : str
        ``"quasi-ion"``: ln s = -E_t b - E_a0 (b - b0) - ln[1 + 2 exp(-E_a0 (b - b0))] + ln s0
        with b = 1/kT in 1/eV (parameters E_t, E_a0 in eV, beta0 in 1/eV, ln_sigma0);
        ``"arrhenius"``: ln s = -E_a b + ln s0; ``"arrhenius-b"`` (the paper's comparison):
        ln s = -E~ b - b_ ln b + ln s0 (E_tilde eV, b dimensionless, beta in 1/eV);
        ``"vtf"``: s = A exp(-B / (k_B (T - T0))) (ln_A, B in eV, T0 in K < min T).
    sigma_is : str
        ``"sigma"`` fits the model to ln sigma; ``"sigmaT"`` to ln(sigma T) (sigma T in
        S K/cm), the form for a thermally activated diffusivity.
    weights : array_like, shape (n,), optional
        w_i multiplying the residual of ln sigma_i (w_i = 1/standard deviation of ln sigma_i).
        Standard errors are scaled by the residual variance unless ``absolute_weights``.
    bounds : {"physical", None}
        ``"physical"`` (default): E_t >= 0, E_a0 >= 0, beta0 >= 0; E_a >= 0; B >= 0 and
        0 <= T0; (arrhenius-b is unconstrained). None: unconstrained (T0 < min T always).
    p0 : mapping or sequence, optional
        An extra starting point; the global step does not need one.
    duplicates : {"average", "error", "keep"}
        Points at the same temperature: averaged in ln sigma (weights combined, which leaves
        the estimates unchanged; a warning if they disagree by more than 0.2 in ln sigma),
        rejected when contradictory, or kept as separate points.
    absolute_weights : bool
        Take ``weights`` as exact 1/standard deviations (standard errors not rescaled).
    fixed : mapping, optional
        Parameters held at given values (e.g. ``{"beta0": 27.41}``, or all but ``ln_sigma0``
        to test published parameters on new data); their standard errors are 0 and they do
        not count as parameters in dof, AIC and BIC.

    Returns
    -------
    FitResult
        Parameters, standard errors, covariance and correlation, RMSE of ln sigma, AIC/AICc/
        BIC, the fitted curve (callable: ``result(T)`` in S/cm) and ``warnings``.

    Raises
    ------
    ValueError
        Bad input (non-finite or non-positive T or sigma, mismatched shapes, fewer points than
        parameters, unknown model, contradictory duplicates with ``duplicates="error"``).

    Warns
    -----
    FitWarning
        For every entry of ``result.warnings``: parameters not identified (flat likelihood,
        |correlation| > 0.995, beta0 outside the measured range), a parameter on its bound,
        no degrees of freedom, and data problems (contradictory duplicates, non-monotonic
        points, jumps).

    Notes
    -----
    The global step scans the nonlinear parameters (E_a0, beta0 of quasi-ion; T0 of VTF) on a
    grid with the linear ones solved exactly at each grid point, then polishes the best grid
    points and the exact Arrhenius solution embedded as a quasi-ion limit with a bounded
    trust-region least squares. The quasi-ion fit is therefore never worse than the plain
    Arrhenius fit under the same bounds (to round-off), and VTF never worse than Arrhenius.
    """
    V.choice("model", model, MODEL_NAMES)
    Tp, y, w, data_notes = _checked_data(T, sigma, weights, duplicates, sigma_is, bounds)
    res = _fit(Tp, y, w, model, sigma_is, bounds, p0, absolute_weights, fixed)
    res.warnings[:0] = data_notes
    _warn(res.warnings)
    return res


# ---------------------------------------------------------------------------------------------
# comparison table

_ROW_PARAMS = ("E_t", "E_a0", "beta0", "E_a", "E_tilde", "b", "ln_sigma0", "ln_A", "B", "T0")


@dataclass
class FitTable:
    """Every model fitted to one data set: the shape of the paper's Table 1 (parameters by
    model) plus RMSE of ln sigma, AIC/AICc/BIC and the degrees of freedom.

    ``rows`` is one dict per fitted model (model, parameter values and ``<name>_se``, rmse,
    aic, aicc, bic, n_points, dof, n_warnings); ``str(table)`` prints parameters down and
    models across, like Table 1; ``to_csv()`` writes the rows.
    """

    results: dict[str, FitResult]
    skipped: dict[str, str]
    warnings: list[str]
    material: str | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        out = []
        for name, r in self.results.items():
            row: dict[str, Any] = {"model": name}
            for p in _ROW_PARAMS:
                row[p] = r.params.get(p)
                row[p + "_se"] = r.stderr.get(p)
            row.update(rmse=r.rmse, aic=r.aic, aicc=r.aicc, bic=r.bic, n_points=r.n_points,
                       dof=r.dof, n_warnings=len(r.warnings))
            out.append(row)
        return out

    def __getitem__(self, model: str) -> FitResult:
        return self.results[model]

    def best(self, criterion: str = "aicc") -> str:
        """The model with the lowest ``criterion`` ("rmse", "aic", "aicc" or "bic");
        models where it is undefined (nan) are passed over."""
        V.choice("criterion", criterion, ("rmse", "aic", "aicc", "bic"))
        vals = {k: getattr(r, criterion) for k, r in self.results.items()}
        vals = {k: v for k, v in vals.items() if np.isfinite(v)}
        if not vals:
            raise ValueError(f"criterion = {criterion!r}: undefined for every fitted model")
        return min(vals, key=lambda k: vals[k])

    def __str__(self) -> str:
        models = list(self.results)
        head = f"{'':20s}" + "".join(f"{m:>22s}" for m in models)
        lines = []
        if self.material:
            lines.append(f"material: {self.material}")
        lines.append(head)
        used = [p for p in _ROW_PARAMS if any(p in r.params for r in self.results.values())]
        for p in used:
            unit = next(u for r in self.results.values() for n, u in
                        zip(r.param_names, r.param_units) if n == p)
            cells = []
            for m in models:
                r = self.results[m]
                cells.append(f"{_pm(r.params[p], r.stderr[p]):>22s}" if p in r.params
                             else f"{'':>22s}")
            lines.append(f"{p + ' [' + unit + ']':20s}" + "".join(cells))
        for key, fmt in (("rmse", ".4f"), ("aic", ".2f"), ("aicc", ".2f"), ("bic", ".2f"),
                         ("n_points", "d"), ("dof", "d")):
            lines.append(f"{key:20s}" + "".join(
                f"{format(getattr(self.results[m], key), fmt):>22s}" for m in models))
        for m, why in self.skipped.items():
            lines.append(f"{m}: not fitted: {why}")
        for w in self.warnings:
            lines.append(f"data: {w}")
        for m in models:
            for w in self.results[m].warnings[len(self.warnings):]:
                lines.append(f"{m}: {w}")
        return "\n".join(lines)

    def to_csv(self, path: Any = None) -> str:
        """The rows as CSV text; written to ``path`` too when given."""
        rows = self.rows
        buf = io.StringIO()
        if rows:
            wr = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            wr.writeheader()
            for r in rows:
                wr.writerow({k: ("" if v is None else (f"{v:.10g}" if isinstance(v, float)
                                                       else v)) for k, v in r.items()})
        text = buf.getvalue()
        if path is not None:
            from pathlib import Path

            Path(path).write_text(text)
        return text

    def to_json(self) -> str:
        """Rows, skipped models and warnings as JSON (nan as null)."""
        def clean(v: Any) -> Any:
            if isinstance(v, float) and not math.isfinite(v):
                return None
            return v

        obj = {"material": self.material,
               "rows": [{k: clean(v) for k, v in r.items()} for r in self.rows],
               "warnings": {m: r.warnings for m, r in self.results.items()},
               "skipped": self.skipped, "data_warnings": self.warnings}
        return json.dumps(obj, indent=2)


def compare_fits(
    T: Any,
    sigma: npt.ArrayLike | None = None,
    models: Sequence[str] | str = "all",
    sigma_is: str = "sigma",
    weights: npt.ArrayLike | None = None,
    bounds: str | None = "physical",
    *,
    duplicates: str = "average",
    material: str | None = None,
) -> FitTable:
    """Fit every model that the data have enough points for and tabulate them (Table 1).

    Parameters
    ----------
    T, sigma, sigma_is, weights, bounds, duplicates
        As for :func:`fit_conductivity` (T in K, sigma in S/cm).
    models : "all" or sequence of str
        Which models; a model with more parameters than there are distinct temperatures is
        skipped and listed in ``table.skipped`` with the reason.
    material : str, optional
        A label for the table (taken from a :class:`ConductivityData` when given one).

    Returns
    -------
    FitTable

    Warns
    -----
    FitWarning
        Data problems once, then each model's identifiability problems.
    """
    from ._data import ConductivityData

    if isinstance(T, ConductivityData) and material is None:
        material = T.material
    names = list(MODEL_NAMES) if models == "all" else list(models)
    if isinstance(models, str) and models != "all":
        names = [s.strip() for s in models.split(",")]
    if not names:
        V.fail("models", list(names), "'all' or a non-empty list of " + ", ".join(MODEL_NAMES))
    for nm in names:
        V.choice("models", nm, MODEL_NAMES)
    Tp, y, w, data_notes = _checked_data(T, sigma, weights, duplicates, sigma_is, bounds)
    _warn(data_notes)
    results: dict[str, FitResult] = {}
    skipped: dict[str, str] = {}
    for nm in names:
        try:
            r = _fit(Tp, y, w, nm, sigma_is, bounds, None, False)
        except ValueError as exc:
            skipped[nm] = str(exc)
            continue
        _warn([f"{nm}: {m}" for m in r.warnings])
        r.warnings[:0] = data_notes
        results[nm] = r
    if not results:
        raise ValueError(f"T = {Tp.size} distinct temperatures: no model asked for could be "
                         "fitted (" + "; ".join(f"{k}: {v}" for k, v in skipped.items())
                         + "); a model needs more distinct temperatures than parameters "
                         "(arrhenius 2, arrhenius-b and vtf 3, quasi-ion 4): add points or "
                         "ask for models with fewer parameters")
    return FitTable(results=results, skipped=skipped, warnings=data_notes, material=material)
