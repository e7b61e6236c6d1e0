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
from . import _lapack, solvers, spectrum  # noqa: E402, F401  (_lapack registers scipy's LAPACK)
from .doping import *  # noqa: F403
from .errors import ConvergenceError
from .fitting import *  # noqa: F403
from .interstitial import *  # noqa: F403

# Each domain module lists its public names in __all__.
from .lattice import *  # noqa: F403
from .onsager import *  # noqa: F403
from .potential import *  # noqa: F403
from .solvers import *  # noqa: F403
from .spectrum import *  # noqa: F403
from . import percolation, supercell, wellchain  # noqa: E402
from .percolation import *  # noqa: F403
from .supercell import *  # noqa: F403
from .wellchain import *  # noqa: F403
from . import bandpath, kubo, thermoelectric  # noqa: E402
from .bandpath import *  # noqa: F403
from . import realspace_meanfield  # noqa: E402
from .realspace_meanfield import *  # noqa: F403
from .kubo import *  # noqa: F403
from .thermoelectric import *  # noqa: F403

from ._version import __version__
from ._config import show_config

__all__ = (
    ["units", "ConvergenceError", "__version__", "show_config"]
    + lattice.__all__
    + interstitial.__all__
    + potential.__all__
    + doping.__all__
    + fitting.__all__
    + onsager.__all__
    + spectrum.__all__
    + solvers.__all__
    + supercell.__all__
    + percolation.__all__
    + wellchain.__all__
    + kubo.__all__
    + thermoelectric.__all__
    + bandpath.__all__
    + realspace_meanfield.__all__
)
