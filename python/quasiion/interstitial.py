"""The two-site interstitial chain of paper section 3.1 (eq 17-24 and eq 30).

Regular sites A (on-site ``U_A``) and interstitial sites B (``U_B``) alternate with lattice
constant ``a``; each of the two A-B bonds of a cell carries the hopping ``J0/2`` as eq 17
writes it, so the bands are eq 18,
``E_k,+- = Ubar0 +- sqrt(dU0^2 + |J0|^2 cos^2(ka/2))`` with ``Ubar0 = (U_A + U_B)/2`` and
``dU0 = (U_A - U_B)/2``. Band 0 is the lower ("valence", "-") band, band 1 the upper
("conduction", "+") band. Any signs of ``U_A - U_B`` and ``J0`` are accepted.

Where the paper's closed forms slip (eq 21 uses four times the curvature at the wrong point,
eq 22 has a stray sqrt(2)), the numerical route is the default and the printed forms are kept
as ``method="eq21"`` etc.; see docs/paper-notes.md.

Units: eV, K, Angstrom, 1/Angstrom, amu, s, cm^2/s, S/cm, cm^-3.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from . import units
from ._core import bands as _bands
from .executors import ExecutorLike, map_grid, worker_threads
from .lattice import Hopping, TightBinding, _broadcast_pairs, _shaped
from .results import ResultMixin

__all__ = ["InterstitialChain", "BandEdge", "ChainBands", "activation_energy_eq16"]


@dataclass(frozen=True)
class BandEdge(ResultMixin):
    """A band edge of the chain, located and measured numerically.

    Attributes
    ----------
    band : int
        0 (lower band) or 1 (upper band).
    kind : str
        ``"minimum"`` or ``"maximum"``.
    k : float
        Location in [0, pi/a], 1/Angstrom (bands are even in k).
    energy : float
        eV.
    curvature : float
        d^2E/dk^2 at the edge, eV*Angstrom^2 (signed).
    mass : float
        Effective mass hbar^2/|curvature|, amu (inf for a flat band).
    """

    band: int
    kind: str
    k: float
    energy: float
    curvature: float
    mass: float


@dataclass(frozen=True)
class ChainBands(ResultMixin):
    """Bands and site-A weights on a k path (``save_csv`` writes one row per k).

    ``k`` in 1/Angstrom; ``E_lower``, ``E_upper`` in eV; ``wA_lower``, ``wA_upper`` the weight
    of site A in each band's eigenstate (the B weight is one minus it).
    """

    k: np.ndarray
    E_lower: np.ndarray
    E_upper: np.ndarray
    wA_lower: np.ndarray
    wA_upper: np.ndarray


def activation_energy_eq16(U_A: float, J0: float, T: float) -> float:
    """E_a^BA (eV) that makes the right-hand approximation of eq 16 give ``|J0|``.

    Solves ``|J0| = |U_A| x / sqrt(1 + 2 x^2)`` with ``x = exp(-E_a/2kT)``, i.e.
    ``x^2 = J0^2 / (U_A^2 - 2 J0^2)``.

    Parameters
    ----------
    U_A : float
        Regular-site energy, eV.
    J0 : float
        Hopping, eV; needs ``0 < |J0| < |U_A| / sqrt(3)`` so that E_a > 0.
    T : float
        Temperature, K.
    """
    U_A = V.finite("U_A", U_A)
    J0 = V.finite("J0", J0)
    T = float(V.temperature(T))
    if not 0 < 3 * J0 * J0 < U_A * U_A:
        V.fail("J0", J0, f"0 < |J0| < |U_A|/sqrt(3) = {abs(U_A) / math.sqrt(3):.6g} eV")
    x2 = J0 * J0 / (U_A * U_A - 2 * J0 * J0)
    return float(-units.kT(T) * math.log(x2))


_METHODS = ("boltzmann", "drude", "eq24")
_D_METHODS = ("drude", "closed_form", "eq21", "eq22")


class InterstitialChain:
    """The interstitial chain of section 3.1.

    Parameters
    ----------
    U_A, U_B : float
        On-site energies of the regular (A) and interstitial (B) site, eV.
    J0 : float
        Hopping of eq 16-17 (J0/2 per A-B bond), eV; bands depend on |J0|.
    a : float
        Lattice constant (cell length), Angstrom, > 0.
    Ea_BA : float, optional
        Local activation energy E_a^BA (barrier seen from B), eV, > 0. Needed for the
        relaxation time and for eq 22 and eq 24.
    mass : float
        Mass of the mobile ion, amu (default Li).
    n0 : float
        Density of unit cells (one A and one B site each), cm^-3; the carrier densities of
        eq 23 and the zone average of eq 30 refer to it.
    z : float
        Charge number of the mobile ion.
    """

    def __init__(self, U_A: float, U_B: float, J0: float, a: float, *, Ea_BA: float | None = None,
                 mass: float = units.ION_MASS["Li"], n0: float = 1e22, z: float = 1.0) -> None:
        self.U_A = V.finite("U_A", U_A)
        self.U_B = V.finite("U_B", U_B)
        self.J0 = V.finite("J0", J0)
        self.a = V.positive("a", a)
        self.Ea_BA = None if Ea_BA is None else V.positive("Ea_BA", Ea_BA)
        self.mass = V.positive("mass", mass)
        self.n0 = V.positive("n0", n0)
        self.z = V.finite("z", z)
        if self.z == 0:
            V.fail("z", z, "non-zero")
        self._c = _bands.Chain(self.U_A, self.U_B, self.J0, self.a)

    def __repr__(self) -> str:
        return (f"InterstitialChain(U_A={self.U_A!r}, U_B={self.U_B!r}, J0={self.J0!r}, "
                f"a={self.a!r}, Ea_BA={self.Ea_BA!r}, mass={self.mass!r}, n0={self.n0!r}, "
                f"z={self.z!r})")

    # Pickling (process pools, dask): the parameters, the C++ chain rebuilt from them.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_c", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._c = _bands.Chain(self.U_A, self.U_B, self.J0, self.a)

    # --- derived numbers ---------------------------------------------------------------
    @property
    def mean(self) -> float:
        """Ubar0 = (U_A + U_B)/2, eV."""
        return 0.5 * (self.U_A + self.U_B)

    @property
    def delta(self) -> float:
        """dU0 = (U_A - U_B)/2, eV (negative when U_A < U_B)."""
        return 0.5 * (self.U_A - self.U_B)

    @property
    def gap(self) -> float:
        """Band gap |U_A - U_B| (eq 18 at k = pi/a), eV."""
        return abs(self.U_A - self.U_B)

    @property
    def band_extrema(self) -> dict[str, float]:
        """Closed-form band edges from eq 18, eV: ``lower_min`` (k=0), ``lower_max`` (k=pi/a),
        ``upper_min`` (the conduction-band minimum, k=pi/a), ``upper_max`` (k=0)."""
        s0 = math.hypot(self.delta, self.J0)
        d = abs(self.delta)
        return {"lower_min": self.mean - s0, "lower_max": self.mean - d,
                "upper_min": self.mean + d, "upper_max": self.mean + s0}

    @property
    def conduction_band_minimum(self) -> float:
        """E_c = Ubar0 + |dU0| = max(U_A, U_B), eV."""
        return self.band_extrema["upper_min"]

    @property
    def conduction_band_maximum(self) -> float:
        """Top of the upper band, Ubar0 + sqrt(dU0^2 + J0^2), eV (the paper's E_v of eq 23)."""
        return self.band_extrema["upper_max"]

    @property
    def bandwidth(self) -> float:
        """Width of each band, sqrt(dU0^2 + J0^2) - |dU0|, eV."""
        return math.hypot(self.delta, self.J0) - abs(self.delta)

    # --- bands -------------------------------------------------------------------------
    def _kk(self, k: npt.ArrayLike) -> np.ndarray:
        return np.ascontiguousarray(V.finite_array("k", k, ndim=1))

    def bands(self, k: npt.ArrayLike) -> np.ndarray:
        """Eq 18 bands.

        Parameters
        ----------
        k : array_like, shape (nk,)
            Wavevectors, 1/Angstrom (non-empty, finite).

        Returns
        -------
        ndarray, shape (nk, 2)
            eV; column 0 the lower band, column 1 the upper band (ascending per k).
        """
        return np.asarray(_bands.bands(self._c, self._kk(k)))

    def slopes(self, k: npt.ArrayLike) -> np.ndarray:
        """dE/dk of eq 18, shape (nk, 2), eV*Angstrom (closed form; divide by hbar for v)."""
        return np.asarray(_bands.slopes(self._c, self._kk(k)))

    def sublattice_weights(self, k: npt.ArrayLike) -> np.ndarray:
        """Site weights of the eigenstates (eq 19, general sign of dU0).

        Returns
        -------
        ndarray, shape (nk, 2, 2)
            ``w[q, n, s]``: weight of site ``s`` (0 = A, 1 = B) in band ``n`` (0 lower,
            1 upper) at ``k[q]``; ``w.sum(axis=2) == 1``. For U_A < U_B,
            ``w[:, 1, 0]`` and ``w[:, 0, 0]`` are eq 19's rho_ka,+ and rho_ka,-.
        """
        wa = np.asarray(_bands.site_A_weights(self._c, self._kk(k)))
        return np.stack([wa, 1.0 - wa], axis=2)

    def band_structure(self, nk: int = 201) -> ChainBands:
        """Bands and site-A weights on ``nk`` points over [-pi/a, pi/a] (ends included)."""
        nk = V.integer("nk", nk, 2, 10**7)  # 10^7 points: ~0.5 GB, seconds
        k = np.linspace(-np.pi / self.a, np.pi / self.a, nk)
        e = self.bands(k)
        w = self.sublattice_weights(k)
        return ChainBands(k, e[:, 0], e[:, 1], w[:, 0, 0], w[:, 1, 0])

    def lattice(self) -> TightBinding:
        """Eq 17 as a general :class:`~quasiion.TightBinding` (A at x = a/2, B at x = 0; two
        bonds A->B at R = 0 and R = +1, J0/2 each)."""
        core = _bands.to_lattice(self._c)
        hops: list[Hopping] = [(0, 1, (0,), complex(self.J0 / 2)),
                               (0, 1, (1,), complex(self.J0 / 2))]
        return TightBinding._from_core(core, hops)

    # --- edges and masses --------------------------------------------------------------
    def _band(self, band: int | None, allow_none: bool = True) -> int:
        if band is None and allow_none:
            return -1
        if band not in (0, 1):
            V.fail("band", band, "0 (lower), 1 (upper)" + (" or None" if allow_none else ""))
        return int(band)  # type: ignore[arg-type]

    def band_edge(self, mu: float | None = None, band: int | None = None) -> BandEdge:
        """The band edge nearest ``mu``, measured numerically.

        The band of eq 17 (diagonalised as a general lattice) is sampled, the extremum
        located where the Hellmann-Feynman velocity vanishes, and the curvature taken by
        Richardson-extrapolated central differences of the velocity.

        Parameters
        ----------
        mu : float, optional
            Chemical potential, eV. Default: the conduction-band minimum (the edge the paper's
            quasi-ion carriers sit at for mu in the gap).
        band : {None, 0, 1}
            Restrict to one band (None: both).

        Raises
        ------
        ValueError
            If the edge is not parabolic (dU0 = 0 closes the gap with a linear crossing).
        """
        b = self._band(band)
        if mu is None:
            e = _bands.band_edge(self._c, 1 if b == -1 else b, True)
        else:
            e = _bands.nearest_edge(self._c, V.finite("mu", mu), b)
        return BandEdge(int(e.band), "minimum" if e.minimum else "maximum", float(e.k),
                        float(e.energy), float(e.curvature), float(e.mass))

    def effective_mass(self, mu: float | None = None, band: int | None = None) -> float:
        """Effective mass hbar^2/|d^2E/dk^2| at the band edge nearest ``mu``, amu.

        Numerical (see :meth:`band_edge`); ``mu=None`` means the conduction-band minimum. At
        the conduction-band minimum it equals ``hbar^2 4|dU0| / (J0^2 a^2)``, a quarter of the
        inverse mass eq 21 implies (see :meth:`curvature_closed_form`).
        """
        return self.band_edge(mu, band).mass

    def curvature_closed_form(self, band: int = 1, kind: str = "minimum") -> float:
        """Corrected closed-form edge curvature from eq 18, eV*Angstrom^2.

        ``+-J0^2 a^2 / (4|dU0|)`` at k = pi/a (upper-band minimum +, lower-band maximum -) and
        ``-+J0^2 a^2 / (4 sqrt(dU0^2 + J0^2))`` at k = 0 (upper maximum -, lower minimum +).
        """
        b = self._band(band, allow_none=False)
        V.choice("kind", kind, ("minimum", "maximum"))
        return float(_bands.curvature_closed_form(self._c, b, kind == "minimum"))

    def curvature_eq21(self) -> float:
        """The paper's eq 21 curvature ``J0^2 a^2 / sqrt(dU0^2 + J0^2)``, eV*Angstrom^2: four
        times |curvature| at k = 0, not the curvature at the conduction-band minimum."""
        return float(_bands.curvature_eq21(self._c))

    # --- relaxation, diffusion ---------------------------------------------------------
    def relaxation_time(self) -> float:
        """tau = sqrt(m a^2 / (2 E_a^BA)) in s (m = ion mass).

        Raises
        ------
        ValueError
            If ``Ea_BA`` was not given.
        """
        Ea = self._need_ea("to compute the relaxation time tau = sqrt(m a^2 / 2 E_a^BA); or "
                           "pass tau= explicitly")
        return float(_bands.relaxation_time(self.mass, self.a, Ea))

    def _need_ea(self, why: str) -> float:
        if self.Ea_BA is None:
            raise ValueError(f"Ea_BA = None: must be given (eV > 0) {why}")
        return self.Ea_BA

    def _tau(self, tau: float | None) -> float:
        return self.relaxation_time() if tau is None else V.relaxation_time(tau)

    def diffusivity(self, T: npt.ArrayLike, mu: float | None = None, *, method: str = "drude",
                    tau: float | None = None) -> np.ndarray | float:
        """Quasi-ion diffusivity D = kT tau / m* (eq 20), cm^2/s.

        Parameters
        ----------
        T : array_like
            Temperature(s), K.
        mu : float, optional
            Chemical potential (eV) selecting the band edge (default: conduction-band minimum).
        method : {"drude", "closed_form", "eq21", "eq22"}
            ``"drude"``: numerical m* at the edge nearest mu. ``"closed_form"``: the corrected
            curvature of that edge from eq 18. ``"eq21"``, ``"eq22"``: the paper's printed
            formulas (eq 21 uses 4x the k=0 curvature; eq 22 its right-hand form with the
            sqrt(2) and |J0|^2 from eq 16, needs Ea_BA).
        tau : float, optional
            Relaxation time, s (default :meth:`relaxation_time`).

        Returns
        -------
        ndarray or float
            cm^2/s, shape of ``T``.
        """
        V.choice("method", method, _D_METHODS)
        Ts = V.temperature(T)
        t = self._tau(tau)
        if method == "drude":
            m = self.effective_mass(mu)
            out = np.array([_bands.drude_diffusivity(x, t, m) for x in Ts.ravel()])
        elif method == "closed_form":
            e = self.band_edge(mu)
            c = self.curvature_closed_form(e.band, e.kind)
            out = np.array([_bands.diffusivity_from_curvature(x, t, c) for x in Ts.ravel()])
        elif method == "eq21":
            c = self.curvature_eq21()
            out = np.array([_bands.diffusivity_from_curvature(x, t, c) for x in Ts.ravel()])
        else:
            Ea = self._need_ea("for eq 22")
            out = np.array([_bands.diffusivity_eq22(self._c, x, t, Ea)
                            for x in Ts.ravel()])
        return _shaped(out, Ts.shape)

    # --- conductivity ------------------------------------------------------------------
    def default_nk(self, T: npt.ArrayLike) -> int:
        """k points used by eq 30 when ``nk`` is not given: ~32 per kT of band width at the
        lowest T (at least 2048, at most 2^20)."""
        return int(_bands.default_nk(self._c, float(np.min(V.temperature(T)))))

    def boltzmann(self, *, nk: int, band: int | None = None, tau: float | None = None,
                  threads: int = 0) -> _bands.ChainBoltzmann:
        """The eq 30 evaluator: bands sampled on ``nk`` midpoint k-points and sorted once;
        call it as ``ev(mu, T)`` with equal-length float arrays for sigma in S/cm. Use it to
        evaluate many (mu, T) without resampling."""
        # 2^26 points: ~1 GB of sorted states, about a minute to build
        nk = V.integer("nk", nk, 1, 1 << 26)
        b = self._band(band)
        sel = [] if b == -1 else [b]
        return _bands.ChainBoltzmann(self._c, int(nk), sel, self._tau(tau), self.n0, self.z,
                                     V.threads(threads))

    def conductivity(self, mu: npt.ArrayLike, T: npt.ArrayLike, method: str = "boltzmann", *,
                     band: int | None = None, nk: int | None = None, delta: float = 1.0,
                     tau: float | None = None, threads: int = 0,
                     executor: ExecutorLike = None, chunk: int | None = None,
                     progress: bool | None = None) -> np.ndarray | float:
        """Ionic conductivity, S/cm.

        Parameters
        ----------
        mu : array_like
            Chemical potential(s), eV.
        T : array_like
            Temperature(s), K (> 0). ``mu`` and ``T`` broadcast like numpy arrays.
        method : {"boltzmann", "drude", "eq24"}
            ``"boltzmann"``: eq 30, ``(ze)^2 n0 tau <v^2 (-df/dE)>`` over the zone, summed over
            ``band`` (default both bands). ``"drude"``: eq 23 Nernst-Einstein,
            ``(ze)^2 tau n_c / m*`` with numerical m* and the paper's three carrier cases in
            ``band`` (default 1, the conduction band): mu below the band,
            ``n_c = n0 exp(-(E_c - mu)/kT)``; above it, ``n0 exp(-(mu - E_v)/kT)``; inside,
            ``n0 g(mu) delta kT``. ``"eq24"``: the paper's semiconducting closed form (needs
            Ea_BA; a ValueError for mu inside the conduction band, where it does not apply).
        band : {None, 0, 1}
            Band(s) carrying current (see ``method``).
        nk : int, optional
            k points for eq 30 (default :meth:`default_nk`).
        delta : float
            The dimensionless delta of eq 23's metallic case.
        tau : float, optional
            Relaxation time, s (default :meth:`relaxation_time`).
        executor, chunk, progress : optional
            Run the (mu, T) points in chunks on an executor (see :mod:`quasiion.executors`);
            bit-identical to ``executor=None``.

        Returns
        -------
        ndarray or float
            S/cm with the broadcast shape of ``mu`` and ``T`` (a float if both are scalars).
        """
        V.choice("method", method, _METHODS)
        m, t, shape = _broadcast_pairs(mu, T)
        if executor is not None:
            # settle every grid-wide choice here, so each chunk computes what the whole would
            n = (self.default_nk(t) if nk is None else nk) if method == "boltzmann" else None
            # one point here first: bad input fails before any work is sent
            self.conductivity(m[:1], t[:1], method, band=band, nk=n, delta=delta, tau=tau,
                              threads=1)
            fn = functools.partial(_conductivity_chunk, self, method, band, n, delta, tau,
                                   worker_threads(executor, threads))
            return _shaped(map_grid(fn, m, t, executor=executor, chunk=chunk, progress=progress,
                                    desc="conductivity"), shape)
        if method == "boltzmann":
            n = self.default_nk(t) if nk is None else nk
            ev = self.boltzmann(nk=n, band=band, tau=tau, threads=threads)
            out = ev(m, t, V.threads(threads))
        elif method == "drude":
            b = 1 if band is None else self._band(band, allow_none=False)
            V.positive("delta", delta)
            out = _bands.nernst_einstein(self._c, m, t, self._tau(tau), self.n0, self.z, b, delta)
        else:
            if band not in (None, 1):
                V.fail("band", band, "None or 1 for eq 24 (the conduction band)")
            Ea = self._need_ea("for eq 24")
            out = _bands.conductivity_eq24(self._c, m, t, self._tau(tau), self.n0, self.z, Ea)
        return _shaped(np.asarray(out), shape)


def _conductivity_chunk(chain: InterstitialChain, method: str, band: int | None,
                        nk: int | None, delta: float, tau: float | None, threads: int,
                        m: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.asarray(chain.conductivity(m, t, method, band=band, nk=nk, delta=delta, tau=tau,
                                         threads=threads))
