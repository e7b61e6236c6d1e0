"""``--workers N`` and ``--scheduler ADDRESS`` for the subcommands that sweep (see
:mod:`quasiion.executors`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_executor_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, default=0, metavar="N",
                   help="run the chunks in N local worker processes (default: this process, "
                   "with --threads C++ threads)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the chunks on a running dask scheduler, e.g. tcp://host:8786 "
                   "(needs quasiion[distributed])")


def executor_from_args(args: argparse.Namespace) -> Any:
    """The ``executor=`` the options ask for (None: this process)."""
    if args.scheduler:
        address = args.scheduler if "://" in args.scheduler else f"tcp://{args.scheduler}"
        return address
    if args.workers < 0:
        raise ValueError(f"--workers = {args.workers}: must be >= 1 (or 0 for this process)")
    return args.workers or None
