"""Drift gallery root: link."""

extensions = ["sphinx_release_runbook"]
runbook_repo_root = "."
exclude_patterns = ["_build"]
runbook_repo_url = "git@github.com:example/proj.git"
