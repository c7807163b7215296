"""``runbook.script``: the committed checklist script (``runbook_script_path``) is stale."""

from __future__ import annotations

import difflib
from pathlib import Path

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.export.script import ExportError, render_script


def check_script(repo_root: Path, script_path: str, runbook: Runbook) -> list[Finding]:
    """Compare the committed script with a fresh export of *runbook*."""
    path = repo_root / script_path
    try:
        expected = render_script(runbook, path.name)
    except ExportError as exc:
        return [Finding(script_path, 1, "script", str(exc))]
    regenerate = "regenerate it with `python -m runbook export`"
    if not path.is_file():
        return [Finding(script_path, 1, "script", f"{script_path} is missing; {regenerate}")]
    actual = path.read_text(encoding="utf-8")
    if actual == expected:
        return []
    diff = "".join(
        difflib.unified_diff(
            actual.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            fromfile=f"{script_path} (committed)",
            tofile=f"{script_path} (from the guide)",
        )
    )
    first = next(
        (
            number
            for number, (old, new) in enumerate(
                zip(actual.splitlines(), expected.splitlines(), strict=False), start=1
            )
            if old != new
        ),
        min(len(actual.splitlines()), len(expected.splitlines())) + 1,
    )
    return [
        Finding(script_path, first, "script", f"{script_path} is stale; {regenerate}", diff=diff)
    ]
