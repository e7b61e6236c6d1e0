"""``quasiion bands``: bands (eq 18) and site weights (eq 19) of the interstitial chain."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .. import paper

_UA = round(paper.U_BAR0 - paper.FIG3_DELTA_U, 12)
_UB = round(paper.U_BAR0 + paper.FIG3_DELTA_U, 12)
_J0 = -paper.FIG3_J0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bands",
        help="bands and sublattice weights of the interstitial chain (eq 17-19)",
        description="Bands E_k,+- (eq 18, eV) and the weight of site A in each eigenstate "
        "(eq 19) of the two-site interstitial chain over ka in [-pi, pi]. Defaults: the paper's "
        "Fig 3 (Delta U0 = |J0| = 0.1 eV around Ubar0 = -0.3 eV, a = 4 Angstrom). Prints CSV to "
        "stdout unless --out is given. Columns: k (1/Angstrom), E_lower, E_upper (eV), "
        "wA_lower, wA_upper.",
    )
    p.add_argument("--UA", type=float, default=_UA,
                   help="on-site energy of the regular site A, eV (default: %(default)s)")
    p.add_argument("--UB", type=float, default=_UB,
                   help="on-site energy of the interstitial site B, eV (default: %(default)s)")
    p.add_argument("--J0", type=float, default=_J0,
                   help="hopping J0 of eq 17 (J0/2 per A-B bond), eV (default: %(default)s)")
    p.add_argument("--a", type=float, default=paper.A_DEFAULT,
                   help="lattice constant, Angstrom (default: %(default)s)")
    p.add_argument("--nk", type=int, default=201,
                   help="number of k points over [-pi/a, pi/a] (default: %(default)s)")
    p.add_argument("--out", metavar="CSV", help="write the table to this CSV file")
    p.add_argument("--plot", metavar="PNG",
                   help="also write the band structure coloured by the B weight (Fig 3c)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..interstitial import InterstitialChain
    from ._common import check_output

    check_output(args.out, "--out")
    check_output(args.plot, "--plot")
    if not 2 <= args.nk <= 10**7:  # 10^7 points: ~0.5 GB of table, seconds of work
        raise ValueError(f"--nk = {args.nk}: must be in [2, 10000000]")
    chain = InterstitialChain(args.UA, args.UB, args.J0, args.a)
    bs = chain.band_structure(args.nk)
    if args.out:
        bs.save_csv(args.out)
        print(f"wrote {args.out} ({args.nk} k points; gap {chain.gap:.6g} eV)")
    else:
        out = sys.stdout
        out.write("# k (1/A), E_lower (eV), E_upper (eV), wA_lower, wA_upper\n")
        np.savetxt(out, np.column_stack([bs.k, bs.E_lower, bs.E_upper, bs.wA_lower, bs.wA_upper]),
                   delimiter=",", fmt="%.10g")
    if args.plot:
        from ..plotting.bands import plot_bands
        from ._common import save_figure, use_agg

        use_agg()
        ax = plot_bands(chain)
        save_figure(ax.figure, args.plot)
        print(f"wrote {args.plot}")
    return 0
