"""Migration profile -> densities -> tight-binding parameters (paper section 2, eq 12-16, 45)."""

from __future__ import annotations

import numpy as np
import pytest

import quasiion
from quasiion import Potential, units

# PHYSICS.md: the eq 45 table at kT = 0.026 eV (U_B, barrier U_max, E_a^BA, J_0), eV.
# Compared to the digits shown there (3 significant digits, or 3 decimals for E_a^BA).
TABLE2 = {
    0.5: ("-0.300", "-0.131", "0.169", "-0.0234"),
    0.6: ("-0.240", "-0.146", "0.094", "-0.0963"),
    0.7: ("-0.180", "-0.149", "0.031", "-0.260"),
}


def matches(value: float, shown: str) -> bool:
    decimals = len(shown.split(".")[1])
    return f"{value:.{decimals}f}" == shown


@pytest.mark.parametrize("alpha", sorted(TABLE2))
def test_eq45_table_to_three_significant_digits(alpha):
    tb = Potential.eq45(alpha).tight_binding(units.T_PAPER)
    U_B, U_max, Ea_BA, J0 = TABLE2[alpha]
    assert tb.U_A == pytest.approx(-0.6, abs=1e-12)
    assert matches(tb.U_B, U_B), tb.U_B
    assert matches(tb.U_max, U_max), tb.U_max
    assert matches(tb.Ea_BA, Ea_BA), tb.Ea_BA
    assert matches(tb.J0, J0), tb.J0
    assert tb.a == pytest.approx(quasiion.paper.A_DEFAULT)


@pytest.mark.parametrize("alpha", sorted(TABLE2))
def test_eq45_against_its_closed_form(alpha):
    # Independent route: the barrier of eq 45 in closed form (y = sin^2(pi x/a), dU/dy = 0)
    # and eq 16 (full form) evaluated by hand.
    kT = 0.026
    r = alpha / (4 * (1 - alpha))
    y = (1 - r) / 2
    U_max = -0.6 * (alpha * y + (1 - alpha) * r * r)
    U_A, U_B = -0.6, -0.6 * (1 - alpha)
    eab, eba = U_max - U_A, U_max - U_B
    J0 = (U_B * np.exp(-eab / 2 / kT) + U_A * np.exp(-eba / 2 / kT)) / np.sqrt(
        (1 + 2 * np.exp(-eab / kT)) * (1 + 2 * np.exp(-eba / kT)))
    tb = Potential.eq45(alpha).tight_binding(units.T_PAPER)
    assert tb.U_max == pytest.approx(U_max, abs=1e-6)
    assert tb.Ea_AB == pytest.approx(eab, abs=1e-6)
    assert tb.J0 == pytest.approx(J0, rel=1e-5)
