"""Figures (issue 17): panel letters on multi-panel figures, every curve in its legend, no
legend over the title, and the return types the README states."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import quasiion as qi  # noqa: E402
from quasiion import plotting as P  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"


def _figures():
    mu = np.linspace(-0.4, 0.0, 41)
    chains = {"0.6": qi.DopedChain.from_eq45(0.6)}
    sweeps = {k: c.sweep(mu, qi.paper.T) for k, c in chains.items()}
    pot = qi.Potential.eq45(0.6)
    T = np.linspace(300.0, 600.0, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = qi.compare_fits(T, 10 * np.exp(-0.3 / (qi.units.k_B * T)) * (1 + 0.02 * np.sin(T)),
                                models=["arrhenius", "vtf"])
    return {
        "plot_profile": lambda: P.plot_profile(pot, 300.0),
        "plot_tight_binding_vs_T": lambda: P.plot_tight_binding_vs_T(pot, np.linspace(200, 600, 5)),
        "plot_phase_diagram": lambda: P.plot_phase_diagram(
            mu, [0.6], sweeps["0.6"].S00[None, :], sweeps["0.6"].sigma[None, :]),
        "plot_doping_overview": lambda: P.plot_doping_overview(chains, sweeps),
        "plot_fig6": lambda: P.plot_fig6(),
        "plot_conductivity_fits": lambda: P.plot_conductivity_fits(table),
    }


def test_readme_lists_the_functions_that_return_a_figure():
    text = README.read_text()
    m = re.search(r"multi-panel ones.*?return the `Figure`:(.*?)\(with", text, re.S)
    assert m
    listed = set(re.findall(r"`(plot_\w+)`", m.group(1))) | {"plot_conductivity_fits"}
    figs = _figures()
    assert listed == set(figs)
    for name, make in figs.items():
        fig = make()
        assert isinstance(fig, matplotlib.figure.Figure), name
        axes = [a for a in fig.axes if a.get_label() != "<colorbar>"]
        letters = [a.get_title(loc="left") for a in axes if a.get_title(loc="left")]
        assert letters[:2] == ["(a)", "(b)"], (name, letters)
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        for ax in axes:
            leg = ax.get_legend()
            if leg is None:
                continue
            labels = {t.get_text() for t in leg.get_texts()}
            for line in ax.get_lines():
                lab = line.get_label()
                if len(line.get_xdata()) > 2 and not lab.startswith("_"):
                    assert lab in labels, (name, lab)
                if lab.startswith("_child"):  # an unlabelled curve: not in the legend
                    pytest.fail(f"{name}: a curve without a label")
            title = ax.title
            if title.get_text():
                assert not leg.get_window_extent(r).overlaps(title.get_window_extent(r)), name
        plt.close(fig)
    # the single-panel functions return an Axes
    c = qi.InterstitialChain(-0.4, -0.2, -0.1, 4.0)
    ax = P.plot_bands(c)
    assert isinstance(ax, matplotlib.axes.Axes)
    plt.close(ax.figure)


def test_reproduced_suptitles_clear_the_panel_titles(tmp_path, monkeypatch):
    from quasiion.reproduce import items

    monkeypatch.setenv("QUASIION_DATA_DIR", str(tmp_path / "no-data"))
    seen = []
    orig = matplotlib.figure.Figure.savefig

    def check(fig, *a, **k):
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        sup = fig._suptitle
        if sup is not None and sup.get_text():
            box = sup.get_window_extent(r)
            for ax in fig.axes:
                for t in (ax.title, ax._left_title):
                    if t.get_text():
                        assert not box.overlaps(t.get_window_extent(r)), (sup.get_text(),
                                                                          t.get_text())
            seen.append(sup.get_text())
        return orig(fig, *a, **k)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", check)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for it in items():
            if it.name in ("fig4", "fig10", "table1", "fig1c"):
                it.make(tmp_path)
    assert len(seen) >= 4
