"""``quasiion disorder``: random-distortion supercells (paper section 3.4, Fig 7)."""

from __future__ import annotations

import argparse

from ._common import dump_json, parse_range, save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "disorder",
        help="random-distortion supercells: E_t statistics over realisations (section 3.4)",
        description="Supercells of N sites of the eq 45 profile (or a profile CSV) with every "
        "well minimum and barrier scaled by (1 + d r), r uniform in [-1, 1], hoppings from eq 16. "
        "Prints the carrier formation energy E_t (gap with one ion per site) of realisation 0 "
        "and its mean, spread and histogram over --realisations, for every --d. Ranges: "
        "'a,b,c', 'start:stop:step' or one number.",
    )
    p.add_argument("--alpha", type=float, default=0.6, help="eq 45 shape (default: %(default)s)")
    p.add_argument("--profile", metavar="CSV",
                   help="a periodic profile x (Angstrom), U (eV) instead of eq 45 (one period; "
                   "every well of it is a state of the site)")
    p.add_argument("--n-sites", type=int, default=20, help="sites (periods) per supercell "
                   "(default: %(default)s)")
    p.add_argument("--d", default="0,0.1,0.3", help="distortion levels in [0, 1) "
                   "(default: %(default)s)")
    p.add_argument("--T", type=float, default=None, help="temperature, K (default: 301.7)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--realisations", type=int, default=1000,
                   help="realisations per level (default: %(default)s)")
    p.add_argument("--first-index", type=int, default=0,
                   help="first realisation index (chunks of one ensemble; default: 0)")
    p.add_argument("--open", action="store_true",
                   help="open chain instead of a periodic supercell (k = 0)")
    p.add_argument("--bins", type=int, default=20, help="histogram bins (default: %(default)s)")
    p.add_argument("--threads", type=int, default=0, help="threads (0: all cores)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="FILE",
                   help="also write wells, bands (periodic) and E_t histograms to FILE")
    p.set_defaults(func=run)


def _source(args: argparse.Namespace) -> object:
    from ..potential import Potential

    if args.profile:
        return Potential.from_csv(args.profile, periodic=True)
    return Potential.eq45(args.alpha)


def run(args: argparse.Namespace) -> int:
    from ..supercell import DistortedSupercell

    levels = parse_range(args.d)
    src = _source(args)
    rows = []
    cells = []
    for d in levels:
        sc = DistortedSupercell(src, args.n_sites, float(d), T=args.T, seed=args.seed,
                                realisation=args.first_index, periodic=not args.open)
        g = sc.carrier_formation_energy()
        ens = sc.ensemble(args.realisations, first_index=args.first_index, bins=args.bins,
                          threads=args.threads)
        cells.append((sc, ens))
        rows.append({"d": float(d), "Et_first": g.gap, "homo_first": g.homo,
                     "lumo_first": g.lumo, "Et_mean": ens.mean, "Et_std": ens.std,
                     "Et_stderr": ens.stderr, "Et_min": float(ens.gap.min()),
                     "Et_max": float(ens.gap.max()), "hist_counts": ens.hist_counts,
                     "hist_edges": ens.hist_edges})
    info = {"n_sites": args.n_sites, "n_states": cells[0][0].n_states, "T": cells[0][0].T,
            "seed": args.seed, "first_index": args.first_index,
            "realisations": args.realisations, "periodic": not args.open}
    if args.json:
        print(dump_json({**info, "units": "eV", "results": rows}))
    else:
        print(f"# {info['n_sites']} sites ({info['n_states']} states), T = {info['T']:.4g} K, "
              f"seed {args.seed}, realisations {args.first_index}..."
              f"{args.first_index + args.realisations - 1}, "
              f"{'periodic (k = 0)' if not args.open else 'open'}; energies eV")
        print(f"{'d':>6} {'E_t(first)':>11} {'<E_t>':>10} {'std':>9} {'min':>9} {'max':>9}")
        for r in rows:
            print(f"{r['d']:6.3g} {r['Et_first']:11.5f} {r['Et_mean']:10.5f} {r['Et_std']:9.5f} "
                  f"{r['Et_min']:9.5f} {r['Et_max']:9.5f}")
    if args.plot:
        use_agg()
        import matplotlib.pyplot as plt

        from ..plotting.supercell import (
            plot_distorted_wells,
            plot_gap_histogram,
            plot_supercell_bands,
        )

        nrow = 3 if not args.open else 2
        fig, axs = plt.subplots(nrow, len(cells), figsize=(4 * len(cells), 3.2 * nrow),
                                squeeze=False)
        for c, (sc, ens) in enumerate(cells):
            plot_distorted_wells(sc, ax=axs[0, c])
            if not args.open:
                plot_supercell_bands(sc, ax=axs[1, c])
            plot_gap_histogram(ens, ax=axs[-1, c])
        fig.tight_layout()
        print(f"# wrote {save_figure(fig, args.plot)}")
        plt.close(fig)
    return 0
