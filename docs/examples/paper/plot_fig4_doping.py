"""
Fig 4 and Fig 9: the super-ionic transition
===========================================

Paper section 3.2 for the eq 45 chains (alpha = 0.5, 0.6, 0.7; K/a1 = 1.5 eV;
kT = 0.026 eV; the paper's fixed phase and smallest-root rule): ``|S00|``, the conduction band
before and after the transition and the conductivity against mu (Fig 4 b-d), then the
self-consistent band edges, the B-site weight of the conduction-band minimum and the
carrier formation energy E_t (Fig 9). Step in mu: 10 meV (``quasiion reproduce`` uses 5).
"""

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi
from quasiion.plotting import plot_band_edges, plot_cbm_weights, plot_doping_overview, plot_E_t

T = qi.units.T_PAPER
mu = np.round(np.arange(-0.8, 0.4 + 1e-9, 0.01), 10)
chains = {f"{a:g}": qi.DopedChain.from_eq45(a) for a in (0.5, 0.6, 0.7)}
sweeps = {label: c.sweep(mu, T) for label, c in chains.items()}
fig = plot_doping_overview(chains, sweeps)
for label, w in sweeps.items():
    tr = w.transition()
    print(f"alpha = {label}: E_t {w.E_t[w.mu == tr['mu_below']][0]:.3f} -> "
          f"{w.E_t[w.mu == tr['mu_above']][0]:.3f} eV, sigma max {np.nanmax(w.sigma):.3g} S/cm")

# %%
# Fig 9
fig = plt.figure(figsize=(12, 6))
axes = fig.subplots(2, 3)
for ax, (label, w) in zip(axes[0], sweeps.items()):
    plot_band_edges(w, ax, label=f"alpha = {label}")
plot_cbm_weights(sweeps, axes[1, 0])
plot_E_t(sweeps, axes[1, 1])
axes[1, 2].set_axis_off()
fig.tight_layout()
