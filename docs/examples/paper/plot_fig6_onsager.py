"""
Fig 6: relaxation-time ratio and cross coefficients
===================================================

Paper section 3.3: tau+/tau- from Onsager reciprocity (eq 39) against the hopping ratio
j = ``|J0e|/|J0i|`` for rho_e/rho_i = 1e5 and 1e3 (a, b), and alpha_i*, alpha_e* (eq 40-41)
against rho_e/rho_i at j = 5 (c, d). The paper does not give the xi0 of its curves; these
are 0.1, 0.5, 0.9 and 0.3, 0.5, 0.7.
"""

import numpy as np

import quasiion as qi
from quasiion.plotting import plot_fig6

fig = plot_fig6((1e5, 1e3), 5.0, (0.1, 0.5, 0.9), (0.3, 0.5, 0.7))

# %%
# The limits the curves show: slope (1 - xi0)/(1 + xi0) for 1 << j << rho_e/rho_i and
# saturation at 1 + (rho_e/rho_i)(1 - xi0)/(1 + xi0) for j >> rho_e/rho_i.
r, xi0 = 1e3, 0.5
eps = (1 - xi0) / (1 + xi0)
j = np.array([1e6, 1e9])
print("tau+/tau- at large j:", qi.tau_ratio(j, r, xi0), "limit", 1 + r * eps)
