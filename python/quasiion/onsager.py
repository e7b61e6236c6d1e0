"""Ion-electron interference and Onsager transport: the ambipolaron (paper section 3.3,
appendix 5.3, eq 31-41 and 46).

Two mobile species on a one-site-per-cell chain, the (quasi-)electron band
``J0e cos(ka) + U0e`` and the quasi-ion band ``J0i cos(ka) + U0i + Kbar`` (``Kbar = K0 + Ka``,
eq 32), hybridised by the mean-field ion-electron Coulomb scattering ``S`` (eq 33). The
eigenstates are "ambipolarons"; their two branches carry the relaxation times tau+ (electronic
branch) and tau- (ionic branch), and the Onsager matrix of eq 38 follows. Onsager reciprocity
``L_ei = L_ie`` fixes tau+/tau- (eq 39; eq 46 for j >> 1).

Dimensionless inputs of the transport formulas: hopping ratio ``j = |J0e/J0i|``, density ratio
``rho_ratio = rho_e/rho_i`` and the k = 0 mixing ``xi0`` (eq 35) in (0, 1].

Units: energies eV, temperature K, lattice constant Angstrom, densities cm^-3, relaxation times
s, diffusivities cm^2/s, Onsager coefficients 1/(eV cm s) (flux in 1/(cm^2 s) per eV/cm of
chemical-potential gradient).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as v
from . import units
from ._core import onsager as _c
from .results import ResultMixin

__all__ = [
    "IonElectron",
    "OnsagerWarning",
    "AmbipolaronBands",
    "CouplingResult",
    "OnsagerResult",
    "OnsagerMatrix",
    "electron_parameters",
    "tau_ratio",
    "alpha_star",
    "onsager_matrix",
    "TAU_METHODS",
    "ALPHA_METHODS",
    "ROOT_RULES",
]

#: Ways to get tau+/tau-: "exact" solves L_ei = L_ie (linear in tau+, tau-) from eq 38,
#: "eq39" and "eq46" are the paper's closed forms.
TAU_METHODS: tuple[str, ...] = ("exact", "eq39", "eq46")
#: Ways to get alpha*: "eq40" the closed forms eq 40-41; the TAU_METHODS read alpha* off the
#: eq 38 matrix with tau+/tau- from that method.
ALPHA_METHODS: tuple[str, ...] = ("eq40",) + TAU_METHODS
#: Which fixed point of the self-consistency to use (S = 0 is always one).
ROOT_RULES: tuple[str, ...] = ("lowest_free_energy", "smallest", "largest")


class OnsagerWarning(UserWarning):
    """The Onsager matrix is not positive semi-definite: its symmetric part has a negative
    eigenvalue, so the entropy production of some gradient would be negative. With tau+/tau-
    from reciprocity this happens exactly when alpha_i* alpha_e* > 1 (strong coupling with
    j far from 1; see docs/paper-notes.md, Section 3.3)."""


# ------------------------------------------------------------------------------------------
# helpers


def _ratios(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and broadcast (j, rho_ratio, xi0)."""
    ja = v.finite_array("j", j)
    ra = v.finite_array("rho_ratio", rho_ratio)
    xa = v.finite_array("xi0", xi0)
    for name, arr in (("j", ja), ("rho_ratio", ra)):
        if (arr < 0).any():
            idx = np.argwhere(arr < 0)[0]
            where = f"{name}[{', '.join(map(str, idx))}]" if arr.ndim else name
            v.fail(where, arr[tuple(idx)] if arr.ndim else arr, ">= 0")
    bad = ~((xa > 0) & (xa <= 1))
    if bad.any():
        idx = np.argwhere(bad)[0]
        where = f"xi0[{', '.join(map(str, idx))}]" if xa.ndim else "xi0"
        v.fail(where, xa[tuple(idx)] if xa.ndim else xa, "in (0, 1]")
    try:
        return tuple(np.broadcast_arrays(ja, ra, xa))  # type: ignore[return-value]
    except ValueError:
        v.fail("rho_ratio", f"an array of shape {ra.shape}",
               f"broadcastable with j {ja.shape} and xi0 {xa.shape}")
        raise  # unreachable


