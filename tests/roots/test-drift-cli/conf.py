"""Drift gallery root: cli."""

extensions = ["sphinx_release_runbook"]
runbook_repo_root = "."
exclude_patterns = ["_build"]

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
runbook_clis = {"fixture": "drift_fixture_cli:cli", "broken": "no_such_module:cli"}
