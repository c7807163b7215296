"""``rehearse`` refuses a version no scheme accepts before it clones or starts anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _rehearse(cwd: Path, version: str, temporary: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(temporary)}
    return subprocess.run(
        [sys.executable, "-m", "runbook", "rehearse", "--version", version],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("version", ["garbage!", "1.2.3;touch PWNED", "", "x" * 500])
def test_a_version_no_scheme_accepts_is_refused_first(tmp_path: Path, version: str) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = _rehearse(tmp_path, version, temporary)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is neither a PEP 440 version nor a semantic version" in result.stderr
    assert "nothing was cloned or started" in result.stderr
    assert "rehearse: folder" not in result.stdout + result.stderr
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("version", ["1.2.3", "1.2.3rc1", "1.2.3-rc.1", "minor"])
def test_a_version_some_scheme_accepts_goes_on(tmp_path: Path, version: str) -> None:
    """Outside a repository it goes on to the next check, which fails there."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = _rehearse(tmp_path, version, temporary)
    assert result.returncode != 0
    assert "is neither" not in result.stderr, result.stderr
