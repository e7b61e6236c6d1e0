"""Mobile-ion doping and the super-ionic transition (paper section 3.2, appendix 5.1).

Heavy mobile-ion doping cancels the inter-site Coulomb repulsion: the self-consistent
mean-field Coulomb scattering ``|S00|`` of eq 42 collapses at a first-order transition, the
carrier formation energy drops and the conductivity (eq 30) jumps by orders of magnitude.

>>> import quasiion
>>> chain = quasiion.DopedChain(U_A=-0.6, U_B=-0.18, J0=-0.26, a=4.0)
>>> sol = chain.solve(mu=0.05, T=quasiion.paper.T)      # eV, K
>>> print(f"|S00| = {sol.S00:.4f} eV, sigma = {sol.conductivity():.3g} S/cm")
|S00| = 0.0031 eV, sigma = 135 S/cm
>>> sol.roots.round(4)                                 # every root of eq 42, eV
array([0.0031, 0.1383, 0.7297])

Every root of eq 42 on ``[0, K/(2 a1)]`` is found (a rigorous monotone bracketing search in
the C++ core), with its mean-field grand potential; the paper's rule picks the smallest root,
``rule="free-energy"`` the one of lowest grand potential, and ``rules_disagree`` says where
they differ. ``phase="fixed"`` is the paper's phi_s = ka/2 + pi (Fig 4), ``phase="strict"``
switches to phi_s = ka/2 when |S00| > |J0| (Fig 10). Units: eV, K, Angstrom, S/cm, cm^-3.
See ``docs/paper-notes.md`` for the derivations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as v
from . import executors as ex
from . import paper
from ._core import doping as _d
from .executors import ExecutorLike
from .results import ResultMixin

__all__ = ["DopedChain", "DopingSolution", "FillingSolution", "DopingSweep", "eq45_chain",
           "eq45_sweep"]

_RULES = ("smallest", "free-energy")
_PHASES = ("fixed", "strict")
_CARRIERS = {1: "quasi-ion", -1: "quasi-vacancy", 0: "metallic"}


def _check_mode(rule: str, phase: str) -> None:
    v.choice("rule", rule, _RULES)
    v.choice("phase", phase, _PHASES)


# Largest explicit n_k: one Gauss-Legendre panel (O(n_k) to build, O(n_k) per evaluation).
_MAX_NK = 1 << 20


def _n_k(chain: DopedChain, n_k: object, T: float, hi: int = _MAX_NK) -> int:
    """Validate an explicit zone-point count and warn when it is below what the automatic
    choice uses at ``T`` (the zone sums of eq 42 then are not converged)."""
    n = v.integer("n_k", n_k, 0, hi)
    if n > 0:
        need = chain.k_points(T)
        if n < need:
            import warnings

            warnings.warn(f"n_k = {n} is below the {need} zone points the automatic choice uses "
                          f"at T = {T:g} K: S00 and sigma may be unconverged (n_k = 0 chooses)",
                          RuntimeWarning, stacklevel=3)
    return n


class DopedChain:
    """The two-site chain of section 3.2 with inter-site Coulomb repulsion K.

    Parameters
    ----------
    U_A, U_B : float
        Static on-site energies of sites A and B, eV (the Hartree shift K-bar is taken as
        absorbed in U_A, as in the paper).
    J0 : float
        Nearest-neighbour hopping, eV (only ``|J0|`` enters).
    a : float
        Lattice constant, Angstrom (sets the velocity scale of eq 30).
    K_over_a1 : float, optional
        Coulomb strength K/a1, eV, >= 0 (paper: 1.5 eV). ``|S00| <= K/(2 a1)``.
    gamma : float, optional
        a1/a2 (paper: 1). It drops out of eq 42 (the paper sets its term to zero) and is kept
        for the record.
    tau : float, keyword
        Relaxation time of eq 30, s.
    n0 : float, keyword
        Site density of eq 30, cm^-3.
    z : float, keyword
        Charge number of the mobile ion.
    """

    def __init__(self, U_A: float, U_B: float, J0: float, a: float, K_over_a1: float = 1.5,
                 gamma: float = 1.0, *, tau: float = 1e-13, n0: float = 1e22,
                 z: float = 1.0) -> None:
        self.U_A = v.energy("U_A", U_A)
        self.U_B = v.energy("U_B", U_B)
        self.J0 = v.energy("J0", J0)
        self.a = v.positive("a", a)
        self.K_over_a1 = v.non_negative("K_over_a1", K_over_a1)
        self.gamma = v.positive("gamma", gamma)
        self.tau = v.relaxation_time(tau)
        self.n0 = v.positive("n0", n0)
        self.z = v.charge(z)
        self._chain = _d.Chain(self.U_A, self.U_B, self.J0, self.a, self.K_over_a1, self.gamma)

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_eq45(cls, alpha: float, T: float = paper.T, *, U_bar: float = paper.U_BAR0,
                  a: float = paper.A_DEFAULT, K_over_a1: float = paper.K_OVER_A1,
                  gamma: float = paper.GAMMA, **carriers: float) -> DopedChain:
        """The chain of the paper's static potential eq 45,
        U(x) = 2 Ubar0 [alpha sin^2(pi x/a) + (1 - alpha) cos^2(2 pi x/a)].

        U_A, U_B and J0 come from :meth:`quasiion.Potential.eq45` ``.tight_binding(T)``
        (J0 from the full eq 16 at temperature ``T``, K).

        Parameters
        ----------
        alpha : float
            Shape parameter of eq 45 (Fig 4: 0.5, 0.6, 0.7).
        T : float
            Temperature of the hopping J0, K (default: the paper's kT = 0.026 eV).
        U_bar : float
            Ubar0 of eq 45, eV.
        a : float
            Lattice constant, Angstrom.
        K_over_a1, gamma : float
            As in the constructor.
        **carriers
            ``tau``, ``n0``, ``z`` as in the constructor.
        """
        tb = _eq45_parameters(alpha, T, U_bar=U_bar, a=a)
        return cls(tb["U_A"], tb["U_B"], tb["J0"], tb["a"], K_over_a1, gamma, **carriers)

    def __repr__(self) -> str:
        return (f"DopedChain(U_A={self.U_A!r}, U_B={self.U_B!r}, J0={self.J0!r}, a={self.a!r}, "
                f"K_over_a1={self.K_over_a1!r}, gamma={self.gamma!r}, tau={self.tau!r}, "
                f"n0={self.n0!r}, z={self.z!r})")

    # Pickling (process pools, dask): the parameters, the C++ chain rebuilt from them.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_chain", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._chain = _d.Chain(self.U_A, self.U_B, self.J0, self.a, self.K_over_a1, self.gamma)

    def _params(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("U_A", "U_B", "J0", "a", "K_over_a1", "gamma",
                                              "tau", "n0", "z")}

    @property
    def S_max(self) -> float:
        """Upper bound K/(2 a1) of |S00|, eV."""
        return 0.5 * self.K_over_a1

    def k_points(self, T: float) -> int:
        """Zone points the solver uses at temperature ``T`` (K), chosen from kT and the band
        parameters (see :func:`quasiion._core.doping.auto_k_points`)."""
        return int(_d.auto_k_points(self._chain, v.positive("T", T) * _kB()))  # type: ignore[arg-type]

    def mean_field(self, mu: float, T: float, phase: str = "fixed", *, n_k: int = 0) -> Any:
        """The mean-field problem at one (mu, T): an object with ``map(S)`` (F of eq 42, eV),
        ``grand_potential(S)`` (eV per cell), ``filling(S)`` (ions per cell) and
        ``high_branch(S)``."""
        v.choice("phase", phase, _PHASES)
        T = float(v.temperature(T))
        return _MeanFieldView(_d.MeanField(self._chain, v.energy("mu", mu), T, phase,
                                           _n_k(self, n_k, T)))

    # -- solving -------------------------------------------------------------------------------
    def solve(self, mu: float, T: float, rule: str = "smallest", phase: str = "fixed", *,
              n_k: int = 0, resolution_kT: float = 0.25) -> DopingSolution:
        """Every root of eq 42 at chemical potential ``mu`` (eV) and temperature ``T`` (K).

        Parameters
        ----------
        mu : float
            Chemical potential of the mobile ions, eV.
        T : float
            Temperature, K.
        rule : {"smallest", "free-energy"}
            Root selection: the paper's smallest root, or the lowest grand potential.
        phase : {"fixed", "strict"}
            phi_s = ka/2 + pi always (eq 29, Fig 4), or ka/2 when |S00| > |J0| (Fig 10).
        n_k : int
            Zone points (even); 0 chooses them from kT and the bands.
        resolution_kT : float
            Roots closer than this many kT may be merged by the search.

        Raises
        ------
        ValueError
            Bad input (names the parameter).
        quasiion.ConvergenceError
            No self-consistent solution (possible only for ``phase="strict"``).
        """
        _check_mode(rule, phase)
        mu = v.energy("mu", mu)
        T = float(v.temperature(T))
        v.positive("resolution_kT", resolution_kT)
        n_k = _n_k(self, n_k, T)
        d = _d.solve(self._chain, mu, T, phase, rule, n_k, float(resolution_kT))
        return DopingSolution._from_core(self, d, rule, phase)

    def solve_filling(self, n: float, T: float, rule: str = "smallest", phase: str = "fixed", *,
                      n_k: int = 0) -> FillingSolution:
        """The self-consistent state at a mobile-ion filling ``n`` (ions per cell of two
        sites, in (0, 2)) and temperature ``T`` (K): mu is found by bracketing and Brent.

        Where ``n`` falls inside a jump of n(mu) (the first-order transition: no homogeneous
        phase has that filling), the result is at the transition mu with ``coexistence=True``
        and ``filling_below``/``filling_above`` the fillings of the two coexisting phases.
        """
        _check_mode(rule, phase)
        n = v.in_range("filling", n, 0.0, 2.0, open_lo=True, open_hi=True)
        T = float(v.temperature(T))
        d = _d.solve_filling(self._chain, n, T, phase, rule, _n_k(self, n_k, T))
        base = DopingSolution._from_core(self, d["solution"], rule, phase)
        kw = {f: getattr(base, f) for f in base.__dataclass_fields__}
        return FillingSolution(**kw, target_filling=n, coexistence=bool(d["coexistence"]),
                               filling_below=float(d["filling_below"]),
                               filling_above=float(d["filling_above"]))

    def sweep(self, mu: npt.ArrayLike, T: npt.ArrayLike, rule: str = "smallest",
              phase: str = "fixed", *, n_k: int = 0, resolution_kT: float = 0.25,
              threads: int = 0,
              progress: bool | None | Callable[[int, int], None] = None,
              chunk: int | None = None, executor: ExecutorLike = None,
              save: str | Path | None = None, resume: bool = True) -> DopingSweep:
        """Solve on every mu (eV) and T (K), in parallel in C++ (GIL released).

        ``T`` may be a number (arrays of shape ``(len(mu),)``) or a 1-D array (shape
        ``(len(T), len(mu))``). Points without a self-consistent solution (strict phase only)
        are NaN with ``failed`` set.

        Parameters
        ----------
        threads : int
            C++ threads per chunk; 0: all cores in this process, one per worker elsewhere.
        progress : bool, None or callable
            A progress bar (None: when interactive), or ``progress(done, total)`` called after
            each chunk.
        chunk : int, optional
            Points per chunk (default 2048 in this process; a few chunks per worker else).
        executor : optional
            Where the chunks run: None, ``"threads"``, ``"processes"``, a number of worker
            processes, a dask scheduler address or any ``concurrent.futures.Executor`` (see
            :mod:`quasiion.executors`). The result is bit-identical for every choice.
        save : str or Path, optional
            ``.npz`` (or ``.nc``) file for the inputs, provenance and results; checkpointed
            while running. ``resume``: continue an existing file of the same sweep.
        """
        _check_mode(rule, phase)
        mu_arr = v.energy_array("mu", mu, ndim=1)
        T_arr = v.temperature(T)
        scalar_T = T_arr.ndim == 0
        T_vals = np.atleast_1d(T_arr).astype(float)
        if T_vals.ndim != 1:
            v.fail("T", f"an array of shape {T_vals.shape}", "a number or 1-dimensional")
        v.positive("resolution_kT", resolution_kT)
        chunk = None if chunk is None else v.integer("chunk", chunk, 1)
        # the conductivity of a sweep uses 2 n_k points; chosen for the whole grid, so that
        # every chunk solves with the same n_k
        n_k = _n_k(self, n_k, float(T_vals.min()), _MAX_NK // 2)
        nthreads = v.threads(threads)
        MU, TT = np.meshgrid(mu_arr, T_vals)  # (n_T, n_mu)
        task = functools.partial(_sweep_chunk, self, phase, rule, int(n_k),
                                 float(resolution_kT), ex.worker_threads(executor, nthreads))
        flat = ex.run_points(
            task, MU.size, points={"mu": MU.ravel(), "T": TT.ravel()}, executor=executor,
            chunk=chunk, progress=progress, desc="doping sweep", save=save, resume=resume,
            kind="doping-sweep", inputs={"chain": self._params(), "rule": rule, "phase": phase,
                                         "n_k": int(n_k), "resolution_kT": resolution_kT,
                                         "scalar_T": bool(scalar_T)},
            input_arrays={"mu": mu_arr, "T": T_vals}, units=SWEEP_UNITS)
        return DopingSweep._from_parts(mu_arr, T_vals, scalar_T, [flat], rule, phase,
                                       {"tau": self.tau, "n0": self.n0, "z": self.z})


class _MeanFieldView:
    """The core's mean-field problem with S checked against [0, K/(2 a1)] (eq 42 is defined
    there only)."""

    def __init__(self, core: Any) -> None:
        self._core = core

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def _S(self, S: float) -> float:
        return v.in_range("S", S, 0.0, float(self._core.S_max))

    def map(self, S: float) -> float:
        """F(S) of eq 42, eV."""
        return float(self._core.map(self._S(S)))

    def grand_potential(self, S: float) -> float:
        """Mean-field grand potential, eV per cell."""
        return float(self._core.grand_potential(self._S(S)))

    def filling(self, S: float) -> float:
        """Mobile ions per cell, in [0, 2]."""
        return float(self._core.filling(self._S(S)))

    def high_branch(self, S: float) -> bool:
        return bool(self._core.high_branch(self._S(S)))


#: Units of the per-point results of a doping sweep (written into saved files).
SWEEP_UNITS = {"mu": "eV", "T": "K", "alpha": "1", "S00": "eV", "roots": "eV",
               "grand_potential": "eV/cell", "root_grand_potential": "eV/cell",
               "sigma": "S/cm", "E_t": "eV", "filling": "ions/cell", "upper_min": "eV",
               "upper_max": "eV", "lower_min": "eV", "lower_max": "eV", "cbm_weight_B": "1",
               "carrier": "+1 quasi-ion, -1 quasi-vacancy, 0 metallic", "n_k": "1"}


def _sweep_chunk(chain: DopedChain, phase: str, rule: str, n_k: int, resolution_kT: float,
                 threads: int, pts: dict[str, np.ndarray], start: int,
                 stop: int) -> dict[str, np.ndarray]:
    return dict(_d.sweep(chain._chain, np.ascontiguousarray(pts["mu"], dtype=float),
                         np.ascontiguousarray(pts["T"], dtype=float), phase, rule, n_k,
                         resolution_kT, False, chain.tau, chain.n0, chain.z, threads))


def _eq45_chunk(kw: dict[str, float], memo: dict[tuple[float, float], tuple[float, ...]],
                phase: str, rule: str, n_k: int, resolution_kT: float, threads: int,
                pts: dict[str, np.ndarray], start: int, stop: int) -> dict[str, np.ndarray]:
    # consecutive points share (alpha, T): one chain per run of them; ``memo`` keeps the
    # chains of this call (shared by the chunks run in this process, copied to workers)
    al, T, mu = pts["alpha"], pts["T"], pts["mu"]
    cut = np.flatnonzero((np.diff(al) != 0) | (np.diff(T) != 0)) + 1
    parts = []
    for s, e in zip(np.concatenate(([0], cut)), np.concatenate((cut, [al.size]))):
        key = (float(al[s]), float(T[s]))
        if key not in memo:
            tb = _eq45_parameters(key[0], key[1], U_bar=kw["U_bar"], a=kw["a"])
            memo[key] = (tb["U_A"], tb["U_B"], tb["J0"])
        U_A, U_B, J0 = memo[key]
        c = DopedChain(U_A, U_B, J0, kw["a"], kw["K_over_a1"], kw["gamma"], tau=kw["tau"],
                       n0=kw["n0"], z=kw["z"])
        parts.append(_sweep_chunk(c, phase, rule, n_k, resolution_kT, threads,
                                  {"mu": mu[s:e], "T": T[s:e]}, 0, e - s))
    width = max(np.asarray(p["roots"]).shape[1] for p in parts)
    out: dict[str, np.ndarray] = {}
    for name in parts[0]:
        arrs = [np.asarray(p[name]) for p in parts]
        if arrs[0].ndim == 2:
            arrs = [np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=np.nan)
                    for a in arrs]
        out[name] = np.concatenate(arrs)
    return out


def eq45_sweep(mu: npt.ArrayLike, T: npt.ArrayLike, alpha: npt.ArrayLike,
               rule: str = "smallest", phase: str = "fixed", *, U_bar: float = paper.U_BAR0,
               a: float = paper.A_DEFAULT, K_over_a1: float = paper.K_OVER_A1,
               gamma: float = paper.GAMMA, tau: float = 1e-13, n0: float = 1e22, z: float = 1.0,
               n_k: int = 0, resolution_kT: float = 0.25, threads: int = 0,
               progress: bool | None | Callable[[int, int], None] = None,
               chunk: int | None = None, executor: ExecutorLike = None,
               save: str | Path | None = None, resume: bool = True) -> DopingSweep:
    """The (alpha, T, mu) phase diagram of the eq 45 chains: :meth:`DopedChain.sweep` of
    ``DopedChain.from_eq45(alpha, T)`` at every alpha and T (J0 from eq 16 at that T).

    Arrays of the result have shape ``(len(alpha), len(T), len(mu))`` (roots one more axis)
    and the result's ``alpha`` field holds the alphas. mu in eV, T in K, U_bar in eV, a in
    Angstrom, K_over_a1 in eV, tau in s, n0 in cm^-3. ``executor``, ``chunk``, ``progress``,
    ``save``, ``resume`` and ``threads`` as for :meth:`DopedChain.sweep`.
    """
    _check_mode(rule, phase)
    mu_arr = v.finite_array("mu", mu, ndim=1)
    al = v.finite_array("alpha", alpha)
    al = np.atleast_1d(al).astype(float)
    if al.ndim != 1:
        v.fail("alpha", f"an array of shape {al.shape}", "a number or 1-dimensional")
    T_vals = np.atleast_1d(v.temperature(T)).astype(float)
    if T_vals.ndim != 1:
        v.fail("T", f"an array of shape {T_vals.shape}", "a number or 1-dimensional")
    v.positive("resolution_kT", resolution_kT)
    n_k = v.integer("n_k", n_k, 0, _MAX_NK // 2)
    threads = v.threads(threads)
    for x in al:  # the checks of _eq45_parameters, before any work is sent
        v.in_range("alpha", float(x), 0.0, 1.0)
        if x >= 0.8 and U_bar < 0:
            v.fail("alpha", float(x), "< 0.8 for a two-site chain (eq 45 has no interstitial "
                   "well at x = 0 from alpha = 0.8 on)")
    kw = {"U_bar": v.finite("U_bar", U_bar), "a": v.positive("a", a),
          "K_over_a1": v.non_negative("K_over_a1", K_over_a1), "gamma": v.positive("gamma", gamma),
          "tau": v.non_negative("tau", tau), "n0": v.positive("n0", n0), "z": v.finite("z", z)}
    AL, TT, MU = np.meshgrid(al, T_vals, mu_arr, indexing="ij")
    task = functools.partial(_eq45_chunk, kw, {}, phase, rule, int(n_k), float(resolution_kT),
                             ex.worker_threads(executor, int(threads)))
    flat = ex.run_points(
        task, MU.size, points={"alpha": AL.ravel(), "T": TT.ravel(), "mu": MU.ravel()},
        executor=executor, chunk=chunk, progress=progress, desc="eq 45 sweep", save=save,
        resume=resume, kind="eq45-sweep",
        inputs={**kw, "rule": rule, "phase": phase, "n_k": int(n_k),
                "resolution_kT": resolution_kT},
        input_arrays={"alpha": al, "T": T_vals, "mu": mu_arr}, units=SWEEP_UNITS)
    return DopingSweep._from_flat(mu_arr, T_vals, al, flat, rule, phase,
                                  {"tau": kw["tau"], "n0": kw["n0"], "z": kw["z"]})


def _kB() -> float:
    from .units import k_B

    return k_B


def eq45_chain(alpha: float, T: float = paper.T, *, U_bar: float = paper.U_BAR0,
               a: float = paper.A_DEFAULT, **kwargs: float) -> DopedChain:
    """The doped chain of the eq 45 potential at temperature ``T`` (K): the same as
    :meth:`DopedChain.from_eq45` (``kwargs``: ``K_over_a1``, ``gamma``, ``tau``, ``n0``,
    ``z``). Its ``Ea_AB``/``Ea_BA`` (eV) are on :func:`quasiion.Potential.eq45`'s
    ``tight_binding(T)``."""
    return DopedChain.from_eq45(alpha, T, U_bar=U_bar, a=a, **kwargs)


def _eq45_parameters(alpha: float, T: float, *, U_bar: float, a: float) -> dict[str, float]:
    """U_A, U_B, J0 (eV), E_a^AB, E_a^BA (eV) and a (Angstrom) of the eq 45 potential at
    temperature ``T`` (K), from :class:`quasiion.Potential` (section 2 / eq 16)."""
    from .potential import Potential

    alpha = v.in_range("alpha", alpha, 0.0, 1.0)
    if alpha >= 0.8 and U_bar < 0:
        # U''(0) of eq 45 is 2 Ubar0 (pi/a)^2 (10 alpha - 8): no well at x = 0 from 0.8 on
        v.fail("alpha", alpha, "< 0.8 for a two-site chain: from alpha = 0.8 on eq 45 has no "
               "interstitial well at x = 0 (one site per cell, no gap, no doping transition)")
    tb = Potential.eq45(alpha, U_bar=U_bar, a=a).tight_binding(T)
    out = {k: float(getattr(tb, k)) for k in ("U_A", "U_B", "J0", "Ea_AB", "Ea_BA", "a")}
    if out["U_A"] == out["U_B"] and out["Ea_AB"] == out["Ea_BA"]:
        v.fail("alpha", alpha, "such that eq 45 has two distinct wells per cell (at this alpha "
               f"and T = {T:g} K the interstitial well at x = 0 is too shallow to hold a site)")
    return out


@dataclass(frozen=True)
class DopingSolution(ResultMixin):
    """The self-consistent state at one (mu, T).

    Attributes
    ----------
    mu : float
        Chemical potential, eV.
    T : float
        Temperature, K.
    S00 : float
        Selected |S00| (eV).
    roots : ndarray
        Every root of eq 42 on [0, K/(2 a1)], ascending, eV.
    grand_potential : ndarray
        Mean-field grand potential of each root, eV per cell.
    residuals : ndarray
        F(S) - S at each root, eV.
    root_high_branch : ndarray of bool
        True where the root uses phi_s = ka/2 (strict phase, S > |J0|).
    selected, smallest, lowest_omega : int
        Index of the root chosen by ``rule``, of the smallest root, of the lowest Omega.
    rules_disagree : bool
        The smallest root is not the one of lowest grand potential.
    high_branch : bool
        The selected root uses phi_s = ka/2.
    filling : float
        Mobile ions per cell (two sites), in [0, 2].
    n_k : int
        Zone points used.
    rule, phase : str
        How the solution was chosen.
    """

    chain: DopedChain = field(repr=False)
    mu: float
    T: float
    S00: float
    roots: np.ndarray
    grand_potential: np.ndarray
    residuals: np.ndarray
    root_high_branch: np.ndarray
    tangent: np.ndarray
    selected: int
    smallest: int
    lowest_omega: int
    rules_disagree: bool
    high_branch: bool
    filling: float
    n_k: int
    rule: str
    phase: str

    @classmethod
    def _from_core(cls, chain: DopedChain, d: dict[str, Any], rule: str,
                   phase: str) -> DopingSolution:
        return cls(chain=chain, mu=float(d["mu"]), T=float(d["T"]), S00=float(d["S00"]),
                   roots=np.asarray(d["roots"]), grand_potential=np.asarray(d["grand_potential"]),
                   residuals=np.asarray(d["residuals"]),
                   root_high_branch=np.asarray(d["root_high_branch"], dtype=bool),
                   tangent=np.asarray(d["tangent"], dtype=bool), selected=int(d["selected"]),
                   smallest=int(d["smallest"]), lowest_omega=int(d["lowest_omega"]),
                   rules_disagree=bool(d["rules_disagree"]), high_branch=bool(d["high_branch"]),
                   filling=float(d["filling"]), n_k=int(d["n_k"]), rule=rule, phase=phase)

    def to_dict(self) -> dict[str, Any]:
        """Fields as a dict (the chain as its parameters)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "chain"}
        c = self.chain
        out.update(U_A=c.U_A, U_B=c.U_B, J0=c.J0, a=c.a, K_over_a1=c.K_over_a1)
        return out

    @property
    def phi_s(self) -> str:
        """Phase of S_0k: ``"ka/2+pi"`` (eq 29) or ``"ka/2"`` (strict high branch)."""
        return "ka/2" if self.high_branch else "ka/2+pi"

    def bands(self, k: npt.ArrayLike) -> np.ndarray:
        """Eq 29 at wavevectors ``k`` (1/Angstrom): array (len(k), 2) of E- and E+, eV."""
        k_arr = np.atleast_1d(v.finite_array("k", k))
        return np.asarray(_d.bands(self.chain._chain, self.S00, self.high_branch,
                                   k_arr.astype(float).ravel()))

    def band_edges(self) -> dict[str, float]:
        """Band edges (eV), the k of the conduction-band minimum (1/Angstrom) and the
        sublattice weights of the CBM state."""
        return dict(_d.band_edges(self.chain._chain, self.S00, self.high_branch))

    @property
    def E_t(self) -> float:
        """Carrier formation energy, eV: distance from mu to the conduction band (0 inside)."""
        return float(_d.carrier_formation_energy(self.chain._chain, self.S00, self.high_branch,
                                                 self.mu)[0])

    @property
    def carrier(self) -> str:
        """``"quasi-ion"`` (mu below the conduction band), ``"quasi-vacancy"`` (above) or
        ``"metallic"``."""
        c = _d.carrier_formation_energy(self.chain._chain, self.S00, self.high_branch, self.mu)[1]
        return _CARRIERS[int(c)]

    def conductivity(self, T: float | None = None, *, tau: float | None = None,
                     n0: float | None = None, z: float | None = None, n_k: int = 0,
                     both_bands: bool = False) -> float:
        """Eq 30 in S/cm from the self-consistent conduction band (``both_bands`` adds the
        valence band). ``T`` (K) defaults to the solution's; tau (s), n0 (cm^-3), z default
        to the chain's."""
        c = self.chain
        T_ = self.T if T is None else float(v.temperature(T))
        tau_ = c.tau if tau is None else v.relaxation_time(tau)
        n0_ = c.n0 if n0 is None else v.positive("n0", n0)
        z_ = c.z if z is None else v.charge(z)
        n_k = _n_k(c, n_k, T_)
        return float(_d.conductivity(c._chain, self.S00, self.high_branch, self.mu, T_, tau_,
                                     n0_, z_, n_k, bool(both_bands)))


