"""Every model fitted to many materials at once (one :func:`compare_fits` per material), on
any executor, with the models of each material ranked by AICc."""

from __future__ import annotations

import contextlib
import functools
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _validation as V
from .. import executors as ex
from ._core import FitTable, FitWarning, compare_fits
from ._data import ConductivityData, conductivity_materials, read_conductivity_csv


@dataclass
class MaterialFits:
    """:class:`FitTable` per material (``tables``), materials where no model could be fitted
    with the reason (``failed``), in the order of the input."""

    tables: dict[str, FitTable]
    failed: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, material: str) -> FitTable:
        return self.tables[material]

    def __len__(self) -> int:
        return len(self.tables)

    def ranking(self, material: str, criterion: str = "aicc") -> list[tuple[str, float]]:
        """Models of ``material`` by ascending ``criterion`` (undefined values last) with the
        difference to the best (``criterion`` of "aicc", "aic", "bic", "rmse")."""
        t = self.tables[material]
        V.choice("criterion", criterion, ("rmse", "aic", "aicc", "bic"))
        vals = {m: float(getattr(r, criterion)) for m, r in t.results.items()}
        finite = sorted((v, m) for m, v in vals.items() if np.isfinite(v))
        best = finite[0][0] if finite else np.nan
        out = [(m, v - best) for v, m in finite]
        return out + [(m, np.nan) for m, v in vals.items() if not np.isfinite(v)]

    def best(self, criterion: str = "aicc") -> dict[str, str]:
        """The best model of each material by ``criterion``."""
        out = {}
        for name, t in self.tables.items():
            try:
                out[name] = t.best(criterion)
            except ValueError:
                out[name] = ""
        return out

    def rows(self, criterion: str = "aicc") -> list[dict[str, Any]]:
        """One row per (material, model), models of each material ranked by ``criterion``:
        material, rank, model, delta (criterion minus the material's best), aicc, rmse,
        n_points, the model's parameters (eV, 1/eV, K, ln S/cm)."""
        rows = []
        for name, t in self.tables.items():
            for rank, (m, delta) in enumerate(self.ranking(name, criterion), 1):
                r = t.results[m]
                row: dict[str, Any] = {"material": name, "rank": rank, "model": m,
                                       f"delta_{criterion}": delta, "aicc": r.aicc,
                                       "rmse": r.rmse, "n_points": r.n_points}
                row.update(r.params)
                rows.append(row)
        return rows

    def __str__(self) -> str:
        lines = [f"{'material':<28} {'n':>4}  models by AICc (delta AICc)"]
        for name, t in self.tables.items():
            n = next(iter(t.results.values())).n_points
            ranked = "  ".join(f"{m} ({d:+.2f})" if np.isfinite(d) else f"{m} (n/a)"
                               for m, d in self.ranking(name))
            lines.append(f"{name:<28} {n:>4}  {ranked}")
        for name, why in self.failed.items():
            lines.append(f"{name:<28}    -  not fitted: {why}")
        return "\n".join(lines)


def _fit_one(options: dict[str, Any], pts: dict[str, np.ndarray], start: int,
             stop: int) -> dict[str, np.ndarray]:
    tables = np.empty(stop - start, dtype=object)
    errors = np.empty(stop - start, dtype=object)
    # The tables carry every warning. catch_warnings is not thread-safe: only the main thread
    # of a process sets the filter; fit_materials sets it for thread pools in this process.
    main = threading.current_thread() is threading.main_thread()
    with warnings.catch_warnings() if main else contextlib.nullcontext():
        if main:
            warnings.simplefilter("ignore", FitWarning)
        for i, data in enumerate(pts["data"]):
            try:
                tables[i], errors[i] = compare_fits(data, **options), ""
            except ValueError as exc:
                tables[i], errors[i] = None, str(exc)
    return {"table": tables, "error": errors}


def fit_materials(
    source: Any,
    materials: Sequence[str] | None = None,
    models: Sequence[str] | str = "all",
    sigma_is: str = "sigma",
    bounds: str | None = "physical",
    *,
    T_range: tuple[float | None, float | None] = (None, None),
    executor: ex.ExecutorLike = None,
    chunk: int | None = 1,
    progress: bool | None | Callable[[int, int], None] = None,
) -> MaterialFits:
    """:func:`compare_fits` on every material of a data set, on any executor.

    Parameters
    ----------
    source : str, Path, DataFrame, mapping or dict of ConductivityData
        A file with a ``material`` column (see :func:`read_conductivity_csv`), or a dict
        name -> :class:`ConductivityData` (or ``(T, sigma)`` in K and S/cm).
    materials : sequence of str, optional
        Which materials (default all, in order of first appearance).
    models, sigma_is, bounds
        As for :func:`compare_fits`.
    T_range : (T_min, T_max), K
        Keep only points with ``T_min <= T <= T_max`` (None: no limit).
    executor, chunk, progress
        See :mod:`quasiion.executors`; ``chunk`` materials per task (default 1).

    Returns
    -------
    MaterialFits
        Tables per material (models ranked by AICc with :meth:`MaterialFits.ranking`);
        materials with too few points for every model are in ``failed`` with the reason.
    """
    data = _datasets(source, materials)
    lo, hi = T_range
    for name, d in list(data.items()):
        keep = np.ones(d.T.shape, dtype=bool)
        if lo is not None:
            keep &= d.T >= lo
        if hi is not None:
            keep &= d.T <= hi
        data[name] = ConductivityData(d.T[keep], d.sigma[keep], name, d.source, d.columns)
    names = list(data)
    arr = np.empty(len(names), dtype=object)
    arr[:] = [data[n] for n in names]
    options = {"models": models, "sigma_is": sigma_is, "bounds": bounds}
    with warnings.catch_warnings():  # for worker threads of this process
        warnings.simplefilter("ignore", FitWarning)
        out = ex.run_points(functools.partial(_fit_one, options), len(names),
                            points={"data": arr}, executor=executor, chunk=chunk,
                            progress=progress, desc="fits", min_chunk=1)
    tables = {n: t for n, t in zip(names, out["table"]) if t is not None}
    failed = {n: str(e) for n, t, e in zip(names, out["table"], out["error"]) if t is None}
    return MaterialFits(tables=tables, failed=failed)


def _datasets(source: Any, materials: Sequence[str] | None) -> dict[str, ConductivityData]:
    if isinstance(source, Mapping) and source and all(
            isinstance(v, (ConductivityData, tuple, list)) for v in source.values()):
        out = {}
        for name, d in source.items():
            if isinstance(d, ConductivityData):
                out[str(name)] = d
            else:
                T, sigma = d
                out[str(name)] = ConductivityData(np.asarray(T, dtype=float),
                                                  np.asarray(sigma, dtype=float), str(name))
        names = list(out) if materials is None else list(materials)
        for n in names:
            if n not in out:
                raise ValueError(f"materials: {n!r} is not in the data (it holds "
                                 + ", ".join(repr(k) for k in out) + ")")
        return {n: out[n] for n in names}
    names = conductivity_materials(source) if materials is None else list(materials)
    if not names:
        d = read_conductivity_csv(source)
        return {d.material or d.source or "data": d}
    return {n: read_conductivity_csv(source, material=n) for n in names}
