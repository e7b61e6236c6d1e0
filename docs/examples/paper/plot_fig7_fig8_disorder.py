"""
Fig 7 and Fig 8: random distortion and multi-site percolation
=============================================================

Paper section 3.4 and appendix 5.2. Fig 7: a 20-site supercell of the eq 45 chain
(alpha = 0.6) with 0, 10 and 30 % random distortion of its wells and barriers (a-c) and the
supercell bands along k (d-f). Fig 8: the states of 3-, 31- and 61-site percolation clusters
(U_0A = +0.25 eV, U_0B = -0.25 eV, P_AA = P_BB = 0.05 eV, E_s/kT = 1; occupied states
marked) and the carrier formation energy E_t (eV) against the cluster size, carried on to
n = 10^4 where the paper stops at 61.
"""

import matplotlib.pyplot as plt

import quasiion as qi
from quasiion.plotting import plot_fig7, plot_fig8, plot_gap_histogram

fig7 = plot_fig7(alpha=0.6, n_sites=20, levels=(0.0, 0.1, 0.3), seed=0)
fig8 = plot_fig8()

# %%
# One realisation says little: E_t over 2000 realisations of the 10 % distorted supercell,
# each from its own random stream (the same numbers whatever the thread count or executor).
sc = qi.DistortedSupercell.eq45(0.6, n_sites=20, d=0.1, seed=1)
ens = sc.ensemble(2000)
print(f"E_t: perfect {qi.DistortedSupercell.eq45(0.6, 20, 0.0).carrier_formation_energy().gap:.4f}"
      f" eV; distorted mean {ens.mean:.4f} eV, spread {ens.std:.4f} eV")
fig, ax = plt.subplots(figsize=(5, 3.5))
plot_gap_histogram(ens, ax=ax)
fig.tight_layout()
