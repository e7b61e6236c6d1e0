"""Benchmark helpers. Every benchmark times quasiion with pytest-benchmark and the plain
numpy/scipy way of the same computation in the same run, and reports the ratio (in the
benchmark's extra_info and on stdout with ``-s``).

Run: ``python -m pytest bench --benchmark-only`` (add ``-s`` to see the ratios).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest


def _best_of(fn: Callable[[], Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.fixture
def compare(benchmark):
    """``compare(quasiion_fn, reference_fn, rounds=3, label="...", reference_scale=1)`` -> ratio.

    Times ``quasiion_fn`` through pytest-benchmark (min over ``rounds``) and ``reference_fn``
    (the numpy/scipy way) as the best of ``rounds`` plain calls, records both times and
    ratio = reference / quasiion in ``benchmark.extra_info`` and prints them. Where the
    reference is too slow to run on the whole problem, it runs on 1/``reference_scale`` of it
    and its time is multiplied by ``reference_scale`` (recorded, and printed with the ratio).
    """

    def run(quasiion_fn: Callable[[], Any], reference_fn: Callable[[], Any], *, rounds: int = 3,
            label: str = "", reference_scale: float = 1.0) -> float:
        benchmark.pedantic(quasiion_fn, rounds=rounds, iterations=1, warmup_rounds=1)
        fast = benchmark.stats.stats.min
        slow = _best_of(reference_fn, rounds) * reference_scale
        ratio = slow / fast
        benchmark.extra_info.update({"quasiion_s": fast, "reference_s": slow, "ratio": ratio,
                                     "reference_scale": reference_scale})
        scaled = f" (timed on 1/{reference_scale:g}, scaled)" if reference_scale != 1 else ""
        print(f"\n[{label or benchmark.name}] quasiion {fast * 1e3:.2f} ms, "
              f"numpy/scipy {slow * 1e3:.2f} ms{scaled}, ratio {ratio:.1f}x")
        return ratio

    return run
