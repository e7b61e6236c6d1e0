"""Generate the reference pages of the documentation from the package itself.

Run by ``conf.py`` before every build, and imported by ``tests/test_docs.py``:

- ``api/python.rst``: every name of ``quasiion.__all__`` (and of ``quasiion.plotting``),
  grouped by the module that exports it, each with its own page (autosummary), so a name
  added to a module's ``__all__`` appears without editing the docs;
- ``api/cli.rst``: ``quasiion --help`` and every subcommand's ``--help``;
- ``api/cpp.rst``: the public types of the C++ headers in ``cpp/include/quasiion``, each with
  the comment above it (a regular-expression scan: no Doxygen needed);
- ``_generated/topics.md``: a toctree of the markdown pages at the top of ``docs/``
  (architecture, paper notes, fitting, and whatever page is added there).
"""

from __future__ import annotations
import __future__

import contextlib
import importlib
import io
import re
import sys
import types
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent

#: Markdown pages at the top of docs/ listed first in the background toctree, in this order.
TOPIC_ORDER = ("architecture", "paper-notes", "fitting", "performance", "sweeps")


def _write(path: Path, text: str) -> None:
    # Rewrite only on change, so Sphinx does not re-read unchanged pages.
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _heading(text: str, char: str, over: bool = False) -> str:
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if over else f"{text}\n{line}\n"


# --- the Python API --------------------------------------------------------------------------
def namespace_names() -> list[str]:
    """Public names bound in the ``quasiion`` namespace that users can reach: everything not
    starting with an underscore, except submodules and ``from __future__`` features."""
    import quasiion

    out = []
    for name, obj in vars(quasiion).items():
        if name.startswith("_") or isinstance(obj, (types.ModuleType, __future__._Feature)):
            continue
        out.append(name)
    return sorted(out)


def reference_names() -> list[str]:
    """The names the reference documents: ``quasiion.__all__`` minus dunders and modules."""
    import quasiion

    out = []
    for name in quasiion.__all__:
        if name.startswith("__") or isinstance(getattr(quasiion, name), types.ModuleType):
            continue
        out.append(name)
    return out


def _exporting_module(pkg: types.ModuleType, name: str) -> str:
    """The submodule whose ``__all__`` lists ``name`` (else the object's ``__module__``)."""
    # public modules first: quasiion.fitting, not the quasiion._fitting it re-exports
    for modname, mod in sorted(sys.modules.items(), key=lambda kv: ("._" in kv[0], kv[0])):
        if (modname.startswith(pkg.__name__ + ".") and modname.count(".") == 1
                and name in getattr(mod, "__all__", ())):
            return modname
    modname = getattr(getattr(pkg, name), "__module__", None)
    if isinstance(modname, str) and modname.startswith(pkg.__name__ + "."):
        return ".".join(modname.split(".")[:2])
    return pkg.__name__


def api_groups() -> dict[str, list[str]]:
    """``{module: [names]}`` for the reference, modules in the order ``__all__`` first names
    them (the paper's order), names in ``__all__`` order."""
    import quasiion

    groups: dict[str, list[str]] = {}
    for name in reference_names():
        groups.setdefault(_exporting_module(quasiion, name), []).append(name)
    return groups


def plotting_names() -> list[str]:
    plotting = importlib.import_module("quasiion.plotting")
    names: list[str] = []
    for modname, mod in sorted(sys.modules.items()):
        if modname.startswith("quasiion.plotting."):
            names += [n for n in getattr(mod, "__all__", ()) if hasattr(plotting, n)]
    return sorted(set(names))


def is_type_alias(obj: object) -> bool:
    """A typing alias such as ``tuple[int, int, Sequence[int], complex]`` (documented as data:
    autosummary cannot import it as an object of its own)."""
    return isinstance(obj, types.GenericAlias) or type(obj).__module__ == "typing"


def _alias_rst(modname: str, name: str, obj: object) -> str:
    # The alias's "#:" comment in its module's source (what autodoc would show).
    source = Path(importlib.import_module(modname).__file__ or "").read_text().splitlines()
    doc: list[str] = []
    for i, line in enumerate(source):
        if re.match(rf"{name}\s*(:[^=]*)?=", line):
            j = i - 1
            while j >= 0 and source[j].startswith("#:"):
                doc.insert(0, source[j][2:].strip())
                j -= 1
            break
    text = " ".join(doc) or "Type alias."
    return f".. py:data:: {name}\n   :module: quasiion\n   :value: {obj!r}\n\n   {text}\n"


