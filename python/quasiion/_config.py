"""``quasiion.show_config()``: how this copy of quasiion was built and what it runs on."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import Any

from . import _validation as v
from ._version import __version__


def _dense_solver(core: Any) -> str:
    # The core reports the dense Hermitian eigensolver it uses (LAPACK through scipy, or
    # Eigen's own); builds without that report use Eigen.
    active = getattr(core, "active_dense_solver", None)
    return str(active()) if callable(active) else "eigen"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def config() -> dict[str, dict[str, str]]:
    """The configuration :func:`show_config` prints, as nested dicts of str."""
    from . import _core

    build = dict(_core.build_info())
    return {
        "quasiion": {
            "version": __version__,
            "location": os.path.dirname(os.path.abspath(__file__)),
        },
        "build": {
            "compiler": build["compiler"],
            "build_type": build["build_type"],
            "cxx_standard": build["cxx_standard"],
            "core_version": build["version"],
            "eigen": build["eigen"],
            "pybind11": build["pybind11"],
        },
        "runtime": {
            "dense_solver": _dense_solver(_core),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": str(os.cpu_count()),
            "numpy": _dist_version("numpy"),
            "scipy": _dist_version("scipy"),
            "matplotlib": _dist_version("matplotlib"),
        },
    }


def show_config(mode: str = "stdout") -> dict[str, dict[str, str]] | None:
    """Print (or return) the version, build and runtime of this copy of quasiion.

    Reports the package version, the compiler and build type of the C++ core, the dense
    Hermitian eigensolver in use (``"eigen"`` or the LAPACK route through scipy) and the
    versions of Python, numpy, scipy and matplotlib: what a bug report needs.

    Parameters
    ----------
    mode : {"stdout", "dicts"}
        ``"stdout"`` prints a readable report and returns None; ``"dicts"`` returns it as
        nested dicts of str (sections ``quasiion``, ``build``, ``runtime``).

    Returns
    -------
    dict or None
        The report in ``"dicts"`` mode.

    Examples
    --------
    >>> import quasiion
    >>> cfg = quasiion.show_config(mode="dicts")
    >>> cfg["quasiion"]["version"] == quasiion.__version__
    True
    >>> sorted(cfg["build"])
    ['build_type', 'compiler', 'core_version', 'cxx_standard', 'eigen', 'pybind11']
    """
    v.choice("mode", mode, ("stdout", "dicts"))
    cfg = config()
    if mode == "dicts":
        return cfg
    for section, items in cfg.items():
        print(f"{section}:")
        width = max(len(k) for k in items)
        for key, value in items.items():
            print(f"  {key:<{width}}  {value}")
    return None
