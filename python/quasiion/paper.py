"""The paper's parameters, in one place (Hu, "A Novel Quasiparticle Method for Solid State Ion
Transport", 2023). Figures and tables reproduced by ``quasiion reproduce`` use these.

The paper does not give a lattice constant for sections 3.2 and 5.1; conductivities scale as
a^2 (through v^2) and tau as a, so :data:`A_DEFAULT` only sets the absolute scale.
"""

from __future__ import annotations

from .units import T_PAPER

#: Temperature of the paper's kT = 0.026 eV, K.
T: float = T_PAPER
#: Fig 3c: Delta U_0 = |J_0| = 0.1 eV (on-site energies -0.3 +- 0.1 eV are our choice; the
#: paper plots relative to Ubar_0).
FIG3_DELTA_U: float = 0.1
FIG3_J0: float = 0.1
#: Eq 45 static potential: mean depth Ubar_0 (eV) and the shapes alpha of Fig 4, 9, 10.
U_BAR0: float = -0.3
ALPHAS: tuple[float, ...] = (0.5, 0.6, 0.7)
#: Section 3.2: inter-site Coulomb strength K/a_1 (eV) and gamma = a_1/a_2.
K_OVER_A1: float = 1.5
GAMMA: float = 1.0
#: Lattice constant used where the paper gives none, Angstrom.
A_DEFAULT: float = 4.0
#: Appendix 5.2 percolation block parameters, eV.
PERC_U0A: float = 0.25
PERC_U0B: float = -0.25
PERC_P_AA: float = 0.05
PERC_P_BB: float = 0.05
#: Fig 6: rho_e/rho_i of panels a, b and the hopping ratio j of panels c, d.
FIG6_RHO_RATIOS: tuple[float, ...] = (1e5, 1e3)
FIG6_J: float = 5.0
#: Table 1 fit results (E_t, E_a0 in eV, beta0 in 1/eV, Arrhenius E~ in eV, b).
TABLE1: dict[str, dict[str, float]] = {
    "Li5La3Sb2O12": {"E_t": 0.16, "E_a0": 0.57, "beta0": 27.41, "E_tilde": 1.84, "b": -39.36},
    "Li5La3Nb2O12": {"E_t": 0.17, "E_a0": 0.52, "beta0": 28.40, "E_tilde": 1.57, "b": -33.73},
    "Li5.5La2.75K0.25Nb2O12": {"E_t": 0.18, "E_a0": 0.64, "beta0": 28.89, "E_tilde": 1.61,
                               "b": -32.90},
}
