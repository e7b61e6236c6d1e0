"""Helpers shared by the subcommands: range parsing, output, the non-interactive backend."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np


def parse_range(text: str) -> np.ndarray:
    """``"start:stop:step"`` (stop included when it lies on the grid) or ``"a,b,c"`` or one
    number -> a float array. Raises ValueError naming the text."""
    try:
        if ":" in text:
            parts = [float(p) for p in text.split(":")]
            if len(parts) != 3:
                raise ValueError
            start, stop, step = parts
            if step <= 0 or stop < start:
                raise ValueError
            n = int(np.floor((stop - start) / step + 1e-9)) + 1
            return start + step * np.arange(n)
        return np.array([float(p) for p in text.split(",")])
    except ValueError:
        raise ValueError(
            f"range = {text!r}: must be 'start:stop:step' with step > 0 and stop >= start, "
            "or 'a,b,c', or a number"
        ) from None


def check_output(path: str | Path | None, flag: str, *, directory: bool = False) -> None:
    """Check an output path before any work, so a typo does not cost the computation: a file
    must not be an existing directory and its folder must exist; a directory must not be an
    existing file (it is created with its parents when missing)."""
    if path is None:
        return
    p = Path(path)
    if directory:
        if p.exists() and not p.is_dir():
            raise ValueError(f"{flag} = {str(p)!r}: must be a directory (it is an existing file)")
        anc = p
        while not anc.exists():
            anc = anc.parent
        if not anc.is_dir() or not os.access(anc, os.W_OK):
            raise ValueError(f"{flag} = {str(p)!r}: cannot create it ({str(anc)!r} is not a "
                             "writable directory)")
        return
    if p.is_dir():
        raise ValueError(f"{flag} = {str(p)!r}: is a directory; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"{flag} = {str(p)!r}: the directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise ValueError(f"{flag} = {str(p)!r}: not writable")


def use_agg() -> None:
    """Select matplotlib's file-only backend (the CLI never opens windows)."""
    import matplotlib

    matplotlib.use("Agg")


def save_figure(fig: Any, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    return path


def dump_json(obj: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, (np.floating, np.integer)):
            return o.item()
        raise TypeError(type(o).__name__)

    return json.dumps(obj, indent=2, default=default)
