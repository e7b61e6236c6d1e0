"""The version of quasiion: the one place to change it. pyproject.toml (scikit-build-core's
regex metadata provider) and CMakeLists.txt (the CMake package version) read it from here."""

__version__ = "0.1.0"
