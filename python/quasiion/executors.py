"""Running sweeps and ensembles serially, on local cores or on a cluster.

Every sweep or ensemble entry point of the package (:meth:`quasiion.DopedChain.sweep`,
:func:`quasiion.eq45_sweep`, the conductivity grids of :class:`quasiion.InterstitialChain`
and :class:`quasiion.TightBinding`, :func:`quasiion.fit_materials`) takes an optional
``executor=``. It may be

* ``None`` or ``"serial"``: this process (the C++ ``parallel_for`` threads still run inside);
* ``"threads"``: a thread pool of this process (the C++ core releases the GIL);
* ``"processes"`` or an int ``N``: ``N`` local worker processes (all cores for
  ``"processes"``), made for the call and shut down after it;
* a dask scheduler address (``"tcp://host:8786"``): a ``distributed.Client`` for the call;
* any :class:`concurrent.futures.Executor`: a ``ProcessPoolExecutor``, a dask
  ``Client.get_executor()``, an ``mpi4py.futures.MPIPoolExecutor`` ... (used, not shut down).

The points of a sweep (or the realisations of an ensemble) are cut into chunks large enough
to amortise scheduling. Each point is computed on its own and each realisation draws from its
own random stream, ``SeedSequence(seed, spawn_key=(index,))`` (:func:`realisation_seed`), so
results are bit-identical whatever the executor and the chunk size. Inside worker processes
the C++ core runs one thread per worker (no oversubscription) unless ``threads`` is given.

A worker process that dies makes its chunk run again (alone, so the culprit is known) in a
fresh pool of the same size; a chunk that kills its worker ``retries + 1`` times fails with a
:class:`ChunkError` naming it. Ctrl-C stops the sweep: :class:`SweepInterrupted` (a
``KeyboardInterrupt``) carries the finished chunks and says where they were saved.

With ``save=PATH`` (``.npz`` always; ``.nc`` netCDF through xarray) a sweep writes its inputs,
provenance (parameters, units, rule/phase, seed, package version, which points are done) and
results, checkpoints while it runs, and resumes from the file: a second call with the same
inputs computes only the missing chunks and returns what an uninterrupted run returns.
:func:`load` reads such a file; ``quasiion plot FILE`` plots it.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime
import json
import math
import os
import platform
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np

__all__ = [
    "ExecutorLike",
    "ChunkError",
    "SweepInterrupted",
    "SavedSweep",
    "run_points",
    "run_ensemble",
    "realisation_seed",
    "realisation_rngs",
    "fresh_seed",
    "map_grid",
    "worker_threads",
    "resolve_executor",
    "default_chunk",
    "load",
]

#: What ``executor=`` accepts (see the module docstring).
ExecutorLike = Union[None, str, int, cf.Executor]

#: A chunk task: ``task(points, start, stop)`` with ``points`` the per-point inputs sliced to
#: ``[start, stop)``; returns a dict of arrays whose first axis has ``stop - start`` entries.
Task = Callable[[dict[str, np.ndarray], int, int], Mapping[str, Any]]

FORMAT = "quasiion-sweep"
FORMAT_VERSION = 1


class ChunkError(RuntimeError):
    """A chunk could not be computed: its worker process died more often than allowed, or
    the executor broke and cannot be restarted. ``chunks`` lists ``(index, start, stop)``;
    ``done``/``total`` count finished chunks, ``path`` is where they were saved (or None)."""

    def __init__(self, message: str, chunks: list[tuple[int, int, int]], done: int, total: int,
                 path: Path | None) -> None:
        super().__init__(message)
        self.chunks, self.done, self.total, self.path = chunks, done, total, path


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep. ``partial`` holds the merged results with ``partial["done"]``
    the mask of finished points; ``path`` is the file they were saved to (or None)."""

    def __init__(self, message: str, partial: dict[str, np.ndarray], done: int, total: int,
                 path: Path | None) -> None:
        super().__init__(message)
        self.partial, self.done, self.total, self.path = partial, done, total, path

    def __str__(self) -> str:
        return str(self.args[0])


