"""``--help`` and ``list --runbook FILE`` import neither the runner nor Sphinx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import Export, Runbook, Source

PROBE = """\
import json, sys
from sphinx_release_runbook.cli import cli
try:
    cli(sys.argv[1:], prog_name="python -m runbook")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported(*args: str, cwd: Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    last = json.loads(result.stdout.splitlines()[-1])
    return last["code"], last["modules"]


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["list"]])
def test_no_runner_and_no_sphinx(args: list[str], tmp_path: Path) -> None:
    runbook = tmp_path / "runbook.json"
    source = Source("release", "docs/release.rst", 1)
    export = Export(
        project="demo",
        runbooks=[Runbook("demo", "Demo", "pep440", "v{{ version }}", "demo", source)],
    )
    runbook.write_text(export.to_json(), encoding="utf-8")
    if args == ["list"]:
        args = ["list", "--runbook", str(runbook)]
    code, modules = imported(*args, cwd=tmp_path)
    assert code == 0
    heavy = [
        name
        for name in modules
        if name == "sphinx"
        or name.startswith(("sphinx.", "sphinx_release_runbook.runner"))
        or name.startswith(("sphinx_release_runbook.sphinxext", "sphinx_release_runbook.drift"))
    ]
    assert heavy == []
