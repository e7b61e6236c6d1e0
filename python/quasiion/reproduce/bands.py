"""Fig 3c,d of the paper (interstitial bands and sublattice weights) and the conductivity of
the same chain versus mu and versus 1000/T."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import paper, units
from . import Item


def _chain():  # the Fig 3 chain, with E_a^BA from eq 16 so that eq 24 is defined
    from ..interstitial import InterstitialChain, activation_energy_eq16

    UA = paper.U_BAR0 - paper.FIG3_DELTA_U
    UB = paper.U_BAR0 + paper.FIG3_DELTA_U
    J0 = -paper.FIG3_J0
    Ea = activation_energy_eq16(UA, J0, paper.T)
    return InterstitialChain(UA, UB, J0, paper.A_DEFAULT, Ea_BA=Ea)


def make_fig3(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..plotting.bands import (
        conductivity_curve,
        plot_bands,
        plot_conductivity_vs_inverse_T,
        plot_conductivity_vs_mu,
        plot_sublattice_weights,
    )

    c = _chain()
    T = paper.T
    c.band_structure(201).save_csv(out / "fig3_bands.csv")
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.8))
    plot_bands(c, axs[0])
    plot_sublattice_weights(c, axs[1])
    fig.tight_layout()
    fig.savefig(out / "fig3cd_bands.png", dpi=150)
    plt.close(fig)

    ex = c.band_extrema
    mu = np.linspace(ex["lower_max"] - 0.05, ex["upper_max"] + 0.15, 241)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    plot_conductivity_vs_mu(c, mu, T, ax)
    fig.tight_layout()
    fig.savefig(out / "fig3_sigma_vs_mu.png", dpi=150)
    plt.close(fig)

    mu0 = c.conduction_band_minimum - 0.1
    Ts = np.linspace(200.0, 800.0, 61)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    plot_conductivity_vs_inverse_T(c, mu0, Ts, ax)
    fig.tight_layout()
    fig.savefig(out / "fig3_sigma_vs_invT.png", dpi=150)
    plt.close(fig)

    sig = {m: c.conductivity(mu0, T, m) for m in ("boltzmann", "drude", "eq24")}
    np.savetxt(out / "fig3_sigma_vs_mu.csv",
               np.column_stack([mu] + [conductivity_curve(c, mu, T, m) for m in sig]),
               delimiter=",", header="mu (eV), sigma boltzmann, drude, eq24 (S/cm) at T = "
               f"{T:.2f} K for Li (z = {c.z:g}), n0 = {c.n0:.3g} cm^-3, tau = "
               f"{c.relaxation_time():.4g} s; eq24 is nan inside the conduction band, where it "
               "does not apply",
               fmt="%.10g")
    cbm = c.band_edge()
    return [
        f"chain: U_A = {c.U_A:g} eV, U_B = {c.U_B:g} eV, J0 = {c.J0:g} eV, a = {c.a:g} A, "
        f"Li (m = {c.mass:g} amu), n0 = {c.n0:.3g} cm^-3",
        f"gap = {c.gap:.4f} eV; bands [{ex['lower_min']:.4f}, {ex['lower_max']:.4f}] and "
        f"[{ex['upper_min']:.4f}, {ex['upper_max']:.4f}] eV",
        f"m* at the conduction-band minimum (k = pi/a) = {cbm.mass:.4g} amu "
        f"(curvature {cbm.curvature:.4g} eV A^2; eq 21 implies {c.curvature_eq21():.4g})",
        f"E_a^BA from eq 16 = {c.Ea_BA:.4f} eV; tau = {c.relaxation_time():.4g} s; "
        f"D(T) = {c.diffusivity(T):.4g} cm^2/s",
        f"sigma at mu = E_c - 0.1 eV = {mu0:.3f} eV, T = {T:.1f} K: Boltzmann "
        f"{sig['boltzmann']:.4g}, Nernst-Einstein {sig['drude']:.4g}, eq 24 {sig['eq24']:.4g} S/cm",
        f"band width {c.bandwidth:.4f} eV = {c.bandwidth / units.kT(T):.2f} kT: eq 23's "
        "parabolic picture overestimates eq 30 here (eq 24 by a further 4x, its eq 21 mass)",
        f"kT = {units.kT(T):.4f} eV; files fig3cd_bands.png, fig3_bands.csv, "
        "fig3_sigma_vs_mu.png/.csv, fig3_sigma_vs_invT.png",
    ]


ITEMS: list[Item] = [
    Item("fig3", "Fig 3c,d: interstitial bands, sublattice weights; sigma(mu), sigma(1000/T)",
         make_fig3),
]
