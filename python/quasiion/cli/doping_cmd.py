"""``quasiion doping``: the self-consistent |S00|, conductivity and carrier formation energy
versus the mobile-ion chemical potential (section 3.2), on the eq 45 potential or on given
chain parameters."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ._common import parse_range, save_figure, use_agg
from ._executor_opts import add_executor_options, executor_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doping",
        help="super-ionic transition: |S00|, sigma and E_t versus mu (section 3.2)",
        description="Solve eq 42 (every root, mean-field grand potential, selection rule) on a "
        "grid of chemical potentials, for the eq 45 potential at each --alpha or for a chain "
        "given by --chain U_A U_B J0. Prints the transition per chain and optionally writes a "
        "CSV table and a plot. Units: eV, K, Angstrom, S/cm.",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--alpha", type=float, nargs="+", metavar="ALPHA",
                     help="eq 45 shapes (default: 0.5 0.6 0.7)")
    src.add_argument("--chain", type=float, nargs=3, metavar=("U_A", "U_B", "J0"),
                     help="static chain parameters in eV instead of eq 45")
    p.add_argument("--mu", default="-0.8:0.4:0.005", metavar="RANGE",
                   help="chemical potentials in eV: 'start:stop:step', 'a,b,c' or a number "
                   "(default: %(default)s)")
    p.add_argument("--T", type=float, default=None, metavar="K",
                   help="temperature in K (default: the paper's kT = 0.026 eV, 301.7 K)")
    p.add_argument("--K", type=float, default=None, metavar="EV",
                   help="Coulomb strength K/a1 in eV (default: 1.5)")
    p.add_argument("--a", type=float, default=None, metavar="A",
                   help="lattice constant in Angstrom (default: 4)")
    p.add_argument("--tau", type=float, default=1e-13, help="relaxation time, s (default: 1e-13)")
    p.add_argument("--n0", type=float, default=1e22, help="site density, cm^-3 (default: 1e22)")
    p.add_argument("--phase", choices=("fixed", "strict"), default="fixed",
                   help="phase of S_0k: ka/2+pi always (Fig 4) or ka/2 when |S00| > |J0| "
                   "(Fig 10) (default: %(default)s)")
    p.add_argument("--rule", choices=("smallest", "free-energy"), default="smallest",
                   help="root selection: the paper's smallest root or the lowest grand "
                   "potential (default: %(default)s)")
    p.add_argument("--threads", type=int, default=0, help="threads (default: all cores)")
    p.add_argument("--plot", metavar="PNG", help="write |S00|, conduction band and sigma")
    p.add_argument("--out", metavar="CSV", help="write the table (one file; a column names the "
                   "chain)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_executor_options(p)
    p.add_argument("--save", metavar="FILE", help="write inputs, provenance and results to "
                   "FILE (.npz, or .nc with xarray); an unfinished FILE of the same sweep is "
                   "resumed; plot it with 'quasiion plot FILE'")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import paper
    from ..doping import DopedChain, eq45_sweep
    from ._common import check_output

    check_output(args.out, "--out")
    check_output(args.plot, "--plot")
    mu = parse_range(args.mu)
    T = paper.T if args.T is None else args.T
    K = paper.K_OVER_A1 if args.K is None else args.K
    a = paper.A_DEFAULT if args.a is None else args.a
    carriers = {"tau": args.tau, "n0": args.n0}
    chains: dict[str, DopedChain] = {}
    if args.chain is not None:
        U_A, U_B, J0 = args.chain
        chains[f"U_A={U_A:g},U_B={U_B:g},J0={J0:g}"] = DopedChain(U_A, U_B, J0, a, K, **carriers)
    else:
        for al in args.alpha or paper.ALPHAS:
            base = DopedChain.from_eq45(al, T, a=a, K_over_a1=K, **carriers)
            chains[f"{al:g}"] = base
    executor = executor_from_args(args)
    progress = False if args.quiet else None
    sweeps = {}
    if args.chain is None:  # every alpha in one sweep: one executor, one file
        alphas = list(chains)
        w3 = eq45_sweep(mu, T, [float(al) for al in args.alpha or paper.ALPHAS], rule=args.rule,
                        phase=args.phase, a=a, K_over_a1=K, tau=args.tau, n0=args.n0,
                        threads=args.threads, progress=progress, executor=executor,
                        save=args.save)
        sweeps = {label: w3.for_alpha(i) for i, label in enumerate(alphas)}
    else:
        for label, c in chains.items():
            sweeps[label] = c.sweep(mu, T, rule=args.rule, phase=args.phase,
                                    threads=args.threads, progress=progress,
                                    executor=executor, save=args.save)
    if args.save:
        print(f"wrote {args.save}", file=sys.stderr)
    print(f"T = {T:.2f} K, K/a1 = {K:g} eV, phase = {args.phase}, rule = {args.rule}; "
          f"energies in eV, sigma in S/cm (eq 30: z = 1, n0 = {args.n0:g} cm^-3, "
          f"tau = {args.tau:g} s)")
    print(f"{'chain':>24} {'U_A':>8} {'U_B':>8} {'J0':>10} {'mu_t':>8} {'|S00| drop':>10} "
          f"{'jump [dec]':>10} {'max sigma':>10} {'at mu':>7} {'disagree':>8}")
    for label, w in sweeps.items():
        c = chains[label]
        tr = w.transition()
        i = int(np.nanargmax(w.sigma)) if np.isfinite(w.sigma).any() else 0
        print(f"{label:>24} {c.U_A:8.4f} {c.U_B:8.4f} {c.J0:10.3e} "
              f"{0.5 * (tr['mu_below'] + tr['mu_above']):8.4f} {tr['drop']:10.4f} "
              f"{tr['sigma_jump_decades']:10.2f} {w.sigma[i]:10.3e} {w.mu[i]:7.3f} "
              f"{int(w.rules_disagree.sum()):8d}")
        if w.failed.any():
            print(f"{'':>24} no self-consistent solution at {int(w.failed.sum())} points")
    if args.out:
        _write_table(args.out, sweeps)
        print(f"wrote {args.out}")
    if args.plot:
        use_agg()
        from ..plotting.doping import plot_doping_overview

        fig = plot_doping_overview(chains, sweeps)
        print(f"wrote {save_figure(fig, args.plot)}")
    return 0


def _write_table(path: str, sweeps: dict) -> None:
    width = max(w.roots.shape[-1] for w in sweeps.values())
    with open(path, "w") as fh:
        header = None
        for label, w in sweeps.items():
            cols = w.table()
            for j in range(w.roots.shape[-1], width):
                cols[f"root_{j}_eV"] = np.full(w.mu.size, np.nan)
            if header is None:
                header = ["chain"] + list(cols)
                fh.write(f"# quasiion doping: rule = {w.rule}, phase = {w.phase}; sigma "
                         f"(eq 30) for mobile ions of charge z = {w.z:g}, site density "
                         f"n0 = {w.n0:g} cm^-3, relaxation time tau = {w.tau:g} s\n")
                fh.write(",".join(header) + "\n")
            for row in zip(*cols.values()):
                fh.write(label.replace(",", ";") + "," +
                         ",".join(f"{float(x):.10g}" for x in row) + "\n")
