"""``--help`` and ``list --runbook FILE`` import neither the runner nor Sphinx."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import Export, Runbook, Source

from . import imported


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
