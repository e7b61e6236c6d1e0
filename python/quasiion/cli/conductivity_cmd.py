"""``quasiion conductivity``: Kubo-Greenwood conductivity of distorted supercells versus the
distortion level (beyond the paper)."""

from __future__ import annotations

import argparse

from ._common import dump_json, parse_range, save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "conductivity",
        help="Kubo-Greenwood conductivity of distorted supercells versus distortion",
        description="Supercells of N sites of the eq 45 profile with every well minimum and "
        "barrier scaled by (1 + d r) (as `quasiion disorder`), their Kubo-Greenwood "
        "conductivity (S/cm) from all eigenpairs and the bond currents, broadening hbar/tau, "
        "averaged over --realisations with its spread, for every --d and --mu. Ranges: "
        "'a,b,c', 'start:stop:step' or one number.",
    )
    p.add_argument("--alpha", type=float, default=0.5, help="eq 45 shape (default: %(default)s)")
    p.add_argument("--n-sites", type=int, default=100, help="sites per supercell "
                   "(default: %(default)s)")
    p.add_argument("--d", default="0,0.05,0.1,0.15,0.2", help="distortion levels in [0, 1) "
                   "(default: %(default)s)")
    p.add_argument("--mu", default=None, help="chemical potentials, eV (default: the perfect "
                   "supercell's mid-gap)")
    p.add_argument("--T", type=float, default=None, help="temperature, K (default: 301.7)")
    p.add_argument("--tau", type=float, default=1e-13, help="relaxation time, s "
                   "(default: %(default)s)")
    p.add_argument("--realisations", type=int, default=6,
                   help="realisations per level (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--threads", type=int, default=0, help="threads (0: all cores)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="FILE", help="also plot sigma versus d (first mu) to FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from ..supercell import DistortedSupercell

    if args.realisations < 1:
        raise ValueError(f"--realisations = {args.realisations}: must be >= 1")
    levels = parse_range(args.d)
    base = DistortedSupercell.eq45(args.alpha, args.n_sites, 0.0, T=args.T, seed=args.seed)
    if args.mu is None:
        g = base.carrier_formation_energy()
        mu = np.array([0.5 * (g.homo + g.lumo)])
    else:
        mu = parse_range(args.mu)
    rows = []
    for d in levels:
        sc = DistortedSupercell.eq45(args.alpha, args.n_sites, float(d), T=args.T, seed=args.seed)
        r = sc.conductivity(mu, tau=args.tau, realisations=range(args.realisations),
                            threads=args.threads)
        rows.append({"d": float(d), "mu": mu.tolist(), "sigma_mean": r.mean.tolist(),
                     "sigma_std": r.std.tolist()})
    if args.json:
        print(dump_json({"n_sites": args.n_sites, "T": base.T, "tau": args.tau,
                         "realisations": args.realisations, "units": "eV, S/cm",
                         "results": rows}))
    else:
        print(f"# {args.n_sites} sites, T = {base.T:.4g} K, tau = {args.tau:g} s, "
              f"{args.realisations} realisations; mu eV, sigma S/cm (mean +- std)")
        print(f"{'d':>6} {'mu':>9} {'sigma':>12} {'std':>10}")
        for row in rows:
            for m, s, e in zip(row["mu"], row["sigma_mean"], row["sigma_std"]):
                print(f"{row['d']:6.3f} {m:9.4f} {s:12.5g} {e:10.3g}")
    if args.plot:
        use_agg()
        from ..plotting.transport_extra import plot_sigma_vs_distortion

        ax = plot_sigma_vs_distortion([r["d"] for r in rows], [r["sigma_mean"][0] for r in rows],
                                      [r["sigma_std"][0] for r in rows])
        save_figure(ax.figure, args.plot)
    return 0
