"""Tests of the command line; :func:`imported` is their one probe of what a command imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PROBE = """\
import json, sys
from sphinx_release_runbook.cli import cli
try:
    cli(sys.argv[1:], prog_name="python -m runbook")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> tuple[int, list[str]]:
    """The exit code of ``python -m runbook ARGS`` and every module it had imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip(), result.stderr
    last = json.loads(result.stdout.splitlines()[-1])
    return last["code"], last["modules"]
