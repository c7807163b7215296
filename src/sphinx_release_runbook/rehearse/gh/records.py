"""The stand-in's own records: ``gh-calls.jsonl`` and ``releases.json``, under one lock.

Two gh calls may run at once (a guide's ``$(gh run list ...)`` inside ``gh run
watch``'s command line); an exclusive ``flock`` on ``home/.gh.lock`` keeps
each append and each read-modify-write of the releases whole.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.fs import write_atomic

CALLS_FILE = "gh-calls.jsonl"
RELEASES_FILE = "releases.json"
_LOCK_FILE = ".gh.lock"


@contextmanager
def locked(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / _LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def record_call(home: Path, argv: list[str], exit_status: int) -> None:
    line = json.dumps({"argv": argv, "exit": exit_status}) + "\n"
    with locked(home), (home / CALLS_FILE).open("a", encoding="utf-8") as stream:
        stream.write(line)


def load_releases(home: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads((home / RELEASES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def save_releases(home: Path, releases: list[dict[str, Any]]) -> None:
    write_atomic(home / RELEASES_FILE, json.dumps(releases, indent=2) + "\n")
