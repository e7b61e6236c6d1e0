"""``quasiion plot FILE``: plot a sweep or ensemble saved with ``save=`` / ``--save``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import save_figure, use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plot",
        help="plot a saved sweep or ensemble (.npz / .nc written with --save)",
        description="Plot a file written by a sweep with --save (or save= in Python): the "
        "conductivity map over (mu, T) per alpha, |S00| and sigma versus mu, or histograms of "
        "an ensemble's results. Prints the file's provenance. Units: eV, K, S/cm.",
    )
    p.add_argument("file", metavar="FILE", help="a .npz or .nc sweep file")
    p.add_argument("--out", metavar="PNG", help="image to write (default: FILE with .png)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..executors import load
    from ..plotting.sweeps import plot_saved

    saved = load(args.file)
    m = saved.meta
    print(f"{args.file}: {m['kind']}, {int(saved.done.sum())} of {saved.done.size} points done, "
          f"quasiion {m.get('quasiion_version')}, seed {m.get('seed')}, "
          f"written {m.get('written', '?')}")
    for k, v in m.get("inputs", {}).items():
        print(f"  {k} = {v}")
    use_agg()
    fig = plot_saved(args.file)
    out = args.out or str(Path(args.file).with_suffix(".png"))
    print(f"wrote {save_figure(fig, out)}")
    return 0
