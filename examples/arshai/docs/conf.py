"""Sphinx configuration of the arshai example docs."""

project = "arshai"
author = "Arshai Maintainers"
copyright = "2025, Arshai Maintainers"

extensions = ["sphinx_release_runbook"]

# The example lives inside another git repository: its files (pyproject.toml,
# arshai/_version.py, .github/workflows/publish.yml) are relative to the folder
# above docs/, not to the git top level.
runbook_repo_root = ".."

exclude_patterns = ["_build"]
html_theme = "alabaster"