def _autosummary(current: str, names: list[str]) -> str:
    body = "\n".join(f"   {n}" for n in names)
    return (f".. currentmodule:: {current}\n\n.. autosummary::\n   :toctree: generated\n"
            f"   :nosignatures:\n\n{body}\n")


def api_rst() -> str:
    import quasiion

    parts = [
        ".. This page is generated by docs/_ext/quasiion_docs.py; do not edit.\n",
        _heading("Python API", "="),
        "Every public name of :mod:`quasiion`, grouped by the module that defines it, in the "
        "paper's order. All of them are imported from the top level: ``quasiion.X``. Units: "
        "eV, K, Angstrom, amu, s, cm^2/s, S/cm, cm^-3 (:mod:`quasiion.units`). Result objects "
        "are dataclasses of numpy arrays with ``to_dict()``, ``save_npz(path)`` and "
        "``save_csv(path)``.\n",
    ]
    general: list[str] = []
    for modname, names in api_groups().items():
        if modname.rsplit(".", 1)[-1].startswith("_") or modname in (
                quasiion.__name__, quasiion.__name__ + ".errors"):
            general += names  # package-level names: one section at the end
            continue
        parts.append(_heading(f"``{modname}``", "-"))
        parts.append(f".. automodule:: {modname}\n   :no-members:\n   :no-index:\n")
        aliases = [n for n in names if is_type_alias(getattr(quasiion, n))]
        parts.append(_autosummary("quasiion", [n for n in names if n not in aliases]))
        parts += [_alias_rst(modname, n, getattr(quasiion, n)) for n in aliases]
    modules = [n for n in quasiion.__all__
               if isinstance(getattr(quasiion, n), types.ModuleType)]
    for modname in modules:
        parts.append(_heading(f"``quasiion.{modname}``", "-"))
        parts.append(f".. automodule:: quasiion.{modname}\n   :members:\n")
    parts.append(_heading("``quasiion.plotting``", "-"))
    parts.append(".. automodule:: quasiion.plotting\n   :no-members:\n   :no-index:\n")
    parts.append(_autosummary("quasiion.plotting", plotting_names()))
    parts.append(_heading("Errors, version and build", "-"))
    parts.append("Bad input raises :class:`ValueError` with a message naming the parameter, its "
                 "value and what is allowed; a self-consistent loop that does not converge "
                 "raises :class:`quasiion.ConvergenceError`.\n")
    parts.append(_autosummary("quasiion", general))
    parts.append(".. data:: quasiion.__version__\n\n   The package version (a str), the same "
                 "as the distribution's metadata and the C++ package version.\n")
    return "\n".join(parts)


# --- the command line ------------------------------------------------------------------------
def cli_help() -> dict[str, str]:
    """``{"": top-level help, command: its help}`` as printed by ``quasiion ... --help``."""
    from quasiion.cli import COMMANDS, build_parser

    parser = build_parser()
    out = {"": parser.format_help()}
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in COMMANDS:
        out[name] = choices[name].format_help()
    return out


def cli_rst() -> str:
    parts = [".. This page is generated by docs/_ext/quasiion_docs.py; do not edit.\n",
             _heading("Command line", "="),
             "``quasiion`` is installed with the package (``python -m quasiion`` does the same). "
             "Every subcommand prints errors in bad input as one line naming the parameter, and "
             "exits with status 2. ``quasiion --version`` prints the version.\n"]
    for name, text in cli_help().items():
        parts.append(_heading(f"quasiion {name}".strip(), "-"))
        parts.append(".. code-block:: text\n\n" + "".join(
            f"   {line}\n" if line.strip() else "\n" for line in text.splitlines()))
    return "\n".join(parts)


# --- the C++ headers -------------------------------------------------------------------------
_DECL = re.compile(r"^(?P<indent>[ ]{0,2})(?:template\s*<[^>]*>\s*)?"
                   r"(?P<kind>struct|class|enum class|enum|using)\s+(?P<name>[A-Za-z_]\w*)"
                   r"(?P<rest>[^;]*)")


