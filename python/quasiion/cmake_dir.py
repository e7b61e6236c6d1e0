"""Where the installed wheel keeps its C++ package, for ``find_package(quasiion)``.

``python -m quasiion.cmake_dir`` prints the directory to pass as ``quasiion_DIR`` (or append
to ``CMAKE_PREFIX_PATH`` the printed prefix with ``--prefix``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def prefix() -> Path:
    """The install prefix of the bundled C++ core (holds include/ and lib/)."""
    return Path(__file__).resolve().parent / "core"


def cmake_dir() -> Path:
    """The directory holding quasiionConfig.cmake."""
    return prefix() / "lib" / "cmake" / "quasiion"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = prefix() if "--prefix" in args else cmake_dir()
    if not path.exists():
        print(f"quasiion: no bundled C++ package at {path} (built without it?)", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
