"""Real-space mean field of the inter-site Coulomb repulsion (eq 25-26) on a supercell.

Two decouplings of ``H' = sum_b V_b n_i n_j`` over the bonds b = (i, j, R) of a supercell
(a :class:`~quasiion.TightBinding`, sampled at Bloch vectors k of the supercell):

``mode="bond"`` -- the exchange (Fock) decoupling on every bond, a bond order per bond:
    ``G_b = <c_i^dagger c_j(R)>``, hopping ``t_b -> t_b + dt_b`` with ``dt_b = -V_b conj(G_b)``,
    ``V_b = K / |d_b|`` (K in eV*Angstrom, |d_b| the bond length in the position gauge), and
    the double-counting term ``+ sum_b V_b |G_b|^2`` in the grand potential. The Hartree
    shifts are taken as absorbed in the static on-site energies, as the paper does for K-bar.
    This is what eq 26-27 give before the paper's approximations; for a perfect chain it is
    NOT eq 42 (see docs/paper-notes.md).

``mode="paper"`` -- eq 42 in real space: one amplitude S (eV) along the unitary polar factor
    W of the static A -> B hopping block (SVD, per k), ``H_AB -> H_AB + S W``, with
    ``S = -(K/a1) Re Tr(W D_BA) / N_cells`` (``D_ij = <c_j^dagger c_i>``, averaged over k) and
    ``Omega += N_cells S^2 / (K/a1)``. Only S >= 0 is kept (eq 29's fixed phase; a negative
    fixed point is the other phase, phi_s = ka/2). For the perfect chain W is e^{i(ka/2 + pi)} at every k,
    so this is exactly eq 28-29, 42 (``|h_k| = |J0| cos(ka/2) + S``); for a distorted chain it
    extends the paper's ansatz.

The fixed point is found by Anderson (DIIS) mixing from several starting points (by default
0 and the upper bound K/(2 a1), or user values); distinct solutions are returned with their
grand potentials and the two selection rules of :class:`~quasiion.DopedChain` (smallest
amplitude, lowest grand potential). Energies eV, K eV*Angstrom, T K.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, root
from scipy.special import expit

from . import _validation as V
from . import units
from .errors import ConvergenceError
from .lattice import TightBinding
from .results import ResultMixin

__all__ = ["RealSpaceSolution", "RealSpaceMeanField", "solve_realspace_meanfield",
           "solve_realspace_filling", "anderson_fixed_point"]


def anderson_fixed_point(F, x0: np.ndarray, *, beta: float = 0.5, history: int = 6,
                         tol: float = 1e-11, max_iter: int = 400) -> tuple[np.ndarray, list[float]]:
    """x = F(x) by Anderson (DIIS) mixing of the last ``history`` iterates.

    Returns the fixed point and the history of residual norms max|F(x) - x|. Raises
    :class:`~quasiion.ConvergenceError` (with that history) after ``max_iter`` evaluations.
    """
    x = np.asarray(x0, dtype=float).copy()
    xs: list[np.ndarray] = []
    rs: list[np.ndarray] = []
    hist: list[float] = []
    best, best_x = np.inf, x.copy()
    for _ in range(max_iter):
        fx = np.asarray(F(x), dtype=float)
        r = fx - x
        hist.append(float(np.max(np.abs(r))) if r.size else 0.0)
        if hist[-1] < tol:
            return fx, hist
        if hist[-1] > 10.0 * best:
            # The extrapolation went astray: restart the history from the current point.
            xs.clear()
            rs.clear()
        if hist[-1] < best:
            best, best_x = hist[-1], x.copy()
        xs.append(x.copy())
        rs.append(r)
        if len(xs) > history:
            xs.pop(0)
            rs.pop(0)
        m = len(rs)
        if m == 1:
            x = x + beta * r
            continue
        # min |sum c_i r_i| with sum c_i = 1, via the differences; a small Tikhonov term
        # keeps nearly collinear residuals from producing huge coefficients.
        dR = np.array([rs[i] - rs[-1] for i in range(m - 1)]).T
        lam = 1e-10 * float(np.sum(dR * dR))
        coef = np.linalg.solve(dR.T @ dR + lam * np.eye(m - 1), -dR.T @ rs[-1])
        c = np.append(coef, 1.0 - coef.sum())
        xbar = sum(ci * xi for ci, xi in zip(c, xs))
        rbar = sum(ci * ri for ci, ri in zip(c, rs))
        x = xbar + beta * rbar
    err = ConvergenceError(
        f"Anderson mixing did not converge in {max_iter} iterations "
        f"(last residual {hist[-1]:.3e} eV); history = residuals", hist)
    err.best_x = best_x  # type: ignore[attr-defined]
    raise err


def _polish(G, x0: np.ndarray, tol: float, max_unknowns: int = 400) -> np.ndarray | None:
    if x0.size > max_unknowns:
        return None
    sol = root(G, x0, method="hybr", options={"xtol": 1e-14})
    return sol.x if np.max(np.abs(G(sol.x))) < tol else None


@dataclass(frozen=True)
class RealSpaceSolution(ResultMixin):
    """One self-consistent solution.

    Attributes
    ----------
    amplitude : float
        ``mode="paper"``: S (eV). ``mode="bond"``: mean |dt_b| over the bonds (eV).
    hopping_shift : ndarray (complex)
        dt_b per bond (eV), in the order of the supercell's hoppings (``mode="bond"``), or
        ``[S]`` (``mode="paper"``).
    grand_potential : float
        eV per primitive cell.
    filling : float
        Mobile ions per primitive cell.
    history : list of float
        Residual norms (eV) of the mixing, one per iteration.
    start : float
        Starting amplitude (eV).
    """

    amplitude: float
    hopping_shift: np.ndarray
    grand_potential: float
    filling: float
    history: list[float] = field(default_factory=list)
    start: float = 0.0


@dataclass(frozen=True)
class RealSpaceMeanField(ResultMixin):
    """All solutions found at (mu, T), ascending in amplitude, and the selection.

    ``selected`` follows ``rule`` ("smallest" amplitude, the paper's rule, or "free-energy");
    ``rules_disagree`` says whether the other rule would pick another solution.
    """

    mu: float
    T: float
    mode: str
    solutions: list[RealSpaceSolution]
    selected: int
    smallest: int
    lowest_omega: int
    rules_disagree: bool
    rule: str

    @property
    def solution(self) -> RealSpaceSolution:
        return self.solutions[self.selected]

    @property
    def amplitude(self) -> float:
        return self.solution.amplitude


class _Problem:
    """Bloch Hamiltonians of the supercell and the two decouplings, vectorised over k."""

    def __init__(self, tb: TightBinding, k: np.ndarray, n_cells: float, mode: str, K: float,
                 K_over_a1: float, sub_A: np.ndarray, sub_B: np.ndarray) -> None:
        self.tb, self.k, self.n_cells, self.mode = tb, k, n_cells, mode
        n = tb.n_orbitals
        hops = tb.hoppings
        self.hi = np.array([h[0] for h in hops], dtype=int)
        self.hj = np.array([h[1] for h in hops], dtype=int)
        R = np.array([h[2] for h in hops], dtype=float).reshape(len(hops), tb.dim)
        t = np.array([h[3] for h in hops], dtype=complex)
        Rc = R @ tb.vectors
        self.phase = np.exp(1j * k @ Rc.T)  # (nk, nb), cell gauge e^{i k.R}
        d = tb.positions[self.hj] - tb.positions[self.hi] + Rc
        self.length = np.linalg.norm(d, axis=1)
        H0 = np.zeros((k.shape[0], n, n), dtype=complex)
        H0[:, np.arange(n), np.arange(n)] = tb.onsite
        self._add(H0, t)
        self.H0 = H0
        if mode == "bond":
            if np.any(self.length == 0):
                V.fail("lattice", "a bond of zero length", "bonds of non-zero length (V = K/|d|)")
            self.Vb = K / self.length
        else:
            self.Ka1 = K_over_a1
            self.A, self.B = sub_A, sub_B
            blk = H0[:, sub_A[:, None], sub_B[None, :]]
            X, s, Yh = np.linalg.svd(blk)
            if np.min(s) <= 1e-12 * max(np.max(s), 1e-300):
                V.fail("k", "a Bloch vector where the A-B hopping block is singular",
                       "k points off the zone boundary (the polar factor is undefined there)")
            self.W = X @ Yh  # (nk, nA, nB)

    def _add(self, H: np.ndarray, t: np.ndarray) -> None:
        amp = t[None, :] * self.phase
        for b in range(len(t)):  # np.add.at on (k, i, j) triples
            H[:, self.hi[b], self.hj[b]] += amp[:, b]
            H[:, self.hj[b], self.hi[b]] += np.conj(amp[:, b])

    def hamiltonian(self, x: np.ndarray) -> np.ndarray:
        H = self.H0.copy()
        if self.mode == "bond":
            nb = self.hi.size
            self._add(H, x[:nb] + 1j * x[nb:])
        else:
            S = x[0]
            H[:, self.A[:, None], self.B[None, :]] += S * self.W
            H[:, self.B[:, None], self.A[None, :]] += S * np.conj(np.swapaxes(self.W, 1, 2))
        return H

    def state(self, x: np.ndarray, mu: float, kT: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        E, U = np.linalg.eigh(self.hamiltonian(x))
        f = expit(-(E - mu) / kT)
        return E, U, f

    def update(self, x: np.ndarray, mu: float, kT: float) -> np.ndarray:
        _, U, f = self.state(x, mu, kT)
        if self.mode == "bond":
            # G_b = <c_i^dag c_j(R)> = <sum_n f_n conj(psi_i) psi_j e^{ik.R}>_k
            G = np.einsum("kn,kin,kin->ki", f, np.conj(U[:, self.hi, :]), U[:, self.hj, :])
            G = np.mean(G * self.phase, axis=0)
            dt = -self.Vb * np.conj(G)
            return np.concatenate([dt.real, dt.imag])
        # D_ij = <c_j^dag c_i> = sum_n f_n psi_i conj(psi_j); Tr(W D_BA)
        D_BA = np.einsum("kn,kbn,kan->kba", f, U[:, self.B, :], np.conj(U[:, self.A, :]))
        tr = np.einsum("kab,kba->k", self.W, D_BA)
        return np.array([-self.Ka1 * np.mean(tr.real) / self.n_cells])

    def omega_and_filling(self, x: np.ndarray, mu: float, kT: float) -> tuple[float, float]:
        E, _, f = self.state(x, mu, kT)
        band = -kT * np.mean(np.sum(np.logaddexp(0.0, -(E - mu) / kT), axis=1))
        if self.mode == "bond":
            nb = self.hi.size
            dt = x[:nb] + 1j * x[nb:]
            dc = np.sum(np.abs(dt) ** 2 / self.Vb)  # V |G|^2 with |dt| = V |G|
        else:
            dc = self.n_cells * x[0] ** 2 / self.Ka1
        n = np.mean(np.sum(f, axis=1))
        return (band + dc) / self.n_cells, n / self.n_cells

    def amplitude(self, x: np.ndarray) -> float:
        if self.mode == "bond":
            nb = self.hi.size
            return float(np.mean(np.abs(x[:nb] + 1j * x[nb:])))
        return float(x[0])

    def start(self, s: float) -> np.ndarray:
        if self.mode == "bond":
            # Every bond's shift along -t_b (strengthening the hopping) with |dt_b| = s.
            t = np.array([h[3] for h in self.tb.hoppings], dtype=complex)
            u = -t / np.where(np.abs(t) > 0, np.abs(t), 1.0)
            dt = s * u
            return np.concatenate([dt.real, dt.imag])
        return np.array([s])


def _problem(tb: TightBinding, mode: str, K: float | None, K_over_a1: float | None,
             k: npt.ArrayLike | None, n_cells: float | None,
             sublattices: tuple[Sequence[int], Sequence[int]] | None) -> tuple[_Problem, float]:
    if not isinstance(tb, TightBinding):
        V.fail("lattice", type(tb).__name__, "a quasiion.TightBinding")
    V.choice("mode", mode, ("bond", "paper"))
    kk = np.zeros((1, tb.dim)) if k is None else tb._k(k)
    cells = tb.n_orbitals / 2 if n_cells is None else V.positive("n_cells", n_cells)
    A = np.arange(0, tb.n_orbitals, 2)
    B = np.arange(1, tb.n_orbitals, 2)
    if sublattices is not None:
        A, B = (np.asarray(s, dtype=int) for s in sublattices)
    if mode == "bond":
        if K is None:
            V.fail("K", K, "the Coulomb strength in eV*Angstrom (> 0) for mode='bond'")
        Kv = V.non_negative("K", K)
        bound = Kv / 2 / max(float(np.min(np.linalg.norm(
            tb.positions[[h[1] for h in tb.hoppings]] - tb.positions[[h[0] for h in tb.hoppings]]
            + np.array([h[2] for h in tb.hoppings], dtype=float).reshape(-1, tb.dim) @ tb.vectors,
            axis=1))), 1e-300)
        return _Problem(tb, kk, cells, mode, Kv, 0.0, A, B), bound
    if K_over_a1 is None:
        V.fail("K_over_a1", K_over_a1, "the Coulomb strength K/a1 in eV (>= 0) for mode='paper'")
    Ka = V.non_negative("K_over_a1", K_over_a1)
    if A.size != B.size or A.size == 0 or np.intersect1d(A, B).size or \
            min(A.min(), B.min()) < 0 or max(A.max(), B.max()) >= tb.n_orbitals:
        V.fail("sublattices", sublattices, "two disjoint, equally long lists of orbital indices")
    return _Problem(tb, kk, cells, mode, 0.0, Ka, A, B), Ka / 2


def solve_realspace_meanfield(tb: TightBinding, mu: float, T: float, *, mode: str = "bond",
                              K: float | None = None, K_over_a1: float | None = None,
                              k: npt.ArrayLike | None = None, n_cells: float | None = None,
                              sublattices: tuple[Sequence[int], Sequence[int]] | None = None,
                              starts: Sequence[float] | None = None, rule: str = "smallest",
                              tol: float = 1e-11, max_iter: int = 400, beta: float = 0.5,
                              history: int = 6) -> RealSpaceMeanField:
    """Self-consistent real-space mean field of eq 25-26 at chemical potential ``mu``.

    Parameters
    ----------
    tb : TightBinding
        The supercell (static on-site energies and hoppings).
    mu : float
        Chemical potential, eV.
    T : float
        Temperature, K.
    mode : {"bond", "paper"}
        See the module docstring.
    K : float
        Coulomb strength, eV*Angstrom (``mode="bond"``; V_b = K/|d_b|).
    K_over_a1 : float
        K/a1, eV (``mode="paper"``).
    k : array_like, shape (nk, d), optional
        Bloch vectors of the supercell, 1/Angstrom (default k = 0).
    n_cells : float, optional
        Primitive cells in the supercell (default n_orbitals / 2).
    sublattices : (A indices, B indices), optional
        ``mode="paper"``: the A and B orbitals (default even and odd orbitals).
    starts : sequence of float, optional
        Starting amplitudes (eV); default 0 and the bound K/(2 a1) (every bond's shift
        along its hopping for ``mode="bond"``). Solutions closer than 1e-7 eV are merged.
    rule : {"smallest", "free-energy"}
        Selection rule.
    tol, max_iter, beta, history :
        Anderson mixing: residual tolerance (eV), iterations per start, mixing weight, depth.

    Raises
    ------
    quasiion.ConvergenceError
        If no start converges (its ``history`` holds the residuals of the last start).
    """
    V.finite("mu", mu)
    Tk = float(V.temperature(T))
    V.choice("rule", rule, ("smallest", "free-energy"))
    prob, bound = _problem(tb, mode, K, K_over_a1, k, n_cells, sublattices)
    kT = units.k_B * Tk
    st = [0.0, bound] if starts is None else [V.finite("starts", s) for s in starts]
    sols: list[RealSpaceSolution] = []
    last_err: ConvergenceError | None = None
    for s0 in st:
        try:
            x, hist = anderson_fixed_point(lambda x: prob.update(x, mu, kT), prob.start(s0),
                                           beta=beta, history=history, tol=tol, max_iter=max_iter)
        except ConvergenceError as e:
            # Anderson stagnates near steep parts of the map (levels crossing mu): polish from
            # its best iterate with Powell's hybrid method (finite-difference Jacobian).
            last_err = e
            polished = _polish(lambda x: prob.update(x, mu, kT) - x,
                               e.best_x, tol)  # type: ignore[attr-defined]
            if polished is None:
                continue
            x = polished
            hist = list(e.history) + [float(np.max(np.abs(prob.update(x, mu, kT) - x)))]
        amp = prob.amplitude(x)
        if mode == "paper" and amp < -1e-9:
            continue  # S < 0 is the other phase (phi_s = ka/2), outside eq 42's fixed phase
        if any(abs(amp - o.amplitude) < 1e-7 for o in sols):
            continue
        om, n = prob.omega_and_filling(x, mu, kT)
        shift = (x[:x.size // 2] + 1j * x[x.size // 2:]) if mode == "bond" else x.astype(complex)
        sols.append(RealSpaceSolution(amplitude=amp, hopping_shift=shift, grand_potential=om,
                                      filling=n, history=hist, start=float(s0)))
    if not sols:
        raise ConvergenceError(f"no self-consistent solution at mu = {mu} eV, T = {Tk} K from "
                               f"the starts {st}", last_err.history if last_err else [])
    sols.sort(key=lambda s: s.amplitude)
    lowest = int(np.argmin([s.grand_potential for s in sols]))
    sel = 0 if rule == "smallest" else lowest
    return RealSpaceMeanField(mu=float(mu), T=Tk, mode=mode, solutions=sols, selected=sel,
                              smallest=0, lowest_omega=lowest, rules_disagree=lowest != 0,
                              rule=rule)


def solve_realspace_filling(tb: TightBinding, filling: float, T: float, *,
                            mu_bounds: tuple[float, float], **kw) -> tuple[float, RealSpaceMeanField]:
    """The chemical potential (eV) at which the selected self-consistent solution holds
    ``filling`` mobile ions per primitive cell, by Brent on n(mu) within ``mu_bounds``; other
    keywords as :func:`solve_realspace_meanfield`. Raises ValueError if n(mu) does not bracket
    the filling (e.g. inside a first-order jump: then no homogeneous phase has it)."""
    V.positive("filling", filling)
    lo, hi = (V.finite("mu_bounds", m) for m in mu_bounds)

    def g(m: float) -> float:
        return solve_realspace_meanfield(tb, m, T, **kw).solution.filling - filling

    glo, ghi = g(lo), g(hi)
    if not glo < 0 < ghi:
        V.fail("filling", filling, f"between the fillings {glo + filling:.6g} and "
               f"{ghi + filling:.6g} at mu_bounds {mu_bounds}")
    mu = brentq(g, lo, hi, xtol=1e-13)
    res = solve_realspace_meanfield(tb, mu, T, **kw)
    if abs(res.solution.filling - filling) > 1e-6:
        V.fail("filling", filling, f"outside the first-order jump of n(mu) at mu = {mu:.6g} eV "
               f"(no homogeneous phase has it; the fillings there are near "
               f"{res.solution.filling:.6g})")
    return float(mu), res