def _ratios_unchecked(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Broadcast (j, rho_ratio, xi0) as float arrays without the value checks: the core makes
    the same checks inside its single pass over the data, and on failure the caller re-runs
    :func:`_ratios` for the message with the N-d index."""
    try:
        arrs = [np.asarray(a, dtype=float) for a in (j, rho_ratio, xi0)]
        if any(a.size == 0 for a in arrs):
            raise ValueError
        return tuple(np.broadcast_arrays(*arrs))  # type: ignore[return-value]
    except (TypeError, ValueError):
        return _ratios(j, rho_ratio, xi0)


def _flat(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=float).ravel()


def _min_eig_sym(ee: np.ndarray, ei: np.ndarray, ie: np.ndarray, ii: np.ndarray) -> np.ndarray:
    """Smallest eigenvalue of the symmetric part of [[ee, ei], [ie, ii]], without the
    cancellation of (ee + ii)/2 - hypot(...) when one diagonal element dwarfs the other:
    lambda_min = det / lambda_max when lambda_max > 0."""
    ee, ei, ie, ii = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (ee, ei, ie, ii)))
    b = 0.5 * (ei + ie)
    half_tr = 0.5 * (ee + ii)
    r = np.hypot(0.5 * (ee - ii), b)
    lam_max = half_tr + r
    det = ee * ii - b * b
    with np.errstate(divide="ignore", invalid="ignore"):
        stable = np.where(lam_max > 0, det / lam_max, half_tr - r)
    return np.where(half_tr > 0, stable, half_tr - r)


def _psd(ee: np.ndarray, ei: np.ndarray, ie: np.ndarray, ii: np.ndarray, *, warn: bool,
         stacklevel: int = 3) -> tuple[np.ndarray, np.ndarray]:
    lam = _min_eig_sym(ee, ei, ie, ii)
    b = 0.5 * (np.asarray(ei) + np.asarray(ie))
    scale = np.maximum(np.abs(ee) + np.abs(ii), np.abs(ei) + np.abs(ie))
    # PSD iff both diagonal elements and the determinant are >= 0, each up to rounding
    # relative to its own terms (a tolerance relative to the largest element would accept a
    # determinant of the wrong sign when ee >> ii).
    tol = 1e-12
    det = np.asarray(ee) * np.asarray(ii) - b * b
    psd = ((ee >= -tol * scale) & (ii >= -tol * scale)
           & (det >= -tol * (np.abs(np.asarray(ee) * np.asarray(ii)) + b * b)))
    if warn and not np.all(psd):
        n_bad = int(np.size(psd) - np.count_nonzero(psd))
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(psd, np.inf, lam / scale)
        warnings.warn(
            f"Onsager matrix not positive semi-definite at {n_bad} of {np.size(psd)} points "
            f"(smallest eigenvalue of the symmetric part {float(np.min(rel)):.3g} "
            "relative): the coupling is too strong for this j and rho_e/rho_i "
            "(alpha_i* alpha_e* > 1)", OnsagerWarning, stacklevel=stacklevel)
    return psd, lam


def electron_parameters(m_eff: float, chi_e: float, a: float) -> tuple[float, float]:
    """Electron tight-binding parameters from physical inputs (appendix 5.3).

    Parameters
    ----------
    m_eff : float
        Electron effective mass in units of the free-electron mass m_0 (> 0).
    chi_e : float
        Electron affinity (conduction-band minimum below vacuum), eV.
    a : float
        Lattice constant, Angstrom (> 0).

    Returns
    -------
    (J0e, U0e) : tuple of float
        ``J0e = -hbar^2/(m_eff a^2)`` and ``U0e = -chi_e + hbar^2/(m_eff a^2)``, eV, so that the
        band ``J0e cos(ka) + U0e`` starts at ``-chi_e`` with curvature ``hbar^2/(2 m_eff)``.
    """
    m = v.positive("m_eff", m_eff)
    chi = v.finite("chi_e", chi_e)
    aa = v.positive("a", a)
    J0e, U0e = _c.electron_from_physical(m, chi, aa)
    return float(J0e), float(U0e)


# ------------------------------------------------------------------------------------------
# module-level vectorised transport functions (no model needed)


def tau_ratio(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
              method: str = "exact", *, threads: int = 0) -> np.ndarray:
    """tau+/tau- from Onsager reciprocity, vectorised (arrays broadcast).

    Parameters
    ----------
    j : array_like
        Hopping ratio ``|J0e/J0i|`` (>= 0).
    rho_ratio : array_like
        Density ratio ``rho_e/rho_i`` (>= 0).
    xi0 : array_like
        Mixing at k = 0 (eq 35), in (0, 1]; 1 = no coupling.
    method : {"exact", "eq39", "eq46"}
        "exact" solves ``L_ei = L_ie`` of eq 38 (linear in tau+, tau-); "eq39" the paper's
        closed form; "eq46" its large-j approximation.
    threads : int
        Worker threads (0 = all cores).

    Returns
    -------
    numpy.ndarray
        tau+/tau- (dimensionless), of the broadcast shape.
    """
    v.choice("method", method, TAU_METHODS)
    ja, ra, xa = _ratios_unchecked(j, rho_ratio, xi0)
    try:
        out = _c.tau_ratio(_flat(ja), _flat(ra), _flat(xa), method, v.threads(threads))
    except ValueError:
        _ratios(j, rho_ratio, xi0)
        raise
    return np.asarray(out).reshape(ja.shape)


def alpha_star(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
               method: str = "eq40", *, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """alpha_i* = |L_ie/L_ii| and alpha_e* = |L_ei/L_ee| (eq 40-41), vectorised.

    Parameters
    ----------
    j, rho_ratio, xi0 : array_like
        As in :func:`tau_ratio`.
    method : {"eq40", "exact", "eq39", "eq46"}
        "eq40": the closed forms eq 40-41; otherwise the ratios read off the eq 38 matrix with
        tau+/tau- from that method.

    Returns
    -------
    (alpha_i, alpha_e) : tuple of numpy.ndarray
        Dimensionless, of the broadcast shape.
    """
    v.choice("method", method, ALPHA_METHODS)
    ja, ra, xa = _ratios_unchecked(j, rho_ratio, xi0)
    try:
        if method == "eq40":
            out = np.asarray(_c.alpha_star_closed(_flat(ja), _flat(ra), _flat(xa), v.threads(threads)))
            return out[:, 0].reshape(ja.shape), out[:, 1].reshape(ja.shape)
        d = _c.onsager_reduced(_flat(ja), _flat(ra), _flat(xa), np.empty(0), method, v.threads(threads))
    except ValueError:
        _ratios(j, rho_ratio, xi0)
        raise
    return (np.asarray(d["alpha_i"]).reshape(ja.shape),
            np.asarray(d["alpha_e"]).reshape(ja.shape))


@dataclass(frozen=True)
class OnsagerMatrix(ResultMixin):
    """The reduced Onsager matrix of eq 38 over arrays of (j, rho_ratio, xi0).

    ``L`` (shape ``(..., 2, 2)``, order (e, i)) is in units of ``tau- a^2 rho_i |J0i|/hbar^2``;
    multiply by :meth:`IonElectron.prefactor` for 1/(eV cm s).
    """

    j: np.ndarray
    rho_ratio: np.ndarray
    xi0: np.ndarray
    tau_ratio: np.ndarray  # tau+/tau-
    L: np.ndarray  # (..., 2, 2)
    alpha_i: np.ndarray  # |L_ie/L_ii|
    alpha_e: np.ndarray  # |L_ei/L_ee|
    psd: np.ndarray  # bool: symmetric part positive semi-definite
    min_eigenvalue: np.ndarray  # of the symmetric part, same units as L

    @property
    def L_ee(self) -> np.ndarray:
        return self.L[..., 0, 0]

    @property
    def L_ei(self) -> np.ndarray:
        return self.L[..., 0, 1]

    @property
    def L_ie(self) -> np.ndarray:
        return self.L[..., 1, 0]

    @property
    def L_ii(self) -> np.ndarray:
        return self.L[..., 1, 1]


def onsager_matrix(j: npt.ArrayLike, rho_ratio: npt.ArrayLike, xi0: npt.ArrayLike,
                   tau_ratio: npt.ArrayLike | None = None, method: str = "exact", *,
                   warn: bool = True, threads: int = 0) -> OnsagerMatrix:
    """The Onsager matrix of eq 38 in reduced units, vectorised (arrays broadcast).

    Parameters
    ----------
    j, rho_ratio, xi0 : array_like
        As in :func:`tau_ratio`.
    tau_ratio : array_like, optional
        tau+/tau- (> 0). If omitted it is fixed by reciprocity through ``method``.
    method : {"exact", "eq39", "eq46"}
        How tau+/tau- is obtained when not given.
    warn : bool
        Issue an :class:`OnsagerWarning` where the matrix is not positive semi-definite.

    Returns
    -------
    OnsagerMatrix
        ``L`` in units of ``tau- a^2 rho_i |J0i|/hbar^2`` with tau+/tau-, alpha*, and the
        positive-semi-definiteness of the symmetric part.
    """
    v.choice("method", method, TAU_METHODS)
    ja, ra, xa = _ratios_unchecked(j, rho_ratio, xi0)
    if tau_ratio is None:
        t = np.empty(0)
    else:
        ta = v.positive_array("tau_ratio", tau_ratio)
        try:
            t = _flat(np.broadcast_to(ta, ja.shape))
        except ValueError:
            v.fail("tau_ratio", f"an array of shape {ta.shape}", f"broadcastable to {ja.shape}")
    try:
        d = _c.onsager_reduced(_flat(ja), _flat(ra), _flat(xa), t, method, v.threads(threads))
    except ValueError:
        _ratios(j, rho_ratio, xi0)
        raise
    shape = ja.shape
    ee, ei, ie, ii = (np.asarray(d[k]).reshape(shape) for k in ("ee", "ei", "ie", "ii"))
    L = np.asarray(d["L"]).reshape(shape + (2, 2))
    psd, lam = _psd(ee, ei, ie, ii, warn=warn)
    return OnsagerMatrix(j=ja, rho_ratio=ra, xi0=xa,
                         tau_ratio=np.asarray(d["tau_ratio"]).reshape(shape), L=L,
                         alpha_i=np.asarray(d["alpha_i"]).reshape(shape),
                         alpha_e=np.asarray(d["alpha_e"]).reshape(shape), psd=psd,
                         min_eigenvalue=lam)


# ------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class AmbipolaronBands(ResultMixin):
    """Ambipolaron bands (eq 34) with their electron/ion character.

    ``E_plus``/``E_minus`` (eV) are the upper/lower branch at ``k`` (1/Angstrom);
    ``electron_plus``/``electron_minus`` their electron weight in [0, 1] (the ion weight is
    one minus it); ``xi`` is xi_k of eq 35 (|Delta J_k| / sqrt(Delta J_k^2 + S^2)).
    """

    k: np.ndarray
    E_plus: np.ndarray
    E_minus: np.ndarray
    electron_plus: np.ndarray
    electron_minus: np.ndarray
    xi: np.ndarray
    S: float


@dataclass(frozen=True)
class CouplingResult(ResultMixin):
    """The self-consistent ion-electron coupling |S| (eV) at one (mu_e, mu_i, T).

    ``roots`` lists every fixed point of S = F(S) on [0, K0/2] (S = 0 always is one),
    ``omega`` their mean-field grand potential per cell (eV), ``S = roots[chosen]`` by ``rule``;
    ``rules_disagree`` is True when the smallest root is not the lowest-free-energy one;
    ``intercell`` the inter-cell amplitude the scalar ansatz neglects (eV).
    """

    S: float
    xi0: float
    roots: np.ndarray
    residuals: np.ndarray
    omega: np.ndarray
    chosen: int
    rules_disagree: bool
    intercell: float
    n_k: int
    mu_e: float
    mu_i: float
    T: float
    rule: str


@dataclass(frozen=True)
class OnsagerResult(ResultMixin):
    """The physical Onsager matrix of eq 38 and its parts.

    ``L`` (2x2, order (e, i)) in 1/(eV cm s): flux [1/(cm^2 s)] = -L grad(mu) [eV/cm].
    ``D_plus``/``D_minus`` are the branch diffusivities of eq 36-37 in cm^2/s.
    """

    L: np.ndarray
    L_ee: float
    L_ei: float
    L_ie: float
    L_ii: float
    tau_plus: float  # s
    tau_minus: float  # s
    tau_ratio: float
    xi0: float
    j: float
    rho_e: float  # cm^-3
    rho_i: float  # cm^-3
    D_plus: float  # cm^2/s
    D_minus: float  # cm^2/s
    alpha_i: float
    alpha_e: float
    psd: bool
    min_eigenvalue: float  # of the symmetric part, 1/(eV cm s)
    reciprocity_residual: float  # |L_ei - L_ie| / max(|L_ei|, |L_ie|)
    method: str


_MAX_NK = 1 << 22  # zone points of one map evaluation
_MAX_WORK = 1e10  # zone-point evaluations of one solve_coupling call (~ minutes)


@dataclass(frozen=True)
class IonElectron:
    """Mobile ions and (quasi-)electrons on one chain, coupled by the mean-field ion-electron
    Coulomb scattering S (paper section 3.3).

    Parameters
    ----------
    J0i, U0i : float
        Quasi-ion hopping and on-site energy, eV (the paper: |J0i| ~ 1e-2 .. 1e-9 eV).
    J0e, U0e : float
        Electron hopping and on-site energy, eV; see :meth:`from_electron` to get them from
        m_e*, chi_e and a.
    K0, Ka : float
        In-cell and inter-cell ion-electron Coulomb strengths of eq 31, eV (>= 0). The ion
        level is shifted by ``Kbar = K0 + Ka`` (eq 32).
    S : float, optional
        The coupling |S_0k| in eV (>= 0). If omitted it is solved self-consistently from K0 at
        (mu_e, mu_i, T); with K0 = 0 it is 0.
    a : float
        Lattice constant, Angstrom.
    mu_e, mu_i : float
        Quasi-Fermi levels filling the electronic and the ionic branch, eV (used only when S is
        solved).
    T : float
        Temperature, K (default: the paper's kT = 0.026 eV).
    rule : {"lowest_free_energy", "smallest", "largest"}
        Which fixed point to use. S = 0 is always a fixed point, so the paper's "smallest"
        rule of eq 42 would always give no coupling; the default picks the lowest grand
        potential.
    n_k : int
        Zone quadrature points for the self-consistency (0 = chosen from kT and band width).
    """

    J0i: float
    U0i: float
    J0e: float
    U0e: float
    K0: float = 0.0
    Ka: float = 0.0
    S: float | None = None
    a: float = 1.0
    mu_e: float = 0.0
    mu_i: float = 0.0
    T: float = units.T_PAPER
    rule: str = "lowest_free_energy"
    n_k: int = 0
    _model: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("J0i", "U0i", "J0e", "U0e", "mu_e", "mu_i"):
            object.__setattr__(self, name, v.finite(name, getattr(self, name)))
        object.__setattr__(self, "K0", v.non_negative("K0", self.K0))
        object.__setattr__(self, "Ka", v.non_negative("Ka", self.Ka))
        object.__setattr__(self, "a", v.positive("a", self.a))
        object.__setattr__(self, "T", v.positive("T", self.T))
        if self.S is not None:
            object.__setattr__(self, "S", v.non_negative("S", self.S))
        v.choice("rule", self.rule, ROOT_RULES)
        if self.n_k != 0:
            v.integer("n_k", self.n_k, 8, _MAX_NK)
        if self.J0i == 0.0:
            v.fail("J0i", self.J0i, "non-zero (j = |J0e/J0i| must be finite)")
        object.__setattr__(self, "_model", _c.Model(self.J0e, self.U0e, self.J0i, self.U0i,
                                                    self.K0, self.Ka, self.a))

    @classmethod
    def from_electron(cls, m_eff: float, chi_e: float, a: float, J0i: float, U0i: float,
                      **kwargs: Any) -> IonElectron:
        """Build the model with the electron band from physical inputs (appendix 5.3).

        Parameters
        ----------
        m_eff : float
            Electron effective mass in units of m_0.
        chi_e : float
            Electron affinity, eV.
        a : float
            Lattice constant, Angstrom.
        J0i, U0i : float
            Quasi-ion hopping and on-site energy, eV.
        **kwargs
            Any other constructor argument (K0, Ka, S, mu_e, mu_i, T, rule, n_k).
        """
        J0e, U0e = electron_parameters(m_eff, chi_e, a)
        return cls(J0i=J0i, U0i=U0i, J0e=J0e, U0e=U0e, a=a, **kwargs)

    # --- coupling -------------------------------------------------------------------------

    @cached_property
    def coupling(self) -> CouplingResult:
        """The self-consistent coupling (or the given S wrapped in the same result)."""
        if self.S is not None:
            s = float(self.S)
            return CouplingResult(S=s, xi0=float(_c.xi0(self._model, s)),
                                  roots=np.array([s]), residuals=np.array([np.nan]),
                                  omega=np.array([np.nan]), chosen=0, rules_disagree=False,
                                  intercell=np.nan, n_k=0, mu_e=self.mu_e, mu_i=self.mu_i,
                                  T=self.T, rule="given")
        return self.solve_coupling([self.mu_e], [self.mu_i])[0]

    def solve_coupling(self, mu_e: npt.ArrayLike, mu_i: npt.ArrayLike | None = None, *,
                       n_scan: int = 400, threads: int = 0) -> list[CouplingResult]:
        """Solve the self-consistency for |S| at each (mu_e[i], mu_i[i]), in parallel.

        Parameters
        ----------
        mu_e : array_like
            Electron quasi-Fermi levels, eV.
        mu_i : array_like, optional
            Ion quasi-Fermi levels, eV (default: equal to mu_e, one chemical potential).
        n_scan : int
            Scan points of the root search on [0, K0/2].

        Returns
        -------
        list of CouplingResult
        """
        me = v.finite_array("mu_e", mu_e)
        mi = me if mu_i is None else v.finite_array("mu_i", mu_i)
        try:
            me, mi = np.broadcast_arrays(me, mi)
        except ValueError:
            v.fail("mu_i", f"an array of shape {mi.shape}", f"broadcastable with mu_e {me.shape}")
        n_scan = v.integer("n_scan", n_scan, 8, 10**6)
        # each point costs about n_scan + 60 map evaluations of n_k zone points each
        work = me.size * (n_scan + 60) * (self.n_k or 4096)
        if work > _MAX_WORK:
            v.fail("n_scan", n_scan, f"such that points x (n_scan + 60) x n_k <= {_MAX_WORK:.0e} "
                   f"(asked: {me.size} x {n_scan + 60} x {self.n_k or 4096} = {work:.1e}, "
                   "minutes to hours of work); use fewer points, n_scan or n_k")
        sols = _c.solve_coupling(self._model, _flat(me), _flat(mi), self.T, int(self.n_k),
                                 n_scan, self.rule, v.threads(threads))
        return [CouplingResult(S=d["S"], xi0=d["xi0"], roots=np.asarray(d["roots"]),
                               residuals=np.asarray(d["residuals"]),
                               omega=np.asarray(d["omega"]), chosen=d["chosen"],
                               rules_disagree=d["rules_disagree"], intercell=d["intercell"],
                               n_k=d["n_k"], mu_e=float(a), mu_i=float(b), T=self.T,
                               rule=self.rule)
                for d, a, b in zip(sols, _flat(me), _flat(mi))]

    def coupling_map(self, S: float, *, n_k: int | None = None) -> float:
        """F(S) of the self-consistency S = F(S) at this model's (mu_e, mu_i, T), eV."""
        nk = v.integer("n_k", n_k or self.n_k or self.coupling.n_k or 2048, 8, _MAX_NK)
        S = v.in_range("S", S, 0.0, 0.5 * self.K0)  # the self-consistency's domain
        return float(_c.coupling_map(self._model, S, self.mu_e, self.mu_i,
                                     self.T, nk))

    def grand_potential(self, S: float, *, n_k: int | None = None) -> float:
        """Mean-field grand potential per cell at coupling S, eV."""
        nk = v.integer("n_k", n_k or self.n_k or self.coupling.n_k or 2048, 8, _MAX_NK)
        return float(_c.grand_potential(self._model, v.non_negative("S", S), self.mu_e,
                                        self.mu_i, self.T, nk))

    @property
    def S_value(self) -> float:
        """The coupling |S| in use, eV (given or self-consistent)."""
        return self.coupling.S

    @property
    def xi0(self) -> float:
        """Mixing at k = 0 (eq 35) for the coupling in use."""
        return self.coupling.xi0

    @property
    def j(self) -> float:
        """Hopping ratio |J0e/J0i|."""
        return abs(self.J0e / self.J0i)

    @property
    def K_bar(self) -> float:
        """Kbar = K0 + Ka, eV."""
        return self.K0 + self.Ka

    def delta_J(self, k: npt.ArrayLike) -> np.ndarray:
        """Delta J_k of eq 34 (with the -Kbar/2 shift), eV, at k in 1/Angstrom."""
        ka = v.finite_array("k", k) * self.a
        return np.vectorize(lambda x: _c.delta_J(self._model, float(x)))(ka)

    def hamiltonian(self, k: float) -> np.ndarray:
        """The 2x2 Bloch Hamiltonian of eq 33 (basis electron, ion) at k (1/Angstrom), eV."""
        return np.asarray(_c.hamiltonian(self._model, self.S_value, v.finite("k", k)))

    # --- bands ----------------------------------------------------------------------------

    def bands(self, k: npt.ArrayLike | None = None, *, n: int = 201,
              threads: int = 0) -> AmbipolaronBands:
        """Ambipolaron bands (eq 34) with their electron/ion character.

        Parameters
        ----------
        k : array_like, optional
            Wavevectors, 1/Angstrom (default: ``n`` points over [-pi/a, pi/a]).

        Returns
        -------
        AmbipolaronBands
        """
        if k is None:
            k = np.linspace(-np.pi / self.a, np.pi / self.a, int(n))
        ka = v.finite_array("k", k)
        Ep, Em, wp, wm, xi = _c.bands(self._model, self.S_value, _flat(ka), v.threads(threads))
        sh = ka.shape
        return AmbipolaronBands(k=ka, E_plus=np.asarray(Ep).reshape(sh),
                                E_minus=np.asarray(Em).reshape(sh),
                                electron_plus=np.asarray(wp).reshape(sh),
                                electron_minus=np.asarray(wm).reshape(sh),
                                xi=np.asarray(xi).reshape(sh), S=self.S_value)

    # --- transport ------------------------------------------------------------------------

    def tau_ratio(self, j: npt.ArrayLike | None = None, rho_ratio: npt.ArrayLike | None = None,
                  xi0: npt.ArrayLike | None = None, method: str = "exact") -> np.ndarray:
        """tau+/tau- from reciprocity (see :func:`tau_ratio`); j and xi0 default to the
        model's, rho_ratio = rho_e/rho_i is required."""
        if rho_ratio is None:
            v.fail("rho_ratio", None, "given (rho_e/rho_i, >= 0)")
        return tau_ratio(self.j if j is None else j, rho_ratio,
                         self.xi0 if xi0 is None else xi0, method)

    def alpha_star(self, j: npt.ArrayLike | None = None, rho_ratio: npt.ArrayLike | None = None,
                   xi0: npt.ArrayLike | None = None, method: str = "eq40"
                   ) -> tuple[np.ndarray, np.ndarray]:
        """(alpha_i*, alpha_e*) of eq 40-41 (see :func:`alpha_star`); j and xi0 default to the
        model's, rho_ratio = rho_e/rho_i is required."""
        if rho_ratio is None:
            v.fail("rho_ratio", None, "given (rho_e/rho_i, >= 0)")
        return alpha_star(self.j if j is None else j, rho_ratio,
                          self.xi0 if xi0 is None else xi0, method)

    def prefactor(self, rho_i: float, tau_minus: float) -> float:
        """``tau- a^2 rho_i |J0i| / hbar^2`` in 1/(eV cm s): the unit of the reduced matrix."""
        return float(_c.onsager_prefactor(v.positive("tau_minus", tau_minus), self.a,
                                          v.non_negative("rho_i", rho_i), self.J0i))

    def onsager(self, rho_e: float, rho_i: float, tau_minus: float,
                tau_plus: float | None = None, method: str = "exact", *,
                warn: bool = True) -> OnsagerResult:
        """The Onsager matrix of eq 38 for this model.

        Parameters
        ----------
        rho_e, rho_i : float
            Electron and mobile-ion carrier densities, cm^-3 (rho_i > 0, rho_e >= 0).
        tau_minus : float
            Relaxation time of the ionic branch, s.
        tau_plus : float, optional
            Relaxation time of the electronic branch, s. If omitted it is fixed by Onsager
            reciprocity L_ei = L_ie through ``method``.
        method : {"exact", "eq39", "eq46"}
            How tau+/tau- is obtained when tau_plus is not given.
        warn : bool
            Issue an :class:`OnsagerWarning` if the matrix is not positive semi-definite.

        Returns
        -------
        OnsagerResult
        """
        v.choice("method", method, TAU_METHODS)
        re = v.non_negative("rho_e", rho_e)
        ri = v.positive("rho_i", rho_i)
        tm = v.positive("tau_minus", tau_minus)
        t = None if tau_plus is None else v.positive("tau_plus", tau_plus) / tm
        red = onsager_matrix(self.j, re / ri, self.xi0, tau_ratio=t, method=method, warn=False)
        pref = self.prefactor(ri, tm)
        L = np.asarray(red.L) * pref
        ee, ei, ie, ii = (float(x) for x in (L[0, 0], L[0, 1], L[1, 0], L[1, 1]))
        psd, lam = _psd(np.asarray(ee), np.asarray(ei), np.asarray(ie), np.asarray(ii),
                        warn=warn, stacklevel=3)
        dp, dm = _c.branch_mobility(self.j, self.xi0)
        kT = float(units.kT(self.T))
        # kT a^2 |J0i| / hbar^2 in cm^2/s per s of tau (eq 36-37), with the core's constants
        D_unit = kT * float(_c.onsager_prefactor(1.0, self.a, 1.0, self.J0i))
        ratio = float(red.tau_ratio)
        big = max(abs(ei), abs(ie))
        return OnsagerResult(L=L, L_ee=ee, L_ei=ei, L_ie=ie, L_ii=ii, tau_plus=ratio * tm,
                             tau_minus=tm, tau_ratio=ratio, xi0=self.xi0, j=self.j, rho_e=re,
                             rho_i=ri, D_plus=D_unit * ratio * tm * dp, D_minus=D_unit * tm * dm,
                             alpha_i=float(red.alpha_i), alpha_e=float(red.alpha_e),
                             psd=bool(psd), min_eigenvalue=float(lam),
                             reciprocity_residual=abs(ei - ie) / big if big > 0 else 0.0,
                             method="given" if tau_plus is not None else method)
