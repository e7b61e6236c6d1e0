"""``quasiion fit``: fit conductivity-temperature data and print the Table-1-like comparison."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

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
            "'log10 sigma [S/cm]'. With a 'material' column every material is fitted and the "
            "models are ranked by AICc per material; --material fits one."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV file with units in the header")
    p.add_argument("--material", help="fit only this material of a file that holds several "
                   "(default: all of them; 'list' prints them)")
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
    from .. import _validation as V
    from ..fitting import compare_fits, conductivity_materials, read_conductivity_csv
    from ._common import check_output

    check_output(args.plot, "--plot")
    check_output(args.csv, "--csv")
    if args.material == "list":
        for listed in conductivity_materials(args.data):
            print(listed)
        return 0
    names: list[str | None] = [args.material]
    if args.material is None:
        names = list(conductivity_materials(args.data)) or [None]
    tables = []
    prepared = []
    for name in names:
        data = read_conductivity_csv(args.data, material=name)
        # the same rule as the Python API: a NaN or infinite T or sigma is an error, not a
        # silently dropped row
        where = f" (material {name!r})" if name else ""
        try:
            V.finite_array("T", data.T, ndim=1)
            V.finite_array("sigma", data.sigma, ndim=1)
        except ValueError as exc:
            raise ValueError(f"{args.data}{where}: {exc}") from None
        keep = (data.T >= (args.tmin if args.tmin is not None else -float("inf"))) & (
            data.T <= (args.tmax if args.tmax is not None else float("inf")))
        if not keep.any():
            raise ValueError(f"--tmin/--tmax = {args.tmin}/{args.tmax}: no point left{where} "
                             f"(T from {data.T.min():g} to {data.T.max():g} K)")
        data.T, data.sigma = data.T[keep], data.sigma[keep]
        prepared.append((name, data))
    executor = executor_from_args(args)
    fitted: dict[int, Any] = {}
    failed: dict[int, str] = {}
    if executor is not None:  # every material at once on worker processes or a cluster
        from ..fitting import fit_materials

        many = fit_materials({str(i): d for i, (_, d) in enumerate(prepared)},
                             models=args.models, sigma_is=args.sigma_is,
                             bounds=None if args.unbounded else "physical", executor=executor)
        fitted = {int(k): t for k, t in many.tables.items()}
        failed = {int(k): why for k, why in many.failed.items()}
    for i, (name, data) in enumerate(prepared):
        with warnings.catch_warnings():  # the table carries every warning: print them once
            warnings.simplefilter("ignore")
            try:
                if executor is None:
                    table = compare_fits(data, models=args.models, sigma_is=args.sigma_is,
                                         bounds=None if args.unbounded else "physical")
                elif i in fitted:
                    table = fitted[i]
                    table.material = data.material
                else:
                    raise ValueError(failed[i])
            except ValueError as exc:
                if len(names) == 1:
                    raise
                print(f"material: {name}\nnot fitted: {exc}\n")
                continue
        tables.append(table)
    if args.json:
        if len(names) == 1 and tables:
            print(tables[0].to_json())
        else:

            print("[" + ",\n".join(t.to_json() for t in tables) + "]")
    else:
        for t in tables:
            print(t)
            print()
        if len(tables) > 1 or names != [None]:
            print(_ranking(tables))
    if args.csv:
        _write_csv(args.csv, tables)
    if args.plot:
        from ..plotting.fitting import plot_conductivity_fits
        from ._common import save_figure, use_agg

        use_agg()
        import matplotlib.pyplot as plt

        for t in tables:
            path = args.plot
            if len(tables) > 1:
                from pathlib import Path

                pp = Path(args.plot)
                safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(t.material))
                path = str(pp.with_name(f"{pp.stem}_{safe}{pp.suffix}"))
            fig = plot_conductivity_fits(t, log10=args.log10, title=t.material)
            print(f"plot written to {save_figure(fig, path)}", file=sys.stderr)
            plt.close(fig)
    return 0


def _ranking(tables: list) -> str:
    """Per material, the models ranked by AICc (lowest first) with Delta AICc."""
    import math

    lines = ["models ranked by AICc (Delta AICc from the best; < 2: as good, > 10: "
             "clearly worse)"]
    wins: dict[str, int] = {}
    for t in tables:
        vals = {m: r.aicc for m, r in t.results.items() if math.isfinite(r.aicc)}
        if not vals:
            lines.append(f"  {t.material}: AICc undefined (too few points)")
            continue
        order = sorted(vals, key=lambda m: vals[m])
        best = vals[order[0]]
        wins[order[0]] = wins.get(order[0], 0) + 1
        lines.append(f"  {t.material}: " + ", ".join(f"{m} ({vals[m] - best:+.1f})"
                                                     for m in order))
    if len(tables) > 1:
        lines.append("best by AICc: " + ", ".join(f"{m} {n}x" for m, n in
                                                   sorted(wins.items(), key=lambda x: -x[1])))
    return "\n".join(lines)


def _write_csv(path: str, tables: list) -> None:
    import csv

    rows = [{"material": t.material or "", **r} for t in tables for r in t.rows]
    with open(path, "w", newline="") as fh:
        if rows:
            wr = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            wr.writeheader()
            for r in rows:
                wr.writerow({k: ("" if v is None else (f"{v:.10g}" if isinstance(v, float)
                                                       else v)) for k, v in r.items()})