@dataclass(frozen=True)
class FillingSolution(DopingSolution):
    """A :class:`DopingSolution` found from a filling: also ``target_filling`` (ions per
    cell), ``coexistence`` (the target lies inside the density jump of the transition) and
    ``filling_below``/``filling_above`` (the two phases' fillings at ``mu``)."""

    target_filling: float = 0.0
    coexistence: bool = False
    filling_below: float = 0.0
    filling_above: float = 0.0


@dataclass
class DopingSweep(ResultMixin):
    """A sweep over mu (eV) and T (K). Arrays are ``(len(mu),)`` for a scalar T, else
    ``(len(T), len(mu))``; ``roots``/``root_grand_potential`` have one more axis (NaN-padded).

    Fields: ``S00`` (eV), ``roots`` (eV), ``n_roots``, ``root_grand_potential`` and
    ``grand_potential`` (eV per cell), ``sigma`` (S/cm, eq 30), ``E_t`` (eV), ``carrier``
    (+1 quasi-ion, -1 quasi-vacancy, 0 metallic, NaN where failed), ``filling`` (ions per cell),
    ``rules_disagree``, ``high_branch``, ``failed`` (bool), band edges ``upper_min``,
    ``upper_max``, ``lower_min``, ``lower_max`` (eV) and ``cbm_weight_B`` (B-site weight of
    the conduction-band minimum).
    """

    mu: np.ndarray
    T: np.ndarray | float
    rule: str
    phase: str
    S00: np.ndarray
    roots: np.ndarray
    n_roots: np.ndarray
    root_grand_potential: np.ndarray
    grand_potential: np.ndarray
    sigma: np.ndarray
    E_t: np.ndarray
    carrier: np.ndarray
    filling: np.ndarray
    rules_disagree: np.ndarray
    high_branch: np.ndarray
    failed: np.ndarray
    upper_min: np.ndarray
    upper_max: np.ndarray
    lower_min: np.ndarray
    lower_max: np.ndarray
    cbm_weight_B: np.ndarray
    # the carriers of sigma (eq 30): relaxation time s, site density cm^-3, charge number
    tau: float = float("nan")
    n0: float = float("nan")
    z: float = float("nan")
    alpha: np.ndarray | None = None

    _ROW = ("S00", "grand_potential", "sigma", "E_t", "carrier", "filling", "rules_disagree",
            "high_branch", "upper_min", "upper_max", "lower_min", "lower_max", "cbm_weight_B",
            "n_roots")

    @classmethod
    def _from_parts(cls, mu: np.ndarray, T: np.ndarray, scalar_T: bool,
                    parts: list[dict[str, np.ndarray]], rule: str, phase: str,
                    carriers: dict[str, float] | None = None) -> DopingSweep:
        shape = (T.size, mu.size)
        cat: dict[str, np.ndarray] = {}
        for key in cls._ROW + ("selected",):
            cat[key] = np.concatenate([np.asarray(p[key]) for p in parts]).reshape(shape)
        width = max(np.asarray(p["roots"]).shape[1] for p in parts)

        def pad(key: str) -> np.ndarray:
            rows = []
            for p in parts:
                a = np.asarray(p[key])
                rows.append(np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=np.nan))
            return np.concatenate(rows).reshape(shape + (width,))

        roots, rgp = pad("roots"), pad("root_grand_potential")
        failed = cat.pop("selected") < 0
        out = {k: cat[k] for k in cls._ROW}
        out["rules_disagree"] = out["rules_disagree"].astype(bool)
        out["high_branch"] = out["high_branch"].astype(bool)
        # a point without a solution has no carrier type (0 would read as "metallic")
        out["carrier"] = np.where(failed, np.nan, out["carrier"].astype(float))
        if scalar_T:
            out = {k: a[0] for k, a in out.items()}
            roots, rgp, failed = roots[0], rgp[0], failed[0]
        return cls(mu=mu, T=float(T[0]) if scalar_T else T, rule=rule, phase=phase, roots=roots,
                   root_grand_potential=rgp, failed=failed, **out,  # type: ignore[arg-type]
                   **(carriers or {}))  # type: ignore[arg-type]

    @classmethod
    def _from_flat(cls, mu: np.ndarray, T: np.ndarray, alpha: np.ndarray,
                   flat: dict[str, np.ndarray], rule: str, phase: str,
                   carriers: dict[str, float] | None = None) -> DopingSweep:
        shape = (alpha.size, T.size, mu.size)
        out = {k: np.asarray(flat[k]).reshape(shape) for k in cls._ROW}
        out["rules_disagree"] = out["rules_disagree"].astype(bool)
        out["high_branch"] = out["high_branch"].astype(bool)
        failed = np.asarray(flat["selected"]).reshape(shape) < 0
        # as in _from_parts: a point without a solution has no carrier type
        out["carrier"] = np.where(failed, np.nan, out["carrier"].astype(float))
        w = np.asarray(flat["roots"]).shape[1]
        return cls(mu=mu, T=T, rule=rule, phase=phase,
                   roots=np.asarray(flat["roots"]).reshape(shape + (w,)),
                   root_grand_potential=np.asarray(flat["root_grand_potential"]).reshape(
                       shape + (w,)),
                   failed=failed, alpha=alpha, **out,  # type: ignore[arg-type]
                   **(carriers or {}))  # type: ignore[arg-type]

    def for_alpha(self, i: int) -> DopingSweep:
        """The sweep of the ``i``-th alpha of an :func:`eq45_sweep` (arrays ``(len(T),
        len(mu))``, or ``(len(mu),)`` when it has one temperature)."""
        if self.alpha is None:
            raise ValueError("for_alpha: this sweep has no alpha axis (not from eq45_sweep)")
        one_T = np.ndim(self.T) == 1 and np.size(self.T) == 1
        kw: dict[str, Any] = {}
        for k in self.__dataclass_fields__:
            val = getattr(self, k)
            if k in ("mu", "rule", "phase", "tau", "n0", "z"):
                kw[k] = val
            elif k == "T":
                kw[k] = float(np.asarray(val)[0]) if one_T else val
            elif k == "alpha":
                kw[k] = None
            else:
                kw[k] = val[i, 0] if one_T else val[i]
        return DopingSweep(**kw)

    @classmethod
    def from_file(cls, path: str | Path) -> DopingSweep:
        """The sweep saved by ``sweep(..., save=path)`` or :func:`eq45_sweep` (complete)."""
        s = ex.load(path)
        if s.kind not in ("doping-sweep", "eq45-sweep"):
            raise ValueError(f"path = {str(path)!r}: holds a {s.kind!r}, not a doping sweep")
        if not s.complete:
            raise ValueError(f"path = {str(path)!r}: {int(s.done.sum())} of {s.done.size} "
                             "points done; resume the sweep with the same save= first")
        inp, meta = s.meta["inputs"], s.inputs
        if s.kind == "eq45-sweep":
            carriers = {k: float(inp[k]) for k in ("tau", "n0", "z")}
            return cls._from_flat(meta["mu"], meta["T"], meta["alpha"], s.results,
                                  inp["rule"], inp["phase"], carriers)
        carriers = {k: float(inp["chain"][k]) for k in ("tau", "n0", "z")}
        return cls._from_parts(meta["mu"], meta["T"], bool(inp["scalar_T"]), [s.results],
                               inp["rule"], inp["phase"], carriers)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def save_npz(self, path: Any) -> Any:
        """Write every array into a compressed ``.npz``."""
        from pathlib import Path

        p = Path(path)
        np.savez_compressed(p, **{k: np.asarray(a) for k, a in self.to_dict().items()  # type: ignore[arg-type]
                                  if a is not None})
        return p

    def table(self) -> dict[str, np.ndarray]:
        """Flat columns (one row per (T, mu) point, roots as root_0, root_1, ...) for CSV."""
        mu = np.broadcast_to(self.mu, self.S00.shape).ravel()
        T = np.broadcast_to(np.asarray(self.T)[..., None] if np.ndim(self.T) else self.T,
                            self.S00.shape).ravel()
        cols: dict[str, np.ndarray] = {"mu_eV": mu, "T_K": T}
        names = {"S00": "S00_eV", "sigma": "sigma_S_per_cm", "E_t": "E_t_eV",
                 "filling": "filling_per_cell", "grand_potential": "grand_potential_eV",
                 "upper_min": "Ec_min_eV", "upper_max": "Ec_max_eV", "lower_min": "Ev_min_eV",
                 "lower_max": "Ev_max_eV", "cbm_weight_B": "cbm_weight_B", "carrier": "carrier",
                 "n_roots": "n_roots", "rules_disagree": "rules_disagree",
                 "high_branch": "high_branch", "failed": "failed"}
        for k, name in names.items():
            cols[name] = np.asarray(getattr(self, k)).ravel()
        r = self.roots.reshape(-1, self.roots.shape[-1])
        for j in range(r.shape[1]):
            cols[f"root_{j}_eV"] = r[:, j]
        return cols

    def save_csv(self, path: Any) -> Any:
        """Write :meth:`table` as CSV with units in the column names."""
        from pathlib import Path

        p = Path(path)
        cols = self.table()
        with p.open("w") as fh:
            fh.write(f"# quasiion doping sweep: rule = {self.rule}, phase = {self.phase}; "
                     f"sigma (eq 30) for mobile ions of charge z = {self.z:g}, site density "
                     f"n0 = {self.n0:g} cm^-3, relaxation time tau = {self.tau:g} s\n")
            fh.write(",".join(cols) + "\n")
            for row in zip(*cols.values()):
                fh.write(",".join(f"{float(x):.10g}" for x in row) + "\n")
        return p

    def __repr__(self) -> str:
        shape = np.shape(self.S00)
        T = f"T={self.T:g} K" if np.ndim(self.T) == 0 else f"{np.size(self.T)} temperatures"
        return (f"DopingSweep({shape[-1]} mu in [{self.mu.min():g}, {self.mu.max():g}] eV, {T}, "
                f"rule={self.rule!r}, phase={self.phase!r}, failed={int(np.sum(self.failed))})")

    def transition(self) -> dict[str, Any]:
        """The transition along mu in each row: the mu where S00 drops most between
        neighbouring points (``mu_below``, ``mu_above``), the drop (eV) and the conductivity
        jump across it in decades; ``kind`` is ``"jump"`` there, or ``"none"`` (values NaN)
        where S00 never drops by a jump (a single mu, S00 constant or only decreasing
        smoothly: no step takes a quarter of the row's range of S00)."""
        S = np.atleast_2d(self.S00)
        sig = np.atleast_2d(self.sigma)
        rows = np.arange(S.shape[0])
        nan = np.full(S.shape[0], np.nan)
        out: dict[str, Any]
        if S.shape[1] < 2:
            out = {"mu_below": nan, "mu_above": nan.copy(), "drop": nan.copy(),
                   "sigma_jump_decades": nan.copy(), "kind": np.full(S.shape[0], "none")}
        else:
            dS = S[:, :-1] - S[:, 1:]
            i = np.argmax(np.where(np.isfinite(dS), dS, -np.inf), axis=1)
            drop = dS[rows, i]
            span = np.nanmax(S, axis=1) - np.nanmin(S, axis=1)
            found = np.isfinite(drop) & (drop > 1e-9) & (drop >= 0.25 * span)
            with np.errstate(divide="ignore", invalid="ignore"):
                jump = np.log10(sig[rows, i + 1] / sig[rows, i])
            out = {"mu_below": np.where(found, self.mu[i], np.nan),
                   "mu_above": np.where(found, self.mu[np.minimum(i + 1, self.mu.size - 1)],
                                        np.nan),
                   "drop": np.where(found, drop, np.nan),
                   "sigma_jump_decades": np.where(found, jump, np.nan),
                   "kind": np.where(found, "jump", "none")}
        if np.ndim(self.S00) == 1:
            out = {k: a[0] for k, a in out.items()}
            out["kind"] = str(out["kind"])
        return out
