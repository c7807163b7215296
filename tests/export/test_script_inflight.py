"""The script's record of an interrupted command (``.runbook/checklist-VERSION.inflight``) is
read as the script writes it: a damaged or hand-edited one is refused, never taken to pick a
step up at another command."""

from __future__ import annotations

import json

import pytest
from runner.conftest import step

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import Both, write_runbook

#: Records of another shape than the script's: each would pick the step up elsewhere.
DAMAGED = [
    {"step": "one", "command": -1, "of": 2},
    {"step": "one", "command": "1", "of": 2},
    {"step": "one", "command": True, "of": 2},
    {"step": "one", "command": 1},
    {"step": 1, "command": 0, "of": 2},
    ["one", 0, 2],
]


def _runbook(both: Both) -> None:
    steps = [step("one", "echo first >> ../ran", "echo second >> ../ran"), step("two", "true")]
    write_runbook(both.repo, steps)
    assert both.export().returncode == 0


@pytest.mark.parametrize("record", DAMAGED, ids=[json.dumps(r) for r in DAMAGED])
def test_a_damaged_record_stops_the_run_before_the_step(both: Both, record: object) -> None:
    _runbook(both)
    private = both.repo.root / ".runbook"
    private.mkdir(mode=0o700)
    (private / "checklist-1.3.0.inflight").write_text(json.dumps(record))
    result = both.bash("--version", "1.3.0", "--yes", "--from", "one")
    assert result.returncode == ExitCode.OS_ERROR, result.stdout + result.stderr
    assert "it is not the record the script writes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (both.repo.root.parent / "ran").exists()


def test_the_record_the_script_writes_is_asked_about(both: Both) -> None:
    _runbook(both)
    private = both.repo.root / ".runbook"
    private.mkdir(mode=0o700)
    (private / "checklist-1.3.0.inflight").write_text('{"step": "one", "command": 1, "of": 2}')
    result = both.bash("--version", "1.3.0", "--yes", "--from", "one")
    assert result.returncode == ExitCode.NEEDS_DECISION, result.stdout + result.stderr
    assert "command 2 of 2" in result.stderr
