"""Reproduce the paper's figures and tables that the package can compute.

Each domain module here exposes ``ITEMS``: a list of :class:`Item`. ``quasiion reproduce``
runs them all (or a selection) and writes their files and a summary into one folder.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Domain modules, in the paper's order.
MODULES = ("bands", "potential", "doping", "fitting", "onsager", "supercell", "kubo")


@dataclass(frozen=True)
class Item:
    """One figure or table of the paper.

    ``make(out_dir)`` writes its files into ``out_dir`` and returns lines for the summary
    (what was computed and the key numbers).
    """

    name: str  # e.g. "fig3"
    title: str  # e.g. "Fig 3c,d: interstitial bands and sublattice weights"
    make: Callable[[Path], list[str]]


def items() -> list[Item]:
    """Every reproducible item, in the paper's order."""
    out: list[Item] = []
    for mod in MODULES:
        out.extend(importlib.import_module(f"{__name__}.{mod}").ITEMS)
    return out
