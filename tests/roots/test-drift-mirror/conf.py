"""Drift gallery root: mirror."""

extensions = ["sphinx_release_runbook"]
runbook_repo_root = "."
exclude_patterns = ["_build"]
