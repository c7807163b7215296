"""``runbook.script``: the committed checklist script (``runbook_script_path``) is stale."""

from __future__ import annotations

import difflib
from pathlib import PurePosixPath

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import ScriptItem
from sphinx_release_runbook.drift.repository import Repository
from sphinx_release_runbook.export.script import ExportError, render_script


def check_script(repo: Repository, item: ScriptItem) -> list[Finding]:
    """Compare the committed script with a fresh export of the item's runbook."""
    script_path = item.path
    try:
        expected = render_script(item.runbook, PurePosixPath(script_path).name)
    except ExportError as exc:
        return [Finding(script_path, 1, "script", str(exc))]
    regenerate = "regenerate it with `python -m runbook export`"
    if not repo.is_file(script_path):
        return [Finding(script_path, 1, "script", f"{script_path} is missing; {regenerate}")]
    actual = repo.read_text(script_path)
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


CHECK = Check("script", ScriptItem, check_script)
