"""Exceptions of quasiion.

Bad input raises the built-in :class:`ValueError` whose message names the parameter, its value
and what is allowed. A root search or self-consistent loop that does not converge raises
:class:`ConvergenceError`, which keeps what was tried.
"""

from __future__ import annotations

from collections.abc import Sequence


class ConvergenceError(RuntimeError):
    """A root search or self-consistent loop did not converge.

    Attributes
    ----------
    history : list of float
        What was tried, in order (iterates or residuals; the message says which).
    """

    def __init__(self, message: str, history: Sequence[float] = ()) -> None:
        super().__init__(message)
        self.history = list(history)
