"""Fit the measured garnets of the paper's Table 1 and write a comparison plot.

Data: the Liverpool Ionics Dataset subset in ../shared/data/conductivity (not shipped with
quasiion). Citation: C. J. Hargreaves, M. W. Gaultois, L. M. Daniels et al., "A database of
experimentally measured lithium solid electrolyte conductivities evaluated with machine
learning", npj Comput. Mater. (2023), doi 10.1038/s41524-022-00951-z; Liverpool Ionics Dataset,
University of Liverpool.

Run: python docs/examples/fit_garnets.py [path/to/liverpool_subset.csv] [out.png]
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import quasiion as q  # noqa: E402
from quasiion.paper import TABLE1  # noqa: E402
from quasiion.plotting import plot_conductivity_fits  # noqa: E402


def locate() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("QUASIION_DATA_DIR"):
        return Path(os.environ["QUASIION_DATA_DIR"]) / "liverpool_subset.csv"
    for d in Path(__file__).resolve().parents:
        p = d / "shared" / "data" / "conductivity" / "liverpool_subset.csv"
        if p.is_file():
            return p
    raise SystemExit("liverpool_subset.csv not found: pass its path or set QUASIION_DATA_DIR")


def main() -> None:
    path = locate()
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("fit_garnets.png")
    garnets = ["Li5La3Sb2O12", "Li5La3Nb2O12"]
    fig, axes = plt.subplots(2, 2, figsize=(11, 6), sharex="col",
                             gridspec_kw={"height_ratios": [3, 1]})
    print(f"{'material':14s} {'model':12s} {'RMSE(ln s)':>10s} {'dof':>4s}  parameters")
    for j, name in enumerate(garnets):
        data = q.read_conductivity_csv(path, material=name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = q.compare_fits(data, models=["quasi-ion", "arrhenius-b", "arrhenius"])
            P = TABLE1[name]
            paper_qi = q.fit_conductivity(data, fixed={k: P[k] for k in ("E_t", "E_a0", "beta0")})
            paper_ab = q.fit_conductivity(data, model="arrhenius-b",
                                          fixed={"E_tilde": P["E_tilde"], "b": P["b"]})
        for model, r in table.results.items():
            pars = ", ".join(f"{k}={v:.4g}" for k, v in r.params.items())
            print(f"{name:14s} {model:12s} {r.rmse:10.4f} {r.dof:4d}  {pars}")
        for model, why in table.skipped.items():
            print(f"{name:14s} {model:12s} {'-':>10s} {'-':>4s}  not fitted: {why}")
        print(f"{name:14s} {'paper q-ion':12s} {paper_qi.rmse:10.4f} {paper_qi.dof:4d}  Table 1 "
              "E_t, E_a0, beta0; sigma0 fitted")
        print(f"{name:14s} {'paper arr-b':12s} {paper_ab.rmse:10.4f} {paper_ab.dof:4d}  Table 1 "
              "E~, b; sigma0 fitted")
        print(f"  ({len(caught)} warnings; see the tables' warnings)")
        plot_conductivity_fits(list(table.results.values()) + [paper_qi],
                               ax=(axes[0, j], axes[1, j]), title=name)
    fig.tight_layout()
    fig.savefig(out, dpi=150)
    print(f"plot written to {out}")


if __name__ == "__main__":
    main()
