"""Input checks at the Python boundary. Every failure is a ValueError of the form
``"<name> = <value>: must be <rule>"`` so the message names parameter, value and rule.
"""

from __future__ import annotations

import math
import os
import warnings
from typing import NoReturn

import numpy as np
import numpy.typing as npt


class Described(str):
    """A description standing in for a value in a message (shown without quotes), e.g.
    ``Described("an empty array")``."""


def _show(value: object) -> str:
    if isinstance(value, Described):
        return str(value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged or odd input: show it as Python does
        return repr(value)[:200]
    if arr.ndim == 0:
        return repr(arr.item()) if arr.dtype != object else repr(value)
    if arr.dtype == object:
        return repr(value)[:200]
    return np.array2string(arr, threshold=6, precision=6)


def fail(name: str, value: object, rule: str) -> NoReturn:
    raise ValueError(f"{name} = {_show(value)}: must be {rule}")


def finite(name: str, value: float) -> float:
    """A finite real number."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        fail(name, value, "a finite real number")
    if not math.isfinite(v):
        fail(name, value, "finite")
    return v


def positive(name: str, value: float) -> float:
    """A finite number > 0."""
    v = finite(name, value)
    if not v > 0:
        fail(name, value, "> 0")
    return v


def non_negative(name: str, value: float) -> float:
    """A finite number >= 0."""
    v = finite(name, value)
    if not v >= 0:
        fail(name, value, ">= 0")
    return v


def in_range(name: str, value: float, lo: float, hi: float, *, open_lo: bool = False,
             open_hi: bool = False) -> float:
    """A finite number in [lo, hi] (or with open ends)."""
    v = finite(name, value)
    ok_lo = v > lo if open_lo else v >= lo
    ok_hi = v < hi if open_hi else v <= hi
    if not (ok_lo and ok_hi):
        fail(name, value, f"in {'(' if open_lo else '['}{lo}, {hi}{')' if open_hi else ']'}")
    return v


def finite_array(name: str, value: npt.ArrayLike, *, ndim: int | None = None,
                 allow_empty: bool = False) -> np.ndarray:
    """A float array with every element finite (a scalar becomes a 0-d array)."""
    try:
        raw = np.asarray(value)
        if np.iscomplexobj(raw):  # numpy would drop the imaginary part with only a warning
            fail(name, value, "real (complex input is not accepted)")
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(name):
            raise
        fail(name, value, "an array of real numbers")
    if ndim is not None and arr.ndim != ndim:
        fail(name, Described(f"an array of shape {arr.shape}"), f"{ndim}-dimensional")
    if arr.size == 0 and not allow_empty:
        fail(name, Described("an empty array"), "non-empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = np.argwhere(bad)[0]
        where = f"{name}[{', '.join(str(i) for i in idx)}]" if arr.ndim else name
        fail(where, arr[tuple(idx)] if arr.ndim else arr, "finite")
    return arr


def positive_array(name: str, value: npt.ArrayLike, **kw: object) -> np.ndarray:
    """A float array with every element finite and > 0."""
    arr = finite_array(name, value, **kw)  # type: ignore[arg-type]
    if (arr <= 0).any():
        idx = np.argwhere(arr <= 0)[0]
        where = f"{name}[{', '.join(str(i) for i in idx)}]" if arr.ndim else name
        fail(where, arr[tuple(idx)] if arr.ndim else arr, "> 0")
    return arr


def temperature(value: npt.ArrayLike, name: str = "T") -> np.ndarray:
    """Temperatures in K: finite and > 0."""
    return positive_array(name, value)


def same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape != b.shape:
        fail(name_b, Described(f"an array of shape {b.shape}"),
             f"of the same shape as {name_a} {a.shape}")


def choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        fail(name, value, "one of " + ", ".join(repr(a) for a in allowed))
    return value


def _max_threads() -> int:
    from . import _core
    return int(_core.max_threads())


def integer(name: str, value: object, lo: int | None = None, hi: int | None = None) -> int:
    """A Python or numpy integer (not bool, not float, not a string) in [lo, hi]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        fail(name, value, "an integer")
    v = int(value)  # type: ignore[arg-type]
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        fail(name, value, f"an integer in [{lo_s}, {hi_s}]")
    return v


def threads(value: object) -> int:
    """Worker threads: an integer >= 0 (0: one per hardware thread). More than the core's cap
    (a few per hardware thread) only costs start-up time and memory: capped, with a warning."""
    v = integer("threads", value, 0)
    cap = _max_threads()
    if v > cap:
        warnings.warn(f"threads = {v}: capped at {cap} ({cap // max(1, os.cpu_count() or 1)} "
                      "per hardware thread)", RuntimeWarning, stacklevel=3)
        return cap
    return v


def real(name: str, value: object) -> object:
    """Reject complex input (numpy would drop the imaginary part with only a warning)."""
    arr = np.asarray(value) if not isinstance(value, (int, float)) else None
    if isinstance(value, complex) or (arr is not None and np.iscomplexobj(arr)):
        fail(name, value, "real (complex input is not accepted)")
    return value


def relaxation_time(value: object, name: str = "tau") -> float:
    """A relaxation time in s: finite and > 0 (tau = 0 would make every sigma 0). One rule
    for every class that takes tau."""
    return positive(name, value)  # type: ignore[arg-type]


def charge(value: object, name: str = "z") -> float:
    """A charge number: finite and non-zero (z = 0 carries no current). One rule for every
    class that takes z."""
    v = finite(name, value)  # type: ignore[arg-type]
    if v == 0:
        fail(name, value, "non-zero (a charge number)")
    return v


#: Largest |energy| accepted where energies are divided by kT (eV): far beyond any physical
#: value, small enough that (E - mu)/kT cannot overflow at any T > 1e-290 K.
MAX_ENERGY = 1e6


def energy(name: str, value: object) -> float:
    """A finite energy in eV with |value| <= MAX_ENERGY."""
    v = finite(name, value)  # type: ignore[arg-type]
    if abs(v) > MAX_ENERGY:
        fail(name, value, f"within +-{MAX_ENERGY:g} eV (larger energies overflow (E - mu)/kT)")
    return v


def energy_array(name: str, value: object, **kw: object) -> np.ndarray:
    arr = finite_array(name, value, **kw)  # type: ignore[arg-type]
    if arr.size and np.abs(arr).max() > MAX_ENERGY:
        i = int(np.argmax(np.abs(arr).ravel()))
        fail(f"{name}[{i}]" if arr.ndim else name, arr.ravel()[i],
             f"within +-{MAX_ENERGY:g} eV (larger energies overflow (E - mu)/kT)")
    return arr
