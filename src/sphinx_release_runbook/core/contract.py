"""The files the ``runbook`` builder writes and the CLI reads: their names and their shapes.

``runbook.json`` is :class:`~.model.Export` (versioned, with a JSON Schema).
Beside it the builder writes what the CLI needs and no reader of the export
should: the findings of the build, every file the build read (the cache key),
and the settings from ``conf.py`` the CLI uses.  Both sides use this module, so
neither names a file the other does not know.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.findings import Finding

RUNBOOK_FILE = "runbook.json"
#: Every repository file the build read (absolute paths), for the CLI's cache key.
INPUTS_FILE = "inputs.json"
#: The build's unsuppressed findings (what ``python -m runbook check`` prints).
FINDINGS_FILE = "findings.json"
#: Settings from conf.py the CLI needs (runbook_script_path).
SETTINGS_FILE = "settings.json"
#: Notices of the build that are not findings ("path:line: text"), for the CLI to print.
NOTICES_FILE = "notices.json"


def dump(data: Any) -> str:
    """The JSON text of a side file, as the builder writes it."""
    return json.dumps(data, indent=2) + "\n"


def findings_text(findings: Iterable[Finding]) -> str:
    return dump([finding.to_dict() for finding in findings])


def read_findings(outdir: Path) -> list[Finding]:
    """The findings the builder wrote into *outdir* (none when the file is absent)."""
    path = outdir / FINDINGS_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Finding(
            path=item["path"],
            line=item["line"],
            subtype=item["subtype"].removeprefix("runbook."),
            message=item["message"],
            diff=item.get("diff", ""),
        )
        for item in data
    ]


def settings_text(script_path: str | None) -> str:
    return dump({"script_path": script_path or None})


def read_script_path(outdir: Path) -> str | None:
    path = outdir / SETTINGS_FILE
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8"))["script_path"]
    return str(value) if value else None


def read_inputs(outdir: Path) -> list[Path]:
    return [Path(p) for p in json.loads((outdir / INPUTS_FILE).read_text(encoding="utf-8"))]


def read_notices(outdir: Path) -> list[str]:
    """The notices the builder wrote into *outdir* (none when the file is absent)."""
    path = outdir / NOTICES_FILE
    if not path.is_file():
        return []
    return [str(line) for line in json.loads(path.read_text(encoding="utf-8"))]
