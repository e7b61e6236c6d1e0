"""
A doping sweep: the super-ionic transition
==========================================

Paper section 3.2: mobile-ion doping raises the chemical potential mu; the self-consistent
Coulomb scattering ``|S00|`` (eq 42) collapses at a first-order transition and the conductivity
jumps. Here for the eq 45 chains with alpha = 0.5, 0.6, 0.7 (K/a1 = 1.5 eV,
kT = 0.026 eV). Units: eV, K, S/cm.
"""

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi
from quasiion.plotting import plot_S00, plot_sigma

T = qi.units.T_PAPER  # 301.7 K, the paper's kT = 0.026 eV
mu = np.round(np.arange(-0.6, 0.3 + 1e-9, 0.01), 10)
chains = {f"{a:g}": qi.DopedChain.from_eq45(a) for a in (0.5, 0.6, 0.7)}
sweeps = {label: c.sweep(mu, T) for label, c in chains.items()}

for label, w in sweeps.items():
    tr = w.transition()
    print(f"alpha = {label}: |S00| collapses between mu = {float(tr['mu_below']):.3f} and "
          f"{float(tr['mu_above']):.3f} eV; sigma jumps {float(tr['sigma_jump_decades']):.1f} "
          f"decades; rules disagree at {int(w.rules_disagree.sum())} of {mu.size} mu")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
plot_S00(sweeps, ax1)
plot_sigma(sweeps, ax2)
fig.tight_layout()

# %%
# One point in detail: every root of eq 42, the one the paper's rule picks, and the
# carriers at that chemical potential.
sol = chains["0.7"].solve(mu=0.05, T=T)
print("roots of eq 42 (eV):", np.round(sol.roots, 4))
print(f"|S00| = {sol.S00:.4f} eV, E_t = {sol.E_t:.3f} eV, carriers: {sol.carrier}, "
      f"sigma = {sol.conductivity():.3g} S/cm")

# %%
# Doping given as ions per cell rather than mu:
fill = chains["0.7"].solve_filling(0.9, T)
print(f"n = 0.9 ions per cell: mu = {fill.mu:.4f} eV, |S00| = {fill.S00:.4f} eV")
