"""Helpers shared by the subcommands: range parsing, output, the non-interactive backend."""

from __future__ import annotations

import json
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
