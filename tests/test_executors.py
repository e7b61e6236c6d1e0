"""Executors: serial, threads, process pools and dask give bit-identical sweeps; worker deaths
are retried or reported naming the chunk; interrupted sweeps keep their chunks and resume."""

from __future__ import annotations

import concurrent.futures as cf
import functools
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

import quasiion as q
from quasiion import executors as ex

T0 = q.paper.T
MU = np.linspace(-0.8, 0.4, 97)
TS = np.array([250.0, T0, 420.0])


def _fields(w):
    return {k: getattr(w, k) for k in w.__dataclass_fields__}


def assert_same_sweep(a, b):
    fa, fb = _fields(a), _fields(b)
    assert fa.keys() == fb.keys()
    for k in fa:
        x, y = fa[k], fb[k]
        if isinstance(x, str) or x is None:
            assert x == y, k
        else:
            x, y = np.asarray(x), np.asarray(y)
            assert x.dtype == y.dtype and x.shape == y.shape, k
            # bit for bit: compare the bytes (NaN payloads included)
            assert x.tobytes() == y.tobytes(), k


@pytest.fixture(scope="module")
def chain():
    return q.DopedChain.from_eq45(0.6)


@pytest.fixture(scope="module")
def serial(chain):
    return chain.sweep(MU, TS)


@pytest.fixture(scope="module")
def pool():
    with cf.ProcessPoolExecutor(2, mp_context=ex._process_context()) as p:
        yield p


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


# -- the independent route: one solve per point ----------------------------------------------
def test_sweep_points_are_single_solves(chain, serial):
    for i, j in [(0, 0), (1, 40), (2, 96), (1, 60)]:
        s = chain.solve(MU[j], TS[i])
        assert serial.S00[i, j] == s.S00
        assert serial.filling[i, j] == s.filling
        np.testing.assert_array_equal(serial.roots[i, j, :len(s.roots)], s.roots)


# -- bit-identical whatever the executor and chunk size --------------------------------------
@pytest.mark.parametrize("executor,chunk", [("serial", 5), ("threads", 7), ("threads", 1000),
                                            (2, 13)])
def test_sweep_bit_identical_local(chain, serial, executor, chunk):
    assert_same_sweep(serial, chain.sweep(MU, TS, executor=executor, chunk=chunk,
                                          progress=False))


def test_sweep_bit_identical_pool_passed_in(chain, serial, pool):
    assert_same_sweep(serial, chain.sweep(MU, TS, executor=pool, chunk=31))


def test_sweep_bit_identical_dask(chain, serial, dask_client):
    """CI runs this on a local dask cluster of 2 worker processes."""
    assert_same_sweep(serial, chain.sweep(MU, TS, executor=dask_client.get_executor(),
                                          chunk=41))


def test_sweep_dask_scheduler_address(chain, serial, dask_client):
    assert_same_sweep(serial, chain.sweep(MU, TS, executor=dask_client.scheduler.address))


def test_unreachable_scheduler_fails_fast(chain):
    # A closed port: refused at once with a clear error, not after dask's 30 s timeout.
    import socket
    import time

    pytest.importorskip("distributed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="no dask scheduler answers"):
        chain.sweep(MU, TS, executor=f"tcp://127.0.0.1:{port}")
    assert time.perf_counter() - t0 < 10


def test_eq45_sweep_matches_chains(serial):
    w = q.eq45_sweep(MU, TS, [0.5, 0.6], progress=False)
    assert w.S00.shape == (2, TS.size, MU.size)
    for i, T in enumerate(TS):  # J0 of each row is eq 16 at that row's T
        c = q.DopedChain.from_eq45(0.6, T)
        np.testing.assert_array_equal(w.S00[1, i], c.sweep(MU, T).S00)
    w2 = q.eq45_sweep(MU, TS, [0.5, 0.6], executor="threads", chunk=23)
    assert_same_sweep(w, w2)


def test_conductivity_grids_bit_identical(pool):
    ic = q.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.3)
    mu, T = np.linspace(-0.6, 0.2, 101), np.array([[200.0], [450.0], [900.0]])
    ref = ic.conductivity(mu, T)
    for executor, chunk in [("threads", 3), ("threads", 50), (pool, 77), ("serial", 1)]:
        assert ic.conductivity(mu, T, executor=executor, chunk=chunk).tobytes() == ref.tobytes()
    tb = ic.lattice() if callable(ic.lattice) else ic.lattice
    ref = tb.conductivity(mu, T, tau=1e-13, nk=256)
    for chunk in (1, 5, 99):
        got = tb.conductivity(mu, T, tau=1e-13, nk=256, executor=pool, chunk=chunk)
        assert got.tobytes() == ref.tobytes()
    # the chain and the general lattice are two routes to eq 30
    np.testing.assert_allclose(ic.conductivity(mu, T, nk=256, tau=1e-13), ref, rtol=1e-12, atol=0)


