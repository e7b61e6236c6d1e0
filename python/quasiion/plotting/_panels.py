"""Panel letters for multi-panel figures: "(a)", "(b)", ... at the top left, above the axes,
so they never sit on a curve, a legend or the centred title."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def label_panels(axes: Iterable[Any], start: int = 0) -> None:
    for i, ax in enumerate(axes, start):
        ax.set_title(f"({chr(ord('a') + i)})", loc="left", fontsize="small", fontweight="bold")
