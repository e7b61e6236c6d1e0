"""The documentation covers the package: every public name of quasiion has an entry in the
API reference, every subcommand is on the command-line page, every C++ header on its page,
every markdown page in a toctree. (Building the site itself is CI's job: `.ci/run`.)"""

from __future__ import annotations
import __future__

import importlib.util
import re
import types
from pathlib import Path

import pytest

import quasiion

DOCS = Path(__file__).resolve().parents[1] / "docs"
pytestmark = pytest.mark.skipif(not (DOCS / "_ext" / "quasiion_docs.py").is_file(),
                                reason="the docs/ folder is not in this checkout")


@pytest.fixture(scope="module")
def gen() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("quasiion_docs",
                                                  DOCS / "_ext" / "quasiion_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def listed_in(rst: str) -> dict[str, set[str]]:
    """{current module: names} read from the reference's text: the entries of its
    autosummary tables and its py:data directives."""
    out: dict[str, set[str]] = {}
    current = "quasiion"
    lines = rst.splitlines()
    for i, line in enumerate(lines):
        if m := re.match(r"\.\. currentmodule:: (\S+)", line):
            current = m[1]
        elif m := re.match(r"\.\. py:data:: (\w+)", line):
            module = re.search(r":module: (\S+)", "\n".join(lines[i + 1:i + 3]))
            out.setdefault(module[1] if module else current, set()).add(m[1])
        elif line.startswith(".. autosummary::"):
            for entry in lines[i + 1:]:
                if entry.strip() and not entry.startswith("   "):
                    break
                if entry.strip() and not entry.strip().startswith(":"):
                    out.setdefault(current, set()).add(entry.strip())
    return out


def public_namespace(module: types.ModuleType) -> set[str]:
    """What a user reaches as module.X: every binding without an underscore, except
    submodules and `from __future__` features (independent of __all__)."""
    return {n for n, obj in vars(module).items()
            if not n.startswith("_")
            and not isinstance(obj, (types.ModuleType, __future__._Feature))}


def missing_from_reference(gen: types.ModuleType) -> list[str]:
    listed = listed_in(gen.api_rst())
    plotting = importlib.import_module("quasiion.plotting")
    missing = [f"quasiion.{n}" for n in public_namespace(quasiion)
               if n not in listed.get("quasiion", set())]
    missing += [f"quasiion.plotting.{n}" for n in public_namespace(plotting)
                if callable(getattr(plotting, n)) and n not in listed.get("quasiion.plotting", set())]
    return sorted(missing)


def test_every_public_name_is_in_the_api_reference(gen):
    assert missing_from_reference(gen) == []
    listed = listed_in(gen.api_rst())
    # the parser reads real entries, and the modules of __all__ have their sections
    assert {"InterstitialChain", "fit_conductivity", "show_config", "Hopping"} <= listed["quasiion"]
    assert "plot_bands" in listed["quasiion.plotting"]
    assert ".. automodule:: quasiion.units" in gen.api_rst()


def test_a_name_exported_without_an_entry_is_reported(gen, monkeypatch):
    # A name bound in quasiion but left out of __all__ (the reference's source) is caught...
    monkeypatch.setattr(quasiion, "SupercellThing", lambda: None, raising=False)
    assert missing_from_reference(gen) == ["quasiion.SupercellThing"]
    # ...and once it is in __all__ the reference lists it without any edit of the docs.
    monkeypatch.setattr(quasiion, "__all__", [*quasiion.__all__, "SupercellThing"])
    assert missing_from_reference(gen) == []


def test_every_subcommand_is_on_the_cli_page(gen):
    from quasiion.cli import COMMANDS

    page = gen.cli_rst()
    for name in COMMANDS:
        assert re.search(rf"^quasiion {name}\n-+$", page, re.M), name
        assert f"usage: quasiion {name}" in page


def test_every_header_and_its_public_types_are_on_the_cpp_page(gen):
    page = gen.cpp_rst()
    include = DOCS.parent / "cpp" / "include" / "quasiion"
    for header in include.glob("*.hpp"):
        assert f"``quasiion/{header.name}``" in page, header.name
        # namespace-level struct/class definitions, found by a plain search outside the
        # implementation-detail namespaces
        text = re.sub(r"^namespace detail \{.*?^\}\s*// namespace detail", "",
                      header.read_text(), flags=re.M | re.S)
        for name in re.findall(r"^(?:struct|class) (\w+)[^;]*\{", text, re.M):
            assert re.search(rf"``quasiion(::\w+)*::{name}``", page), f"{header.name}: {name}"


def test_markdown_pages_are_in_a_toctree(gen):
    toc = gen.topics_md()
    for page in DOCS.glob("*.md"):
        if page.stem not in ("index", "getting-started"):
            assert f"\n{page.stem}\n" in toc, page.name


def test_docstring_escaping_keeps_literals_and_doctests(gen):
    lines = ["|S00| in eV, b_ ln b, ``|x|`` kept", "", ">>> abs(-1) | 2", "3", "",
             "Example::", "", "    |a| stays", "back |b|"]
    gen.escape_docstring(lines)
    assert lines[0] == r"\|S00\| in eV, b\_ ln b, ``|x|`` kept"
    assert lines[2] == ">>> abs(-1) | 2" and lines[7] == "    |a| stays"
    assert lines[8] == r"back \|b\|"
