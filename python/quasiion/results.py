"""A base for result objects: plain dataclasses of numpy arrays and numbers with export.

Subclass with ``@dataclass(frozen=True)`` (or not) and inherit :meth:`to_dict`,
:meth:`save_npz` and :meth:`save_csv`.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np


class ResultMixin:
    """Export helpers for dataclass results."""

    def to_dict(self) -> dict[str, Any]:
        """Fields as a dict (arrays stay numpy arrays)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def save_npz(self, path: str | Path) -> Path:
        """Write every numeric field into a compressed ``.npz``."""
        path = Path(path)
        arrays = {}
        for k, v in self.to_dict().items():
            try:
                a = np.asarray(v)
            except Exception:  # noqa: BLE001 - skip what numpy cannot hold
                continue
            if a.dtype != object:
                arrays[k] = a
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]  # numpy stubs: kwargs
        return path

    def save_csv(self, path: str | Path) -> Path:
        """Write the 1-D array fields of equal length as columns, scalars as ``# key = value``
        header lines."""
        path = Path(path)
        d = self.to_dict()
        cols = {k: np.asarray(v) for k, v in d.items() if np.ndim(v) == 1}
        n = {len(v) for v in cols.values()}
        if len(n) > 1:
            longest = max(n)
            cols = {k: v for k, v in cols.items() if len(v) == longest}
        scalars = {k: v for k, v in d.items() if np.ndim(v) == 0 and not isinstance(v, (list, dict))}
        with path.open("w", newline="") as fh:
            for k, v in scalars.items():
                fh.write(f"# {k} = {v}\n")
            w = csv.writer(fh)
            w.writerow(list(cols))
            for row in zip(*cols.values()):
                w.writerow([f"{x:.17g}" if np.isscalar(x) and np.isreal(x) else x  # type: ignore[str-bytes-safe]
                            for x in row])
        return path
