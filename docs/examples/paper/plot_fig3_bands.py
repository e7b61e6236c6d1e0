"""
Fig 3: interstitial bands, sublattice weights and conductivity
==============================================================

Paper section 3.1 at the Fig 3 parameters: sites at U_bar -+ 0.1 eV (U_bar = -0.3 eV),
J0 = -0.1 eV, a = 4 Angstrom, Li ions, E_a^BA from eq 16 at kT = 0.026 eV. The two bands of
eq 18, the weight of each band on the A and B sites (eq 19), and the conductivity of eq 30
against mu and against 1000/T, with the paper's approximations (Nernst-Einstein, eq 24).
"""

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi
from quasiion.plotting import (
    plot_bands,
    plot_conductivity_vs_inverse_T,
    plot_conductivity_vs_mu,
    plot_sublattice_weights,
)

T = qi.units.T_PAPER
U_A, U_B, J0 = -0.4, -0.2, -0.1  # eV
chain = qi.InterstitialChain(U_A, U_B, J0, 4.0, Ea_BA=qi.activation_energy_eq16(U_A, J0, T))
print(chain)
print(f"gap {chain.gap:.4f} eV, band width {chain.bandwidth:.4f} eV, "
      f"m* at the conduction-band minimum {chain.effective_mass():.4g} amu, "
      f"tau = {chain.relaxation_time():.3g} s, D = {chain.diffusivity(T):.3g} cm^2/s")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
plot_bands(chain, ax1)
plot_sublattice_weights(chain, ax2)
fig.tight_layout()

# %%
# Conductivity against the chemical potential and against temperature
ex = chain.band_extrema
mu = np.linspace(ex["lower_max"] - 0.05, ex["upper_max"] + 0.15, 121)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
plot_conductivity_vs_mu(chain, mu, T, ax1)
plot_conductivity_vs_inverse_T(chain, chain.conduction_band_minimum - 0.1,
                               np.linspace(200.0, 800.0, 31), ax2)
fig.tight_layout()
