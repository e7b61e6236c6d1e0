"""Executors: a 10^4-point doping sweep (100 mu x 100 T of the alpha = 0.6 eq 45 chain) in this
process on one C++ thread, versus 2 local worker processes through ``executor=``; the same
sweep on a local dask cluster of 2 worker processes (dask's overhead versus the process pool);
and the reference a competent user would write by hand: ``pool.map`` of the raw C++ sweep over
``np.array_split`` chunks on the same pool (the overhead of the executor layer itself).

Every route is checked bit for bit against the serial sweep before timing. Pools and the
cluster are started (and warmed) outside the timed region; their start-up is reported apart.
The routes take turns in each of 7 rounds and the best time of each is kept.
The machine's load average is printed with the ratios, since 2 workers only reach 2x on 2 idle
cores. ``QUASIION_BENCH_QUICK=1``: 40 x 50 points, one round.

Run: ``python -m pytest bench/test_bench_executors.py --benchmark-only -s``.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import time

import numpy as np
import pytest

import quasiion
from quasiion import executors as ex
from quasiion._core import doping as core

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
N_MU, N_T = (40, 50) if QUICK else (100, 100)
ROUNDS = 1 if QUICK else 7
MU = np.linspace(-0.8, 0.4, N_MU)
TS = np.linspace(200.0, 800.0, N_T)


def _raw_chunk(chain, mu, T):
    return core.sweep(chain._chain, mu, T, "fixed", "smallest", 0, 0.25, False, chain.tau,
                      chain.n0, chain.z, 1)


def _interleaved(routes, rounds):
    """Best time of each route over ``rounds`` rounds, the routes taking turns in each round,
    so that the others' load falls on all of them alike."""
    best = {name: float("inf") for name in routes}
    for _ in range(rounds):
        for name, fn in routes.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def test_sweep_serial_vs_workers_vs_dask(benchmark):
    distributed = pytest.importorskip("distributed")
    chain = quasiion.DopedChain.from_eq45(0.6)
    n = MU.size * TS.size
    load0 = os.getloadavg()[0]

    t0 = time.perf_counter()
    pool = cf.ProcessPoolExecutor(2, mp_context=ex._process_context())
    list(pool.map(abs, range(4)))  # workers up
    pool_start = time.perf_counter() - t0
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    dask_start = time.perf_counter() - t0
    dask_ex = client.get_executor()
    try:
        def serial():
            return chain.sweep(MU, TS, threads=1, progress=False)

        def threads2():
            return chain.sweep(MU, TS, threads=2, progress=False)

        def processes():
            return chain.sweep(MU, TS, executor=pool, progress=False)

        def on_dask():
            return chain.sweep(MU, TS, executor=dask_ex, progress=False)

        MM, TT = np.meshgrid(MU, TS)
        parts_mu = np.array_split(MM.ravel(), 8)
        parts_T = np.array_split(TT.ravel(), 8)

        def by_hand():
            return list(pool.map(_raw_chunk, [chain] * 8, parts_mu, parts_T))

        ref = serial()
        for route in (threads2, processes, on_dask):  # warm-up and agreement, bit for bit
            w = route()
            for k in ("S00", "sigma", "roots", "filling", "E_t"):
                assert getattr(w, k).tobytes() == getattr(ref, k).tobytes(), (route, k)
        hand = np.concatenate([np.asarray(p["S00"]) for p in by_hand()]).reshape(ref.S00.shape)
        assert hand.tobytes() == ref.S00.tobytes()

        benchmark.pedantic(processes, rounds=1, iterations=1)
        t = _interleaved({"serial": serial, "proc": processes, "thr": threads2,
                          "dask": on_dask, "hand": by_hand}, ROUNDS)
        t_serial, t_proc, t_thr, t_dask, t_hand = (t[k] for k in ("serial", "proc", "thr",
                                                                   "dask", "hand"))
    finally:
        client.close()
        cluster.close()
        pool.shutdown()
    load1 = os.getloadavg()[0]
    info = {"points": n, "serial_s": t_serial, "two_processes_s": t_proc,
            "two_cpp_threads_s": t_thr, "dask_two_workers_s": t_dask, "pool_map_by_hand_s": t_hand,
            "speedup_two_processes": t_serial / t_proc, "speedup_two_threads": t_serial / t_thr,
            "dask_over_pool": t_dask / t_proc, "layer_vs_by_hand": t_hand / t_proc,
            "pool_start_s": pool_start, "dask_cluster_start_s": dask_start,
            "load_average_before": load0, "load_average_after": load1, "cores": os.cpu_count()}
    benchmark.extra_info.update(info)
    print(f"\n[executors] {n} points, load average {load0:.1f} -> {load1:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"  serial (1 C++ thread) {t_serial * 1e3:.0f} ms; 2 worker processes "
          f"{t_proc * 1e3:.0f} ms -> {t_serial / t_proc:.2f}x (target 1.7x on 2 idle cores); "
          f"2 C++ threads in-process {t_thr * 1e3:.0f} ms -> {t_serial / t_thr:.2f}x")
    print(f"  dask, 2 worker processes {t_dask * 1e3:.0f} ms = {t_dask / t_proc:.2f}x the "
          f"process pool; pool.map by hand {t_hand * 1e3:.0f} ms (ratio {t_hand / t_proc:.2f}x)")
    print(f"  start-up, not timed above: process pool {pool_start:.2f} s, dask cluster "
          f"{dask_start:.2f} s")
