"""Conductivity-temperature data from CSV files with units in the header, DataFrames or
mappings of columns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import _validation as V
from .. import units
from ..io import read_table, split_header
from ..results import ResultMixin

ACCEPTED = (
    "temperature: 'T [K]', 'T [C]' / 'T [°C]', 'T_K', 'T_C' (name T, temp or temperature); "
    "conductivity: 'sigma [S/cm]', 'sigma [S/m]', 'sigma [mS/cm]', 'sigma_S_per_cm', "
    "'log10 sigma [S/cm]', 'ln sigma [S/cm]' (name sigma or conductivity); optional "
    "'material' column"
)

_T_NAMES = {"t", "temp", "temperature"}
_S_NAMES = {"sigma", "conductivity", "σ", "sig"}
_MAT_NAMES = {"material", "compound", "sample"}


@dataclass
class ConductivityData(ResultMixin):
    """Measured conductivity versus temperature of one material.

    Attributes
    ----------
    T : ndarray
        Temperatures, K.
    sigma : ndarray
        Conductivities, S/cm.
    material : str or None
    source : str
        Where the data came from (file name or "mapping").
    columns : dict
        Which input columns were used, and their units.
    """

    T: np.ndarray
    sigma: np.ndarray
    material: str | None = None
    source: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def _norm(name: str) -> str:
    return re.sub(r"[\s_()\-]", "", name.lower())


def _split(header: str) -> tuple[str, str]:
    name, unit = split_header(header)
    if not unit:
        m = re.match(r"^(.*?)\s*\[([^\]]*)\]\s*$", header)
        if m:
            name, unit = m.group(1), m.group(2)
    return name.strip(), unit.strip()


def _temperature_unit(unit: str, header: str) -> str:
    u = unit.strip().lower().replace("°", "").replace("º", "").replace(" ", "")
    if u in ("k", "kelvin"):
        return "K"
    if u in ("c", "degc", "celsius", "degreesc", "degc."):
        return "C"
    if not u:
        raise ValueError(f"column {header!r}: no unit; name it 'T [K]' or 'T [C]' "
                         f"(accepted: {ACCEPTED})")
    raise ValueError(f"column {header!r}: unit {unit!r} not recognised; temperature must be in "
                     f"K or °C (accepted: {ACCEPTED})")


def _sigma_unit(name: str, unit: str, header: str) -> tuple[str, float]:
    """(kind, factor to S/cm): kind is 'lin', 'log10' or 'ln'."""
    n = _norm(name)
    kind = "lin"
    u = unit.strip()
    ul = re.sub(r"[\s^·*]", "", u.lower())
    for prefix, k in (("log10", "log10"), ("lg", "log10"), ("log", "log10"), ("ln", "ln")):
        if n.startswith(prefix) and n[len(prefix):] in _S_NAMES:
            kind = k
            break
        if ul.startswith(prefix) and not n.startswith(("log", "ln", "lg")):
            kind = k
            ul = ul[len(prefix):].strip("()")
            break
    factors = {"s/cm": 1.0, "scm-1": 1.0, "spercm": 1.0, "s_per_cm": 1.0,
               "s/m": 1e-2, "sm-1": 1e-2, "sperm": 1e-2, "s_per_m": 1e-2,
               "ms/cm": 1e-3, "mscm-1": 1e-3}
    if not ul:
        raise ValueError(f"column {header!r}: no unit; name it e.g. 'sigma [S/cm]' or "
                         f"'log10 sigma [S/cm]' (accepted: {ACCEPTED})")
    if ul not in factors:
        raise ValueError(f"column {header!r}: unit {unit!r} not recognised; conductivity must "
                         f"be in S/cm, S/m or mS/cm, or their log10 (accepted: {ACCEPTED})")
    return kind, factors[ul]


def _columns(source: Any) -> tuple[list[tuple[str, str, str, np.ndarray]], str]:
    """[(header, name, unit, values)] and a label for the source."""
    if isinstance(source, (str, Path)):
        table = read_table(source)
        cols = []
        for c in table.values():
            # the column's own name: a second T (T_K after T_C) is keyed by its full header
            header = f"{c.name} [{c.unit}]" if c.unit else c.name
            nm, un = (c.name, c.unit) if c.unit else _split(c.name)
            cols.append((header, nm, un, c.values))
        return cols, Path(source).name
    if hasattr(source, "columns") and hasattr(source, "__getitem__"):  # a pandas DataFrame
        keys = [str(k) for k in source.columns]
        get = (lambda k: np.asarray(source[k]))  # noqa: E731
        label = "DataFrame"
    elif isinstance(source, Mapping):
        keys = [str(k) for k in source]
        get = (lambda k: np.asarray(source[k]))  # noqa: E731
        label = "mapping"
    else:
        raise ValueError(f"source = {type(source).__name__}: must be a path to a CSV file, a "
                         "pandas DataFrame or a mapping of column name -> values")
    cols = []
    for k in keys:
        vals = get(k)
        if vals.dtype.kind in "iuf":
            vals = vals.astype(float)
        else:
            try:
                vals = np.array([float(x) for x in vals])
            except (TypeError, ValueError):
                vals = np.array([str(x) for x in vals], dtype=object)
        nm, un = _split(k)
        cols.append((k, nm, un, vals))
    return cols, label


def _numeric(header: str, values: np.ndarray) -> np.ndarray:
    if values.dtype == object:
        for i, v in enumerate(values):
            try:
                float(v)
            except ValueError:
                raise ValueError(f"column {header!r} row {i + 1}: {v!r} is not a number") from None
    return values.astype(float)


def _parse(source: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, dict[str, str]]:
    cols, label = _columns(source)
    T_cols = [c for c in cols if _norm(c[1]) in _T_NAMES]
    s_cols = [c for c in cols if any(_norm(c[1]) == p + s for p in ("", "log10", "log", "lg",
                                                                       "ln") for s in _S_NAMES)]
    m_cols = [c for c in cols if _norm(c[1]) in _MAT_NAMES]
    if not T_cols:
        raise ValueError(f"{label}: no temperature column among {[c[0] for c in cols]} "
                         f"(accepted: {ACCEPTED})")
    if not s_cols:
        raise ValueError(f"{label}: no conductivity column among {[c[0] for c in cols]} "
                         f"(accepted: {ACCEPTED})")
    if len(s_cols) > 1:
        raise ValueError(f"{label}: several conductivity columns {[c[0] for c in s_cols]}; "
                         "keep one")
    Ts = {}
    for header, _, unit, vals in T_cols:
        u = _temperature_unit(unit, header)
        v = _numeric(header, vals)
        Ts[header] = units.celsius_to_kelvin(v) if u == "C" else v
    used = {}
    heads = list(Ts)
    T = Ts[heads[0]]
    # prefer a kelvin column; check that several temperature columns agree
    for h in heads:
        if _temperature_unit(next(c[2] for c in T_cols if c[0] == h), h) == "K":
            T = Ts[h]
            break
    for h in heads:
        if not np.allclose(Ts[h], T, rtol=0, atol=0.02, equal_nan=True):
            raise ValueError(f"{label}: temperature columns {heads} disagree (by up to "
                             f"{np.nanmax(np.abs(Ts[h] - T)):.3g} K); keep one")
    used["T"] = ", ".join(heads)
    header, name, unit, vals = s_cols[0]
    kind, factor = _sigma_unit(name, unit, header)
    v = _numeric(header, vals)
    if kind == "log10":
        sigma = 10.0 ** v * factor
    elif kind == "ln":
        sigma = np.exp(v) * factor
    else:
        sigma = v * factor
    used["sigma"] = header
    mats = None
    if m_cols:
        mats = np.array([str(x).strip() for x in m_cols[0][3]], dtype=object)
        used["material"] = m_cols[0][0]
    return T, sigma, mats, label, used


def conductivity_materials(source: Any) -> list[str]:
    """The materials of a data file (or DataFrame / mapping), in order of first appearance
    (empty when it has no ``material`` column)."""
    _, _, mats, _, _ = _parse(source)
    if mats is None:
        return []
    return list(dict.fromkeys(mats.tolist()))


def read_conductivity_csv(source: Any, material: str | None = None) -> ConductivityData:
    """Read conductivity-temperature data with the units named in the header.

    Parameters
    ----------
    source : str, Path, pandas.DataFrame or mapping
        A CSV file (``#`` comment lines allowed) or columns. The temperature column is
        ``T [K]``, ``T [C]`` / ``T [°C]``, ``T_K`` or ``T_C`` (name T, temp or temperature;
        Celsius converted with +273.15; when both are present, K is used and they must
        agree); the conductivity column ``sigma [S/cm]``, ``sigma [S/m]``, ``sigma [mS/cm]``,
        ``sigma_S_per_cm``, ``log10 sigma [S/cm]`` or ``ln sigma [S/cm]`` (name sigma or
        conductivity). Other columns are ignored, except ``material``, which selects rows.
        The layout of the Liverpool Ionics Dataset subset (material, family, doi, T_C, T_K,
        sigma_S_per_cm, database_id) and a plain two-column file both work.
    material : str, optional
        Which material to take when a ``material`` column holds several.

    Returns
    -------
    ConductivityData
        T in K and sigma in S/cm (values not yet checked for positivity: the fit does that).

    Raises
    ------
    ValueError
        Missing or unrecognised columns or units (the message lists the accepted forms),
        non-numeric entries, several materials and none chosen (the message lists them), an
        unknown material.
    """
    T, sigma, mats, label, used = _parse(source)
    if mats is None:
        if material is not None:
            raise ValueError(f"material = {material!r}: {label} has no material column")
        return ConductivityData(T, sigma, None, label, used)
    names = list(dict.fromkeys(mats.tolist()))
    if material is None:
        if len(names) > 1:
            raise ValueError(f"material = None: {label} holds {len(names)} materials; choose "
                             "one of " + ", ".join(repr(n) for n in names))
        material = names[0]
    V.choice("material", material, tuple(names))
    sel = mats == material
    return ConductivityData(T[sel], sigma[sel], material, label, used)
