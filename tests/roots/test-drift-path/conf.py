"""Drift gallery root: path."""

extensions = ["sphinx_release_runbook"]
runbook_repo_root = "."
exclude_patterns = ["_build"]
