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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as v
from . import paper
from ._core import doping as _d
from .results import ResultMixin

__all__ = ["DopedChain", "DopingSolution", "FillingSolution", "DopingSweep", "eq45_chain"]

_RULES = ("smallest", "free-energy")
_PHASES = ("fixed", "strict")
_CARRIERS = {1: "quasi-ion", -1: "quasi-vacancy", 0: "metallic"}


def _check_mode(rule: str, phase: str) -> None:
    v.choice("rule", rule, _RULES)
    v.choice("phase", phase, _PHASES)


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
        self.U_A = v.finite("U_A", U_A)
        self.U_B = v.finite("U_B", U_B)
        self.J0 = v.finite("J0", J0)
        self.a = v.positive("a", a)
        self.K_over_a1 = v.non_negative("K_over_a1", K_over_a1)
        self.gamma = v.positive("gamma", gamma)
        self.tau = v.non_negative("tau", tau)
        self.n0 = v.positive("n0", n0)
        self.z = v.finite("z", z)
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
        tb = eq45_chain(alpha, T, U_bar=U_bar, a=a)
        return cls(tb["U_A"], tb["U_B"], tb["J0"], tb["a"], K_over_a1, gamma, **carriers)

    def __repr__(self) -> str:
        return (f"DopedChain(U_A={self.U_A!r}, U_B={self.U_B!r}, J0={self.J0!r}, a={self.a!r}, "
                f"K_over_a1={self.K_over_a1!r}, gamma={self.gamma!r}, tau={self.tau!r}, "
                f"n0={self.n0!r}, z={self.z!r})")

    @property
    def S_max(self) -> float:
        """Upper bound K/(2 a1) of |S00|, eV."""
        return 0.5 * self.K_over_a1

    def k_points(self, T: float) -> int:
        """Zone points the solver uses at temperature ``T`` (K), chosen from kT and the band
        parameters (see :func:`quasiion._core.doping.auto_k_points`)."""
        return int(_d.auto_k_points(self._chain, float(v.temperature(T)) * _kB()))

    def mean_field(self, mu: float, T: float, phase: str = "fixed", *, n_k: int = 0) -> Any:
        """The mean-field problem at one (mu, T): an object with ``map(S)`` (F of eq 42, eV),
        ``grand_potential(S)`` (eV per cell), ``filling(S)`` (ions per cell) and
        ``high_branch(S)``."""
        v.choice("phase", phase, _PHASES)
        return _d.MeanField(self._chain, v.finite("mu", mu), float(v.temperature(T)), phase,
                            int(n_k))

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
        mu = v.finite("mu", mu)
        T = float(v.temperature(T))
        v.positive("resolution_kT", resolution_kT)
        d = _d.solve(self._chain, mu, T, phase, rule, int(n_k), float(resolution_kT))
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
        d = _d.solve_filling(self._chain, n, T, phase, rule, int(n_k))
        base = DopingSolution._from_core(self, d["solution"], rule, phase)
        kw = {f: getattr(base, f) for f in base.__dataclass_fields__}
        return FillingSolution(**kw, target_filling=n, coexistence=bool(d["coexistence"]),
                               filling_below=float(d["filling_below"]),
                               filling_above=float(d["filling_above"]))

    def sweep(self, mu: npt.ArrayLike, T: npt.ArrayLike, rule: str = "smallest",
              phase: str = "fixed", *, n_k: int = 0, resolution_kT: float = 0.25,
              threads: int = 0, progress: Callable[[int, int], None] | None = None,
              chunk: int = 2048) -> DopingSweep:
        """Solve on every mu (eV) and T (K), in parallel in C++ (GIL released).

        ``T`` may be a number (arrays of shape ``(len(mu),)``) or a 1-D array (shape
        ``(len(T), len(mu))``). ``progress(done, total)`` is called after each chunk of
        ``chunk`` points. Points without a self-consistent solution (strict phase only) are
        NaN with ``failed`` set.
        """
        _check_mode(rule, phase)
        mu_arr = v.finite_array("mu", mu, ndim=1)
        T_arr = v.temperature(T)
        scalar_T = T_arr.ndim == 0
        T_vals = np.atleast_1d(T_arr).astype(float)
        if T_vals.ndim != 1:
            v.fail("T", f"an array of shape {T_vals.shape}", "a number or 1-dimensional")
        v.positive("resolution_kT", resolution_kT)
        chunk = int(v.positive("chunk", chunk))
        MU, TT = np.meshgrid(mu_arr, T_vals)  # (n_T, n_mu)
        flat_mu, flat_T = MU.ravel(), TT.ravel()
        total = flat_mu.size
        parts: list[dict[str, np.ndarray]] = []
        for start in range(0, total, chunk):
            stop = min(total, start + chunk)
            parts.append(_d.sweep(self._chain, flat_mu[start:stop], flat_T[start:stop], phase,
                                  rule, int(n_k), float(resolution_kT), False, self.tau,
                                  self.n0, self.z, int(threads)))
            if progress is not None:
                progress(stop, total)
        return DopingSweep._from_parts(mu_arr, T_vals, scalar_T, parts, rule, phase)


