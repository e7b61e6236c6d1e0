"""Fig 6: tau+/tau- versus j (a, b) and alpha_i*, alpha_e* versus rho_e/rho_i (c, d)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import paper
from . import Item

#: xi_0 values drawn in Fig 6 (the paper does not list them; these span weak to strong coupling).
FIG6_XI0_TAU: tuple[float, ...] = (0.1, 0.5, 0.9)
FIG6_XI0_ALPHA: tuple[float, ...] = (0.3, 0.5, 0.7)


def knee(j: np.ndarray, t: np.ndarray) -> float:
    """j where tau+/tau- - 1 reaches half of its large-j value (log interpolation)."""
    y = np.log(t - 1.0)
    half = np.log(0.5 * (t[-1] - 1.0))
    return float(np.exp(np.interp(half, y, np.log(j))))


def _make_fig6(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..onsager import alpha_star, tau_ratio
    from ..plotting.onsager import plot_fig6

    lines: list[str] = []
    cols: dict[str, np.ndarray] = {}
    for r in paper.FIG6_RHO_RATIOS:
        j = np.logspace(-2, np.log10(r) + 5, 700)
        cols[f"j_r{r:g}"] = j
        for x in FIG6_XI0_TAU:
            t = tau_ratio(j, r, x, "exact")
            cols[f"tau_ratio_r{r:g}_xi{x:g}"] = t
            lines.append(f"rho_e/rho_i = {r:g}, xi0 = {x:g}: knee (half saturation) at "
                         f"j = {knee(j, t):.4g} (= {knee(j, t) / r:.3g} rho_e/rho_i), "
                         f"saturation tau+/tau- = {t[-1]:.5g}, small-j slope "
                         f"d(tau+/tau-)/dj = {(t[1] - t[0]) / (j[1] - j[0]):.4g}")
    rr = np.logspace(-2, 8, 500)
    cols["rho_ratio"] = rr
    for x in FIG6_XI0_ALPHA:
        ai, ae = alpha_star(paper.FIG6_J, rr, x, "eq40")
        cols[f"alpha_i_xi{x:g}"] = ai
        cols[f"alpha_e_xi{x:g}"] = ae
        lines.append(f"j = {paper.FIG6_J:g}, xi0 = {x:g}: alpha_i* saturates at {ai[-1]:.4g} "
                     f"({'> 1' if ai[-1] > 1 else '<= 1'}), alpha_e* falls from {ae[0]:.3g} "
                     f"to {ae[-1]:.3g}")
    fig = plot_fig6(paper.FIG6_RHO_RATIOS, paper.FIG6_J, FIG6_XI0_TAU, FIG6_XI0_ALPHA)
    fig.savefig(out / "fig6.png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    n = max(len(c) for c in cols.values())
    names = list(cols)
    table = np.full((n, len(names)), np.nan)
    for i, c in enumerate(names):
        table[: len(cols[c]), i] = cols[c]
    np.savetxt(out / "fig6.csv", table, delimiter=",", header=",".join(names), comments="")
    lines.append("wrote fig6.png, fig6.csv")
    return lines


ITEMS: list[Item] = [
    Item("fig6", "Fig 6: tau+/tau- vs j and alpha_i*, alpha_e* vs rho_e/rho_i (ambipolaron)",
         _make_fig6),
]
