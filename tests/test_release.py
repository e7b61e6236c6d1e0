"""One version everywhere, the build report, and the release files."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

import quasiion
from quasiion import _core
from quasiion.cli import main
from quasiion.cmake_dir import cmake_dir

ROOT = Path(__file__).resolve().parents[1]


def cmake_version(text: str) -> str:
    # The numeric version CMake takes from _version.py: its regex, applied here in Python.
    return re.search(r"[0-9]+\.[0-9]+\.[0-9]+", text)[0]  # type: ignore[index]


def test_version_agrees_everywhere():
    v = quasiion.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+([.\-+]?\w+)*", v)
    assert metadata.version("quasiion") == v  # pyproject (regex provider) -> wheel metadata
    assert _core.build_info()["version"] == cmake_version(v)  # CMake PROJECT_VERSION
    config_version = cmake_dir() / "quasiionConfigVersion.cmake"
    if config_version.is_file():  # the C++ package inside an installed wheel
        m = re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', config_version.read_text())
        assert m and m[1] == cmake_version(v)


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="not a source checkout")
def test_version_has_one_source_in_the_repository():
    v = quasiion.__version__
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M)
    assert not re.search(r"^version = ", pyproject, re.M)
    assert 'input = "python/quasiion/_version.py"' in pyproject
    cmake = (ROOT / "CMakeLists.txt").read_text()
    assert "python/quasiion/_version.py" in cmake
    assert re.search(r"project\(quasiion VERSION \$\{QUASIION_VERSION\}", cmake)
    assert cmake_version((ROOT / "python" / "quasiion" / "_version.py").read_text()) \
        == cmake_version(v)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    released = re.findall(r"^## \[(\d[^\]]*)\]", changelog, re.M)
    assert released and released[0] == v, "CHANGELOG.md: the newest release is not __version__"
    citation = (ROOT / "CITATION.cff").read_text()
    assert re.search(rf'^version: "{re.escape(v)}"$', citation, re.M)


@pytest.mark.skipif(not (ROOT / "LICENSE").is_file(), reason="not a source checkout")
def test_license_and_citation():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert re.search(r'license = \{ text = "MIT" \}', (ROOT / "pyproject.toml").read_text())
    citation = (ROOT / "CITATION.cff").read_text()
    assert "A Novel Quasiparticle Method for Solid State Ion Transport" in citation
    assert "family-names: Hu" in citation and 'date-published: "2023-10-24"' in citation


def test_show_config(capsys):
    cfg = quasiion.show_config(mode="dicts")
    assert cfg is not None
    assert cfg["quasiion"]["version"] == quasiion.__version__
    assert cfg["build"]["compiler"] not in ("", "unknown")
    assert cfg["build"]["build_type"] in ("Release", "Debug", "RelWithDebInfo", "MinSizeRel")
    assert re.fullmatch(r"\d+\.\d+\.\d+", cfg["build"]["eigen"])
    active = getattr(_core, "active_dense_solver", None)
    assert cfg["runtime"]["dense_solver"] == (str(active()) if active else "eigen")
    assert quasiion.show_config() is None
    out = capsys.readouterr().out
    for key in ("version", "compiler", "build_type", "dense_solver"):
        assert re.search(rf"^  {key}\s+\S", out, re.M), key
    with pytest.raises(ValueError, match="mode = 'json': must be one of 'stdout', 'dicts'"):
        quasiion.show_config("json")


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"quasiion {quasiion.__version__}"
