"""Plots for quasiion results. Every function takes an optional matplotlib ``Axes`` (or
creates a figure) and returns what it drew on, so plots compose into the user's figures.
Importing this module imports matplotlib.
"""

from __future__ import annotations

from .bands import *  # noqa: F403
from .doping import *  # noqa: F403
from .fitting import *  # noqa: F403
from .onsager import *  # noqa: F403
from .potential import *  # noqa: F403
from .transport_extra import *  # noqa: F403
from .sweeps import *  # noqa: F403
from .supercell import *  # noqa: F403
