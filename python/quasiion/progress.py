"""Progress reports from long calls into the C++ core.

>>> import quasiion
>>> with quasiion.progress.report(lambda done, total: print(f"{done}/{total}")):
...     sigma = tb.conductivity(mu, 300.0, tau=1e-13, nk=400)   # doctest: +SKIP

Inside the ``with`` block every call that spreads work over items (k-points, chemical
potentials, temperatures) calls ``callback(done, total)`` about every 0.1 s and once at the
end, from the calling thread. An exception raised by the callback stops the call and
propagates (a way to cancel besides Ctrl-C, which long calls always honour).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import _core

__all__ = ["report"]


@contextmanager
def report(callback: Callable[[int, int], None]) -> Iterator[None]:
    """Report progress of long calls made inside the block to ``callback(done, total)``
    (work items done and in all)."""
    if not callable(callback):
        raise ValueError(f"callback = {callback!r}: must be callable as callback(done, total)")
    _core._set_progress_hook(callback)
    try:
        yield
    finally:
        _core._set_progress_hook(None)
