"""``python -m runbook``: the command-line runner of sphinx-release-runbook."""
