"""The examples of docs/sweeps.md: a (mu, alpha, T) phase diagram of the eq 45 chains, a
10^4-realisation disorder ensemble of the doped chain and a 10^4-realisation supercell
ensemble (section 3.4), each timed in this process and on 1 and 2 worker
processes, saved with their provenance and plotted from the file.

Run: ``python docs/examples/sweeps.py [OUTDIR] [--quick]`` (quick: small grids).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import numpy as np

import quasiion as q
from quasiion import executors as ex

T_ROOM = q.paper.T
MU_T = np.linspace(-0.35, 0.05, 81)  # eV, step 5 meV: where the disordered chains switch


@functools.lru_cache(maxsize=1)
def _base() -> q.DopedChain:
    return q.DopedChain.from_eq45(0.6)


def disorder_chunk(seed: int, first: int, count: int) -> dict[str, np.ndarray]:
    """Realisations ``first .. first + count - 1``: the alpha = 0.6 chain with Gaussian
    disorder on its site energies (0.02 eV) and hopping (10 %), drawn from the realisation's
    own stream; per realisation the transition mu (eV) and the largest sigma (S/cm)."""
    b = _base()
    mu_t, sig_max = np.empty(count), np.empty(count)
    for i, rng in enumerate(ex.realisation_rngs(seed, first, first + count)):
        dA, dB, dJ = rng.normal(0.0, [0.02, 0.02, 0.1])
        c = q.DopedChain(b.U_A + dA, b.U_B + dB, b.J0 * (1.0 + dJ), b.a)
        w = c.sweep(MU_T, T_ROOM, threads=1, progress=False)
        tr = w.transition()
        mu_t[i] = 0.5 * (tr["mu_below"] + tr["mu_above"])
        sig_max[i] = np.nanmax(w.sigma)
    return {"mu_t": mu_t, "sigma_max": sig_max}


def best_times(routes: dict, rounds: int) -> tuple[dict, dict]:
    """Best wall time of each route over ``rounds`` rounds (routes take turns, so the
    machine's other load falls on all alike) and each route's last result."""
    best = {k: float("inf") for k in routes}
    out = {}
    for _ in range(rounds):
        for k, fn in routes.items():
            t0 = time.perf_counter()
            out[k] = fn()
            best[k] = min(best[k], time.perf_counter() - t0)
    return best, out


def main(outdir: Path, quick: bool) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    alpha = np.linspace(0.45, 0.75, 3 if quick else 7)
    T = np.linspace(200.0, 700.0, 6 if quick else 26)
    mu = np.linspace(-0.8, 0.4, 61 if quick else 241)
    n_real = 500 if quick else 10_000
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

    # (mu, alpha, T) phase diagram; every executor made for the call (start-up included)
    routes = {
        "this process, 1 C++ thread": lambda: q.eq45_sweep(mu, T, alpha, threads=1,
                                                            progress=False),
        "this process, 2 C++ threads": lambda: q.eq45_sweep(mu, T, alpha, threads=2,
                                                             progress=False),
        "1 worker process": lambda: q.eq45_sweep(mu, T, alpha, executor=1, progress=False),
        "2 worker processes": lambda: q.eq45_sweep(mu, T, alpha, executor=2, progress=False),
    }
    timings, results = best_times(routes, 1 if quick else 2)
    ref = results["this process, 1 C++ thread"]
    for w in results.values():
        assert w.S00.tobytes() == ref.S00.tobytes()  # bit for bit, whatever the executor
    print(f"phase diagram: {alpha.size} alpha x {T.size} T x {mu.size} mu = "
          f"{alpha.size * T.size * mu.size} points (load average {os.getloadavg()[0]:.1f})")
    for label, dt in timings.items():
        print(f"  {label:28s} {dt:7.2f} s")
    path = outdir / "phase_diagram.npz"
    q.eq45_sweep(mu, T, alpha, executor=2, save=path, resume=False, progress=False)
    print(f"  saved {path}; plot: quasiion plot {path}")

    # 10^4-realisation disorder ensemble
    def ens(executor):
        return lambda: ex.run_ensemble(disorder_chunk, n_real, seed=2024, executor=executor,
                                       chunk=250, progress=False)[0]

    timings, results = best_times({"this process": ens(None), "1 worker process": ens(1),
                                   "2 worker processes": ens(2)}, 1)
    ref_e = results["this process"]
    for res in results.values():
        assert res["mu_t"].tobytes() == ref_e["mu_t"].tobytes()
    print(f"disorder ensemble: {n_real} realisations x {MU_T.size} mu, seed 2024 "
          f"(load average {os.getloadavg()[0]:.1f})")
    for label, dt in timings.items():
        print(f"  {label:28s} {dt:7.2f} s")
    assert ref_e is not None
    print(f"  transition mu: mean {ref_e['mu_t'].mean():.4f} eV, std "
          f"{ref_e['mu_t'].std():.4f} eV")
    path = outdir / "disorder_ensemble.npz"
    ex.run_ensemble(disorder_chunk, n_real, seed=2024, executor=2, chunk=250, save=path,
                    resume=False,
                    kind="disorder-ensemble", units={"mu_t": "eV", "sigma_max": "S/cm"},
                    inputs={"alpha": 0.6, "T": T_ROOM, "disorder_U_eV": 0.02,
                            "disorder_J_relative": 0.1, "mu_grid": [MU_T[0], MU_T[-1], MU_T.size]},
                    progress=False)
    print(f"  saved {path}; plot: quasiion plot {path}")

    # 10^4-realisation supercell ensemble (section 3.4)
    sc = q.DistortedSupercell.eq45(0.6, n_sites=20 if quick else 100, d=0.1, seed=1)
    timings, results = best_times({
        "this process, 1 C++ thread": lambda: sc.ensemble(n_real, threads=1),
        "this process, 2 C++ threads": lambda: sc.ensemble(n_real, threads=2),
        "1 worker process": lambda: sc.ensemble(n_real, executor=1, progress=False),
        "2 worker processes": lambda: sc.ensemble(n_real, executor=2, progress=False)}, 1)
    ref_s = results["this process, 1 C++ thread"]
    for e in results.values():
        assert e.gap.tobytes() == ref_s.gap.tobytes()
    print(f"supercell ensemble: {n_real} realisations of {sc.n_states} states "
          f"(load average {os.getloadavg()[0]:.1f})")
    for label, dt in timings.items():
        print(f"  {label:28s} {dt:7.2f} s")
    print(f"  E_t: mean {ref_s.mean:.5f} eV, std {ref_s.std:.5f} eV")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0]) if args else Path("sweeps-out"), "--quick" in sys.argv)