def test_grid_chunks_keep_temperature_groups():
    rng = np.random.default_rng(3)
    for _ in range(300):
        T = np.sort(rng.integers(0, int(rng.integers(1, 6)), size=int(rng.integers(1, 40))))
        b = ex._grid_bounds(T, int(rng.integers(1, 12)))
        assert b[0][0] == 0 and b[-1][1] == T.size
        assert all(b[i][1] == b[i + 1][0] for i in range(len(b) - 1))
        for s, e in b:
            for t in np.unique(T[s:e]):
                piece, group = (T[s:e] == t).sum(), (T == t).sum()
                assert piece == group or piece >= ex._TABLE_MIN


def test_models_pickle():
    c = q.DopedChain.from_eq45(0.7, tau=2e-13)
    c2 = pickle.loads(pickle.dumps(c))
    assert repr(c2) == repr(c) and c2.solve(0.0, T0).S00 == c.solve(0.0, T0).S00
    ic = q.InterstitialChain(-0.4, -0.2, -0.1, 4.0, Ea_BA=0.3)
    ic2 = pickle.loads(pickle.dumps(ic))
    assert repr(ic2) == repr(ic) and ic2.conductivity(-0.3, 500.0) == ic.conductivity(-0.3, 500.0)
    tb = ic.lattice() if callable(ic.lattice) else ic.lattice
    tb2 = pickle.loads(pickle.dumps(tb))
    k = np.linspace(-0.5, 0.5, 7)
    assert tb2.bands(k).tobytes() == tb.bands(k).tobytes()


# -- many materials --------------------------------------------------------------------------
def _synthetic_materials():
    rng = np.random.default_rng(7)
    out = {}
    for i, Ea in enumerate((0.3, 0.45, 0.6)):
        T = np.linspace(300.0, 700.0, 9)
        sig = 1e3 * np.exp(-Ea / (q.units.k_B * T)) * np.exp(rng.normal(0, 0.02, T.size))
        out[f"m{i}"] = (T, sig)
    return out


def test_fit_materials_executors_agree_with_compare_fits(pool):
    mats = _synthetic_materials()
    a = q.fit_materials(mats, progress=False)
    b = q.fit_materials(mats, executor=pool)
    for name, (T, sig) in mats.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            direct = q.compare_fits(T, sig, material=name)
        assert a[name].to_json() == b[name].to_json() == direct.to_json()
        ranked = a.ranking(name)
        assert ranked[0][1] == 0.0 and ranked[0][0] == a[name].best("aicc")
    # the Arrhenius data are best described by the Arrhenius form with its Ea
    for i, Ea in enumerate((0.3, 0.45, 0.6)):
        assert a[f"m{i}"]["arrhenius"].params["E_a"] == pytest.approx(Ea, abs=0.01)


# -- ensembles: one stream per realisation ---------------------------------------------------
def _ensemble_chunk(seed, first, count):
    rngs = ex.realisation_rngs(seed, first, first + count)
    return {"x": np.array([r.normal(size=3) for r in rngs]),
            "index": np.arange(first, first + count)}


