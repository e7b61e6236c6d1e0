"""Plots for the ion-electron ambipolaron and Onsager transport (paper Fig 6)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from ..onsager import AmbipolaronBands, alpha_star, tau_ratio

__all__ = ["plot_tau_ratio", "plot_alpha_star", "plot_ambipolaron_bands", "plot_fig6"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.5))
    return ax


def plot_tau_ratio(rho_ratio: float, xi0: Sequence[float] = (0.1, 0.5, 0.9),
                   j: npt.ArrayLike | None = None, method: str = "exact",
                   ax: Axes | None = None, **kw: Any) -> Axes:
    """tau+/tau- versus the hopping ratio j on log axes (Fig 6a,b), one line per xi0.

    Parameters
    ----------
    rho_ratio : float
        rho_e/rho_i.
    xi0 : sequence of float
        Mixings in (0, 1].
    j : array_like, optional
        Hopping ratios (default: 1e-2 .. 1e4 rho_ratio, log-spaced).
    method : {"exact", "eq39", "eq46"}
    """
    ax = _axes(ax)
    if j is None:
        j = np.logspace(-2, np.log10(rho_ratio) + 4, 300)
    j = np.asarray(j, dtype=float)
    for x in xi0:
        ax.loglog(j, tau_ratio(j, rho_ratio, x, method), label=rf"$\xi_0$ = {x:g}", **kw)
    ax.axvline(rho_ratio, color="0.6", lw=0.8, ls=":", label=r"$j = \rho_e/\rho_i$")
    ax.set_xlabel(r"$j = |J_{0e}/J_{0i}|$")
    ax.set_ylabel(r"$\tau_+/\tau_-$")
    ax.set_title(rf"$\rho_e/\rho_i$ = {rho_ratio:g}")
    ax.legend(fontsize=8)
    return ax


def plot_alpha_star(j: float = 5.0, xi0: Sequence[float] = (0.3, 0.5, 0.7),
                    rho_ratio: npt.ArrayLike | None = None, which: str = "i",
                    method: str = "eq40", ax: Axes | None = None, **kw: Any) -> Axes:
    """alpha_i* (which="i", Fig 6c) or alpha_e* (which="e", Fig 6d) versus rho_e/rho_i.

    Parameters
    ----------
    j : float
        Hopping ratio |J0e/J0i| (the paper: 5).
    xi0 : sequence of float
        Mixings in (0, 1].
    rho_ratio : array_like, optional
        Density ratios (default 1e-2 .. 1e6).
    which : {"i", "e"}
    """
    if which not in ("i", "e"):
        raise ValueError(f"which = {which!r}: must be 'i' or 'e'")
    ax = _axes(ax)
    r = np.logspace(-2, 6, 300) if rho_ratio is None else np.asarray(rho_ratio, dtype=float)
    for x in xi0:
        ai, ae = alpha_star(j, r, x, method)
        ax.loglog(r, ai if which == "i" else ae, label=rf"$\xi_0$ = {x:g}", **kw)
    if which == "i":
        ax.axhline(1.0, color="0.6", lw=0.8, ls=":", label=r"$\alpha^* = 1$")
    ax.set_xlabel(r"$\rho_e/\rho_i$")
    ax.set_ylabel(rf"$\alpha_{which}^*$")
    ax.set_title(f"j = {j:g}")
    ax.legend(fontsize=8, loc="lower right" if which == "i" else "lower left")
    return ax


def plot_ambipolaron_bands(bands: AmbipolaronBands, ax: Axes | None = None,
                           cmap: str = "coolwarm", lw: float = 2.5) -> Axes:
    """Both ambipolaron branches against k, coloured by electron weight (1 = electron,
    0 = ion).

    Parameters
    ----------
    bands : AmbipolaronBands
        From :meth:`quasiion.IonElectron.bands`.
    """
    ax = _axes(ax)
    k = np.asarray(bands.k)
    lc = None
    for E, w in ((bands.E_plus, bands.electron_plus), (bands.E_minus, bands.electron_minus)):
        pts = np.column_stack([k, E]).reshape(-1, 1, 2)
        segs = np.concatenate([pts[:-1], pts[1:]], axis=1)
        lc = LineCollection(list(segs), cmap=cmap, norm=plt.Normalize(0.0, 1.0), linewidths=lw)
        lc.set_array(0.5 * (np.asarray(w)[:-1] + np.asarray(w)[1:]))
        ax.add_collection(lc)
    ax.autoscale()
    ax.set_xlabel(r"$k$ (1/$\AA$)")
    ax.set_ylabel("E (eV)")
    ax.set_title(rf"ambipolaron bands, $|S|$ = {bands.S:.3g} eV")
    if lc is not None:
        ax.figure.colorbar(lc, ax=ax, label="electron weight")
    return ax


def plot_fig6(rho_ratios: Sequence[float] = (1e5, 1e3), j: float = 5.0,
              xi0_tau: Sequence[float] = (0.1, 0.5, 0.9),
              xi0_alpha: Sequence[float] = (0.3, 0.5, 0.7)) -> Any:
    """The four panels of Fig 6: tau+/tau- vs j at two rho_e/rho_i (a, b) and alpha_i*,
    alpha_e* vs rho_e/rho_i at fixed j (c, d). Returns the figure."""
    fig, axs = plt.subplots(2, 2, figsize=(9, 7))
    plot_tau_ratio(rho_ratios[0], xi0_tau, ax=axs[0, 0])
    plot_tau_ratio(rho_ratios[1], xi0_tau, ax=axs[0, 1])
    plot_alpha_star(j, xi0_alpha, which="i", ax=axs[1, 0])
    plot_alpha_star(j, xi0_alpha, which="e", ax=axs[1, 1])
    from ._panels import label_panels

    label_panels(axs.flat)
    fig.tight_layout()
    return fig
