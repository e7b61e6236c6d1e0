"""Plots of conductivity-temperature fits: ln sigma (or log10 sigma) versus 1000/T with the
data, every fitted model and a residuals panel; the quasi-ion fit marks its bend beta0."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .. import units
from ..fitting import FitResult, FitTable

__all__ = ["plot_conductivity_fits"]

_STYLE: dict[str, tuple[str, Any]] = {"quasi-ion": ("C3", "-"), "arrhenius": ("C0", "--"), "arrhenius-b": ("C2", "-."),
          "vtf": ("C4", ":")}


def _results(fits: Any) -> list[FitResult]:
    if isinstance(fits, FitResult):
        return [fits]
    if isinstance(fits, FitTable):
        return list(fits.results.values())
    if isinstance(fits, Iterable):
        out = list(fits)
        if out and all(isinstance(r, FitResult) for r in out):
            return out
    raise ValueError(f"fits = {type(fits).__name__}: must be a FitResult, a FitTable or a list "
                     "of FitResult")


def plot_conductivity_fits(fits: Any, ax: Any = None, *, log10: bool = False,
                           residuals: bool = True, title: str | None = None) -> Any:
    """Data and fitted models versus 1000/T, with residuals.

    Parameters
    ----------
    fits : FitResult, FitTable or list of FitResult
        Fits of the same data (the data are taken from the first).
    ax : matplotlib Axes or pair of Axes, optional
        One Axes (no residual panel unless ``residuals`` and a pair is given) or a pair
        (main, residuals). None creates a figure with both panels.
    log10 : bool
        Plot log10 sigma instead of ln sigma (sigma in S/cm).
    residuals : bool
        Draw the residual panel (data - model, same log base) when creating the figure.
    title : str, optional

    Returns
    -------
    matplotlib Figure when two panels are drawn, else the Axes.
    """
    import matplotlib.pyplot as plt

    res = _results(fits)
    if not res:
        raise ValueError("fits = []: must hold at least one fit")
    scale = 1.0 / np.log(10.0) if log10 else 1.0
    lab = r"$\log_{10}\,\sigma$ (S/cm)" if log10 else r"$\ln\,\sigma$ (S/cm)"
    if ax is None:
        if residuals:
            fig, (a_main, a_res) = plt.subplots(2, 1, sharex=True, figsize=(6, 5.5),
                                                gridspec_kw={"height_ratios": [3, 1]})
        else:
            fig, a_main = plt.subplots(figsize=(6, 4.5))
            a_res = None
    elif isinstance(ax, (tuple, list)):
        a_main, a_res = ax
        fig = a_main.figure
    else:
        a_main, a_res, fig = ax, None, ax.figure
    r0 = res[0]
    x = 1000.0 / r0.T
    a_main.plot(x, np.log(r0.sigma) * scale, "ko", label="data", zorder=5)
    for r in res:
        color, ls = _STYLE.get(r.model, ("C7", "-"))
        name = r.model
        if r.fixed:  # published parameters tested on these data: a thinner, paler line
            name += " (" + ", ".join(r.fixed) + " fixed)"
            color, ls = "C1" if r.model == "quasi-ion" else "C8", (0, (4, 1, 1, 1))
        Tc, sc = r.curve(300)
        a_main.plot(1000.0 / Tc, np.log(sc) * scale, color=color, ls=ls,
                    label=f"{name} (RMSE {r.rmse * scale:.3g} in {'log10' if log10 else 'ln'})")
        if a_res is not None:
            a_res.plot(1000.0 / r.T, r.residuals * scale, marker="o", color=color, ls=ls)
        if r.model == "quasi-ion" and r.beta0_in_range:
            xb = 1000.0 * units.k_B * r.params["beta0"]  # 1000/T at the bend
            a_main.axvline(xb, color=color, lw=0.8, ls=":")
            a_main.annotate(rf"$\beta_0$ = {r.params['beta0']:.3g}/eV", (xb, 0.95),
                            xycoords=("data", "axes fraction"), rotation=90, va="top",
                            ha="right", color=color, fontsize=8)
    a_main.set_ylabel(lab)
    a_main.legend(fontsize=8)
    if title:
        a_main.set_title(title)
    if a_res is not None:
        from ._panels import label_panels

        label_panels((a_main, a_res))
        a_res.axhline(0.0, color="0.5", lw=0.8)
        a_res.set_ylabel("residual")
        a_res.set_xlabel(r"$1000/T$ (1/K)")
        return fig
    a_main.set_xlabel(r"$1000/T$ (1/K)")
    return a_main