def test_realisation_seed_is_the_spawned_child():
    kids = np.random.SeedSequence(12345).spawn(6)
    for i, kid in enumerate(kids):
        assert (ex.realisation_seed(12345, i).generate_state(4).tolist()
                == kid.generate_state(4).tolist())


def test_ensemble_bit_identical(pool, dask_client):
    ref, seed = ex.run_ensemble(_ensemble_chunk, 50, seed=99, progress=False)
    assert seed == 99 and ref["index"].tolist() == list(range(50))
    for executor, chunk in [("threads", 3), (pool, 7), (dask_client.get_executor(), 11)]:
        got, _ = ex.run_ensemble(_ensemble_chunk, 50, seed=99, executor=executor, chunk=chunk)
        assert got["x"].tobytes() == ref["x"].tobytes()
    other, _ = ex.run_ensemble(_ensemble_chunk, 50, seed=100)
    assert not np.array_equal(other["x"], ref["x"])


# -- worker deaths ---------------------------------------------------------------------------
def _dies(marker_dir, bad_start, times, pts, start, stop):
    if start == bad_start:
        d = Path(marker_dir)
        if len(list(d.iterdir())) < times:
            (d / f"death{len(list(d.iterdir()))}").touch()
            os._exit(3)  # the worker process dies without a word
    return {"y": np.asarray(pts["x"]) ** 2}


def _task(tmp_path, bad_start, times):
    d = tmp_path / "deaths"
    d.mkdir(exist_ok=True)
    return functools.partial(_dies, str(d), bad_start, times), d


def test_killed_worker_chunk_is_retried(tmp_path):
    task, d = _task(tmp_path, 30, 1)
    x = np.arange(60.0)
    out = ex.run_points(task, 60, points={"x": x}, executor=2, chunk=10, progress=False)
    assert len(list(d.iterdir())) == 1  # it did die once
    assert out["y"].tobytes() == (x ** 2).tobytes()


def test_chunk_that_always_kills_its_worker_is_named(tmp_path):
    task, _ = _task(tmp_path, 30, 99)
    save = tmp_path / "partial.npz"
    with pytest.raises(ex.ChunkError, match=r"chunk 3 \(points 30\.\.39\) killed its worker "
                       r"process 3 times") as info:
        ex.run_points(task, 60, points={"x": np.arange(60.0)}, executor=2, chunk=10,
                      retries=2, save=save, progress=False)
    assert info.value.chunks == [(3, 30, 40)] and info.value.path == save
    saved = ex.load(save)  # finished chunks kept, never marked complete
    assert not saved.complete and not saved.done[30:40].any()
    assert saved.results["y"][saved.done].tobytes() == (np.arange(60.0)[saved.done] ** 2).tobytes()


def test_pool_passed_in_that_breaks_fails_naming_chunks(tmp_path):
    task, _ = _task(tmp_path, 20, 1)
    with cf.ProcessPoolExecutor(2, mp_context=ex._process_context()) as p:
        with pytest.raises(ex.ChunkError, match=r"chunk 2 \(points 20\.\.29\).*cannot be "
                           "restarted") as info:
            ex.run_points(task, 60, points={"x": np.arange(60.0)}, executor=p, chunk=10)
    assert (2, 20, 30) in info.value.chunks


def test_dask_worker_death_is_retried(tmp_path, dask_client):
    task, d = _task(tmp_path, 10, 1)
    x = np.arange(40.0)
    out = ex.run_points(task, 40, points={"x": x}, executor=dask_client.get_executor(),
                        chunk=10)
    assert len(list(d.iterdir())) == 1
    assert out["y"].tobytes() == (x ** 2).tobytes()
    dask_client.wait_for_workers(2, timeout=60)


def test_task_error_names_its_chunk():
    def bad(pts, start, stop):
        if start >= 20:
            raise ValueError("boom")
        return {"y": np.zeros(stop - start)}

    with pytest.raises(ValueError, match="boom") as info:
        ex.run_points(bad, 40, chunk=10)
    assert "chunk 2 (points 20..29)" in "".join(getattr(info.value, "__notes__", []))


