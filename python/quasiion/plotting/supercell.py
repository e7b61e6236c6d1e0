"""Plots for section 3.4: distorted supercells (Fig 7), percolation clusters (Fig 8), E_t
histograms and densities of states. Energies eV, positions Angstrom, k 1/Angstrom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..percolation import PercolationCluster
from ..spectrum import DosResult
from ..supercell import DistortedSupercell, GapEnsemble

__all__ = ["plot_distorted_wells", "plot_supercell_bands", "plot_fig7", "plot_cluster_states",
           "plot_gap_vs_size", "plot_fig8", "plot_gap_histogram", "plot_dos"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.5))
    return ax


def plot_distorted_wells(sc: DistortedSupercell, ax: Axes | None = None, samples: int = 24,
                         **kw: Any) -> Axes:
    """The supercell's wells (Fig 7a-c): a smooth curve through every (distorted) minimum and
    barrier (half-cosine between neighbouring extrema; barriers half-way between wells).
    Shape only: the Hamiltonian uses the minima and barrier energies, not this curve."""
    ax = _axes(ax)
    w = sc.wells()
    n = w.x.size
    xb = np.append(0.5 * (w.x[:-1] + w.x[1:]), 0.5 * (w.x[-1] + w.x[0] + w.period))
    xs = np.empty(2 * n)
    us = np.empty(2 * n)
    xs[0::2], xs[1::2] = w.x, xb
    us[0::2], us[1::2] = w.U, np.where(np.isfinite(w.barrier), w.barrier, np.nan)
    t = np.linspace(0.0, 1.0, samples, endpoint=False)
    px, pu = [], []
    for i in range(2 * n - (0 if sc.periodic else 1)):
        x0, x1 = xs[i], xs[(i + 1) % (2 * n)] + (w.period if i + 1 == 2 * n else 0.0)
        u0, u1 = us[i], us[(i + 1) % (2 * n)]
        px.append(x0 + (x1 - x0) * t)
        pu.append(u0 + (u1 - u0) * 0.5 * (1 - np.cos(np.pi * t)))
    kw.setdefault("lw", 1.0)
    ax.plot(np.concatenate(px), np.concatenate(pu), **kw)
    ax.plot(w.x, w.U, ".", color="C3", ms=3)
    ax.set_xlabel(r"$x$ ($\AA$)")
    ax.set_ylabel(r"$U$ (eV)")
    ax.set_title(f"d = {100 * sc.d:g} %")
    return ax


def plot_supercell_bands(sc: DistortedSupercell, nk: int = 101, ax: Axes | None = None,
                         n_occupied: int | None = None, **kw: Any) -> Axes:
    """Bands of a periodic supercell along k in its zone (Fig 7d-f); the occupied bands
    (default one ion per site) in red, the empty ones in black."""
    ax = _axes(ax)
    L = sc.wells().period
    k = np.linspace(-np.pi / L, np.pi / L, nk)
    E = sc.bands(k)
    n_occ = sc.default_n_occupied if n_occupied is None else n_occupied
    kw.setdefault("lw", 0.8)
    ax.plot(k * L / np.pi, E[:, :n_occ], color="C3", **kw)
    ax.plot(k * L / np.pi, E[:, n_occ:], color="k", **kw)
    ax.set_xlabel(r"$k$ ($\pi/L$, supercell)")
    ax.set_ylabel(r"$E$ (eV)")
    gap = E[:, n_occ].min() - E[:, n_occ - 1].max()
    ax.set_title(f"d = {100 * sc.d:g} %, gap {gap:.3f} eV")
    return ax


def plot_fig7(alpha: float = 0.6, n_sites: int = 20, levels: Sequence[float] = (0.0, 0.1, 0.3),
              seed: int = 0, **kwargs: Any) -> Any:
    """Fig 7: the eq 45 supercell's wells (a-c) and bands (d-f) at the distortion ``levels``.
    Returns the figure."""
    fig, axs = plt.subplots(2, len(levels), figsize=(4 * len(levels), 6.5), squeeze=False)
    for c, d in enumerate(levels):
        sc = DistortedSupercell.eq45(alpha, n_sites, d, seed=seed, **kwargs)
        plot_distorted_wells(sc, ax=axs[0, c])
        plot_supercell_bands(sc, ax=axs[1, c])
    for a, lab in zip(axs.flat, "abcdef"):
        a.set_title(f"({lab}) " + a.get_title())
    fig.tight_layout()
    return fig


def plot_cluster_states(cluster: PercolationCluster, ax: Axes | None = None) -> Axes:
    """Eigenstates of a percolation cluster (Fig 8a-c) as levels: occupied (the n_sites lowest)
    in red, empty in black."""
    ax = _axes(ax)
    s = cluster.spectrum()
    e = s.energies
    ax.hlines(e[s.occupied], 0, 1, color="C3", lw=0.8, label="occupied")
    ax.hlines(e[~s.occupied], 0, 1, color="k", lw=0.8, label="empty")
    ax.set_xticks([])
    ax.set_ylabel(r"$E$ (eV)")
    ax.set_title(f"{cluster.n_sites} sites, $E_t$ = {s.gap:.3f} eV")
    return ax


def plot_gap_vs_size(sizes: Sequence[int] | np.ndarray, Es_over_kT: float = 1.0,
                     ax: Axes | None = None, **kwargs: Any) -> Axes:
    """E_t of percolation clusters versus their size (Fig 8d, on a log n axis); kwargs go to
    :class:`quasiion.PercolationCluster`."""
    ax = _axes(ax)
    n = np.asarray(sizes, dtype=int)
    g = [PercolationCluster(int(m), Es_over_kT=Es_over_kT, **kwargs).carrier_formation_energy().gap
         for m in n]
    ax.semilogx(n, g, "o-", ms=3, label=rf"$E_s/kT$ = {Es_over_kT:g}")
    ax.set_xlabel("percolation sites $n$")
    ax.set_ylabel(r"$E_t$ (eV)")
    ax.legend(fontsize=8)
    return ax


def plot_fig8(sizes_states: Sequence[int] = (3, 31, 61), sizes_gap: Sequence[int] | None = None,
              Es_over_kT: float = 1.0) -> Any:
    """Fig 8: the states of three clusters (a-c) and E_t versus n (d, to n = 10^4)."""
    fig, axs = plt.subplots(1, len(sizes_states) + 1, figsize=(4 * (len(sizes_states) + 1), 3.8))
    for a, n in zip(axs, sizes_states):
        plot_cluster_states(PercolationCluster(n, Es_over_kT=Es_over_kT), ax=a)
    sizes = (np.unique(np.logspace(0, 4, 25).astype(int)) if sizes_gap is None
             else np.asarray(sizes_gap, dtype=int))
    plot_gap_vs_size(sizes, Es_over_kT, ax=axs[-1])
    for a, lab in zip(axs, "abcd"):
        a.set_title(f"({lab}) " + a.get_title())
    fig.tight_layout()
    return fig


def plot_gap_histogram(ens: GapEnsemble, ax: Axes | None = None, **kw: Any) -> Axes:
    """Histogram of E_t over realisations with its mean."""
    ax = _axes(ax)
    kw.setdefault("alpha", 0.7)
    ax.stairs(ens.hist_counts, ens.hist_edges, fill=True, **kw)
    ax.axvline(ens.mean, color="k", lw=0.8, ls="--")
    ax.set_xlabel(r"$E_t$ (eV)")
    ax.set_ylabel("realisations")
    ax.set_title(rf"d = {100 * ens.d:g} %: $E_t$ = {ens.mean:.4f} $\pm$ {ens.std:.4f} eV")
    return ax


def plot_dos(dos: DosResult, ax: Axes | None = None, **kw: Any) -> Axes:
    """Density of states (states per eV per state) on its bins."""
    ax = _axes(ax)
    ax.stairs(dos.density, dos.edges, **kw)
    ax.set_xlabel(r"$E$ (eV)")
    ax.set_ylabel("DOS (1/eV per state)")
    return ax
