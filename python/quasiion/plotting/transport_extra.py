"""Plots beyond the paper: band structures along a k-path, thermoelectric coefficients, and
the Kubo-Greenwood conductivity of supercells versus distortion level and versus doping.

Every function takes ``ax=None`` (a new figure is made) and returns the Axes it drew on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..bandpath import BandPath
from ..thermoelectric import Thermoelectric
from .bands import _axes

__all__ = ["plot_band_path", "plot_seebeck", "plot_sigma_vs_distortion", "plot_sigma_vs_doping"]


def plot_band_path(bp: BandPath, ax: Any = None, *, color: str = "C0") -> Any:
    """Bands (eV) along the path of :func:`quasiion.band_path`, with the named points marked."""
    ax = _axes(ax)
    ax.plot(bp.distance, bp.energies, color=color, lw=1.2)
    for x in bp.label_positions:
        ax.axvline(x, color="0.7", lw=0.6)
    ax.set_xticks(bp.label_positions)
    ax.set_xticklabels([r"$\Gamma$" if s in ("G", "Gamma") else s for s in bp.labels])
    ax.set_xlim(bp.distance[0], bp.distance[-1])
    ax.set_ylabel("E (eV)")
    return ax


def plot_seebeck(r: Thermoelectric, ax: Any = None, *, label: str | None = None) -> Any:
    """Seebeck coefficient (mV/K) versus mu (eV) of a 1-D :class:`Thermoelectric` result."""
    ax = _axes(ax)
    ax.plot(np.ravel(r.mu), 1e3 * np.ravel(r.seebeck), label=label)
    ax.axhline(0.0, color="0.7", lw=0.6)
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel("S (mV/K)")
    return ax


def _sigma_errorbar(ax: Any, x: npt.ArrayLike, mean: npt.ArrayLike, spread: npt.ArrayLike | None,
                    label: str | None) -> None:
    m = np.asarray(mean, dtype=float)
    if spread is None:
        ax.semilogy(x, m, "o-", label=label)
    else:
        s = np.asarray(spread, dtype=float)
        ax.errorbar(x, m, yerr=[np.minimum(s, 0.999 * m), s], fmt="o-", capsize=3, label=label)
        ax.set_yscale("log")


def plot_sigma_vs_distortion(distortion: npt.ArrayLike, sigma: npt.ArrayLike,
                             spread: npt.ArrayLike | None = None, ax: Any = None, *,
                             label: str | None = None, xlabel: str = "distortion level") -> Any:
    """Conductivity (S/cm, log scale) versus distortion level, with the realisation spread as
    error bars."""
    ax = _axes(ax)
    _sigma_errorbar(ax, distortion, sigma, spread, label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(r"$\sigma$ (S/cm)")
    return ax


def plot_sigma_vs_doping(filling: npt.ArrayLike, sigma: npt.ArrayLike,
                         spread: npt.ArrayLike | None = None, ax: Any = None, *,
                         label: str | None = None) -> Any:
    """Conductivity (S/cm, log scale) versus mobile-ion filling (ions per cell)."""
    ax = _axes(ax)
    _sigma_errorbar(ax, filling, sigma, spread, label)
    ax.set_xlabel("filling (ions per cell)")
    ax.set_ylabel(r"$\sigma$ (S/cm)")
    return ax
