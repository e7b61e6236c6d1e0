"""Section 2 and eq 45: the missing Table 2 (static-potential parameters for alpha = 0.5, 0.6,
0.7 at kT = 0.026 eV), the profile with its thermal densities (Fig 1c on eq 45), and J0 / gap
versus T."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .. import paper
from . import Item


def _table2(out: Path) -> list[str]:
    from ..potential import Potential

    rows = []
    for alpha in paper.ALPHAS:
        tb = Potential.eq45(alpha, paper.U_BAR0, paper.A_DEFAULT).tight_binding(paper.T)
        rows.append((alpha, tb.U_A, tb.U_B, tb.U_max, tb.Ea_AB, tb.Ea_BA, tb.J0))
    path = out / "table2_eq45_parameters.csv"
    with path.open("w", newline="") as fh:
        fh.write(f"# eq 45, U_bar = {paper.U_BAR0} eV, a = {paper.A_DEFAULT} A, kT = 0.026 eV "
                 f"(T = {paper.T:.2f} K); J0 from the full form of eq 16\n")
        w = csv.writer(fh)
        w.writerow(["alpha", "U_A [eV]", "U_B [eV]", "U_max [eV]", "Ea_AB [eV]", "Ea_BA [eV]",
                    "J0 [eV]"])
        for r in rows:
            w.writerow([f"{v:.10g}" for v in r])
    lines = [f"wrote {path.name}"]
    for a, UA, UB, Um, eab, eba, J0 in rows:
        lines.append(f"alpha={a}: U_A={UA:.3f} U_B={UB:.3f} U_max={Um:.3f} Ea_AB={eab:.3f} "
                     f"Ea_BA={eba:.3f} J0={J0:.3g} eV")
    return lines


def _fig1c(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.potential import plot_profile
    from ..potential import Potential

    alpha = 0.6
    p = Potential.eq45(alpha, paper.U_BAR0, paper.A_DEFAULT)
    fig = plot_profile(p, paper.T)
    fig.suptitle(f"eq 45, alpha = {alpha}: profile and thermal densities (kT = 0.026 eV)")
    fig.tight_layout(rect=(0, 0, 1, 0.95))  # the suptitle clear of the panel letters
    path = out / "fig1c_profile_densities.png"
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    lines = [f"wrote {path.name}"]
    for h, w in enumerate(p.wells()):
        d = p.thermal_density(paper.T, host=h, points=20001)
        norm = float(np.trapezoid(d.rho, d.x))
        stay = d.parts[0][3]
        lines.append(f"host well {h} at x={w.x:.3g} A: integral={norm:.6f}, in-well weight={stay:.6f}")
    return lines


def _tb_vs_T(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.potential import plot_tight_binding_vs_T
    from ..potential import Potential

    T = np.linspace(150.0, 1200.0, 43)
    pots = [Potential.eq45(a, paper.U_BAR0, paper.A_DEFAULT) for a in paper.ALPHAS]
    fig = plot_tight_binding_vs_T(pots, T, labels=[f"alpha={a}" for a in paper.ALPHAS])
    path = out / "potential_J0_gap_vs_T.png"
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    lines = [f"wrote {path.name}"]
    for a, p in zip(paper.ALPHAS, pots):
        n = p.tight_binding(T[[0, -1]])
        o = p.tight_binding(T[[0, -1]], "overlap")
        lines.append(f"alpha={a}: |J0| {abs(n.J0[0]):.3g} -> {abs(n.J0[1]):.3g} eV (narrow-well), "
                     f"{abs(o.J0[0]):.3g} -> {abs(o.J0[1]):.3g} eV (overlap) for T 150 -> 1200 K")
    return lines


ITEMS: list[Item] = [
    Item("table2", "Table 2 (missing in the paper): eq 45 static-potential parameters", _table2),
    Item("fig1c", "Fig 1c on eq 45: profile, wells, barriers and thermal densities", _fig1c),
    Item("potential-T", "J0 and band gap versus T for eq 45 (narrow-well and overlap)", _tb_vs_T),
]
