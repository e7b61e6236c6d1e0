"""Benchmarks: quasiion against the best numpy/scipy way of the same computation.

Conventions for every file in this directory (``python -m pytest bench`` collects them; the
package's own tests, ``python -m pytest``, do not, because pyproject's testpaths is ``tests``):

- Files are named ``test_*.py``; each benchmark is a test function that takes the ``compare``
  fixture (below).
- The reference is what a competent numpy/scipy user would write: vectorised over points, the
  right scipy routine (fixed Gauss-Legendre where the integrand is smooth, vectorised
  bisection rather than a loop of scalar ``brentq``), the same outputs and no more, timed on
  the full workload (never on a subset scaled up).
- Accuracy is matched: both quasiion and the reference are checked against a finer route, the
  errors are passed to ``compare(..., accuracy=...)`` (recorded and printed), and agreement is
  asserted BEFORE anything is timed.
- Quick mode: with the environment variable ``QUASIION_BENCH_QUICK=1`` (CI sets it) every
  benchmark shrinks its sizes (use ``QUICK`` or the ``sized`` fixture) and runs one round, and
  still asserts agreement. Benchmarks never assert a speed: they report the ratio, even < 1.

Run: ``python -m pytest bench -s`` (the ratios are printed with ``-s`` and recorded in
pytest-benchmark's extra_info); CI: ``QUASIION_BENCH_QUICK=1 python -m pytest bench -q
--benchmark-disable``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest

#: True under QUASIION_BENCH_QUICK=1: small sizes, one round (CI).
QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")


@pytest.fixture
def quick() -> bool:
    """True in quick mode (QUASIION_BENCH_QUICK=1)."""
    return QUICK


@pytest.fixture
def sized() -> Callable[[Any, Any], Any]:
    """``sized(full, quick)``: the full-size value, or the quick one in quick mode."""
    return lambda full, small: small if QUICK else full


@pytest.fixture
def compare(benchmark):
    """``compare(quasiion_fn, reference_fn, rounds=3, label="...", accuracy=None)`` -> ratio.

    Times ``quasiion_fn`` and ``reference_fn`` (the numpy/scipy way) interleaved in the same
    run, best of ``rounds`` each after one untimed warm-up call of each (one round and no
    warm-up in quick mode), so that load from other processes hits both alike. Records
    quasiion_s, reference_s, ratio = reference / quasiion and ``accuracy`` (a mapping such as
    {"quasiion": 3e-12, "reference": 5e-12}, the errors against a finer route) in
    ``benchmark.extra_info`` and prints them. ``reference_scale`` (deprecated, avoid: time the
    full workload) multiplies the reference time. May be called more than once per test.
    """
    calls: list[str] = []

    def run(quasiion_fn: Callable[[], Any], reference_fn: Callable[[], Any], *, rounds: int = 3,
            label: str = "", reference_scale: float = 1.0,
            accuracy: Mapping[str, float] | None = None) -> float:
        if QUICK:
            rounds = 1
        else:
            reference_fn()
            quasiion_fn()
        fast = slow = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            reference_fn()
            t1 = time.perf_counter()
            quasiion_fn()
            t2 = time.perf_counter()
            slow, fast = min(slow, t1 - t0), min(fast, t2 - t1)
        slow *= reference_scale
        ratio = slow / fast
        # pytest-benchmark's own record of the quasiion call (a single call under
        # --benchmark-disable); the fixture allows one such call per test, so a second
        # compare() in the same test records under its label only.
        first = not calls
        calls.append(label)
        if first:
            benchmark.pedantic(quasiion_fn, rounds=1, iterations=1)
        key = "" if first else f"{label}: "
        benchmark.extra_info.update({f"{key}quasiion_s": fast, f"{key}reference_s": slow,
                                     f"{key}ratio": ratio, f"{key}rounds": rounds,
                                     f"{key}reference_scale": reference_scale})
        acc = ""
        if accuracy:
            benchmark.extra_info.update({f"{key}error_{k}": float(v) for k, v in accuracy.items()})
            acc = ", error vs finer route: " + ", ".join(f"{k} {v:.1e}" for k, v in accuracy.items())
        scaled = f" (timed on 1/{reference_scale:g}, scaled)" if reference_scale != 1 else ""
        print(f"\n[{label or benchmark.name}] quasiion {fast * 1e3:.2f} ms, "
              f"numpy/scipy {slow * 1e3:.2f} ms{scaled}, ratio {ratio:.2f}x{acc}")
        return ratio

    return run
