"""quasiion: the quasi-ion method for solid-state ion transport.

A classical ion system with short-range ion-ion repulsion is mapped onto fermionic
quasiparticles on a tight-binding lattice; ionic bands, carrier formation energies,
conductivities, doping-driven super-ionic transitions and ion-electron Onsager coefficients
follow. Units everywhere: eV, K, Angstrom, amu, s, cm^2/s, S/cm, cm^-3 (see
:mod:`quasiion.units`).

Plotting lives in :mod:`quasiion.plotting` (imports matplotlib on use); the command line is
``quasiion --help``.
"""

from __future__ import annotations

from . import doping, fitting, interstitial, lattice, onsager, potential, units  # noqa: E402
from .doping import *  # noqa: F403
from .errors import ConvergenceError
from .fitting import *  # noqa: F403
from .interstitial import *  # noqa: F403

# Each domain module lists its public names in __all__.
from .lattice import *  # noqa: F403
from .onsager import *  # noqa: F403
from .potential import *  # noqa: F403
from . import progress as progress  # progress reports of long calls

__version__ = "0.1.0"

__all__ = (
    ["units", "ConvergenceError", "__version__"]
    + lattice.__all__
    + interstitial.__all__
    + potential.__all__
    + doping.__all__
    + fitting.__all__
    + onsager.__all__
)
