"""Fitting measured conductivity versus temperature (section 3.2, Table 1).

:func:`fit_conductivity` fits one model (the paper's quasi-ion form, its "Arrhenius with
b ln beta" form, plain Arrhenius or Vogel-Tammann-Fulcher) with standard errors,
correlations, RMSE of ln sigma, AIC/BIC and identifiability warnings; :func:`compare_fits`
fits them all into a Table-1-like :class:`FitTable`; :func:`read_conductivity_csv` reads
CSV files (or DataFrames) whose header names the units. Units: T in K, sigma in S/cm,
energies in eV, beta = 1/kT in 1/eV.
"""

from __future__ import annotations

from ._fitting._core import (
    MODEL_NAMES,
    FitResult,
    FitTable,
    FitWarning,
    compare_fits,
    fit_conductivity,
)
from ._fitting._data import ConductivityData, conductivity_materials, read_conductivity_csv
from ._fitting._many import MaterialFits, fit_materials
from ._fitting._models import arrhenius_as_quasi_ion

__all__: list[str] = [
    "fit_conductivity",
    "compare_fits",
    "read_conductivity_csv",
    "conductivity_materials",
    "ConductivityData",
    "FitResult",
    "FitTable",
    "FitWarning",
    "MODEL_NAMES",
    "arrhenius_as_quasi_ion",
    "fit_materials",
    "MaterialFits",
]