def cpp_types(include_dir: Path | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """``{header: [(kind, qualified name, comment)]}``: the types of each public header
    (declarations at namespace level or nested one level in a class, not forward
    declarations, nothing in a ``detail`` namespace), with the ``//`` comment block just
    above each. The first entry of each
    list is ``("header", name, the header's leading comment)``."""
    include_dir = include_dir or ROOT / "cpp" / "include" / "quasiion"
    out: dict[str, list[tuple[str, str, str]]] = {}
    for header in sorted(include_dir.glob("*.hpp")):
        lines = header.read_text().splitlines()
        found = []
        namespaces: list[str] = []
        enclosing: str | None = None
        for i, line in enumerate(lines):
            if m := re.match(r"^namespace ([\w:]+) \{", line):
                namespaces.append(m[1])
                continue
            if re.match(r"^\}\s*// namespace", line) and namespaces:
                namespaces.pop()
                continue
            if line.startswith("};"):
                enclosing = None
            m = _DECL.match(line)
            if not m:
                continue
            if m["kind"] != "using" and line.rstrip().endswith(";") and "{" not in line:
                continue  # forward declaration
            if m["kind"] == "using" and "=" not in m["rest"]:
                continue  # using-declaration, not an alias
            if any(ns.split("::")[-1] in ("detail", "internal") for ns in namespaces):
                continue  # implementation details, not public types
            scope = "::".join(namespaces)
            if m["indent"] and enclosing:
                scope = f"{scope}::{enclosing}" if scope else enclosing
            qualified = f"{scope}::{m['name']}" if scope else m["name"]
            if not m["indent"] and m["kind"] in ("struct", "class") and not line.rstrip().endswith("};"):
                enclosing = m["name"]
            comment: list[str] = []
            j = i - 1
            while j >= 0 and lines[j].strip().startswith("//"):
                comment.insert(0, lines[j].strip().lstrip("/").strip())
                j -= 1
            if not comment:
                tail = line.split("//", 1)
                comment = [tail[1].strip()] if len(tail) > 1 else []
            found.append((m["kind"], qualified, " ".join(comment)))
        head = []
        for line in lines:
            if line.startswith("//"):
                head.append(line.lstrip("/").strip())
            elif line.strip():
                break
        out[header.name] = [("header", header.name, " ".join(head))] + found
    return out


def cpp_rst() -> str:
    parts = [".. This page is generated by docs/_ext/quasiion_docs.py; do not edit.\n",
             _heading("C++ headers", "="),
             "The C++17 core is the static library ``quasiion::core`` (namespace ``quasiion``), "
             "installed with a CMake package config: ``find_package(quasiion CONFIG REQUIRED)`` "
             "then ``target_link_libraries(my_simulator PRIVATE quasiion::core)``. The wheel "
             "carries a copy: ``-Dquasiion_DIR=\"$(python -m quasiion.cmake_dir)\"``; "
             "``cpp/examples/embed/`` is a complete example. Values in, values out: parameter "
             "structs and Eigen arrays in, result structs out; bad input throws "
             "``quasiion::InvalidArgument`` naming the parameter, a loop that does not "
             "converge ``quasiion::ConvergenceError``. Units as in Python.\n",
             "This page lists the public types of each header with the comment above their "
             "declaration (read from the headers at build time); the headers themselves are "
             "the reference for member functions.\n"]
    for header, items in cpp_types().items():
        parts.append(_heading(f"``quasiion/{header}``", "-"))
        intro = items[0][2]
        if intro:
            parts.append(_rst_text(intro) + "\n")
        rows = items[1:]
        if not rows:
            parts.append("Functions only.\n")
            continue
        parts.append(".. list-table::\n   :header-rows: 1\n   :widths: 15 25 60\n\n"
                     "   * - kind\n     - name\n     - description\n")
        for kind, name, comment in rows:
            parts.append(f"   * - {kind}\n     - ``{name}``\n     - {_rst_text(comment) or '..'}\n")
    return "\n".join(parts)


def _rst_text(text: str) -> str:
    # Header comments are plain text: quote what reStructuredText would interpret.
    text = text.replace("\\", "\\\\").replace("`", "'").replace("*", "\\*")
    return escape_plain(text)


# --- docstrings: plain-text notation that reStructuredText would misread ---------------------
_LITERAL = re.compile(r"(``.+?``|:[\w:]+:`[^`]+`|`[^`]+`_{0,2})")


def escape_plain(line: str) -> str:
    """Escape, outside inline literals and roles, the ``|x|`` of absolute values (else a
    substitution reference) and a word's trailing underscore (else a hyperlink reference)."""
    parts = _LITERAL.split(line)
    for i in range(0, len(parts), 2):
        p = parts[i].replace("|", "\\|")
        parts[i] = re.sub(r"(?<=\w)_(?=[\s,.;:!?)\]}>/\\'\"-]|$)", r"\\_", p)
    return "".join(parts)


def escape_docstring(lines: list[str]) -> None:
    """Apply :func:`escape_plain` in place to the prose of a docstring, leaving literal
    blocks (after ``::``) and doctest blocks (``>>>``) alone."""
    literal_indent: int | None = None
    in_doctest = False
    after_colons = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped:
            in_doctest = False
            continue
        if after_colons:
            literal_indent, after_colons = indent, False
        if literal_indent is not None:
            if indent >= literal_indent:
                continue
            literal_indent = None
        if stripped.startswith(">>>") or in_doctest:
            in_doctest = True
            continue
        if stripped.startswith(".."):
            continue
        lines[i] = escape_plain(line)
        after_colons = stripped.endswith("::")


# --- the background pages --------------------------------------------------------------------
def topic_pages(docs: Path = DOCS) -> list[str]:
    """The markdown pages at the top of docs/, known ones first."""
    names = [p.stem for p in docs.glob("*.md") if p.stem not in ("index", "getting-started")]
    known = [n for n in TOPIC_ORDER if n in names]
    return known + sorted(n for n in names if n not in known)


def topics_md() -> str:
    entries = "\n".join(topic_pages())
    return (f"```{{toctree}}\n:maxdepth: 1\n:caption: Background\n\n{entries}\n```\n")


def generate(docs: Path = DOCS) -> None:
    """Write every generated page (called by conf.py)."""
    _write(docs / "api" / "python.rst", api_rst())
    with contextlib.redirect_stdout(io.StringIO()):
        _write(docs / "api" / "cli.rst", cli_rst())
    _write(docs / "api" / "cpp.rst", cpp_rst())
    _write(docs / "_generated" / "topics.md", topics_md())


# --- the Sphinx extension ----------------------------------------------------------------
def _process_docstring(app, what, name, obj, options, lines):  # noqa: ANN001, ARG001
    escape_docstring(lines)


def _check_reference(app, exception):  # noqa: ANN001
    """After an HTML build: every public name has its page (or, for aliases, its entry)."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    import quasiion

    log = logging.getLogger(__name__)
    out = Path(app.outdir) / "api"
    python_page = (out / "python.html").read_text() if (out / "python.html").exists() else ""
    for name in reference_names():
        if is_type_alias(getattr(quasiion, name)):
            ok = f'id="quasiion.{name}"' in python_page
        else:
            ok = (out / "generated" / f"quasiion.{name}.html").exists()
        if not ok:
            log.warning("quasiion.%s is public but has no page in the API reference", name)


def _summary_keeping_literals(extract):  # noqa: ANN001, ANN202
    # autosummary cuts the first sentence at ". ", also inside ``a .. b``, leaving an
    # unterminated literal (a warning); then use the whole first paragraph.
    def summary(doc, settings):  # noqa: ANN001, ANN202
        text = extract(doc, settings)
        if text.count("``") % 2:
            lines = []
            for line in doc:
                if lines and not line.strip():
                    break
                if line.strip():
                    lines.append(line.strip())
            text = " ".join(lines)
        return text

    return summary


def setup(app):  # noqa: ANN001, ANN201
    from sphinx.ext import autosummary

    autosummary.extract_summary = _summary_keeping_literals(autosummary.extract_summary)
    # Before numpydoc (priority 500), which turns the sections into reStructuredText.
    app.connect("autodoc-process-docstring", _process_docstring, priority=100)
    app.connect("build-finished", _check_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


class ExampleOrder:
    """Gallery order within a section: the common tasks in the order a new user needs them,
    the paper's figures in the paper's order, then any other example by file name."""

    FIRST = ("plot_profile_to_conductivity.py", "plot_doping_sweep.py",
             "plot_fit_conductivity.py", "plot_onsager_matrix.py", "plot_fig1c_profile.py",
             "plot_fig3_bands.py", "plot_fig4_doping.py", "plot_fig6_onsager.py")

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        return (self.FIRST.index(name) if name in self.FIRST else len(self.FIRST), name)

    def __repr__(self) -> str:  # sphinx-gallery compares configurations by repr
        return f"<{type(self).__name__}>"
