"""open_private: the files the runner writes are 0600, a new one and one found in place."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sphinx_release_runbook.core.fs import open_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("found", [0o644, 0o666, 0o640, 0o600])
def test_a_file_appended_to_is_left_private(tmp_path: Path, found: int) -> None:
    path = tmp_path / "progress"
    path.write_text("earlier\n")
    path.chmod(found)
    fd = open_private(path, append=True)
    try:
        os.write(fd, b"later\n")
    finally:
        os.close(fd)
    assert _mode(path) == 0o600
    assert path.read_text() == "earlier\nlater\n"


def test_a_new_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        os.close(open_private(tmp_path / "new"))
        os.close(open_private(tmp_path / "appended", append=True))
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "new") == 0o600
    assert _mode(tmp_path / "appended") == 0o600
