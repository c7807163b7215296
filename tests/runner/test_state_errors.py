"""A damaged ``.runbook/state.json`` gives a clear message and a way out, never a traceback."""

from __future__ import annotations

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import BUMP_STEP, SmallRepo


@pytest.mark.parametrize(
    "content", ["{not json", "[1, 2]", "{}", '{"schema": 1}', '"a string"'], ids=repr
)
def test_resume_with_a_damaged_state_file_says_how_to_start_over(
    small_repo: SmallRepo, content: str
) -> None:
    small_repo.write_runbook([BUMP_STEP])
    state = small_repo.root / ".runbook" / "state.json"
    state.parent.mkdir()
    state.write_text(content)
    result = small_repo.run("--resume", "--yes")
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "state.json" in result.stderr
    assert "delete it to start the release over" in result.stderr
    assert (small_repo.root / "pyproject.toml").read_text().count('version = "1.2.0"') == 1
