"""
Fig 1c: the eq 45 profile and its thermal densities
===================================================

Paper section 2 on the model profile of eq 45 (alpha = 0.6, U_bar = -0.3 eV, a = 4
Angstrom): wells, barriers and the thermal density of an ion hosted in each well, spilling
into its neighbours (eq 12-13), at the paper's kT = 0.026 eV. Then the tight-binding
parameters the paper's Table 2 should have listed, for alpha = 0.5, 0.6, 0.7.
"""

import numpy as np

import quasiion as qi
from quasiion.plotting import plot_profile, plot_tight_binding_vs_T

T = qi.units.T_PAPER  # K
pot = qi.Potential.eq45(alpha=0.6)
fig = plot_profile(pot, T)
fig.suptitle("eq 45, alpha = 0.6, kT = 0.026 eV")

for h, w in enumerate(pot.wells()):
    d = pot.thermal_density(T, host=h, points=4001)
    print(f"host well at x = {w.x:.2f} A (U = {w.U:.3f} eV): density integrates to "
          f"{np.trapezoid(d.rho, d.x):.4f}")

# %%
# Table 2 (missing from the paper): the static-potential parameters at kT = 0.026 eV
print("alpha   U_A     U_B     Ea_AB   Ea_BA   J0 (eV)")
for alpha in (0.5, 0.6, 0.7):
    tb = qi.Potential.eq45(alpha).tight_binding(T)
    print(f"{alpha:4.1f}  {tb.U_A:6.3f}  {tb.U_B:6.3f}  {tb.Ea_AB:6.3f}  {tb.Ea_BA:6.3f}  "
          f"{tb.J0:.4g}")

# %%
# J0 and the band gap versus temperature, by the narrow-well (eq 16) and overlap (eq 15)
# routes.
pots = [qi.Potential.eq45(a) for a in (0.5, 0.6, 0.7)]
fig = plot_tight_binding_vs_T(pots, np.linspace(150.0, 1200.0, 22),
                              labels=[f"alpha = {a}" for a in (0.5, 0.6, 0.7)])
