"""From a migration-energy profile to quasi-ion tight-binding parameters (paper section 2,
eq 2-9, 12-16, and the model profile eq 45).

A :class:`Potential` holds a 1D profile U(x) (x in Angstrom, U in eV) sampled on an open path
or over one period, interpolated by a monotone cubic (PCHIP). It finds wells (minima) and
barriers (maxima) robustly, gives the classical density of an ion in a well at fixed energy
(eq 2-4) and its thermal average (eq 5-9, 12, 13), and the two-site tight-binding parameters
``U_A, U_B, J0, Ea_AB, Ea_BA`` (eq 15 overlap integral or eq 16 narrow-well closed form) that
:class:`quasiion.InterstitialChain` consumes::

    import quasiion
    tb = quasiion.Potential.eq45(0.6).tight_binding(300.0)
    print(tb.U_A, tb.U_B, tb.J0)          # eV
    chain = tb.chain()                    # quasiion.InterstitialChain

Energies eV, positions Angstrom, temperatures K, masses amu. See ``docs/paper-notes.md``
(Section 2) for the choices the paper leaves open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from . import paper, units
from ._core import potential as _cp
from .results import ResultMixin

__all__ = ["Potential", "Well", "Barrier", "TightBindingParameters", "TightBindingSweep", "ThermalDensity"]

METHODS = ("narrow-well", "overlap")


@dataclass(frozen=True)
class Well:
    """A potential well (minimum) of a profile.

    Attributes
    ----------
    x, U : float
        Position of the minimum (Angstrom; a plateau's midpoint) and its energy (eV).
    x_left, x_right : float
        Bounds of the well (Angstrom): the neighbouring barriers, or the ends of an open path
        (hard walls). ``x_left < x < x_right`` (unwrapped for periodic profiles).
    U_left, U_right : float
        Energies at the bounds (eV; ``inf`` for a wall).
    E_top : float
        Highest bound energy, the lower of the two barriers (eV).
    at_end : bool
        The minimum is an end point of an open path.
    """

    x: float
    U: float
    x_left: float
    x_right: float
    U_left: float
    U_right: float
    E_top: float
    at_end: bool


@dataclass(frozen=True)
class Barrier:
    """A barrier (maximum) of a profile: position ``x`` (Angstrom), energy ``U`` (eV), and
    whether it is an end point of an open path (``at_end``)."""

    x: float
    U: float
    at_end: bool


def _chain(tb: Any, kwargs: dict[str, Any]) -> Any:
    try:
        from .interstitial import InterstitialChain  # type: ignore[attr-defined]
    except ImportError as exc:  # pragma: no cover - depends on the merge state
        raise ImportError("quasiion.InterstitialChain is not available in this build") from exc
    return InterstitialChain(tb.U_A, tb.U_B, tb.J0, tb.a, Ea_BA=tb.Ea_BA, **kwargs)


@dataclass(frozen=True)
class TightBindingParameters(ResultMixin):
    """Two-site quasi-ion parameters at one temperature (A = lower well, B = higher well).

    Attributes
    ----------
    U_A, U_B : float
        On-site energies, eV: the well minima (``"narrow-well"``, eq 16/17) or
        ``<psi_i|U|psi_i>`` over the x0-host densities (``"overlap"``, eq 15).
    J0 : float
        Nearest-neighbour hopping over the higher barrier, eV (negative for negative U).
    Ea_AB, Ea_BA : float
        Local activation energies ``U_max - U_min - thermalisation*kT`` from A and from B, eV.
    a : float
        Lattice constant of the two-site cell, Angstrom.
    T : float
        Temperature, K.
    method : str
        ``"narrow-well"`` or ``"overlap"``.
    thermalisation : float
        Thermalisation coefficient (E_min = U_min + thermalisation * kT).
    U_max : float
        The higher of the barriers between A and B, eV.
    J_right, J_left : float
        Hoppings over the barrier right and left of A, eV (equal for a symmetric profile).
    band_gap : float
        Gap of the two-site chain, ``2 sqrt(DeltaU^2 + (J_right - J_left)^2/4)``, eV.
    well_A, well_B : int
        Indices into :meth:`Potential.wells` (equal for one well per period).
    """

    U_A: float
    U_B: float
    J0: float
    Ea_AB: float
    Ea_BA: float
    a: float
    T: float
    method: str
    thermalisation: float
    U_max: float
    J_right: float
    J_left: float
    band_gap: float
    well_A: int
    well_B: int

    def chain(self, **kwargs: Any) -> Any:
        """``quasiion.InterstitialChain(U_A, U_B, J0, a, Ea_BA=Ea_BA, **kwargs)``.

        Parameters
        ----------
        **kwargs
            Passed on (e.g. ``mass`` in amu, ``n0`` in cm^-3, ``z``).
        """
        return _chain(self, kwargs)



@dataclass(frozen=True)
class TightBindingSweep(ResultMixin):
    """Two-site parameters over temperatures (arrays of shape ``T.shape``; eV, K, Angstrom).

    ``sweep[i]`` is the :class:`TightBindingParameters` at ``T[i]``.
    """

    T: np.ndarray
    U_A: np.ndarray
    U_B: np.ndarray
    J0: np.ndarray
    Ea_AB: np.ndarray
    Ea_BA: np.ndarray
    band_gap: np.ndarray
    J_right: np.ndarray
    J_left: np.ndarray
    U_max: float
    a: float
    method: str
    thermalisation: float
    _items: tuple[TightBindingParameters, ...] = field(repr=False, default=())
    _wells: tuple[int, int] = field(repr=False, default=(0, 1))

    def __len__(self) -> int:
        return len(self.T)

    def __getitem__(self, i: int) -> TightBindingParameters:
        if self._items:
            return self._items[i]
        # built on demand from the arrays (flat index over T.shape)
        f = {k: float(np.ravel(getattr(self, k))[i]) for k in
             ("U_A", "U_B", "J0", "Ea_AB", "Ea_BA", "T", "J_right", "J_left", "band_gap")}
        return TightBindingParameters(f["U_A"], f["U_B"], f["J0"], f["Ea_AB"], f["Ea_BA"], self.a,
                                      f["T"], self.method, self.thermalisation, self.U_max,
                                      f["J_right"], f["J_left"], f["band_gap"], *self._wells)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.pop("_items", None)
        d.pop("_wells", None)
        return d


@dataclass(frozen=True)
class ThermalDensity(ResultMixin):
    """Thermal density of the x0-host ion (eq 7, 9, 12, 13), normalised to 1.

    Attributes
    ----------
    x : ndarray
        Positions, Angstrom.
    rho : ndarray
        Density in 1/Angstrom, shape ``(len(x),)`` for one temperature, ``(len(T), len(x))``
        for several.
    T : ndarray or float
        Temperature(s), K.
    host : int
        Index of the host well.
    parts : list of tuple
        ``(well, shift in periods, site offset, weight)`` of the first temperature: which
        wells the density covers, with the normalised eq 12 weights.
    thermalisation, E_s : float
        The parameters used (E_s in eV; ``inf`` = nearest neighbours only, eq 13).
    """

    x: np.ndarray
    rho: np.ndarray
    T: Any
    host: int
    parts: list[tuple[int, int, int, float]]
    thermalisation: float
    E_s: float


def _spline_resample(x: np.ndarray, U: np.ndarray, periodic: bool,
                     per_interval: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """A cubic spline through (x, U) sampled ``per_interval`` times per input interval:
    periodic when the samples close the period, else with zero slope at both ends (the end
    images of a NEB band are minima)."""
    from scipy.interpolate import CubicSpline

    if periodic and abs(U[-1] - U[0]) <= 1e-9 * max(1.0, float(np.ptp(U))):
        cs = CubicSpline(x, np.append(U[:-1], U[0]), bc_type="periodic")
    else:
        cs = CubicSpline(x, U, bc_type="clamped")
    t = np.linspace(0.0, 1.0, per_interval + 1)[:-1]
    xx = np.append((x[:-1, None] + np.diff(x)[:, None] * t[None, :]).ravel(), x[-1])
    uu = cs(xx)
    uu[-1] = U[-1]
    return xx, uu


class Potential:
    """A 1D migration-energy profile U(x) and what the quasi-ion method derives from it.

    Build it with :meth:`from_samples`, :meth:`eq45`, :meth:`from_csv` or :meth:`from_neb`.
    Calling the object evaluates U (eV) at positions x (Angstrom).
    """

    def __init__(self, profile: Any) -> None:
        self._profile = profile

    # --- construction -----------------------------------------------------------------
    @classmethod
    def from_samples(cls, x: npt.ArrayLike, U: npt.ArrayLike, *, periodic: bool = False,
                     period: float | None = None, prominence: float | None = None,
                     interpolate: str = "pchip") -> Potential:
        """A profile from samples.

        Parameters
        ----------
        x : array_like
            Strictly increasing positions along the path, Angstrom (at least 3).
        U : array_like
            Energies at ``x``, eV.
        periodic : bool
            The samples span one period. Either the last sample repeats the first
            (``x[-1] = x[0] + period``, ``U[-1] = U[0]`` within the prominence) or ``period``
            is given and the closing sample is added.
        period : float, optional
            Period in Angstrom (periodic only), when the samples do not repeat the first point.
        prominence : float, optional
            Minimum height (eV) by which a barrier must exceed, and a well undercut, its
            surroundings to count; noise below it creates no extrema. Default: 1% of
            ``max(U) - min(U)``.
        interpolate : {"pchip", "spline"}
            ``"pchip"``: monotone cubic through the samples, extrema on samples (right for
            dense or noisy profiles). ``"spline"``: a cubic spline (periodic, or with zero
            slope at the end minima of an open path) resampled densely, so a saddle between
            two images of a coarse NEB band is interpolated instead of taken as the highest
            image (7 images: the highest image underestimates the barrier and J0 is ~7% off).

        Raises
        ------
        ValueError
            Fewer than 3 samples, x not strictly increasing (duplicates), NaN/inf, a profile
            without a well, a bad period.
        """
        xa = V.finite_array("x", x, ndim=1)
        ua = V.finite_array("U", U, ndim=1)
        V.same_shape("x", xa, "U", ua)
        if period is not None:
            if not periodic:
                V.fail("period", period, "given only with periodic=True")
            L = V.positive("period", period)
            if xa.size and not xa[-1] - xa[0] < L:
                V.fail("period", period, f"larger than x[-1] - x[0] = {xa[-1] - xa[0]}")
            xa = np.append(xa, xa[0] + L)
            ua = np.append(ua, ua[0])
        prom = -1.0 if prominence is None else V.non_negative("prominence", prominence)
        V.choice("interpolate", interpolate, ("pchip", "spline"))
        if interpolate == "spline" and xa.size >= 3 and np.all(np.diff(xa) > 0):
            xa, ua = _spline_resample(xa, ua, bool(periodic))
        return cls(_cp.Profile(xa, ua, bool(periodic), prom))

    @classmethod
    def eq45(cls, alpha: float, U_bar: float = paper.U_BAR0, a: float = paper.A_DEFAULT, *,
             samples: int = 4096) -> Potential:
        """The paper's model profile, eq 45 (periodic, period ``a``):
        ``U(x) = 2 U_bar [alpha sin^2(pi x/a) + (1 - alpha) cos^2(2 pi x/a)]``.

        Parameters
        ----------
        alpha : float
            Shape parameter in [0, 1] (not the thermalisation coefficient). Wells: A at a/2
            (U = 2 U_bar), B at 0 (U = 2 U_bar (1 - alpha)) for alpha < 0.8.
        U_bar : float
            Mean depth, eV (paper: -0.3).
        a : float
            Period (lattice constant), Angstrom.
        samples : int
            Samples per period.
        """
        V.in_range("alpha", alpha, 0.0, 1.0)
        V.finite("U_bar", U_bar)
        V.positive("a", a)
        samples = V.integer("samples", samples, 16, 1 << 24)
        if float(alpha) >= 0.8 and float(U_bar) < 0:
            import warnings

            warnings.warn(f"alpha = {float(alpha)!r}: eq 45 has no interstitial well at x = 0 "
                          "for alpha >= 0.8 (one well per period), so its tight-binding chain "
                          "has U_A = U_B and no gap", UserWarning, stacklevel=2)
        return cls(_cp.Profile.eq45(float(alpha), float(U_bar), float(a), samples))

    @classmethod
    def from_csv(cls, path: str | Path, *, periodic: bool = False, period: float | None = None,
                 prominence: float | None = None, interpolate: str = "pchip",
                 x_unit: str | None = None, U_unit: str | None = None,
                 length: float | None = None) -> Potential:
        """A profile from a CSV file with two columns, position and energy, whose header gives
        the units: x in ``Angstrom``/``A``/``Ang`` or ``nm``; U in ``eV`` or ``meV``
        (e.g. ``x [Angstrom], U [eV]``). Other parameters as :meth:`from_samples`.

        Typical NEB output works too: ``x_unit``/``U_unit`` give units the header lacks
        (U also in ``kJ/mol``, ``kcal/mol``, ``Ha``, ``Ry``); a first column of image
        indices (named ``image``/``index``, or ``x_unit="image"``) is spread evenly over
        ``length`` Angstrom (the hop distance).

        Raises
        ------
        ValueError
            Missing file, not two numeric columns, a missing or unknown unit.
        """
        from .io import read_table

        cols = list(read_table(path).values())
        if len(cols) != 2:
            V.fail("path", str(path), f"a table of 2 columns (position, energy), not {len(cols)}")
        cx, cu = cols
        for c in cols:
            if c.values.dtype == object:
                V.fail(f"column {c.name!r}", str(path), "numeric")
        xs = {"angstrom": 1.0, "a": 1.0, "ang": 1.0, "\u00e5": 1.0, "nm": 10.0}
        us = {"ev": 1.0, "mev": 1e-3, "kj/mol": 1.0 / 96.48533212, "kcal/mol": 4.184 / 96.48533212,
              "ha": 27.211386245988, "hartree": 27.211386245988, "ry": 13.605693122994}
        xu = (x_unit or cx.unit).lower()
        if not xu and cx.name.strip().lower() in ("image", "images", "index", "img"):
            xu = "image"
        uu = (U_unit or cu.unit).lower()
        if uu not in us:
            V.fail(f"unit of column {cu.name!r}", cu.unit or "(none)",
                   "given in the header, e.g. 'U [eV]' (eV, meV, kJ/mol, kcal/mol, Ha, Ry), or "
                   "as U_unit= (CLI --energy-unit)")
        if xu == "image":
            if length is None:
                V.fail("length", None, "the path length in Angstrom when the first column "
                       f"{cx.name!r} holds image indices (CLI --length)")
            L = V.positive("length", length)
            n = cx.values.size
            xv = (cx.values - cx.values[0]) / max(1.0, float(cx.values[-1] - cx.values[0])) * L
            if n < 2:
                V.fail("path", str(path), "at least 2 images")
        elif xu in xs:
            xv = cx.values * xs[xu]
        else:
            V.fail(f"unit of column {cx.name!r}", cx.unit or "(none)",
                   "given in the header as Angstrom, A, Ang or nm, e.g. 'x [Angstrom]', or as "
                   "x_unit= (CLI --x-unit; 'image' for image indices with --length)")
        return cls.from_samples(xv, cu.values * us[uu], periodic=periodic, period=period,
                                prominence=prominence, interpolate=interpolate)

    @classmethod
    def from_neb(cls, images: Any, *, reference: float, periodic: bool = False,
                 prominence: float | None = None) -> Potential:
        """A profile from ASE nudged-elastic-band images (needs ``ase``: ``pip install
        quasiion[ase]``).

        x is the cumulative distance between consecutive images (minimum-image convention
        in periodic cells), Angstrom; U is each image's potential energy minus ``reference``.

        Parameters
        ----------
        images : sequence of ase.Atoms
            The band, each with a calculator or stored energy.
        reference : float
            Energy zero, eV. Eq 16 is linear in the absolute on-site energies, so the zero
            matters: the paper measures U against the free-gas state of the mobile ion.
        periodic : bool
            The last image is equivalent to the first (one period of the path).
        """
        try:
            from ase.geometry import find_mic
        except ImportError as exc:
            raise ImportError("Potential.from_neb needs ASE: pip install 'quasiion[ase]' "
                              "(or pip install ase)") from exc
        ref = V.finite("reference", reference)
        if len(images) < 3:
            V.fail("images", f"{len(images)} images", "at least 3")
        E = np.array([im.get_potential_energy() for im in images], dtype=float) - ref
        s = [0.0]
        for a, b in zip(images[:-1], images[1:]):
            d = b.get_positions() - a.get_positions()
            if any(a.pbc):
                d, _ = find_mic(d, a.get_cell(), a.pbc)
            s.append(s[-1] + float(np.sqrt((d**2).sum())))
        return cls.from_samples(np.array(s), E, periodic=periodic, prominence=prominence)

    # --- the profile ------------------------------------------------------------------
    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        """U(x) in eV at positions ``x`` (Angstrom); periodic profiles wrap, open ones are
        ``inf`` outside the path."""
        xa = V.finite_array("x", x, allow_empty=True)
        return np.asarray(self._profile(xa.ravel())).reshape(xa.shape)

    @property
    def x(self) -> np.ndarray:
        """Sample positions, Angstrom."""
        return np.asarray(self._profile.x_samples)

    @property
    def U(self) -> np.ndarray:
        """Sample energies, eV."""
        return np.asarray(self._profile.U_samples)

    @property
    def periodic(self) -> bool:
        return bool(self._profile.periodic)

    @property
    def period(self) -> float:
        """Period (periodic) or length (open) of the profile, Angstrom."""
        return float(self._profile.period)

    @property
    def prominence(self) -> float:
        """The extremum threshold in use, eV."""
        return float(self._profile.prominence)

    def wells(self) -> list[Well]:
        """The wells (minima), ordered by position."""
        return [Well(w.x, w.U, w.x_left, w.x_right, w.U_left, w.U_right, w.E_top, w.at_end)
                for w in self._profile.wells]

    def barriers(self) -> list[Barrier]:
        """The barriers (maxima, including maximal end points of an open path), by position."""
        return [Barrier(b.x, b.U, b.at_end) for b in self._profile.barriers]

    @cached_property
    def _landscape(self) -> Any:
        return _cp.Landscape(self._profile)

    def _well(self, well: int | None) -> int:
        n = len(self._profile.wells)
        if well is None:
            return int(np.argmin([w.U for w in self._profile.wells]))
        if not (isinstance(well, (int, np.integer)) and 0 <= well < n):
            V.fail("well", well, f"an integer in [0, {n - 1}]")
        return int(well)

    # --- classical densities ----------------------------------------------------------
    def classical_density(self, E: float, x: npt.ArrayLike, *, well: int | None = None) -> np.ndarray:
        """|rho_E(x)| of eq 3-4, normalised to 1 over the orbit, in 1/Angstrom.

        Parameters
        ----------
        E : float
            Ion energy, eV, strictly between the well's minimum and its lower barrier.
        x : array_like
            Positions, Angstrom (0 outside the orbit).
        well : int, optional
            Well index (default: the lowest well).
        """
        xa = V.finite_array("x", x, allow_empty=True)
        rho = self._landscape.classical_density(self._well(well), V.finite("E", E), xa.ravel())
        return np.asarray(rho).reshape(xa.shape)

    def turning_points(self, E: float, *, well: int | None = None) -> tuple[float, float]:
        """The orbit's turning points (or walls) at energy ``E`` (eV), Angstrom."""
        xm, xp, _, _ = self._landscape.orbit(self._well(well), V.finite("E", E))
        return float(xm), float(xp)

    def oscillation_period(self, E: float, *, well: int | None = None,
                           mass: float = units.ION_MASS["Li"]) -> float:
        """Period W_E of the oscillation at energy ``E`` (eV) in the well, s, for an ion of
        ``mass`` amu: ``W_E = 2 sqrt(m/2) int dx / sqrt(E - U)``."""
        return float(self._landscape.oscillation_period(self._well(well), V.finite("E", E),
                                                        V.positive("mass", mass)))

    def thermal_density(self, T: npt.ArrayLike, x: npt.ArrayLike | None = None, *,
                        host: int | None = None, thermalisation: float = 0.0,
                        E_s: float | None = None, max_hops: int | None = None,
                        points: int = 2001, threads: int = 0) -> ThermalDensity:
        """Thermal density of the ion hosted by well ``host`` (eq 7, 9, 12, 13), normalised
        so that it integrates to 1 over all wells it covers.

        Parameters
        ----------
        T : float or array_like
            Temperature(s), K (> 0). Several temperatures share one set of quadrature nodes
            per point (at ``thermalisation=0``).
        x : array_like, optional
            Positions, Angstrom. Default: ``points`` points over the wells the density covers.
        host : int, optional
            Host well index (default: the lowest well).
        thermalisation : float
            Thermalisation coefficient (the paper's alpha of eq 6, not eq 45's): the lowest
            energy is ``U_min + thermalisation * kT``.
        E_s : float, optional
            Inelastic energy loss per hop, eV. ``None``: nearest neighbours only (eq 13).
        max_hops : int, optional
            Farthest site of eq 12 (default 1 without E_s, else until the weight drops below
            1e-12, at most 64).
        points : int
            Size of the default x grid.
        threads : int
            Worker threads, over blocks of points (over T if ``thermalisation > 0``; 0: all
            cores). The result does not depend on it.
        """
        Ta = V.temperature(T)
        th = V.non_negative("thermalisation", thermalisation)
        if E_s is None:
            es = math.inf
            hops = 1 if max_hops is None else int(max_hops)
        else:
            es = V.non_negative("E_s", E_s)
            if max_hops is None:
                kT = float(units.kT(Ta.min()))
                hops = int(min(64, max(1, math.ceil(1 + 28.0 * kT / es)))) if es > 0 else 64
            else:
                hops = int(max_hops)
        if hops < 0:
            V.fail("max_hops", max_hops, ">= 0")
        h = self._well(host)
        parts = [tuple(p) for p in self._landscape.host_parts(h, float(Ta.ravel()[0]), th, es, hops)]
        if x is None:
            L = self.period
            wl = self._profile.wells
            lo = min(wl[p[0]].x_left + p[1] * L for p in parts)
            hi = max(wl[p[0]].x_right + p[1] * L for p in parts)
            xa = np.linspace(lo, hi, V.integer("points", points, 2, 10**7))
        else:
            xa = V.finite_array("x", x, ndim=1)
        rho = np.asarray(self._landscape.thermal_density(h, Ta.ravel(), xa, th, es, hops, V.threads(threads)))
        if Ta.ndim == 0:
            return ThermalDensity(xa, rho[0], float(Ta), h, parts, th, es)
        return ThermalDensity(xa, rho.reshape(Ta.shape + xa.shape), Ta, h, parts, th, es)

    # --- tight binding ----------------------------------------------------------------
    def tight_binding(self, T: npt.ArrayLike, method: str = "narrow-well", *,
                      thermalisation: float = 0.0, threads: int = 0) -> Any:
        """Two-site tight-binding parameters (A = lower well, B = higher well).

        Parameters
        ----------
        T : float or array_like
            Temperature(s), K (> 0); several run in parallel.
        method : {"narrow-well", "overlap"}
            ``"narrow-well"``: on-site energies = well minima, J0 from the full form of eq 16.
            ``"overlap"``: eq 15 with |psi|^2 = |rho| for the thermal x0-host densities of
            eq 13, integrated over the real well shapes.
        thermalisation : float
            Thermalisation coefficient (E_min = U_min + thermalisation * kT).
        threads : int
            Worker threads over T (0: all cores).

        Returns
        -------
        TightBindingParameters
            For a scalar ``T``; a :class:`TightBindingSweep` of arrays for an array ``T``.
            A profile with more than two wells per period (or an open one with other than
            two) gives a :class:`quasiion.ChainTightBinding` (N orbitals, narrow-well only).

        Raises
        ------
        ValueError
            T <= 0, an unknown method, or a profile that is not a two-site chain (a periodic
            profile needs 1 or 2 wells per period, an open one exactly 2).
        """
        Ta = V.temperature(T)
        V.choice("method", method, METHODS)
        th = V.non_negative("thermalisation", thermalisation)
        if len(self._profile.wells) != 2 and (len(self._profile.wells) > 2 or not self.periodic):
            from .wellchain import chain_tight_binding  # N wells: an N-orbital chain

            V.choice("method", method, ("narrow-well",))
            if Ta.ndim != 0:
                V.fail("T", Ta, "a single temperature for a chain of more than two wells")
            return chain_tight_binding(self._landscape, float(Ta), th)
        if Ta.ndim > 0:
            # one array per field from the core: no Python object per temperature
            a = self._landscape.tight_binding_arrays(Ta.ravel(), method, th, V.threads(threads))

            def col(k: str) -> np.ndarray:
                return np.asarray(a[k]).reshape(Ta.shape)

            return TightBindingSweep(Ta, col("U_A"), col("U_B"), col("J0"), col("Ea_AB"),
                                     col("Ea_BA"), col("band_gap"), col("J_right"),
                                     col("J_left"), float(a["U_max"]), float(a["a"]), method,
                                     th, _wells=(int(a["well_A"]), int(a["well_B"])))
        ds = self._landscape.tight_binding(Ta.ravel(), method, th, V.threads(threads))
        items = tuple(
            TightBindingParameters(d["U_A"], d["U_B"], d["J0"], d["Ea_AB"], d["Ea_BA"], d["a"], d["T"],
                         method, th, d["U_max"], d["J_right"], d["J_left"], d["band_gap"],
                         d["well_A"], d["well_B"])
            for d in ds)
        return items[0]  # a single temperature (arrays returned above)

    def __repr__(self) -> str:
        kind = "periodic" if self.periodic else "open"
        return (f"Potential({kind}, {len(self.x)} samples over {self.period:.4g} A, "
                f"{len(self._profile.wells)} wells, {len(self._profile.barriers)} barriers)")
