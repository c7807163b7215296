"""A step's command is started by the bash on the command's ``PATH``, never by a file of
the repository: with no bash on ``PATH``, a ``bash`` in the folder the run is in is not
what runs the step (a bare name given to an exec without a search is a path relative to
the current folder)."""

from __future__ import annotations

import os
import shutil

from .conftest import SmallRepo, step

# Shell built-ins only: the PATH of the run has no tools.
PLANTED = """#!/bin/sh
echo ran > '{marker}'
"""


def test_a_bash_in_the_repository_never_runs_a_step(small_repo: SmallRepo) -> None:
    marker = small_repo.root.parent / "planted-bash-ran"
    planted = small_repo.root / "bash"
    planted.write_text(PLANTED.format(marker=marker))
    planted.chmod(0o755)
    # A PATH with git (validation asks it) and no bash.
    tools = small_repo.root.parent / "git-only"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    os.symlink(git, tools / "git")
    small_repo.env["PATH"] = str(tools)
    small_repo.write_runbook([step("one", "echo one")])
    result = small_repo.run("--version", "1.3.0", "--yes")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    assert "cannot start `echo one`" in result.stderr, result.stdout + result.stderr
