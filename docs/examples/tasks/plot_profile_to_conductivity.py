"""
From a migration-energy profile to sigma(T)
===========================================

The path a user takes with their own data: a migration-energy profile (here nine samples
of a nudged-elastic-band path, or a CSV file with units in its header) becomes tight-binding
parameters at each temperature (paper section 2), then an interstitial chain whose
Boltzmann conductivity (section 3.1, eq 30) is evaluated at a chosen carrier formation
energy. Units: Angstrom, eV, K, S/cm.
"""

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi
from quasiion.plotting import plot_profile

# %%
# The profile
# -----------
# One period a = 4 Angstrom: the regular site A (deep well) at 2 Angstrom, the interstitial
# site B at 0 and 4 Angstrom. With a file: ``qi.Potential.from_csv("profile.csv",
# periodic=True)`` and a header such as ``x [Angstrom], U [eV]``.
x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])
U = np.array([-0.24, -0.20, -0.16, -0.40, -0.60, -0.40, -0.16, -0.20, -0.24])
pot = qi.Potential.from_samples(x, U, periodic=True)
print(pot)
for w in pot.wells():
    print(f"well at x = {w.x:.2f} A: U = {w.U:.3f} eV, bound up to {w.E_top:.3f} eV")

fig = plot_profile(pot, T=300.0)

# %%
# Tight-binding parameters versus temperature
# -------------------------------------------
# The on-site energies are the well minima; the hopping J0 grows with T as the thermal
# densities spread over the barriers (eq 16, full form).
T = np.linspace(250.0, 700.0, 19)
sweep = pot.tight_binding(T=T)
print(f"J0 from {sweep.J0[0]:.4f} eV at {T[0]:.0f} K to {sweep.J0[-1]:.4f} eV at {T[-1]:.0f} K")

# %%
# sigma(T)
# --------
# The chemical potential is set by the ion content; here it sits a fixed carrier formation
# energy E_t below the conduction band at every T (between the bands: the gap is
# U_B - U_A = 0.36 eV). eq 30 is summed over the Brillouin zone for each (mu, T).
sigma = {}
for E_t in (0.05, 0.10, 0.15):
    values = []
    for params, t in zip(sweep, T):
        chain = params.chain()
        values.append(chain.conductivity(mu=chain.conduction_band_minimum - E_t, T=t))
    sigma[E_t] = np.array(values)

fig, ax = plt.subplots(figsize=(5.5, 4))
for E_t, s in sigma.items():
    ax.semilogy(1000.0 / T, s, "o-", ms=3, label=f"E_t = {E_t} eV")
ax.set_xlabel("1000 / T (1/K)")
ax.set_ylabel("sigma (S/cm)")
ax.legend()
fig.tight_layout()

# %%
# The apparent activation energy of each curve, from the slope of ln(sigma) against
# beta = 1/kT: E_t sets it, and the growth of J0 with T (a wider, faster band) adds to it.
beta = qi.units.beta(T)
for E_t, s in sigma.items():
    slope = np.polyfit(beta, np.log(s), 1)[0]
    print(f"E_t = {E_t} eV: apparent activation energy {-slope:.3f} eV")
