"""The ``quasiion`` command line. Each subcommand lives in its own module here and registers
itself through ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from .. import __version__
from ..executors import ChunkError, SweepInterrupted

#: What argparse takes for a negative value rather than an option: plain numbers and our
#: ranges, so that ``--mu -0.8:0.4:0.005`` and ``--mu -0.3,-0.2`` work without ``=``.
NEGATIVE_VALUE = re.compile(r"^-\d*\.?\d+([:,eE][-+\d.:,eE]*)?$")

#: Subcommand modules, in the order --help lists them.
COMMANDS = ("reproduce", "bands", "potential", "doping", "fit", "onsager", "disorder", "percolation",
            "conductivity", "plot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quasiion",
        description="The quasi-ion method for solid-state ion transport. Units: eV, K, Angstrom, "
        "S/cm.",
    )
    parser.add_argument("--version", action="version", version=f"quasiion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}_cmd").register(sub)
    for p in sub.choices.values():
        p._negative_number_matcher = NEGATIVE_VALUE  # argparse's own knows plain numbers only
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from ..errors import ConvergenceError

    try:
        return int(args.func(args) or 0)
    except ValueError as exc:  # bad input: one clear line, no traceback
        print(f"quasiion {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (ChunkError, SweepInterrupted) as exc:  # what finished is kept; the message says where
        print(f"quasiion {args.command}: {exc}", file=sys.stderr)
        return 130 if isinstance(exc, SweepInterrupted) else 1
    except OSError as exc:  # a file that cannot be read or written
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"quasiion {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except ConvergenceError as exc:
        print(f"quasiion {args.command}: no converged solution: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(f"quasiion {args.command}: interrupted", file=sys.stderr)
        return 130
