"""Plots of saved sweeps and ensembles (files written with ``save=``): the conductivity map of
a doping sweep over (mu, T), one panel per alpha, with the transition marked; histograms of
ensemble results. Units: eV, K, S/cm."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["plot_sigma_map", "plot_sweep_lines", "plot_histogram", "plot_saved"]


def _ax(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 3.5), constrained_layout=True)
    return ax


def plot_sigma_map(sweep: Any, ax: Any = None, *, alpha_index: int | None = None) -> Any:
    """log10 sigma (S/cm) over (mu, T) of a :class:`quasiion.DopingSweep` with a T axis
    (``alpha_index`` picks the alpha of an :func:`quasiion.eq45_sweep`), and the transition
    mu at each T (largest drop of |S00|) as white dots."""
    ax = _ax(ax)
    w = sweep if alpha_index is None else sweep.for_alpha(alpha_index)
    sig = np.atleast_2d(w.sigma)
    T = np.atleast_1d(w.T)
    with np.errstate(divide="ignore"):
        z = np.log10(sig)
    mesh = ax.pcolormesh(w.mu, T, z, shading="nearest", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label=r"$\log_{10}\sigma$ (S/cm)")
    if T.size > 1 and w.mu.size > 1:
        tr = w.transition()
        ax.plot(0.5 * (tr["mu_below"] + tr["mu_above"]), T, "w.", ms=3)
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel("T (K)")
    if alpha_index is not None and sweep.alpha is not None:
        ax.set_title(rf"$\alpha$ = {sweep.alpha[alpha_index]:g}")
    return ax


def plot_sweep_lines(sweep: Any, ax: Any = None, *, field: str = "S00") -> Any:
    """``field`` (|S00| in eV by default) versus mu (eV) for each temperature of a sweep."""
    ax = _ax(ax)
    y = np.atleast_2d(getattr(sweep, field))
    for T, row in zip(np.atleast_1d(sweep.T), y):
        ax.plot(sweep.mu, row, label=f"{T:g} K")
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel(field)
    if field == "sigma":
        ax.set_yscale("log")
    ax.legend(fontsize="small")
    return ax


def plot_histogram(values: np.ndarray, ax: Any = None, *, label: str = "", unit: str = "",
                   bins: int = 60) -> Any:
    """Histogram of ensemble values (finite ones), with their mean and spread in the title."""
    ax = _ax(ax)
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    ax.hist(v, bins=bins, color="C0", alpha=0.8)
    ax.set_xlabel(f"{label} ({unit})" if unit else label)
    ax.set_ylabel("realisations")
    if v.size:
        ax.set_title(f"{v.size} values: mean {v.mean():.4g}, std {v.std():.3g}",
                     fontsize="small")
    return ax


def plot_saved(path: Any) -> Any:
    """A figure of a sweep file: sigma maps (doping sweeps over T), |S00| and sigma versus mu
    (one temperature), histograms of the numeric results of any other kind."""
    import matplotlib.pyplot as plt

    from ..doping import DopingSweep
    from ..executors import load

    saved = load(path)
    if saved.kind in ("doping-sweep", "eq45-sweep"):
        w = DopingSweep.from_file(path)
        if saved.kind == "eq45-sweep":
            n = w.alpha.size  # type: ignore[union-attr]
            if np.size(w.T) > 1:
                fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.5), squeeze=False,
                                         constrained_layout=True)
                for i in range(n):
                    plot_sigma_map(w, axes[0, i], alpha_index=i)
                return fig
            fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), constrained_layout=True)
            for i in range(n):
                wi = w.for_alpha(i)
                axes[0].plot(wi.mu, wi.S00, label=f"{w.alpha[i]:g}")  # type: ignore[index]
                axes[1].semilogy(wi.mu, wi.sigma, label=f"{w.alpha[i]:g}")  # type: ignore[index]
            axes[0].set_ylabel(r"$|S_{00}|$ (eV)")
            axes[1].set_ylabel(r"$\sigma$ (S/cm)")
            for ax in axes:
                ax.set_xlabel(r"$\mu$ (eV)")
                ax.legend(title=r"$\alpha$", fontsize="small")
            return fig
        if np.ndim(w.T) == 1 and np.size(w.T) > 1:
            fig, ax = plt.subplots(figsize=(5, 3.8), constrained_layout=True)
            plot_sigma_map(w, ax)
            return fig
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), constrained_layout=True)
        plot_sweep_lines(w, axes[0], field="S00")
        plot_sweep_lines(w, axes[1], field="sigma")
        return fig
    units = saved.meta.get("units", {})
    keys = [k for k, a in saved.results.items()
            if a.dtype.kind == "f" and a.ndim == 1 and np.isfinite(a[saved.done]).any()]
    if not keys:
        raise ValueError(f"path = {str(path)!r}: a {saved.kind!r} without numeric results "
                         "to plot")
    n = len(keys)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.3), squeeze=False,
                             constrained_layout=True)
    for ax, k in zip(axes[0], keys):
        plot_histogram(saved.results[k][saved.done], ax, label=k, unit=units.get(k, ""))
    if not saved.complete:
        fig.suptitle(f"{int(saved.done.sum())} of {saved.done.size} done", fontsize="small")
    return fig