# -- interrupt and resume --------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".npz", ".nc"])
def test_interrupted_sweep_resumes_to_the_uninterrupted_one(chain, serial, tmp_path, suffix):
    if suffix == ".nc":
        pytest.importorskip("xarray")
        pytest.importorskip("netCDF4")
    path = tmp_path / f"sweep{suffix}"
    calls = []

    def ctrl_c_after_two(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(ex.SweepInterrupted, match="saved to") as info:
        chain.sweep(MU, TS, chunk=40, save=path, progress=ctrl_c_after_two)
    assert info.value.done == 80 and info.value.partial["done"].sum() == 80
    saved = ex.load(path)
    assert saved.done.sum() == 80 and not saved.complete
    assert saved.meta["inputs"]["rule"] == "smallest" and saved.meta["units"]["sigma"] == "S/cm"
    assert saved.meta["quasiion_version"] == q.__version__
    resumed_calls = []
    w = chain.sweep(MU, TS, chunk=40, save=path, progress=lambda d, n: resumed_calls.append(d))
    # only the missing points were computed: the first report starts from the saved 80
    assert resumed_calls[0] == 120 and resumed_calls[-1] == MU.size * TS.size
    assert len(resumed_calls) == (MU.size * TS.size - 80 + 39) // 40
    assert_same_sweep(serial, w)
    assert_same_sweep(serial, q.DopingSweep.from_file(path))
    # a complete file: nothing computed again
    again = []
    chain.sweep(MU, TS, chunk=40, save=path, progress=lambda d, n: again.append(d))
    assert again == []


def test_resume_refuses_another_sweep(chain, tmp_path):
    path = tmp_path / "s.npz"
    chain.sweep(MU[:10], T0, save=path)
    with pytest.raises(ValueError, match="phase"):
        chain.sweep(MU[:10], T0, phase="strict", save=path)
    with pytest.raises(ValueError, match="other grids"):
        chain.sweep(MU[1:11], T0, save=path)
    chain.sweep(MU[:10], T0, phase="strict", save=path, resume=False)  # overwrite on request


def test_progress_bar_only_when_asked(chain, capsys):
    chain.sweep(MU, T0, chunk=20, progress=False)
    assert capsys.readouterr().err == ""
    chain.sweep(MU, T0, chunk=20)  # not interactive under pytest: silent
    assert capsys.readouterr().err == ""
    chain.sweep(MU, T0, chunk=20, progress=True)
    assert "97/97" in capsys.readouterr().err


def test_bad_executor_and_chunk_are_named(chain):
    with pytest.raises(ValueError, match="executor = 'gpu'"):
        chain.sweep(MU, T0, executor="gpu")
    with pytest.raises(ValueError, match="executor = 0"):
        chain.sweep(MU, T0, executor=0)
    with pytest.raises(ValueError, match="chunk = 0"):
        chain.sweep(MU, T0, chunk=0)
    with pytest.raises(ValueError, match="must end in .npz or .nc"):
        chain.sweep(MU, T0, save="x.csv")


# -- command line ----------------------------------------------------------------------------
def test_cli_doping_workers_save_resume_and_plot(tmp_path, capsys):
    from quasiion.cli import main

    path = tmp_path / "d.npz"
    argv = ["doping", "--alpha", "0.6", "--mu", "-0.8:0.4:0.05", "--workers", "2",
            "--save", str(path), "--quiet"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    saved = ex.load(path)
    assert saved.complete and saved.kind == "eq45-sweep"
    w = q.DopedChain.from_eq45(0.6, T0).sweep(np.arange(25) * 0.05 - 0.8, T0)
    assert q.DopingSweep.from_file(path).for_alpha(0).S00.tobytes() == w.S00.tobytes()
    assert main(argv[:-3] + ["--save", str(path), "--quiet"]) == 0  # resumed: nothing to do
    assert capsys.readouterr().out == first
    assert main(["plot", str(path), "--out", str(tmp_path / "d.png")]) == 0
    assert (tmp_path / "d.png").stat().st_size > 0
    assert main(["doping", "--workers", "-1"]) == 2
    assert "--workers = -1" in capsys.readouterr().err


def test_cli_fit_all_materials(tmp_path, capsys):
    from quasiion.cli import main

    rows = ["material,T_K,sigma_S_per_cm"]
    for name, (T, sig) in _synthetic_materials().items():
        rows += [f"{name},{t:.17g},{s:.17g}" for t, s in zip(T, sig)]
    f = tmp_path / "m.csv"
    f.write_text("\n".join(rows) + "\n")
    args = ["fit", str(f), "--models", "arrhenius,vtf", "--json"]
    assert main(args) == 0  # every material of the file, one after another
    serial = capsys.readouterr().out
    assert '"m0"' in serial and '"m2"' in serial
    assert main(args + ["--workers", "2"]) == 0  # all at once on 2 worker processes
    assert capsys.readouterr().out == serial


def test_fit_materials_reports_materials_it_cannot_fit():
    mats = _synthetic_materials()
    mats["tiny"] = (np.array([300.0]), np.array([1e-3]))
    fits = q.fit_materials(mats, executor="threads")
    assert "tiny" in fits.failed and "tiny" not in fits.tables and len(fits) == 3
    assert "not fitted" in str(fits)
    with pytest.raises(ValueError, match="materials: 'nope'"):
        q.fit_materials(mats, materials=["nope"])


def test_load_rejects_other_files(tmp_path):
    np.savez(tmp_path / "x.npz", a=np.arange(3))
    with pytest.raises(ValueError, match="not a quasiion sweep file"):
        ex.load(tmp_path / "x.npz")
    with pytest.raises(ValueError, match="no such file"):
        ex.load(tmp_path / "missing.npz")


def test_ensemble_first_index_continues_the_ensemble():
    whole, _ = ex.run_ensemble(_ensemble_chunk, 30, seed=5, chunk=7)
    tail, _ = ex.run_ensemble(_ensemble_chunk, 12, seed=5, first_index=18, executor="threads",
                              chunk=5)
    assert tail["x"].tobytes() == whole["x"][18:].tobytes()
    assert tail["index"].tolist() == list(range(18, 30))


# -- section 3.4 supercell ensembles ---------------------------------------------------------
def test_supercell_ensemble_bit_identical_and_resumable(pool, tmp_path):
    sc = q.DistortedSupercell.eq45(0.6, n_sites=8, d=0.2, seed=11)
    ref = sc.ensemble(60, keep_energies=True)
    for executor, chunk in [("threads", 7), (pool, 9), ("serial", 60)]:
        got = sc.ensemble(60, keep_energies=True, executor=executor, chunk=chunk)
        assert got.gap.tobytes() == ref.gap.tobytes()
        assert got.energies.tobytes() == ref.energies.tobytes()
        assert (got.mean, got.std) == (ref.mean, ref.std)
    # the independent route: each realisation on its own
    one = sc.with_realisation(37).carrier_formation_energy()
    assert ref.gap[37] == pytest.approx(one.gap, abs=1e-12)
    path = tmp_path / "ens.npz"
    part = sc.ensemble(20, first_index=40, executor="threads", chunk=6, save=path)
    assert part.gap.tobytes() == ref.gap[40:].tobytes()
    saved = ex.load(path)
    assert saved.kind == "supercell-ensemble" and saved.meta["seed"] == 11
    assert saved.meta["inputs"]["first_index"] == 40 and saved.meta["units"]["gap"] == "eV"


def test_cli_disorder_workers(capsys):
    from quasiion.cli import main

    args = ["disorder", "--n-sites", "6", "--d", "0.1", "--realisations", "40", "--json"]
    assert main(args) == 0
    serial = capsys.readouterr().out
    assert main(args + ["--workers", "2"]) == 0
    assert capsys.readouterr().out == serial
