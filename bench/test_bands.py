"""Bands plus Boltzmann conductivity (eq 30) of the interstitial chain on 10^6 k-points for
100 chemical potentials at one temperature: quasiion versus the same computation in
vectorised numpy (closed-form bands and slopes, -f' over a (100, 2 * 10^6) array in chunks).

Run: ``python -m pytest bench/test_bands.py --benchmark-only -s``.
"""

from __future__ import annotations

import os

import numpy as np

from quasiion import InterstitialChain, units

QUICK = os.environ.get("QUASIION_BENCH_QUICK", "0").strip() not in ("", "0")
NK = 10**4 if QUICK else 10**6
T = units.T_PAPER
TAU, N0 = 1e-13, 1e22


def _chain() -> InterstitialChain:
    return InterstitialChain(-0.4, -0.2, -0.1, 4.0)


MU = np.linspace(-0.5, 0.0, 10 if QUICK else 100)


def quasiion_way(chain: InterstitialChain) -> np.ndarray:
    return chain.conductivity(MU, T, nk=NK, tau=TAU)


def numpy_way(chain: InterstitialChain, chunk: int = 10) -> np.ndarray:
    a = chain.a
    k = (-np.pi + 2 * np.pi * (np.arange(NK) + 0.5) / NK) / a
    S = np.hypot(chain.delta, abs(chain.J0) * np.cos(0.5 * k * a))
    E = np.concatenate([chain.mean - S, chain.mean + S])
    slope = chain.J0**2 * a * np.sin(k * a) / (4 * S)  # eV A, same magnitude for both bands
    v2 = np.concatenate([slope, slope]) ** 2 * (units.angstrom / units.hbar) ** 2  # (m/s)^2
    kT = units.kT(T)
    out = np.empty(MU.size)
    for i in range(0, MU.size, chunk):
        x = np.abs(E[None, :] - MU[i:i + chunk, None]) / kT
        ex = np.exp(-x)
        out[i:i + chunk] = (v2 * ex / (1 + ex) ** 2).sum(axis=1) / (kT * NK)
    return units.e * (N0 * 1e6) * TAU * out * 1e-2  # S/cm


def test_bands_boltzmann_1e6_k_100_mu(compare):
    chain = _chain()
    a, b = quasiion_way(chain), numpy_way(chain)
    np.testing.assert_allclose(a, b, rtol=1e-8)  # same computation (hbar differs at 6e-10)
    ratio = compare(lambda: quasiion_way(chain), lambda: numpy_way(chain), rounds=2,
                    label=f"bands + eq 30, {NK:.0e} k x {MU.size} mu")
    assert ratio > 0
