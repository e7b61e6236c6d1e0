"""
The ion-electron Onsager matrix
===============================

Paper section 3.3: coupled electron and ion bands form ambipolarons; Onsager reciprocity
L_ei = L_ie fixes the ratio of the branch relaxation times tau+/tau- (eq 39), and the
cross coefficients alpha_i*, alpha_e* (eq 40-41) measure how strongly one species' gradient
drives the other. Inputs are dimensionless: j = ``|J0e|/|J0i|``, rho_e/rho_i and the electron
weight xi0 of the coupled state.
"""

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi

# %%
# The matrix at one point, in units of tau- a^2 rho_i ``|J0i|`` / hbar^2
M = qi.onsager_matrix(j=5.0, rho_ratio=1e3, xi0=0.5)
print("L =\n", np.array2string(M.L, precision=5))
print(f"tau+/tau- = {float(M.tau_ratio):.5f}, alpha_i* = {float(M.alpha_i):.4f}, "
      f"alpha_e* = {float(M.alpha_e):.3g}, positive semi-definite: {bool(M.psd)}")

# %%
# Vectorised over a grid: where is the matrix physical (positive semi-definite)?
j = np.logspace(-2, 3, 121)
xi0 = np.linspace(0.05, 1.0, 96)
J, X = np.meshgrid(j, xi0)
grid = qi.onsager_matrix(J, 1.0, X, warn=False)
fig, ax = plt.subplots(figsize=(5.5, 4))
ax.contourf(J, X, grid.psd.astype(float), levels=[-0.5, 0.5, 1.5], colors=["0.85", "tab:blue"])
ax.set_xscale("log")
ax.set_xlabel("j = |J0e| / |J0i|")
ax.set_ylabel("xi0")
ax.set_title("rho_e/rho_i = 1: blue where L is positive semi-definite")
fig.tight_layout()
print(f"not positive semi-definite at {int((~grid.psd).sum())} of {grid.psd.size} points")

# %%
# The model in physical units: an electron band (J0e, U0e), an ion band (J0i, U0i; its
# level is shifted up by Kbar = K0 + Ka, eq 32) and an in-cell coupling K0, all in eV, with
# S solved self-consistently at one chemical potential (eV). ``IonElectron.from_electron``
# builds the electron band from an effective mass and an electron affinity instead. The
# Onsager matrix then comes in 1/(eV cm s) for given carrier densities (cm^-3) and ionic
# relaxation time (s).
from quasiion.plotting import plot_ambipolaron_bands  # noqa: E402

K0 = 0.7
model = qi.IonElectron(J0i=-0.05, U0i=-0.3 - K0, J0e=-0.2, U0e=0.1, K0=K0, a=4.0,
                       mu_e=-0.3, mu_i=-0.3)
c = model.coupling
print(f"roots of the self-consistency: {np.round(c.roots, 4)} eV; chosen S = {c.S:.4f} eV "
      f"(lowest grand potential), xi0 = {c.xi0:.4f}, j = {model.j:.2f}")
res = model.onsager(rho_e=1e18, rho_i=1e21, tau_minus=1e-13)
print("L (1/(eV cm s)) =\n", np.array2string(res.L, precision=4))
print(f"tau+/tau- = {res.tau_ratio:.5f}, alpha_i* = {res.alpha_i:.4f}, "
      f"alpha_e* = {res.alpha_e:.3g}, positive semi-definite: {res.psd}")
ax = plot_ambipolaron_bands(model.bands())
