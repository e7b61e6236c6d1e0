"""Command line, plots and reproduce items of section 3.4 (disorder, percolation, Fig 7, 8)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import quasiion as q
from quasiion.cli import main


def test_cli_disorder(tmp_path, capsys):
    rc = main(["disorder", "--n-sites", "8", "--d", "0,0.2", "--realisations", "30", "--seed", "4",
               "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    r0, r1 = out["results"]
    assert r0["Et_std"] == pytest.approx(0.0, abs=1e-12)
    ens = q.DistortedSupercell.eq45(0.6, 8, 0.2, seed=4).ensemble(30)
    assert r1["Et_mean"] == pytest.approx(ens.mean, abs=1e-14)
    assert main(["disorder", "--n-sites", "6", "--d", "0.1", "--realisations", "5",
                 "--plot", str(tmp_path / "d.png")]) == 0
    assert (tmp_path / "d.png").stat().st_size > 0
    assert main(["disorder", "--d", "1.5"]) == 2
    assert "d = 1.5" in capsys.readouterr().err


def test_cli_percolation(tmp_path, capsys):
    assert main(["percolation", "--n", "3,31", "--json", "--states"]) == 0
    out = json.loads(capsys.readouterr().out)
    e = np.asarray(out["results"][0]["energies"])
    assert e.size == 6
    assert out["results"][0]["Et"] == pytest.approx(e[3] - e[2])
    assert out["results"][1]["Et"] < out["results"][0]["Et"]
    assert main(["percolation", "--n", "3,5", "--P0", "0.05,0.01,0.01,0.04",
                 "--plot", str(tmp_path / "p.png")]) == 0
    assert (tmp_path / "p.png").stat().st_size > 0
    assert main(["percolation", "--P0", "1,2"]) == 2
    assert "P0" in capsys.readouterr().err


def test_reproduce_items(tmp_path):
    from quasiion.reproduce import items

    chosen = {it.name: it for it in items()}
    for name in ("fig7", "fig8"):
        lines = chosen[name].make(tmp_path)
        assert any("wrote" in ln for ln in lines)
        assert (tmp_path / f"{name}.png").exists()
    t7 = np.loadtxt(tmp_path / "fig7.csv", delimiter=",", skiprows=1)
    assert t7[0, 5] == pytest.approx(0.0, abs=1e-12)  # no spread without distortion
    assert t7[2, 4] < t7[1, 4] < t7[0, 4]  # E_t falls with the distortion level
    t8 = np.loadtxt(tmp_path / "fig8.csv", delimiter=",", skiprows=1)
    assert t8[-1, 0] == 10000
    assert np.all(np.diff(t8[:, 1]) < 0)


def test_plots_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from quasiion.plotting.supercell import (
        plot_cluster_states,
        plot_dos,
        plot_gap_histogram,
        plot_supercell_bands,
    )

    sc = q.DistortedSupercell.eq45(0.6, 6, 0.1)
    fig, axs = plt.subplots(1, 4)
    assert plot_supercell_bands(sc, nk=11, ax=axs[0]) is axs[0]
    assert plot_cluster_states(q.PercolationCluster(5), ax=axs[1]) is axs[1]
    assert plot_gap_histogram(sc.ensemble(20), ax=axs[2]) is axs[2]
    assert plot_dos(sc.dos(np.linspace(-0.8, 0, 9)), ax=axs[3]) is axs[3]
    plt.close(fig)


def test_gap_only_ensemble_of_long_open_chains():
    sc = q.DistortedSupercell.eq45(0.6, 12_000, 0.2, seed=3, periodic=False)
    ens = sc.ensemble(3, first_index=5)
    for i in range(3):
        g = sc.with_realisation(5 + i).carrier_formation_energy()
        assert ens.gap[i] == pytest.approx(g.gap, abs=1e-11)
    assert ens.energies is None
