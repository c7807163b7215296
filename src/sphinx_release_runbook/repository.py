"""Where the repository is: the one git query both the docs build and the CLI need."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_toplevel(directory: Path) -> Path | None:
    """The git top level containing *directory*, or None outside a work tree (or without git)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip())
