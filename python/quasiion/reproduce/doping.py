"""Section 3.2 and appendix 5.1: Fig 4 (|S00|, conduction band and sigma versus mu for alpha =
0.5, 0.6, 0.7, plus the (mu, alpha) phase diagram), Fig 9 (band edges, CBM site weights and
E_t versus mu) and Fig 10 (the strict phase choice of eq 44)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import paper
from . import Item

if TYPE_CHECKING:
    from ..doping import DopedChain

MU = np.round(np.arange(-0.8, 0.4 + 1e-9, 0.005), 10)


def _chains() -> dict[str, DopedChain]:
    from ..doping import DopedChain

    return {f"{a:g}": DopedChain.from_eq45(a) for a in paper.ALPHAS}


def _summary(sweeps: dict, chains: dict) -> list[str]:
    lines = []
    for label, w in sweeps.items():
        c = chains[label]
        tr = w.transition()
        after = w.mu > tr["mu_below"]
        i = int(np.nanargmax(np.where(after, w.sigma, -np.inf)))
        lines.append(
            f"alpha={label}: U_B={c.U_B:.3f} J0={c.J0:.3g} eV; transition between mu="
            f"{tr['mu_below']:.3f} and {tr['mu_above']:.3f} eV, |S00| {w.S00[w.mu == tr['mu_below']][0]:.3f}"
            f" -> {w.S00[w.mu == tr['mu_above']][0]:.3f} eV, sigma jump {tr['sigma_jump_decades']:.2f} "
            f"decades, optimum sigma {w.sigma[i]:.3g} S/cm at mu={w.mu[i]:.3f} eV; rules disagree "
            f"at {int(w.rules_disagree.sum())}/{w.mu.size} mu")
    return lines


def _fig4(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.doping import plot_doping_overview, plot_phase_diagram

    chains = _chains()
    sweeps = {k: c.sweep(MU, paper.T) for k, c in chains.items()}
    fig = plot_doping_overview(chains, sweeps)
    fig.suptitle("Fig 4 b-d: eq 45 potential, K/a1 = 1.5 eV, kT = 0.026 eV, fixed phase, "
                 "smallest root", fontsize="small")
    fig.tight_layout(rect=(0, 0, 1, 0.94))  # the suptitle clear of the panel titles
    p1 = out / "fig4_doping.png"
    fig.savefig(p1, dpi=150, bbox_inches="tight")
    plt.close(fig)
    for k, w in sweeps.items():
        w.save_csv(out / f"fig4_alpha{k}.csv")
    # phase diagram over a finer alpha grid
    from ..doping import DopedChain

    alphas = np.round(np.arange(0.45, 0.7501, 0.025), 4)
    mu = np.round(np.arange(-0.6, 0.4 + 1e-9, 0.01), 10)
    ws = [DopedChain.from_eq45(float(a)).sweep(mu, paper.T) for a in alphas]
    fig = plot_phase_diagram(mu, list(alphas), np.array([w.S00 for w in ws]),
                             np.array([w.sigma for w in ws]))
    p2 = out / "fig4_phase_diagram.png"
    fig.savefig(p2, dpi=150, bbox_inches="tight")
    plt.close(fig)
    c0 = next(iter(chains.values()))
    return ([f"wrote {p1.name}, {p2.name}, fig4_alpha*.csv (fixed phase phi_s = ka/2 + pi, "
             "the paper's smallest root of eq 42; sigma for mobile ions of z = "
             f"{c0.z:g}, n0 = {c0.n0:g} cm^-3, tau = {c0.tau:g} s)"] + _summary(sweeps, chains)
            + _free_energy_rule(chains, sweeps))


def _free_energy_rule(chains: dict, sweeps: dict) -> list[str]:
    """The same sweeps with the root of lowest grand potential: what changes, said plainly."""
    lines = []
    for label, c in chains.items():
        w = c.sweep(MU, paper.T, rule="free-energy")
        tr, tr0 = w.transition(), sweeps[label].transition()
        lines.append(
            f"alpha={label}, lowest-free-energy root: |S00| collapses at mu = "
            f"{0.5 * (tr['mu_below'] + tr['mu_above']):.3f} eV (smallest root: "
            f"{0.5 * (tr0['mu_below'] + tr0['mu_above']):.3f} eV); sigma changes by "
            f"{tr['sigma_jump_decades']:+.2f} decades there (smallest root: "
            f"{tr0['sigma_jump_decades']:+.2f}); largest sigma {np.nanmax(w.sigma):.3g} S/cm "
            f"(smallest root: {np.nanmax(sweeps[label].sigma):.3g})")
    lines.append("=> the lowest-free-energy rule removes the super-ionic jump: with the root "
                 "of lowest grand potential |S00| still collapses (at higher mu), but sigma does "
                 "not rise by orders of magnitude there; the paper's Fig 4 jump rests on its "
                 "smallest-root rule (rule='smallest').")
    return lines


def _fig4a(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..potential import Potential

    x = np.linspace(0.0, 2.0 * paper.A_DEFAULT, 801)
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    lines = []
    for i, a in enumerate(paper.ALPHAS):
        pot = Potential.eq45(a, paper.U_BAR0, paper.A_DEFAULT)
        ax.plot(x, pot(x), color=f"C{i}", label=rf"$\alpha$ = {a:g}")
        tb = pot.tight_binding(paper.T)
        lines.append(f"alpha={a:g}: U_A={tb.U_A:.3f} eV (x = a/2), U_B={tb.U_B:.3f} eV (x = 0), "
                     f"Ea_BA={tb.Ea_BA:.3f} eV: larger alpha, shallower B well")
    ax.set_xlabel(r"x ($\AA$)")
    ax.set_ylabel("U (eV)")
    ax.set_title(f"(a) eq 45 static potential, Ubar0 = {paper.U_BAR0} eV", fontsize="small")
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    p = out / "fig4a_potential.png"
    fig.savefig(p, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return [f"wrote {p.name}"] + lines


def _fig9(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.doping import plot_band_edges, plot_cbm_weights, plot_E_t

    chains = _chains()
    sweeps = {k: c.sweep(MU, paper.T) for k, c in chains.items()}
    fig = plt.figure(figsize=(13, 6.5))
    axes = fig.subplots(2, 3)
    for ax, (k, w) in zip(axes[0], sweeps.items()):
        plot_band_edges(w, ax, label=f"({'abc'[list(sweeps).index(k)]}) alpha = {k}")
    plot_cbm_weights(sweeps, axes[1, 0])
    plot_E_t(sweeps, axes[1, 1])
    axes[1, 2].set_axis_off()
    fig.tight_layout()
    path = out / "fig9_states_Et.png"
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    lines = [f"wrote {path.name} (panels a-c: self-consistent band edges vs mu; d: A/B weights "
             "of the CBM state; e: E_t)"]
    for k, w in sweeps.items():
        tr = w.transition()
        ib, ia = (int(np.searchsorted(MU, tr[m])) for m in ("mu_below", "mu_above"))
        lines.append(f"alpha={k}: E_t {w.E_t[ib]:.3f} -> {w.E_t[ia]:.3f} eV across the "
                     f"transition; CBM weight on B {w.cbm_weight_B[ib]:.4f} -> "
                     f"{w.cbm_weight_B[ia]:.4f}")
    return lines


def _fig10(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.doping import plot_conduction_band, plot_E_t, plot_S00, plot_sigma

    chains = _chains()
    sweeps = {k: c.sweep(MU, paper.T, phase="strict") for k, c in chains.items()}
    fig = plt.figure(figsize=(13, 3.4))
    a1, a2, a3, a4 = fig.subplots(1, 4)
    plot_S00(sweeps, a1, all_roots=True)
    k0 = next(iter(sweeps))
    tr = sweeps[k0].transition()
    c0 = chains[k0]
    plot_conduction_band({"below": c0.solve(float(tr["mu_below"]), paper.T, phase="strict"),
                          "above": c0.solve(float(tr["mu_above"]), paper.T, phase="strict")}, a2)
    plot_sigma(sweeps, a3)
    plot_E_t(sweeps, a4)
    fig.suptitle("Fig 10: strict phase match (phi_s = ka/2 when |S00| > |J0|), smallest root of "
                 "eq 42", fontsize="small")
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    path = out / "fig10_strict_phase.png"
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    lines = [f"wrote {path.name}"] + _summary(sweeps, chains)
    for k, w in sweeps.items():
        hi = w.mu[w.high_branch]
        lines.append(f"alpha={k}: phi_s = ka/2 on mu in [{hi.min():.3f}, {hi.max():.3f}] eV; "
                     f"no solution at {int(w.failed.sum())} mu" if hi.size else
                     f"alpha={k}: phi_s = ka/2 nowhere")
    return lines


ITEMS: list[Item] = [
    Item("fig4a", "Fig 4a: the eq 45 static potential for alpha = 0.5, 0.6, 0.7", _fig4a),
    Item("fig4", "Fig 4 b-d: |S00|, conduction band and sigma vs mu; (mu, alpha) phase diagram",
         _fig4),
    Item("fig9", "Fig 9: self-consistent band edges, CBM site weights and E_t vs mu", _fig9),
    Item("fig10", "Fig 10: strict phase match of eq 44", _fig10),
]
