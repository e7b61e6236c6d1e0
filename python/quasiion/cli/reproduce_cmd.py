"""``quasiion reproduce``: write the paper's figures and tables the package can compute."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ._common import use_agg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reproduce",
        help="write the paper's figures and tables (PNG/CSV) and a summary",
        description="Compute every figure and table of the paper that quasiion implements, on "
        "the paper's parameters, and write them with a summary.txt into --out.",
    )
    p.add_argument("--out", default="quasiion-paper", help="output folder (default: %(default)s)")
    p.add_argument("--only", nargs="*", metavar="NAME",
                   help="only these items (e.g. fig3 table2); default: all")
    p.add_argument("--list", action="store_true", help="list the items and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..reproduce import items

    all_items = items()
    if args.list:
        for it in all_items:
            print(f"{it.name:10s} {it.title}")
        return 0
    chosen = all_items
    if args.only:
        names = {it.name for it in all_items}
        unknown = [n for n in args.only if n not in names]
        if unknown:
            raise ValueError(f"--only = {unknown}: must be among {sorted(names)}")
        chosen = [it for it in all_items if it.name in args.only]
    from ._common import check_output

    check_output(args.out, "--out", directory=True)
    use_agg()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary: list[str] = []
    for i, it in enumerate(chosen, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(chosen)}] {it.name}: {it.title} ...", flush=True)
        lines = it.make(out)
        dt = time.perf_counter() - t0
        summary.append(f"== {it.name}: {it.title} ({dt:.1f} s)")
        summary.extend(f"   {line}" for line in lines)
        for line in lines:
            print(f"    {line}")
    (out / "summary.txt").write_text("\n".join(summary) + "\n")
    print(f"wrote {len(chosen)} items and summary.txt to {out}/")
    return 0