# -- random streams --------------------------------------------------------------------------
def realisation_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed sequence of realisation ``index`` of an ensemble with root ``seed``: the
    ``index``-th child of ``SeedSequence(seed).spawn(...)``, computed without the others, so any
    chunk of realisations draws the same numbers wherever it runs."""
    return np.random.SeedSequence(int(seed), spawn_key=(int(index),))


def realisation_rngs(seed: int, start: int, stop: int) -> list[np.random.Generator]:
    """Generators (PCG64) of realisations ``start .. stop-1``."""
    return [np.random.default_rng(realisation_seed(seed, i)) for i in range(start, stop)]


def fresh_seed() -> int:
    """A new root seed from the OS entropy (recorded in saved files so a run can be repeated)."""
    return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]


# -- executors -------------------------------------------------------------------------------
def _probe_scheduler(address: str, timeout: float = 5.0) -> None:
    """Fail at once when nothing listens at a tcp:// scheduler address (dask's Client would
    retry for its whole 30 s timeout); other protocols are left to dask."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    if parts.scheme != "tcp" or not parts.hostname:
        return
    try:
        with socket.create_connection((parts.hostname, parts.port or 8786), timeout=timeout):
            pass
    except OSError as exc:
        raise ValueError(f"executor = {address!r}: no dask scheduler answers there ({exc})") from exc


