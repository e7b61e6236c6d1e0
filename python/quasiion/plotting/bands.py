"""Plots for the interstitial band model (paper Fig 3c,d) and its conductivity.

Every function takes ``ax=None`` (a new figure is made) and returns the Axes it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import units
from ..interstitial import InterstitialChain

__all__ = ["plot_bands", "plot_sublattice_weights", "plot_conductivity_vs_mu", "conductivity_curve",
           "plot_conductivity_vs_inverse_T"]


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 3.5))
    return ax


def plot_bands(chain: InterstitialChain, ax: Any = None, *, nk: int = 301,
               relative: bool = True, cmap: str = "coolwarm", colorbar: bool = True) -> Any:
    """Band structure of the chain coloured by the weight on the interstitial site B
    (paper Fig 3c).

    Parameters
    ----------
    chain : InterstitialChain
    ax : matplotlib Axes, optional
    nk : int
        Points over ka in [-pi, pi].
    relative : bool
        Plot E - Ubar0 (as the paper does) instead of E, eV.
    cmap : str
        Colour map for the B weight (0 = all on A, 1 = all on B).
    colorbar : bool
        Add a colour bar.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    bs = chain.band_structure(nk)
    x = bs.k * chain.a / np.pi
    shift = chain.mean if relative else 0.0
    lc = None
    for e, wa in ((bs.E_lower, bs.wA_lower), (bs.E_upper, bs.wA_upper)):
        pts = np.column_stack([x, e - shift]).reshape(-1, 1, 2)
        seg = np.concatenate([pts[:-1], pts[1:]], axis=1)
        lc = LineCollection(list(seg), cmap=cmap, linewidths=2.5)
        lc.set_array(0.5 * ((1 - wa[:-1]) + (1 - wa[1:])))
        lc.set_clim(0.0, 1.0)
        ax.add_collection(lc)
    lo = min(bs.E_lower.min(), bs.E_upper.min()) - shift
    hi = max(bs.E_lower.max(), bs.E_upper.max()) - shift
    pad = 0.08 * (hi - lo if hi > lo else 1.0)
    ax.set_xlim(-1, 1)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel(r"$ka/\pi$")
    ax.set_ylabel(r"$E - \bar U_0$ (eV)" if relative else "E (eV)")
    ax.set_title(rf"$\Delta U_0$ = {abs(chain.delta):.3g} eV, $|J_0|$ = {abs(chain.J0):.3g} eV")
    if colorbar and lc is not None:
        ax.figure.colorbar(lc, ax=ax, label="weight on B (interstitial)")
    return ax


def plot_sublattice_weights(chain: InterstitialChain, ax: Any = None, *, nk: int = 301) -> Any:
    """Site weights of the eigenstates versus k (paper Fig 3d; eq 19).

    Solid: weight on A, dashed: weight on B; thick translucent the lower (-) band, thin the
    upper (+) band. The two bands' curves coincide with A and B swapped (rho_kA,- = rho_kB,+),
    so the thin lines run inside the thick ones.
    """
    ax = _axes(ax)
    bs = chain.band_structure(nk)
    x = bs.k * chain.a / np.pi
    ax.plot(x, bs.wA_lower, "C0-", lw=5, alpha=0.4, label=r"$\rho_{kA,-}$")
    ax.plot(x, 1 - bs.wA_lower, "C0--", lw=5, alpha=0.4, label=r"$\rho_{kB,-}$")
    ax.plot(x, bs.wA_upper, "C3-", lw=1.5, label=r"$\rho_{kA,+}$")
    ax.plot(x, 1 - bs.wA_upper, "C3--", lw=1.5, label=r"$\rho_{kB,+}$")
    ax.set_xlim(-1, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(r"$ka/\pi$")
    ax.set_ylabel("site weight")
    ax.legend(fontsize="small", ncol=2)
    return ax


def conductivity_curve(chain: InterstitialChain, mu: npt.ArrayLike, T: npt.ArrayLike, method: str,
                       *, tau: float | None = None) -> np.ndarray:
    """sigma (S/cm) of ``chain.conductivity`` on broadcast ``mu``, ``T`` for drawing: eq 24,
    which has no value with mu inside the conduction band, is left as NaN there (a gap in the
    curve) instead of raising."""
    m, t = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(T, dtype=float))
    out = np.full(m.shape, np.nan)
    ok = np.ones(m.shape, dtype=bool)
    if method == "eq24":
        ex = chain.band_extrema
        ok = (m <= ex["upper_min"]) | (m >= ex["upper_max"])
    if ok.any():
        out[ok] = chain.conductivity(m[ok], t[ok], method, tau=tau)
    return out


def plot_conductivity_vs_mu(chain: InterstitialChain, mu: npt.ArrayLike, T: float, ax: Any = None,
                            *, methods: Sequence[str] = ("boltzmann", "drude", "eq24"),
                            tau: float | None = None, edges: bool = True) -> Any:
    """sigma (S/cm, log scale) versus chemical potential mu (eV) at temperature T (K), one
    curve per method of :meth:`InterstitialChain.conductivity`, with the band edges marked."""
    ax = _axes(ax)
    mu = np.asarray(mu, dtype=float)
    styles = {"boltzmann": "k-", "drude": "C0--", "eq24": "C3:"}
    labels = {"boltzmann": "eq 30 (Boltzmann)", "drude": "eq 23 (Nernst-Einstein)",
              "eq24": "eq 24 (paper)"}
    for m in methods:
        ax.semilogy(mu, conductivity_curve(chain, mu, T, m, tau=tau), styles.get(m, "-"),
                    label=labels.get(m, m))
    if edges:
        for e in chain.band_extrema.values():
            ax.axvline(e, color="0.7", lw=0.8, zorder=0)
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel(r"$\sigma$ (S/cm)")
    ax.set_title(f"T = {T:.1f} K")
    ax.legend(fontsize="small")
    return ax


def plot_conductivity_vs_inverse_T(chain: InterstitialChain, mu: float, T: npt.ArrayLike,
                                   ax: Any = None, *,
                                   methods: Sequence[str] = ("boltzmann", "drude", "eq24"),
                                   tau: float | None = None) -> Any:
    """sigma (S/cm, log scale) versus 1000/T (1/K) at fixed mu (eV)."""
    ax = _axes(ax)
    T = np.asarray(T, dtype=float)
    styles = {"boltzmann": "k-", "drude": "C0--", "eq24": "C3:"}
    for m in methods:
        ax.semilogy(1000.0 / T, conductivity_curve(chain, mu, T, m, tau=tau), styles.get(m, "-"),
                    label=m)
    ax.set_xlabel(r"$1000/T$ (1/K)")
    ax.set_ylabel(r"$\sigma$ (S/cm)")
    ax.set_title(rf"$\mu$ = {mu:.3g} eV (kT = {units.kT(T.min()):.3g}-{units.kT(T.max()):.3g} eV)")
    ax.legend(fontsize="small")
    return ax
