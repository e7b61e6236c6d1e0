"""``quasiion onsager``: tau+/tau-, the Onsager matrix and alpha* of the ion-electron
ambipolaron (paper section 3.3)."""

from __future__ import annotations

import argparse

import numpy as np

from ._common import dump_json, parse_range, save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "onsager",
        help="ion-electron Onsager transport: tau+/tau-, L matrix, alpha* (section 3.3)",
        description="Onsager reciprocity L_ei = L_ie fixes tau+/tau- (eq 39); print it with the "
        "reduced Onsager matrix of eq 38 (units of tau- a^2 rho_i |J0i|/hbar^2) and alpha_i*, "
        "alpha_e* (eq 40-41) for every combination of --j, --rho-ratio and --xi0. Ranges: "
        "'a,b,c', 'start:stop:step' or one number.",
    )
    p.add_argument("--j", default="5", help="hopping ratio |J0e/J0i| (default: %(default)s)")
    p.add_argument("--rho-ratio", default="1e3",
                   help="density ratio rho_e/rho_i (default: %(default)s)")
    p.add_argument("--xi0", default="0.5", help="k=0 mixing xi_0 in (0, 1] (default: %(default)s)")
    p.add_argument("--method", default="exact", choices=("exact", "eq39", "eq46"),
                   help="how tau+/tau- is obtained (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--plot", metavar="FILE",
                   help="also write Fig 6-style panels (tau+/tau- vs j at the given rho_e/rho_i, "
                   "alpha* vs rho_e/rho_i at the given j) to FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..onsager import alpha_star, onsager_matrix
    from ._common import check_output

    check_output(args.plot, "--plot")
    j = parse_range(args.j)
    r = parse_range(args.rho_ratio)
    x = parse_range(args.xi0)
    J, R, X = (a.ravel() for a in np.meshgrid(j, r, x, indexing="ij"))
    M = onsager_matrix(J, R, X, method=args.method, warn=False)
    ai40, ae40 = alpha_star(J, R, X, "eq40")
    rows = []
    for n in range(J.size):
        rows.append({
            "j": J[n], "rho_ratio": R[n], "xi0": X[n], "tau_ratio": M.tau_ratio[n],
            "L": M.L[n], "alpha_i": M.alpha_i[n], "alpha_e": M.alpha_e[n],
            "alpha_i_eq40": ai40[n], "alpha_e_eq41": ae40[n], "psd": bool(M.psd[n]),
        })
    if args.json:
        print(dump_json({"method": args.method,
                         "L_units": "tau- a^2 rho_i |J0i| / hbar^2", "results": rows}))
    else:
        print(f"# method = {args.method}; L in units of tau- a^2 rho_i |J0i|/hbar^2, order (e, i)")
        print(f"{'j':>10} {'rho_e/rho_i':>12} {'xi0':>6} {'tau+/tau-':>12} {'L_ee':>11} "
              f"{'L_ei=L_ie':>11} {'L_ii':>11} {'alpha_i*':>11} {'alpha_e*':>11} psd")
        for d in rows:
            L = d["L"]
            print(f"{d['j']:10.4g} {d['rho_ratio']:12.4g} {d['xi0']:6.3g} {d['tau_ratio']:12.6g} "
                  f"{L[0, 0]:11.4g} {L[0, 1]:11.4g} {L[1, 1]:11.4g} {d['alpha_i']:11.4g} "
                  f"{d['alpha_e']:11.4g} {'yes' if d['psd'] else 'NO'}")
    if not np.all(M.psd):
        print("# warning: L is not positive semi-definite where psd = NO (alpha_i* alpha_e* > 1)")
    if args.plot:
        use_agg()
        import matplotlib.pyplot as plt

        from ..plotting.onsager import plot_alpha_star, plot_tau_ratio

        fig, axs = plt.subplots(1, 3, figsize=(13, 3.8))
        plot_tau_ratio(float(r[0]), tuple(x), method=args.method, ax=axs[0])
        plot_alpha_star(float(j[0]), tuple(x), which="i", ax=axs[1])
        plot_alpha_star(float(j[0]), tuple(x), which="e", ax=axs[2])
        fig.tight_layout()
        print(f"# wrote {save_figure(fig, args.plot)}")
        plt.close(fig)
    return 0
