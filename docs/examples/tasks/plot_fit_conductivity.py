"""
Fitting measured sigma(T)
=========================

Paper section 3.2 and Table 1: fit the quasi-ion form of eq 24, Arrhenius, Arrhenius with a
b ln(beta) term and Vogel-Tammann-Fulcher to a conductivity-temperature dataset, with
standard errors and information criteria. The data here are synthetic (generated below, so
the true parameters are known); your own come from arrays (T in K, sigma in S/cm) or from
``qi.read_conductivity_csv(path)``, a CSV whose header gives the units.
"""

import os
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import quasiion as qi
from quasiion.plotting import plot_conductivity_fits

# %%
# A synthetic measurement
# -----------------------
# The quasi-ion form, ln sigma = -E_t beta - ln(exp(E_a0 (beta - beta0)) + 2) + ln sigma0
# (beta = 1/kT in 1/eV), with 2 % multiplicative noise, 15 temperatures from 250 to 650 K.
rng = np.random.default_rng(7)
truth = {"E_t": 0.25, "E_a0": 0.20, "beta0": 30.0, "ln_sigma0": np.log(50.0)}
T = np.linspace(250.0, 650.0, 15)
beta = qi.units.beta(T)
ln_sigma = (-truth["E_t"] * beta - np.log(np.exp(truth["E_a0"] * (beta - truth["beta0"])) + 2.0)
            + truth["ln_sigma0"])
sigma = np.exp(ln_sigma) * (1.0 + 0.02 * rng.standard_normal(T.size))

# %%
# One model, with uncertainties
# -----------------------------
fit = qi.fit_conductivity(T, sigma, model="quasi-ion")
print(fit.summary())
for name, value in truth.items():
    print(f"{name:10s} true {value:8.4f}  fitted {fit.params[name]:8.4f} +- {fit.stderr[name]:.4f}")

# %%
# All models side by side
# -----------------------
# Lower AICc/BIC is better; the curvature of ln sigma against beta is what separates the
# quasi-ion form from Arrhenius.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", qi.FitWarning)  # the table keeps them per model
    table = qi.compare_fits(T, sigma)
print(table)
print("best by AICc:", table.best("aicc"))
fig = plot_conductivity_fits(table, log10=True, title="synthetic quasi-ion data")

# %%
# Measured garnets (when the data are at hand)
# --------------------------------------------
# The Liverpool Ionics Dataset subset used in the project's tests is not shipped with
# quasiion (its licence requires citation: C. J. Hargreaves et al., npj Comput. Mater.
# (2023), doi 10.1038/s41524-022-00951-z). Set QUASIION_DATA_DIR to the folder holding
# ``liverpool_subset.csv`` to fit Li5La3Nb2O12 from it; otherwise this step is skipped.


def find_dataset():
    folders = [Path(os.environ["QUASIION_DATA_DIR"])] if "QUASIION_DATA_DIR" in os.environ else []
    folders += [p / "shared" / "data" / "conductivity" for p in Path.cwd().resolve().parents]
    return next((f / "liverpool_subset.csv" for f in folders
                 if (f / "liverpool_subset.csv").is_file()), None)


path = find_dataset()
if path is None:
    print("liverpool_subset.csv not found: skipped")
else:
    data = qi.read_conductivity_csv(path, material="Li5La3Nb2O12")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qi.FitWarning)
        garnet = qi.compare_fits(data, models=["quasi-ion", "arrhenius-b", "arrhenius"])
    print(garnet)
    plot_conductivity_fits(garnet, log10=True, title="Li5La3Nb2O12 (Liverpool Ionics Dataset)")
plt.show()
