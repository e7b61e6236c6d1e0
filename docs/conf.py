"""Sphinx configuration for the quasiion documentation.

Build: ``pip install ".[docs]" && sphinx-build -W -b html docs docs/_build/html`` (runs the
gallery); docstring and page examples: ``sphinx-build -W -b doctest docs docs/_build/doctest``.
``QUASIION_DOCS_GALLERY=False`` renders the examples without running them (a quick draft).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import quasiion_docs  # noqa: E402

import quasiion  # noqa: E402

quasiion_docs.generate(HERE)

project = "quasiion"
author = "the quasiion developers"
copyright = "2026, the quasiion developers"
version = release = quasiion.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "quasiion_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "examples", "auto_examples/*.ipynb",
                    "auto_examples/**/*.ipynb", "**/*.py", "**/*.zip", "**/*.md5"]

# --- API reference ------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc sections carry the types and units
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# --- markdown pages -----------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# --- doctests (in docstrings and pages): quasiion imported, plots off screen -----------------
doctest_global_setup = """
import numpy as np
import quasiion
import quasiion as qi
np.set_printoptions(precision=4, suppress=True)
"""
doctest_test_doctest_blocks = "default"

# --- gallery ------------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"plot_",
    # Only plot_*.py files are gallery examples; other scripts in docs/examples (fit_garnets.py,
    # ...) are plain programs run from the command line.
    "ignore_pattern": r"^(?!plot_).*\.py$",  # matched against the file name
    "subsection_order": ["examples/tasks", "examples/paper", "*"],
    "within_subsection_order": "quasiion_docs.ExampleOrder",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "image_scrapers": ("matplotlib",),
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "plot_gallery": os.environ.get("QUASIION_DOCS_GALLERY", "True"),
    "reset_modules_order": "both",
}

# --- HTML ---------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"quasiion {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
}
html_static_path: list[str] = []
html_show_sourcelink = False
