"""Drift gallery root: placeholder."""

extensions = ["sphinx_release_runbook"]
runbook_repo_root = "."
exclude_patterns = ["_build"]
