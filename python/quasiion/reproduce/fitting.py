"""Section 3.2, Table 1 and Fig 5: the quasi-ion conductivity form (eq 24 in its fitted
shape) against the Arrhenius form with b ln beta, for the paper's three garnets.

The paper's curves are drawn from its Table 1 parameters always (Table 1 gives no sigma0, so
the curves are ln sigma - ln sigma0). When the measured data are available (not shipped:
licence; found through $QUASIION_DATA_DIR or a ``shared/data/conductivity`` folder above the
working directory), both forms are also refitted to them and the Table 1 shapes are tested on
the measured points with only sigma0 free.
"""

from __future__ import annotations

import csv
import math
import os
import warnings
from pathlib import Path

import numpy as np

from .. import paper, units
from . import Item

DATA_FILE = "liverpool_subset.csv"


def find_data() -> Path | None:
    """The measured conductivity file, or None: $QUASIION_DATA_DIR, else a
    ``shared/data/conductivity`` folder above the working directory or this package."""
    env = os.environ.get("QUASIION_DATA_DIR")
    if env:
        p = Path(env) / DATA_FILE
        return p if p.is_file() else None
    for base in (Path.cwd().resolve(), Path(__file__).resolve()):
        for d in (base, *base.parents):
            p = d / "shared" / "data" / "conductivity" / DATA_FILE
            if p.is_file():
                return p
    return None


def _qi_shape(beta: np.ndarray, P: dict[str, float]) -> np.ndarray:
    """ln sigma - ln sigma0 of the quasi-ion form at inverse temperatures beta (1/eV)."""
    x = P["E_a0"] * (beta - P["beta0"])
    return -P["E_t"] * beta - x - np.log1p(2.0 * np.exp(-x))


def _ab_shape(beta: np.ndarray, P: dict[str, float]) -> np.ndarray:
    """ln sigma - ln sigma0 of the Arrhenius form with b ln beta."""
    return -P["E_tilde"] * beta - P["b"] * np.log(beta)


def _table1(out: Path) -> list[str]:
    import matplotlib.pyplot as plt

    from ..fitting import (
        compare_fits,
        conductivity_materials,
        fit_conductivity,
        read_conductivity_csv,
    )

    T = np.linspace(250.0, 700.0, 200)
    beta = 1.0 / (units.k_B * T)
    mats = list(paper.TABLE1)
    data_path = find_data()
    have = set(conductivity_materials(data_path)) if data_path else set()
    fig, axs = plt.subplots(1, 4, figsize=(15, 3.6))
    rows: list[dict[str, object]] = []
    lines = ["curves from the paper's Table 1 parameters (ln sigma - ln sigma0: Table 1 gives "
             "no sigma0)"]
    rmse_paper: dict[str, tuple[float, float]] = {}
    for i, (ax, m) in enumerate(zip(axs[:3], mats)):
        P = paper.TABLE1[m]
        yq, ya = _qi_shape(beta, P), _ab_shape(beta, P)
        off_q, off_a = yq[0], ya[0]  # both curves start at 0 at 250 K, for comparison
        ax.plot(1000.0 / T, yq - off_q, "C3-", label="quasi-ion, Table 1")
        ax.plot(1000.0 / T, ya - off_a, "C2-.", label="Arrhenius-b, Table 1")
        row: dict[str, object] = {"material": m, **{f"paper_{k}": v for k, v in P.items()}}
        if m in have:
            d = read_conductivity_csv(data_path, material=m)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # Table 1 shapes on the measured points, only sigma0 free
                fq = fit_conductivity(d, fixed={k: P[k] for k in ("E_t", "E_a0", "beta0")})
                fa = fit_conductivity(d, model="arrhenius-b",
                                      fixed={"E_tilde": P["E_tilde"], "b": P["b"]})
                table = compare_fits(d, models=["quasi-ion", "arrhenius-b", "arrhenius"])
            ax.plot(1000.0 / d.T, np.log(d.sigma) - fq.params["ln_sigma0"] - off_q, "ko",
                    label="measured (sigma0 of the Table 1 fit)")
            rmse_paper[m] = (fq.rmse, fa.rmse)
            row.update(data_points=int(d.T.size), table1_shape_rmse_quasi_ion=fq.rmse,
                       table1_shape_rmse_arrhenius_b=fa.rmse)
            for name, r in table.results.items():
                row[f"refit_{name}_rmse"] = r.rmse
                for k, v in r.params.items():
                    row[f"refit_{name}_{k}"] = v
            for name, why in table.skipped.items():
                row[f"refit_{name}"] = f"not fitted: {why}"
            lines.append(
                f"{m}: {d.T.size} measured points; Table 1 shapes with sigma0 fitted: RMSE(ln "
                f"sigma) quasi-ion {fq.rmse:.3g}, Arrhenius-b {fa.rmse:.3g}; refit: "
                + ", ".join(f"{n} RMSE {r.rmse:.3g}" for n, r in table.results.items())
                + ("; " + ", ".join(f"{n} skipped (too few points)" for n in table.skipped)
                   if table.skipped else ""))
        else:
            lines.append(f"{m}: Table 1 curves only (no measured data found)")
        ax.set_title(f"({'abc'[i]}) {m}", fontsize="small")
        ax.set_xlabel("1000/T (1/K)")
        ax.set_ylabel(r"$\ln\sigma - \ln\sigma_0$ (offset)")
        ax.axvline(1000.0 * units.k_B * P["beta0"], color="C3", lw=0.6, ls=":",
                   label=r"bend $\beta_0$ (Table 1)")
        ax.legend(fontsize="x-small", loc="lower left")
        rows.append(row)
    ax = axs[3]
    if rmse_paper:
        names = list(rmse_paper)
        xs = np.arange(len(names))
        ax.bar(xs - 0.2, [rmse_paper[n][0] for n in names], 0.4, color="C3", label="quasi-ion")
        ax.bar(xs + 0.2, [rmse_paper[n][1] for n in names], 0.4, color="C2", label="Arrhenius-b")
        ax.set_xticks(xs, [n[:10] for n in names], fontsize="x-small")
        ax.set_ylabel(r"RMSE of $\ln\sigma$")
        ax.legend(fontsize="x-small")
        ax.set_title("(d) Table 1 shapes on measured data", fontsize="small")
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "(d) RMSE: needs the measured data\n(set QUASIION_DATA_DIR)",
                ha="center", va="center", fontsize="small", transform=ax.transAxes)
    fig.suptitle("Fig 5 / Table 1: quasi-ion vs Arrhenius-b conductivity forms", fontsize="small")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    p = out / "fig5_table1.png"
    fig.savefig(p, dpi=150, bbox_inches="tight")
    plt.close(fig)
    pc = out / "table1.csv"
    keys: list[str] = []
    for row_ in rows:
        keys += [k for k in row_ if k not in keys]
    with pc.open("w", newline="") as fh:
        fh.write("# Table 1: the paper's parameters (E_t, E_a0, E_tilde in eV, beta0 in 1/eV, b); "
                 "refit_* and table1_shape_* only where measured data were found\n")
        w = csv.DictWriter(fh, fieldnames=keys, lineterminator="\n")
        w.writeheader()
        for row_ in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) and math.isfinite(v) else v)
                        for k, v in row_.items()})
    return [f"wrote {p.name}, {pc.name}"
            + ("" if data_path else " (measured data not found: Table 1 curves only)")] + lines


ITEMS: list[Item] = [
    Item("table1", "Table 1 / Fig 5: quasi-ion vs Arrhenius-b conductivity forms (garnets)",
         _table1),
]
