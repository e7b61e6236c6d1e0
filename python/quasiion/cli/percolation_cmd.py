"""``quasiion percolation``: multi-site percolation clusters (appendix 5.2, Fig 8)."""

from __future__ import annotations

import argparse

import numpy as np

from ._common import dump_json, parse_range, save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "percolation",
        help="percolation clusters: states and E_t versus cluster size (appendix 5.2)",
        description="Block Toeplitz Hamiltonian of n percolation sites with two states each "
        "(U = diag(U_A, U_B), P_l = P0 exp(-l E_s/kT) at distance l + 1), the far tail "
        "truncated below --tol with the error bound reported. Prints E_t (one ion per site) "
        "for every --n. Ranges: 'a,b,c', 'start:stop:step' or one number.",
    )
    p.add_argument("--n", default="3,31,61,1000,10000", help="cluster sizes (default: %(default)s)")
    p.add_argument("--U-A", type=float, default=0.25, help="A-state energy, eV (default: %(default)s)")
    p.add_argument("--U-B", type=float, default=-0.25, help="B-state energy, eV (default: %(default)s)")
    p.add_argument("--P0", default="0.05,0,0,0.05",
                   help="P_AA,P_AB,P_BA,P_BB in eV, or one number for P_AA = P_BB "
                   "(default: %(default)s)")
    p.add_argument("--es-over-kt", type=float, default=1.0,
                   help="E_s/kT (not given by the paper; default: %(default)s)")
    p.add_argument("--tol", type=float, default=1e-13,
                   help="truncation tolerance, eV (default: %(default)s)")
    p.add_argument("--states", action="store_true",
                   help="also print every eigenvalue (clusters up to 1500 sites)")
    p.add_argument("--threads", type=int, default=0, help="threads (0: all cores)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="FILE",
                   help="also write Fig 8-style panels (states of up to three of the clusters, "
                   "E_t versus n) to FILE")
    p.set_defaults(func=run)


def _p0(text: str) -> float | np.ndarray:
    v = parse_range(text)
    if v.size == 1:
        return float(v[0])
    if v.size != 4:
        raise ValueError(f"P0 = {text!r}: must be one number or four (P_AA,P_AB,P_BA,P_BB)")
    return v.reshape(2, 2)


def run(args: argparse.Namespace) -> int:
    from ..percolation import PercolationCluster

    sizes = parse_range(args.n)
    if (sizes != sizes.astype(int)).any() or (sizes < 1).any():
        raise ValueError(f"n = {args.n!r}: must be integers >= 1")
    P0 = _p0(args.P0)
    rows = []
    for n in sizes.astype(int):
        c = PercolationCluster(int(n), args.U_A, args.U_B, P0, args.es_over_kt, tol=args.tol)
        g = c.carrier_formation_energy(threads=args.threads)
        row = {"n_sites": int(n), "Et": g.gap, "homo": g.homo, "lumo": g.lumo,
               "reach": c.reach, "kd": c.kd, "truncation_bound": c.truncation_bound,
               "method": g.method}
        if args.states and c.n_states <= 3000:
            row["energies"] = c.spectrum().energies
        rows.append(row)
    if args.json:
        print(dump_json({"U_A": args.U_A, "U_B": args.U_B, "Es_over_kT": args.es_over_kt,
                         "units": "eV", "results": rows}))
    else:
        print(f"# U_A = {args.U_A:g}, U_B = {args.U_B:g} eV, P0 = {args.P0}, "
              f"E_s/kT = {args.es_over_kt:g}; energies eV")
        print(f"{'n':>7} {'E_t':>10} {'homo':>10} {'lumo':>10} {'reach':>6} {'bound':>9} method")
        for r in rows:
            print(f"{r['n_sites']:7d} {r['Et']:10.6f} {r['homo']:10.6f} {r['lumo']:10.6f} "
                  f"{r['reach']:6d} {r['truncation_bound']:9.2g} {r['method']}")
            if "energies" in r:
                print("#   states: " + " ".join(f"{e:.5f}" for e in r["energies"]))
    if args.plot:
        use_agg()
        import matplotlib.pyplot as plt

        from ..plotting.supercell import plot_cluster_states, plot_gap_vs_size

        small = [int(n) for n in sizes if n <= 1500][:3]
        fig, axs = plt.subplots(1, len(small) + 1, figsize=(4 * (len(small) + 1), 3.8),
                                squeeze=False)
        for a, n in zip(axs[0], small):
            plot_cluster_states(PercolationCluster(n, args.U_A, args.U_B, P0, args.es_over_kt,
                                                   tol=args.tol), ax=a)
        plot_gap_vs_size(sizes.astype(int), args.es_over_kt, ax=axs[0, -1], U_A=args.U_A,
                         U_B=args.U_B, P0=P0, tol=args.tol)
        fig.tight_layout()
        print(f"# wrote {save_figure(fig, args.plot)}")
        plt.close(fig)
    return 0