def _kB() -> float:
    from .units import k_B

    return k_B


def eq45_chain(alpha: float, T: float = paper.T, *, U_bar: float = paper.U_BAR0,
               a: float = paper.A_DEFAULT) -> dict[str, float]:
    """U_A, U_B, J0 (eV), E_a^AB, E_a^BA (eV) and a (Angstrom) of the eq 45 potential at
    temperature ``T`` (K), from :class:`quasiion.Potential` (section 2 / eq 16)."""
    try:
        from .potential import Potential  # type: ignore[attr-defined]
    except ImportError as exc:  # pragma: no cover - until the potential module lands
        raise NotImplementedError("eq 45 parameters need quasiion.Potential") from exc
    tb = Potential.eq45(v.finite("alpha", alpha), U_bar=U_bar, a=a).tight_binding(T)
    return {k: float(getattr(tb, k)) for k in ("U_A", "U_B", "J0", "Ea_AB", "Ea_BA", "a")}


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
        tau_ = c.tau if tau is None else v.non_negative("tau", tau)
        n0_ = c.n0 if n0 is None else v.positive("n0", n0)
        z_ = c.z if z is None else v.finite("z", z)
        return float(_d.conductivity(c._chain, self.S00, self.high_branch, self.mu, T_, tau_,
                                     n0_, z_, int(n_k), bool(both_bands)))


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
    (+1 quasi-ion, -1 quasi-vacancy, 0 metallic), ``filling`` (ions per cell),
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

    _ROW = ("S00", "grand_potential", "sigma", "E_t", "carrier", "filling", "rules_disagree",
            "high_branch", "upper_min", "upper_max", "lower_min", "lower_max", "cbm_weight_B",
            "n_roots")

    @classmethod
    def _from_parts(cls, mu: np.ndarray, T: np.ndarray, scalar_T: bool,
                    parts: list[dict[str, np.ndarray]], rule: str, phase: str) -> DopingSweep:
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
        if scalar_T:
            out = {k: a[0] for k, a in out.items()}
            roots, rgp, failed = roots[0], rgp[0], failed[0]
        return cls(mu=mu, T=float(T[0]) if scalar_T else T, rule=rule, phase=phase, roots=roots,
                   root_grand_potential=rgp, failed=failed, **out)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def save_npz(self, path: Any) -> Any:
        """Write every array into a compressed ``.npz``."""
        from pathlib import Path

        p = Path(path)
        np.savez_compressed(p, **{k: np.asarray(a) for k, a in self.to_dict().items()})  # type: ignore[arg-type]
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
                 "high_branch": "high_branch"}
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
            fh.write(f"# quasiion doping sweep: rule = {self.rule}, phase = {self.phase}\n")
            fh.write(",".join(cols) + "\n")
            for row in zip(*cols.values()):
                fh.write(",".join(f"{float(x):.10g}" for x in row) + "\n")
        return p

    def transition(self) -> dict[str, np.ndarray]:
        """The transition along mu in each row: the mu where S00 drops most between
        neighbouring points (``mu_below``, ``mu_above``), the drop (eV) and the conductivity
        jump across it in decades."""
        S = np.atleast_2d(self.S00)
        sig = np.atleast_2d(self.sigma)
        dS = S[:, :-1] - S[:, 1:]
        i = np.nanargmax(np.where(np.isfinite(dS), dS, -np.inf), axis=1)
        rows = np.arange(S.shape[0])
        out = {"mu_below": self.mu[i], "mu_above": self.mu[i + 1], "drop": dS[rows, i],
               "sigma_jump_decades": np.log10(sig[rows, i + 1] / sig[rows, i])}
        if np.ndim(self.S00) == 1:
            out = {k: a[0] for k, a in out.items()}
        return out
