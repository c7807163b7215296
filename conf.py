"""Sphinx configuration of this project's docs.

Build with ``sphinx-build -W -c . docs docs/_build/html`` (or ``make docs``).
The conf lives at the repository root so that ``python -m runbook`` finds the
docs the same way it finds them in any project laid out like this one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_release_runbook import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

project = "sphinx-release-runbook"
author = "sphinx-release-runbook developers"
copyright = "2025, sphinx-release-runbook developers"
release = __version__
version = ".".join(__version__.split(".")[:2])

# The docs' own extensions (docs/_ext): cli_reference renders the click group of cli.rst
# as --help prints it (options as literals, the metavars of --help, the exit codes once,
# the commands in their order).
_DOCS_EXTENSIONS = str(Path(__file__).resolve().parent / "docs" / "_ext")
if _DOCS_EXTENSIONS not in sys.path:
    sys.path.insert(0, _DOCS_EXTENSIONS)

extensions = [
    "sphinx_release_runbook",
    "sphinx_click",
    "cli_reference",
    # Copy buttons on the other code blocks; the guide's blocks keep the runbook's own
    # (the filled commands without comments), so every block has exactly one.
    "sphinx_copybutton",
]

# _snippets/ holds the reST examples of the directive reference; each is shown
# twice (literalinclude for the source, include for the rendering), never built alone.
exclude_patterns = ["_build", "_snippets", "Thumbs.db", ".DS_Store"]

# Any of the four themes the docs extra installs: ``-D html_theme=furo`` (or
# sphinx_rtd_theme, pydata_sphinx_theme) builds the same docs, with -W, in that theme.
html_theme = "alabaster"

#: Each theme's own options; a theme warns about options it does not know, so only the
#: chosen theme's are set (on config-inited, after -D has chosen it).
THEME_OPTIONS: dict[str, dict[str, object]] = {
    "alabaster": {
        "description": "Write the release guide once: read it, run it, check it.",
        "fixed_sidebar": True,
    },
    "furo": {"navigation_with_keys": True},
    "sphinx_rtd_theme": {"navigation_depth": 3},
    # The navbar shows the project's name only: the whole title ("... 0.1.0 documentation")
    # runs under the navbar's links at 1280 px.
    "pydata_sphinx_theme": {
        "navigation_with_keys": True,
        "show_toc_level": 2,
        "logo": {"text": project},
    },
}

# Without -d, Sphinx keeps the doctrees inside the output folder, and the epub
# builder warns about each of them; the docs ship no other extra files.
suppress_warnings = ["epub.unknown_project_files"]

# Drift between the guide and the repository fails the build.
runbook_drift = "error"


def _theme_options(app: Sphinx, config: Config) -> None:
    """The options of the theme this build uses (``html_theme`` may come from ``-D``)."""
    if not config.html_theme_options:
        config.html_theme_options = dict(THEME_OPTIONS.get(config.html_theme, {}))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _theme_options)
