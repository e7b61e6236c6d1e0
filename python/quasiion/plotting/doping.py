"""Plots of the doping-driven super-ionic transition (Fig 4, 9, 10): |S00| versus mu, the
conduction band below/above the transition, sigma versus mu, the (mu, alpha) phase diagram,
and the CBM sublattice weights / carrier formation energy. Units: eV, S/cm, 1/Angstrom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["plot_S00", "plot_sigma", "plot_conduction_band", "plot_phase_diagram",
           "plot_doping_overview", "plot_band_edges", "plot_cbm_weights", "plot_E_t"]


def _ax(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 3.5))
    return ax


def plot_S00(sweeps: Mapping[Any, Any], ax: Any = None, *, all_roots: bool = False) -> Any:
    """|S00| (eV) versus mu (eV) for each sweep (Fig 4b). ``sweeps``: label -> DopingSweep
    (scalar T). ``all_roots`` also draws every root of eq 42 as faint dots."""
    ax = _ax(ax)
    for n, (label, w) in enumerate(sweeps.items()):
        (line,) = ax.plot(w.mu, w.S00, label=str(label))
        if all_roots:
            for j in range(w.roots.shape[-1]):
                # one legend entry for the roots of every chain
                ax.plot(w.mu, w.roots[:, j], ".", ms=1.5, color=line.get_color(), alpha=0.35,
                        label="every root of eq 42" if n == 0 and j == 0 else "_root")
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel(r"$|S_{00}|$ (eV)")
    ax.legend(title=r"$\alpha$", fontsize="small")
    return ax


def _plot_vs_mu(sweeps: Mapping[Any, Any], field: str, ylabel: str, ax: Any, *,
                log: bool = False) -> Any:
    """One curve of ``sweep.<field>`` versus mu per sweep, labelled by its key (alpha)."""
    ax = _ax(ax)
    for label, w in sweeps.items():
        (ax.semilogy if log else ax.plot)(w.mu, getattr(w, field), label=str(label))
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel(ylabel)
    ax.legend(title=r"$\alpha$", fontsize="small")
    return ax


def plot_sigma(sweeps: Mapping[Any, Any], ax: Any = None) -> Any:
    """Conductivity (S/cm, eq 30, log scale) versus mu (eV) for each sweep (Fig 4d)."""
    return _plot_vs_mu(sweeps, "sigma", r"$\sigma$ (S/cm)", ax, log=True)


def plot_conduction_band(solutions: Mapping[str, Any], ax: Any = None, *,
                         points: int = 201) -> Any:
    """Conduction band E_k+ (eV) over the zone for each solution (e.g. just below and above
    the transition, Fig 4c), with each solution's mu as a dashed line. k in units of pi/a."""
    ax = _ax(ax)
    for label, s in solutions.items():
        a = s.chain.a
        k = np.linspace(-np.pi / a, np.pi / a, points)
        (line,) = ax.plot(k * a / np.pi, s.bands(k)[:, 1],
                          label=f"{label}: $\\mu$={s.mu:.3f}, $|S_{{00}}|$={s.S00:.3f}")
        ax.axhline(s.mu, ls="--", lw=0.8, color=line.get_color(), label=f"{label}: $\\mu$")
    ax.set_xlabel(r"$k$ ($\pi/a$)")
    ax.set_ylabel(r"$E_{k+}$ (eV)")
    ax.legend(fontsize="x-small")
    return ax


def plot_phase_diagram(mu: np.ndarray, alphas: Sequence[float], S00: np.ndarray,
                       sigma: np.ndarray, fig: Any = None) -> Any:
    """Heat maps of |S00| (eV) and log10 sigma (S/cm) over (mu, alpha); ``S00``/``sigma``
    have shape (len(alphas), len(mu)). Returns the figure."""
    import matplotlib.pyplot as plt

    if fig is None:
        fig = plt.figure(figsize=(9, 3.6))
    axes = fig.subplots(1, 2)
    extent = (float(mu[0]), float(mu[-1]), -0.5, len(alphas) - 0.5)
    for ax, data, label in ((axes[0], S00, r"$|S_{00}|$ (eV)"),
                            (axes[1], np.log10(sigma), r"$\log_{10}\sigma$ (S/cm)")):
        im = ax.imshow(data, aspect="auto", origin="lower", extent=extent,
                       interpolation="nearest")
        ax.set_yticks(range(len(alphas)), [f"{a:g}" for a in alphas])
        ax.set_xlabel(r"$\mu$ (eV)")
        ax.set_ylabel(r"$\alpha$")
        fig.colorbar(im, ax=ax, label=label)
    from ._panels import label_panels

    label_panels(axes)
    fig.tight_layout()
    return fig


def plot_band_edges(w: Any, ax: Any = None, *, label: str = "") -> Any:
    """Band edges of the self-consistent valence and conduction bands (eV) versus mu, with
    the line E = mu (the ionic eigen-energies of Fig 9a-c)."""
    ax = _ax(ax)
    ax.fill_between(w.mu, w.lower_min, w.lower_max, alpha=0.5, label="valence band")
    ax.fill_between(w.mu, w.upper_min, w.upper_max, alpha=0.5, label="conduction band")
    ax.plot(w.mu, w.mu, "k--", lw=0.8, label=r"$\mu$")
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel("E (eV)")
    if label:
        ax.set_title(label, fontsize="small")
    ax.legend(fontsize="x-small")
    return ax


def plot_cbm_weights(sweeps: Mapping[Any, Any], ax: Any = None) -> Any:
    """Occupation probability of the B (dashed) and A (solid) site in the conduction-band
    minimum state versus mu (Fig 9d)."""
    ax = _ax(ax)
    for label, w in sweeps.items():
        (line,) = ax.plot(w.mu, 1 - w.cbm_weight_B, label=f"{label} (A)")
        ax.plot(w.mu, w.cbm_weight_B, "--", color=line.get_color(), label=f"{label} (B)")
    ax.set_xlabel(r"$\mu$ (eV)")
    ax.set_ylabel("site occupation at CBM")
    ax.legend(fontsize="x-small", ncol=2)
    return ax


def plot_E_t(sweeps: Mapping[Any, Any], ax: Any = None) -> Any:
    """Carrier formation energy E_t (eV) versus mu (Fig 9e, 10d)."""
    return _plot_vs_mu(sweeps, "E_t", r"$E_t$ (eV)", ax)


def plot_doping_overview(chains: Mapping[Any, Any], sweeps: Mapping[Any, Any],
                         fig: Any = None) -> Any:
    """Fig 4 b-d in one figure: |S00|, the conduction band just below/above the transition
    of the first chain, and sigma. ``chains``/``sweeps``: label -> DopedChain / DopingSweep."""
    import matplotlib.pyplot as plt

    if fig is None:
        fig = plt.figure(figsize=(12, 3.6))
    a1, a2, a3 = fig.subplots(1, 3)
    plot_S00(sweeps, a1, all_roots=True)
    label = next(iter(sweeps))
    w, c = sweeps[label], chains[label]
    tr = w.transition()
    sols = {"below": c.solve(float(tr["mu_below"]), float(w.T), rule=w.rule, phase=w.phase),
            "above": c.solve(float(tr["mu_above"]), float(w.T), rule=w.rule, phase=w.phase)}
    plot_conduction_band(sols, a2)
    a2.set_title(f"alpha = {label}", fontsize="small")
    plot_sigma(sweeps, a3)
    from ._panels import label_panels

    label_panels((a1, a2, a3))
    fig.tight_layout()
    return fig