def _process_context() -> Any:
    import multiprocessing as mp

    # forkserver: workers do not inherit this process's threads (dask, tqdm, the caller's).
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it (stops the sweep,
    # keeps what finished); workers are ended by the parent, not by the signal.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _n_workers(ex: cf.Executor) -> int:
    n = getattr(ex, "_max_workers", None)
    if isinstance(n, int) and n > 0:
        return n
    client = getattr(ex, "_client", None)  # distributed.cfexecutor.ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 - a client that cannot tell: assume one worker
            return 1
    n = getattr(ex, "num_workers", None)  # mpi4py.futures.MPIPoolExecutor
    if isinstance(n, int) and n > 0:
        return n
    return os.cpu_count() or 1


class _Pool:
    """An executor for one call: what was asked for, whether we own it (and so may rebuild it
    after a worker died and must shut it down), how many workers it has."""

    def __init__(self, spec: ExecutorLike) -> None:
        self.executor: cf.Executor | None = None
        self.client: Any = None
        self.owned = False
        self._factory: Callable[[], cf.Executor] | None = None
        if spec is None or (isinstance(spec, str) and spec == "serial"):
            self.kind, self.workers = "serial", 1
            return
        if isinstance(spec, bool):
            raise ValueError(f"executor = {spec!r}: must be None, 'serial', 'threads', "
                             "'processes', a number of worker processes, a dask scheduler "
                             "address or a concurrent.futures.Executor")
        if isinstance(spec, (int, np.integer)):
            if int(spec) < 1:
                raise ValueError(f"executor = {spec!r}: a number of worker processes must be "
                                 ">= 1 (or use None for this process)")
            self._processes(int(spec))
        elif isinstance(spec, str) and spec == "threads":
            n = os.cpu_count() or 1
            self.kind, self.workers, self.owned = "threads", n, True
            self._factory = lambda: cf.ThreadPoolExecutor(n)
        elif isinstance(spec, str) and spec == "processes":
            self._processes(os.cpu_count() or 1)
        elif isinstance(spec, str) and "://" in spec:
            self._dask(spec)
        elif isinstance(spec, cf.Executor):
            self.executor, self.kind = spec, type(spec).__name__
            self.workers = _n_workers(spec)
        else:
            raise ValueError(f"executor = {spec!r}: must be None, 'serial', 'threads', "
                             "'processes', a number of worker processes, a dask scheduler "
                             "address like 'tcp://host:8786' or a concurrent.futures.Executor")
        if self._factory is not None:
            self.executor = self._factory()

    def _processes(self, n: int) -> None:
        ctx = _process_context()
        self.kind, self.workers, self.owned = "processes", n, True
        self._factory = lambda: cf.ProcessPoolExecutor(n, mp_context=ctx,
                                                       initializer=_ignore_sigint)

    def _dask(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ValueError(f"executor = {address!r}: a dask scheduler address needs "
                             "dask.distributed (pip install 'quasiion[distributed]')") from exc
        _probe_scheduler(address)
        try:
            self.client = Client(address, timeout=30)
        except OSError as exc:
            raise ValueError(f"executor = {address!r}: no dask scheduler answers there "
                             f"({exc})") from exc
        self.executor = self.client.get_executor()
        self.kind, self.owned = f"dask {address}", True
        self.workers = _n_workers(self.executor)

    @property
    def serial(self) -> bool:
        return self.executor is None

    def rebuild(self) -> bool:
        """A fresh pool after a worker died; False when the executor is not ours to rebuild."""
        if self._factory is None:
            return False
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._factory()
        return True

    def terminate(self) -> None:
        """End our worker processes now (after Ctrl-C: running chunks are abandoned)."""
        if self.owned and isinstance(self.executor, cf.ProcessPoolExecutor):
            procs = getattr(self.executor, "_processes", None) or {}
            self.executor.shutdown(wait=False, cancel_futures=True)
            for proc in list(procs.values()):
                proc.terminate()
            for proc in list(procs.values()):
                proc.join(5)
            self.executor = None
        self.close(wait=False)

    def close(self, wait: bool = True) -> None:
        if self.owned and self.executor is not None:
            if isinstance(self.executor, (cf.ProcessPoolExecutor, cf.ThreadPoolExecutor)):
                self.executor.shutdown(wait=wait, cancel_futures=True)
            else:
                self.executor.shutdown(wait=wait)
        if self.client is not None:
            self.client.close()
        self.executor = self.client = None


def resolve_executor(executor: ExecutorLike) -> tuple[str, int]:
    """What ``executor`` means here: ``(kind, workers)`` (validates it; makes nothing)."""
    if isinstance(executor, cf.Executor):
        return type(executor).__name__, _n_workers(executor)
    if executor is None or executor == "serial":
        return "serial", 1
    if executor == "threads":
        return "threads", os.cpu_count() or 1
    if executor == "processes":
        return "processes", os.cpu_count() or 1
    if isinstance(executor, (int, np.integer)) and not isinstance(executor, bool) and executor >= 1:
        return "processes", int(executor)
    if isinstance(executor, str) and "://" in executor:
        return f"dask {executor}", 0
    _Pool(executor)  # raises the error message
    raise AssertionError  # pragma: no cover


def worker_threads(executor: ExecutorLike, threads: int) -> int:
    """C++ threads per task: as asked when ``threads`` > 0, else all cores in this process and
    one per worker elsewhere (the workers already fill the cores)."""
    if threads > 0:
        return int(threads)
    return 0 if executor is None or executor == "serial" else 1


def default_chunk(n: int, workers: int, *, serial_chunk: int = 2048, min_size: int = 64,
                  max_size: int = 8192, per_worker: int = 8) -> int:
    """Points per chunk: ``serial_chunk`` in this process; else about ``per_worker`` chunks per
    worker, clamped to ``[min_size, max_size]`` so scheduling stays a small overhead."""
    if workers <= 1:
        return max(1, min(n, serial_chunk))
    return max(1, min(n, max(min_size, min(max_size, math.ceil(n / (per_worker * workers))))))


# -- progress --------------------------------------------------------------------------------
def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    def __init__(self, progress: bool | None | Callable[[int, int], None], total: int,
                 initial: int, desc: str, n_chunks: int) -> None:
        self.callback = progress if callable(progress) else None
        self.total, self.done = total, initial
        self.bar: Any = None
        show = _interactive() and n_chunks > 1 if progress is None else progress is True
        if show:
            try:
                from tqdm.auto import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency
                return
            # delay: sweeps shorter than a second never show a bar
            self.bar = tqdm(total=total, initial=initial, desc=desc or None, unit="pt",
                            dynamic_ncols=True, leave=True, delay=0.0 if progress else 1.0)

    def update(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- result storage --------------------------------------------------------------------------
def _fill(dtype: np.dtype) -> Any:
    if dtype.kind == "f" or dtype.kind == "c":
        return np.nan
    return False if dtype.kind == "b" else 0


class _Store:
    """Per-point results of a sweep: arrays with a first axis of ``n``, filled chunk by chunk;
    trailing axes (e.g. the roots) widen to the widest chunk, padded with NaN."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.done = np.zeros(n, dtype=bool)
        self.arrays: dict[str, np.ndarray] = {}

    def put(self, start: int, stop: int, values: Mapping[str, Any]) -> None:
        for key, val in values.items():
            a = np.asarray(val)
            if a.ndim == 0 or a.shape[0] != stop - start:
                raise ValueError(f"chunk [{start}, {stop}): result {key!r} of shape {a.shape} "
                                 f"has no first axis of {stop - start} points")
            cur = self.arrays.get(key)
            if cur is None:
                cur = np.full((self.n,) + a.shape[1:], _fill(a.dtype), dtype=a.dtype)
            if cur.shape[1:] != a.shape[1:]:
                width = tuple(max(x, y) for x, y in zip(cur.shape[1:], a.shape[1:]))
                cur = _pad(cur, width)
                a = _pad(a, width)
            self.arrays[key] = cur
            cur[start:stop] = a
        self.done[start:stop] = True

    def missing_chunks(self, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Runs of missing points inside each chunk ``(start, stop)`` of ``bounds`` (so a
        resumed run cuts where an uninterrupted one does)."""
        out = []
        for s, e in bounds:
            miss = np.flatnonzero(~self.done[s:e])
            if miss.size == 0:
                continue
            breaks = np.flatnonzero(np.diff(miss) > 1)
            lo = np.concatenate(([0], breaks + 1))
            hi = np.concatenate((breaks, [miss.size - 1]))
            out += [(s + int(miss[a]), s + int(miss[b]) + 1) for a, b in zip(lo, hi)]
        return out


def _pad(a: np.ndarray, tail: tuple[int, ...]) -> np.ndarray:
    if a.shape[1:] == tail:
        return a
    pads = [(0, 0)] + [(0, t - s) for s, t in zip(a.shape[1:], tail)]
    return np.pad(a, pads, constant_values=_fill(a.dtype))


@dataclass
class SavedSweep:
    """A sweep file: ``meta`` (kind, inputs, units, seed, version, chunk, ...), the input
    arrays, the per-point results and the ``done`` mask."""

    meta: dict[str, Any]
    inputs: dict[str, np.ndarray]
    results: dict[str, np.ndarray]
    done: np.ndarray
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.meta["kind"])

    @property
    def complete(self) -> bool:
        return bool(self.done.all())

    def to_xarray(self) -> Any:
        """The file as an ``xarray.Dataset`` (results along dimension ``point``)."""
        import xarray as xr

        data: dict[str, Any] = {}
        for k, a in self.inputs.items():
            data[f"input_{k}"] = ([f"input_{k}_{i}" for i in range(a.ndim)], a)
        for k, a in self.results.items():
            dims = ["point"] + [f"{k}_{i}" for i in range(1, a.ndim)]
            data[k] = (dims, a.astype(np.int8) if a.dtype == bool else a)
        data["done"] = (["point"], self.done.astype(np.int8))
        attrs = {"quasiion_meta": json.dumps(self.meta), "kind": self.kind,
                 "quasiion_version": str(self.meta.get("quasiion_version")),
                 "units": json.dumps(self.meta.get("units", {}))}
        bools = [k for k, a in self.results.items() if a.dtype == bool]
        attrs["bool_variables"] = json.dumps(bools)
        return xr.Dataset(data, attrs=attrs)


def _save(s: SavedSweep, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if path.suffix == ".nc":
        try:
            s.to_xarray().to_netcdf(tmp)
        except ImportError as exc:
            raise ValueError(f"save = {str(path)!r}: netCDF needs xarray and netCDF4 (pip "
                             "install 'quasiion[distributed]'); use a .npz file") from exc
    else:
        arrays: dict[str, Any] = {"meta": np.array(json.dumps(s.meta)), "done": s.done}
        arrays.update({f"input__{k}": a for k, a in s.inputs.items()})
        arrays.update({f"result__{k}": a for k, a in s.results.items()})
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
    os.replace(tmp, path)  # a crash while writing never leaves half a file
    return path


def load(path: str | Path) -> SavedSweep:
    """Read a sweep file written with ``save=`` (``.npz`` or ``.nc``)."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"path = {str(p)!r}: no such file")
    if p.suffix == ".nc":
        import xarray as xr

        with xr.open_dataset(p) as ds:
            ds = ds.load()
        meta = json.loads(ds.attrs["quasiion_meta"])
        bools = set(json.loads(ds.attrs.get("bool_variables", "[]")))
        inputs = {k[len("input_"):]: np.asarray(ds[k].values) for k in ds.data_vars
                  if k.startswith("input_")}
        results = {k: np.asarray(ds[k].values).astype(bool) if k in bools else
                   np.asarray(ds[k].values) for k in ds.data_vars
                   if not k.startswith("input_") and k != "done"}
        done = np.asarray(ds["done"].values).astype(bool)
    else:
        try:
            with np.load(p, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                inputs = {k[len("input__"):]: z[k] for k in z.files if k.startswith("input__")}
                results = {k[len("result__"):]: z[k] for k in z.files if k.startswith("result__")}
                done = z["done"]
        except (KeyError, OSError, ValueError) as exc:
            raise ValueError(f"path = {str(p)!r}: not a quasiion sweep file ({exc})") from None
    if meta.get("format") != FORMAT:
        raise ValueError(f"path = {str(p)!r}: not a quasiion sweep file")
    return SavedSweep(meta=meta, inputs=inputs, results=results, done=done, path=p)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return repr(x)
    return x


# -- the runner ------------------------------------------------------------------------------
def _version() -> str:
    from . import __version__

    return str(__version__)


def run_points(task: Task, n: int, *, points: Mapping[str, np.ndarray] | None = None,
               executor: ExecutorLike = None, chunk: int | None = None,
               progress: bool | None | Callable[[int, int], None] = None, desc: str = "",
               save: str | Path | None = None, resume: bool = True, kind: str = "sweep",
               inputs: Mapping[str, Any] | None = None,
               input_arrays: Mapping[str, np.ndarray] | None = None,
               units: Mapping[str, str] | None = None, seed: int | None = None,
               retries: int = 2, checkpoint_s: float = 30.0, min_chunk: int = 64,
               bounds: list[tuple[int, int]] | None = None) -> dict[str, np.ndarray]:
    """Compute ``task`` on ``n`` independent points in chunks on ``executor``.

    Parameters
    ----------
    task : callable
        ``task(points_slice, start, stop) -> {name: array}`` (first axis ``stop - start``);
        picklable (a module-level function or a ``functools.partial`` of one) for process
        and cluster executors.
    n : int
        Number of points (or realisations).
    points : dict of arrays, optional
        Per-point inputs (first axis ``n``), sliced for each chunk before it is sent.
    executor, chunk, progress
        See the module docstring; ``chunk`` None picks :func:`default_chunk`.
    save, resume
        A ``.npz`` or ``.nc`` file for checkpoints and the result; with ``resume`` an existing
        file of the same inputs is continued (only missing chunks computed).
    kind, inputs, input_arrays, units, seed
        Provenance written to ``save`` and checked on resume: the sweep kind, its scalar
        parameters (JSON), its input grids, the units of the results, the root seed.
    retries : int
        Re-runs allowed for a chunk whose worker process died.
    checkpoint_s : float
        Seconds between checkpoints written to ``save`` while running.
    min_chunk : int
        Smallest automatic chunk.
    bounds : list of (start, stop), optional
        Explicit chunks covering ``0 .. n-1`` in order (for tasks whose points must be
        grouped); ``chunk`` is then ignored.

    Returns
    -------
    dict of ndarray
        Every result with first axis ``n``.

    Raises
    ------
    ChunkError
        A chunk kept killing its worker, or a pool that is not ours broke (names the chunk).
    SweepInterrupted
        Ctrl-C; finished chunks are kept (``exc.partial``) and saved when ``save`` is given.
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"n = {n}: a sweep needs at least one point")
    if retries < 0:
        raise ValueError(f"retries = {retries}: must be >= 0")
    if chunk is not None and (int(chunk) != chunk or chunk < 1):
        raise ValueError(f"chunk = {chunk!r}: must be an integer >= 1 (points per chunk)")
    pts = {k: np.asarray(v) for k, v in (points or {}).items()}
    for k, a in pts.items():
        if a.shape[:1] != (n,):
            raise ValueError(f"points[{k!r}] of shape {a.shape}: needs a first axis of {n}")
    resolve_executor(executor)  # a bad executor fails before any file is read
    meta: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
        "inputs": _jsonable(dict(inputs or {})), "units": dict(units or {}),
        "seed": None if seed is None else int(seed), "n_points": n,
        "quasiion_version": _version(),
    }
    in_arrays = {k: np.asarray(v) for k, v in (input_arrays or {}).items()}
    store = _Store(n)
    path = None if save is None else Path(save)
    if path is not None and path.suffix not in (".npz", ".nc"):
        raise ValueError(f"save = {str(path)!r}: must end in .npz or .nc")
    if path is not None and resume and path.exists():
        _resume_into(store, load(path), meta, in_arrays)
    pool = _Pool(executor)
    try:
        workers = pool.workers
        if bounds is None:
            size = int(chunk) if chunk is not None else default_chunk(
                n, workers, min_size=min_chunk)
            bounds = [(s, min(n, s + size)) for s in range(0, n, size)]
        meta["chunk"] = max(e - s for s, e in bounds)
        chunks = store.missing_chunks(bounds)
        meta["executor"] = f"{pool.kind} ({workers} workers)"
        state = _RunState(store=store, meta=meta, inputs=in_arrays, path=path,
                          checkpoint_s=checkpoint_s, total_chunks=len(bounds))
        bar = _Progress(progress, n, int(store.done.sum()), desc, len(chunks))
        try:
            _run(task, pts, chunks, pool, retries, state, bar)
        finally:
            bar.close()
    finally:
        pool.close()
    if chunks:  # a finished file that was only read stays as it was written
        state.write(final=True)
    return dict(store.arrays)


def _resume_into(store: _Store, old: SavedSweep, meta: dict[str, Any],
                 in_arrays: dict[str, np.ndarray]) -> None:
    where = f"save = {str(old.path)!r}"
    for key in ("kind", "inputs", "units", "seed", "n_points", "quasiion_version"):
        if _jsonable(old.meta.get(key)) != _jsonable(meta.get(key)):
            raise ValueError(f"{where}: holds a sweep with {key} = {old.meta.get(key)!r}, this "
                             f"one has {meta.get(key)!r}; use another file or resume=False")
    if set(old.inputs) != set(in_arrays) or any(
            not np.array_equal(old.inputs[k], in_arrays[k]) for k in in_arrays):
        raise ValueError(f"{where}: holds a sweep over other grids "
                         f"({', '.join(sorted(in_arrays))}); use another file or resume=False")
    idx = np.flatnonzero(old.done)
    if idx.size:
        # contiguous runs, so trailing axes pad exactly as a fresh run's chunks do
        breaks = np.flatnonzero(np.diff(idx) > 1)
        lo = np.concatenate(([0], breaks + 1))
        hi = np.concatenate((breaks, [idx.size - 1]))
        for a, b in zip(lo, hi):
            s, e = int(idx[a]), int(idx[b]) + 1
            store.put(s, e, {k: v[s:e] for k, v in old.results.items()})


@dataclass
class _RunState:
    store: _Store
    meta: dict[str, Any]
    inputs: dict[str, np.ndarray]
    path: Path | None
    checkpoint_s: float
    total_chunks: int
    last_write: float = field(default_factory=time.monotonic)
    t0: float = field(default_factory=time.monotonic)

    def write(self, final: bool = False) -> Path | None:
        if self.path is None:
            return None
        m = dict(self.meta)
        m.update(n_done=int(self.store.done.sum()), complete=bool(self.store.done.all()),
                 written=datetime.datetime.now(datetime.timezone.utc).isoformat(),
                 wall_time_s=time.monotonic() - self.t0, python=platform.python_version(),
                 numpy_version=np.__version__)
        _save(SavedSweep(m, self.inputs, self.store.arrays, self.store.done), self.path)
        self.last_write = time.monotonic()
        return self.path

    def maybe_write(self) -> None:
        if self.path is not None and time.monotonic() - self.last_write > self.checkpoint_s:
            self.write()

    def partial(self) -> dict[str, np.ndarray]:
        out = dict(self.store.arrays)
        out["done"] = self.store.done.copy()
        return out

    def kept(self) -> tuple[str, Path | None]:
        done, n = int(self.store.done.sum()), self.store.n
        try:
            path = self.write()
        except Exception as exc:  # noqa: BLE001 - report the original failure, not this one
            return f"{done} of {n} points finished; saving them failed ({exc})", None
        if path is not None:
            return (f"{done} of {n} points finished and saved to {path}; call again with the "
                    "same save= to compute only the rest"), path
        return (f"{done} of {n} points finished, kept in the exception's .partial (pass save= "
                "to keep them in a file and resume)"), None


def _describe(i: int, s: int, e: int) -> str:
    return f"chunk {i} (points {s}..{e - 1})"


def _run(task: Task, pts: dict[str, np.ndarray], chunks: list[tuple[int, int]], pool: _Pool,
         retries: int, st: _RunState, bar: _Progress) -> None:
    ids = {c: i for i, c in enumerate(chunks)}

    def sliced(s: int, e: int) -> dict[str, np.ndarray]:
        return {k: a[s:e] for k, a in pts.items()}

    def finish(c: tuple[int, int], value: Mapping[str, Any]) -> None:
        st.store.put(c[0], c[1], value)
        bar.update(c[1] - c[0])
        st.maybe_write()

    def fail_note(exc: BaseException, c: tuple[int, int]) -> None:
        if hasattr(exc, "add_note"):
            exc.add_note(f"in {_describe(ids[c], *c)}; " + st.kept()[0])

    try:
        if pool.serial:
            for c in chunks:
                try:
                    value = task(sliced(*c), c[0], c[1])
                except Exception as exc:
                    fail_note(exc, c)
                    raise
                finish(c, value)
            return
        _run_pool(task, sliced, chunks, ids, pool, retries, st, finish, fail_note)
    except KeyboardInterrupt as exc:
        if isinstance(exc, SweepInterrupted):
            raise
        pool.terminate()
        msg, path = st.kept()
        raise SweepInterrupted(f"interrupted: {msg}", st.partial(), int(st.store.done.sum()),
                               st.store.n, path) from None


def _run_pool(task: Task, sliced: Callable[[int, int], dict[str, np.ndarray]],
              chunks: list[tuple[int, int]], ids: dict[tuple[int, int], int], pool: _Pool,
              retries: int, st: _RunState, finish: Callable[..., None],
              fail_note: Callable[[BaseException, tuple[int, int]], None]) -> None:
    pending = deque(chunks)
    suspects: deque[tuple[int, int]] = deque()  # in flight when a worker died: re-run alone
    deaths: dict[tuple[int, int], int] = {}
    inflight: dict[cf.Future, tuple[int, int]] = {}
    window = 2 * max(1, pool.workers) + 1
    try:
        while pending or suspects or inflight:
            assert pool.executor is not None
            if suspects:
                if not inflight:
                    c = suspects.popleft()
                    inflight[pool.executor.submit(task, sliced(*c), c[0], c[1])] = c
            else:
                while pending and len(inflight) < window:
                    c = pending.popleft()
                    inflight[pool.executor.submit(task, sliced(*c), c[0], c[1])] = c
            done, _ = cf.wait(list(inflight), timeout=1.0, return_when=cf.FIRST_COMPLETED)
            broken: list[tuple[int, int]] = []
            for f in done:
                c = inflight.pop(f)
                try:
                    value = f.result()
                except cf.BrokenExecutor:
                    broken.append(c)
                    continue
                except Exception as exc:
                    if type(exc).__name__ == "KilledWorker":  # dask gave up after its retries
                        raise _chunk_error(f"{_describe(ids[c], *c)} killed its dask worker "
                                           f"on every try ({exc})", [c], ids, st) from exc
                    fail_note(exc, c)
                    raise
                finish(c, value)
            if broken:
                # the pool is gone: every chunk still in flight died with it
                broken += list(inflight.values())
                inflight.clear()
                if len(broken) == 1:  # it ran alone: it is the culprit
                    c = broken[0]
                    deaths[c] = deaths.get(c, 0) + 1
                    if deaths[c] > retries:
                        raise _chunk_error(
                            f"{_describe(ids[c], *c)} killed its worker process {deaths[c]} "
                            "times (a worker that cannot start, e.g. a script without "
                            "'if __name__ == \"__main__\":', dies the same way)", [c], ids, st)
                if not pool.rebuild():
                    raise _chunk_error(
                        "a worker process died while " + ", ".join(
                            _describe(ids[c], *c) for c in sorted(broken)) + " ran, and the "
                        "executor was passed in, so it cannot be restarted here", sorted(broken),
                        ids, st)
                suspects.extend(sorted(broken))
    except BaseException as exc:
        for f in inflight:
            f.cancel()
        if isinstance(exc, KeyboardInterrupt):  # keep the chunks that did finish
            for f, c in inflight.items():
                if f.done() and not f.cancelled() and f.exception() is None:
                    st.store.put(c[0], c[1], f.result())
        raise


def _chunk_error(what: str, bad: list[tuple[int, int]], ids: dict[tuple[int, int], int],
                 st: _RunState) -> ChunkError:
    msg, path = st.kept()
    return ChunkError(f"{what}; {msg}", [(ids[c], *c) for c in bad],
                      int(st.store.done.sum()), st.store.n, path)


# -- ensembles -------------------------------------------------------------------------------
def _ensemble_task(fn: Callable[[int, int, int], Mapping[str, Any]], seed: int, first: int,
                   _points: dict[str, np.ndarray], start: int, stop: int) -> Mapping[str, Any]:
    return fn(seed, first + start, stop - start)


def run_ensemble(fn: Callable[[int, int, int], Mapping[str, Any]], n: int, *,
                 seed: int | None = None, first_index: int = 0,
                 **kw: Any) -> tuple[dict[str, np.ndarray], int]:
    """Realisations ``first_index .. first_index + n - 1`` of an ensemble whose chunk function
    is ``fn(seed, first, count) -> {name: array of count rows}``, each realisation drawing from
    its own stream (e.g. :func:`realisation_seed`, or a counter-based stream of the C++ core
    keyed by ``(seed, index)``). ``seed`` None draws a fresh one. Other keywords as for
    :func:`run_points` (``kind`` defaults to ``"ensemble"``). Returns the results and the
    seed used."""
    import functools

    if isinstance(first_index, bool) or int(first_index) != first_index or first_index < 0:
        raise ValueError(f"first_index = {first_index!r}: must be an integer >= 0")
    s = fresh_seed() if seed is None else int(seed)
    kw.setdefault("kind", "ensemble")
    inputs = dict(kw.pop("inputs", None) or {})
    inputs.setdefault("first_index", int(first_index))
    out = run_points(functools.partial(_ensemble_task, fn, s, int(first_index)), n, seed=s,
                     inputs=inputs, **kw)
    return out, s


# -- grids of (mu, T) ------------------------------------------------------------------------
def _grid_task(fn: Callable[[np.ndarray, np.ndarray], Any], pts: dict[str, np.ndarray],
               start: int, stop: int) -> dict[str, np.ndarray]:
    return {"value": np.asarray(fn(np.ascontiguousarray(pts["mu"]),
                                   np.ascontiguousarray(pts["T"])))}


#: FermiWindowSum::pairs (C++) tabulates -f' for a temperature shared by at least this many
#: mu of one call and sums directly below it: the two agree to rounding, not bit for bit, so
#: a chunk holds all points of a temperature or at least this many of them.
_TABLE_MIN = 4


def _grid_bounds(T_sorted: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Chunks of about ``size`` points over points sorted by T, cut so that each piece of a
    temperature group is the whole group or has at least ``_TABLE_MIN`` points."""
    n = T_sorted.size
    starts = np.flatnonzero(np.r_[True, T_sorted[1:] != T_sorted[:-1]]).tolist()
    cuts, pos, fill = [0], 0, 0
    for gs, ge in zip(starts, starts[1:] + [n]):
        left = ge - gs
        while left > 0:
            if ge - gs < _TABLE_MIN:
                piece = left  # a small group is never split
            else:
                piece = min(max(size - fill, 0), left)
                if 0 < left - piece < _TABLE_MIN:
                    piece = left - _TABLE_MIN  # leave the tail a full piece
                if piece < _TABLE_MIN:
                    if fill > 0:  # too little room: this piece opens the next chunk
                        cuts.append(pos)
                        fill = 0
                        continue
                    piece = left if left < 2 * _TABLE_MIN else max(piece, _TABLE_MIN)
            pos += piece
            fill += piece
            left -= piece
            if fill >= size:
                cuts.append(pos)
                fill = 0
    if cuts[-1] != n:
        cuts.append(n)
    return list(zip(cuts[:-1], cuts[1:]))


def map_grid(fn: Callable[[np.ndarray, np.ndarray], Any], mu: np.ndarray, T: np.ndarray, *,
             executor: ExecutorLike, chunk: int | None = None,
             progress: bool | None | Callable[[int, int], None] = None, desc: str = "",
             min_chunk: int = 256) -> np.ndarray:
    """``fn(mu_chunk, T_chunk)`` over equal-length flat arrays ``mu``, ``T`` in chunks on
    ``executor``; ``fn`` picklable and pointwise up to the temperature grouping of the C++
    Fermi-window sums (points are grouped by T here so the result is bit-identical to one
    call on everything)."""
    import functools

    order = np.argsort(T, kind="stable")
    Ts = T[order]
    _, workers = resolve_executor(executor)
    if workers == 0:  # a scheduler address: ask it when connected; a few chunks meanwhile
        workers = 4
    size = int(chunk) if chunk is not None else default_chunk(mu.size, workers,
                                                               min_size=min_chunk)
    out = run_points(functools.partial(_grid_task, fn), mu.size,
                     points={"mu": mu[order], "T": Ts}, executor=executor,
                     progress=progress, desc=desc, bounds=_grid_bounds(Ts, max(1, size)))
    value = np.empty_like(out["value"])
    value[order] = out["value"]
    return value
