"""``quasiion fit``: fit conductivity-temperature data and print the Table-1-like comparison."""

from __future__ import annotations

import argparse
import sys
import warnings

from ._executor_opts import add_executor_options, executor_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fit",
        help="fit measured conductivity vs temperature (quasi-ion, Arrhenius, VTF)",
        description=(
            "Fit the quasi-ion form ln s = -E_t b - E_a0 (b - b0) - ln[1 + 2 exp(-E_a0 (b - b0))]"
            " + ln s0 (b = 1/kT in 1/eV), the paper's Arrhenius-b form, plain Arrhenius and "
            "Vogel-Tammann-Fulcher to a CSV file and print the parameters (energies in eV, "
            "beta0 in 1/eV, T0 in K, ln_sigma0 in ln(S/cm)) with standard errors, RMSE of "
            "ln sigma, AIC and BIC. The header names the units: temperature 'T [K]', 'T [C]', "
            "'T_K' or 'T_C'; conductivity 'sigma [S/cm]', 'sigma [S/m]', 'sigma_S_per_cm' or "
            "'log10 sigma [S/cm]'. A 'material' column selects one material (--material)."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV file with units in the header")
    p.add_argument("--material", help="material to fit when the file holds several "
                   "('list' prints them, 'all' fits every one and ranks the models by AICc)")
    p.add_argument("--models", default="all",
                   help="'all' or a comma list of quasi-ion, arrhenius, arrhenius-b, vtf "
                   "(default: %(default)s)")
    p.add_argument("--sigma-is", choices=("sigma", "sigmaT"), default="sigma",
                   help="fit the forms to ln sigma or to ln(sigma T) (default: %(default)s)")
    p.add_argument("--unbounded", action="store_true",
                   help="drop the physical bounds (E_t >= 0, E_a0 >= 0, beta0 >= 0, E_a >= 0, "
                   "B >= 0, T0 >= 0)")
    p.add_argument("--tmin", type=float, help="use only points with T >= TMIN (K)")
    p.add_argument("--tmax", type=float, help="use only points with T <= TMAX (K)")
    p.add_argument("--plot", metavar="OUT.png", help="write the plot (data, fits, residuals)")
    p.add_argument("--log10", action="store_true", help="plot log10 sigma instead of ln sigma")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--csv", metavar="OUT.csv", help="also write the table rows as CSV")
    add_executor_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..fitting import compare_fits, conductivity_materials, read_conductivity_csv

    if args.material == "list":
        for name in conductivity_materials(args.data):
            print(name)
        return 0
    if args.material == "all":
        return _run_all(args)
    data = read_conductivity_csv(args.data, material=args.material)
    keep = (data.T >= (args.tmin if args.tmin is not None else -float("inf"))) & (
        data.T <= (args.tmax if args.tmax is not None else float("inf")))
    if not keep.any():
        raise ValueError(f"--tmin/--tmax = {args.tmin}/{args.tmax}: no point left "
                         f"(T from {data.T.min():g} to {data.T.max():g} K)")
    data.T, data.sigma = data.T[keep], data.sigma[keep]
    with warnings.catch_warnings(record=True):  # the table carries every warning
        warnings.simplefilter("always")
        table = compare_fits(data, models=args.models, sigma_is=args.sigma_is,
                             bounds=None if args.unbounded else "physical")
    if args.json:
        print(table.to_json())
    else:
        print(table)
    if args.csv:
        table.to_csv(args.csv)
    if args.plot:
        from ..plotting.fitting import plot_conductivity_fits
        from ._common import save_figure, use_agg

        use_agg()
        fig = plot_conductivity_fits(table, log10=args.log10, title=data.material)
        path = save_figure(fig, args.plot)
        print(f"plot written to {path}", file=sys.stderr)
    return 0


def _run_all(args: argparse.Namespace) -> int:
    """Every material of the file at once (on --workers / --scheduler), models ranked by AICc."""
    import json

    from ..fitting import fit_materials

    fits = fit_materials(args.data, models=args.models, sigma_is=args.sigma_is,
                         bounds=None if args.unbounded else "physical",
                         T_range=(args.tmin, args.tmax), executor=executor_from_args(args))
    rows = fits.rows("aicc")
    if args.json:
        clean = [{k: None if isinstance(v, float) and v != v else v for k, v in r.items()}
                 for r in rows]  # NaN is not JSON
        print(json.dumps({"rows": clean, "failed": fits.failed}, indent=2))
    else:
        print(fits)
    if args.csv and rows:
        import csv

        keys = list(dict.fromkeys(k for r in rows for k in r))
        with open(args.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    if args.plot:
        print("--plot: one material at a time (--material NAME)", file=sys.stderr)
    return 0
