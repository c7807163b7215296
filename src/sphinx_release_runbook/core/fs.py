"""File system writes that a crash cannot tear: atomic replacement and the private folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: The project's private folder at the repository root: cache, state, lock and logs.
PRIVATE_DIR = Path(".runbook")
_IGNORE_ALL = "# Written by sphinx-release-runbook: cache, state, lock and logs.\n*\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace *path* with *text* in one rename; the old content survives any interruption."""
    directory = path.parent
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def ensure_private_dir(root: Path) -> Path:
    """Create ``ROOT/.runbook/`` with a ``.gitignore`` of ``*``; return its path.

    The cache, state and logs must not make a release's ``git status`` dirty.
    """
    directory = root / PRIVATE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text(_IGNORE_ALL, encoding="utf-8")
    return directory
