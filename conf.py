"""Sphinx configuration of this project's docs.

Build with ``sphinx-build -W -c . docs docs/_build/html`` (or ``make docs``).
The conf lives at the repository root so that ``python -m runbook`` finds the
docs the same way it finds them in any project laid out like this one.
"""

from __future__ import annotations

from sphinx_release_runbook import __version__

project = "sphinx-release-runbook"
author = "sphinx-release-runbook developers"
copyright = "2025, sphinx-release-runbook developers"
release = __version__
version = ".".join(__version__.split(".")[:2])

extensions = [
    "sphinx_release_runbook",
    "sphinx_click",
]

# _snippets/ holds the reST examples of the directive reference; each is shown
# twice (literalinclude for the source, include for the rendering), never built alone.
exclude_patterns = ["_build", "_snippets", "Thumbs.db", ".DS_Store"]

html_theme = "alabaster"
html_theme_options = {
    "description": "Write the release guide once: read it, run it, check it.",
    "fixed_sidebar": True,
}

# Without -d, Sphinx keeps the doctrees inside the output folder, and the epub
# builder warns about each of them; the docs ship no other extra files.
suppress_warnings = ["epub.unknown_project_files"]

# Drift between the guide and the repository fails the build.
runbook_drift = "error"
