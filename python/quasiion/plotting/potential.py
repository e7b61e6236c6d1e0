"""Plots of a migration profile: the profile with its wells, barriers and the thermal
densities under it (the paper's Fig 1c), and the tight-binding parameters versus T."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt

from .. import units

__all__ = ["plot_profile", "plot_tight_binding_vs_T"]


def plot_profile(potential: Any, T: float | None = units.T_PAPER, *, fig: Any = None,
                 hosts: Sequence[int] | None = None, thermalisation: float = 0.0,
                 points: int = 2001) -> Any:
    """The profile U(x) with its wells (v) and barriers (^) on top and, below it, the thermal
    density of the ion hosted by each well (eq 7, 13), as in the paper's Fig 1c.

    Parameters
    ----------
    potential : quasiion.Potential
        The profile.
    T : float or None
        Temperature of the densities, K (default: the paper's kT = 0.026 eV); ``None`` draws
        the profile only.
    fig : matplotlib Figure, optional
        Figure to draw into (two stacked axes are added); created if None.
    hosts : sequence of int, optional
        Host wells whose densities are drawn (default: all).
    thermalisation : float
        Thermalisation coefficient of the densities.
    points : int
        Points of the x grid.

    Returns
    -------
    matplotlib Figure
        With ``fig.axes[0]`` the profile (eV vs Angstrom) and ``fig.axes[1]`` the densities
        (1/Angstrom), when ``T`` is given.
    """
    if fig is None:
        fig = plt.figure(figsize=(6.4, 5.2 if T is not None else 3.2))
    wells = potential.wells()
    L = potential.period
    x0 = potential.x[0]
    if potential.periodic:  # one period plus the half wells at both sides
        lo = min(min(w.x_left for w in wells), x0)
        hi = max(max(w.x_right for w in wells), x0 + L)
    else:
        lo, hi = potential.x[0], potential.x[-1]
    x = np.linspace(lo, hi, points)
    if T is None:
        ax_u = fig.add_subplot(1, 1, 1)
        ax_d = None
    else:
        ax_u, ax_d = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1]})
    ax_u.plot(x, potential(x), color="k", lw=1.5, label="U(x)")
    shifts = [-1, 0, 1] if potential.periodic else [0]
    for s in shifts:
        xw = [w.x + s * L for w in wells if lo <= w.x + s * L <= hi]
        uw = [w.U for w in wells if lo <= w.x + s * L <= hi]
        ax_u.plot(xw, uw, "v", color="tab:blue", label="wells" if s == 0 else "_wells (periodic image)")
        bs = potential.barriers()
        xb = [b.x + s * L for b in bs if lo <= b.x + s * L <= hi]
        ub = [b.U for b in bs if lo <= b.x + s * L <= hi]
        ax_u.plot(xb, ub, "^", color="tab:red", label="barriers" if s == 0 else "_barriers (periodic image)")
    ax_u.set_ylabel("U (eV)")
    ax_u.legend(loc="best", fontsize="small")
    if ax_d is not None:
        chosen = range(len(wells)) if hosts is None else hosts
        for h in chosen:
            d = potential.thermal_density(T, x, host=h, thermalisation=thermalisation)
            ax_d.fill_between(x, d.rho, alpha=0.35, step=None)
            ax_d.plot(x, d.rho, lw=1.0, label=f"host well {h} (x = {wells[h].x:.3g} A)")
        ax_d.set_ylabel(r"$|\rho_0(x)|$ (1/A)")
        ax_d.set_xlabel("x (A)")
        ax_d.set_title(f"thermal densities, T = {T:.4g} K", fontsize="small")
        ax_d.legend(loc="best", fontsize="small")
    else:
        ax_u.set_xlabel("x (A)")
    if ax_d is not None:
        from ._panels import label_panels

        label_panels((ax_u, ax_d))
    return fig


def plot_tight_binding_vs_T(potentials: Any, T: npt.ArrayLike, *,
                            methods: Sequence[str] = ("narrow-well", "overlap"),
                            labels: Sequence[str] | None = None, fig: Any = None) -> Any:
    """|J0| (log scale) and the band gap of the two-site chain versus temperature.

    Parameters
    ----------
    potentials : quasiion.Potential or sequence of them
        Profiles to compare.
    T : array_like
        Temperatures, K.
    methods : sequence of str
        ``"narrow-well"`` (solid) and/or ``"overlap"`` (dashed).
    labels : sequence of str, optional
        One label per profile.
    fig : matplotlib Figure, optional
        Figure to draw into (two side-by-side axes are added).

    Returns
    -------
    matplotlib Figure
        ``fig.axes[0]``: |J0| in eV; ``fig.axes[1]``: band gap in eV; both versus T in K.
    """
    pots = list(potentials) if isinstance(potentials, (list, tuple)) else [potentials]
    labels = list(labels) if labels is not None else [f"profile {i}" for i in range(len(pots))]
    T = np.asarray(T, dtype=float)
    if fig is None:
        fig = plt.figure(figsize=(9.0, 3.6))
    ax_j, ax_g = fig.subplots(1, 2)
    styles = {"narrow-well": "-", "overlap": "--"}
    for i, (p, lab) in enumerate(zip(pots, labels)):
        color = f"C{i}"
        for m in methods:
            sw = p.tight_binding(T, m)
            ax_j.semilogy(T, np.abs(sw.J0), styles.get(m, ":"), color=color, label=f"{lab}, {m}")
            ax_g.plot(T, sw.band_gap, styles.get(m, ":"), color=color, label=f"{lab}, {m}")
    ax_j.set_xlabel("T (K)")
    ax_j.set_ylabel("|J0| (eV)")
    ax_g.set_xlabel("T (K)")
    ax_g.set_ylabel("band gap (eV)")
    ax_j.legend(fontsize="x-small")
    from ._panels import label_panels

    label_panels((ax_j, ax_g))
    fig.tight_layout()
    return fig
