"""Reading tables whose header names each column's unit.

Accepted header forms for a column: ``name [unit]``, ``name (unit)``, ``name/unit`` or
``name_unit`` with a known unit suffix (``T_K``, ``T_C``, ``sigma_S_per_cm``). Lines starting
with ``#`` are comments. Domain modules convert the units they accept and reject the rest with
a clear error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_BRACKET = re.compile(r"^\s*(?P<name>[^\[\(/]+?)\s*(?:\[(?P<u1>[^\]]*)\]|\((?P<u2>[^\)]*)\)|/\s*(?P<u3>.+))\s*$")
_SUFFIXES = ("S_per_cm", "S_per_m", "eV", "K", "C", "A", "Angstrom", "nm", "Ang")


@dataclass(frozen=True)
class Column:
    """One column: its name, unit (``""`` where the header gives none) and values."""

    name: str
    unit: str
    values: np.ndarray  # float where every entry parses as a number, else str


def split_header(text: str) -> tuple[str, str]:
    """``"T [K]"`` -> ``("T", "K")``; ``"T_K"`` -> ``("T", "K")``; ``"x"`` -> ``("x", "")``."""
    m = _BRACKET.match(text)
    if m:
        unit = m.group("u1") or m.group("u2") or m.group("u3") or ""
        return m.group("name").strip(), unit.strip()
    for suf in _SUFFIXES:
        if text.endswith("_" + suf) and len(text) > len(suf) + 1:
            return text[: -len(suf) - 1], suf
    return text.strip(), ""


def read_table(path: str | Path) -> dict[str, Column]:
    """Read a CSV file with a header line into columns keyed by name (unit stripped).

    Where two columns share a name (``T_C`` and ``T_K``), the first is keyed by the name and
    every later one by its full header text, so none is lost.

    Raises ValueError naming the file when it is missing, empty or ragged.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path = {str(path)!r}: must be an existing file")
    with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM (Excel) is not a name
        rows = [r for r in csv.reader(line for line in fh if not line.lstrip().startswith("#"))
                if r and any(c.strip() for c in r)]
    if len(rows) < 2:
        raise ValueError(f"path = {str(path)!r}: must hold a header line and at least one row")
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise ValueError(f"{path.name} line {i}: has {len(r)} fields, the header has "
                             f"{len(header)}")
    out: dict[str, Column] = {}
    for j, h in enumerate(header):
        name, unit = split_header(h)
        raw = [r[j].strip() for r in body]
        try:
            values: np.ndarray = np.array([float(x) for x in raw])
        except ValueError:
            values = np.array(raw, dtype=object)
        out[name if name not in out else h] = Column(name, unit, values)
    return out
