"""Resume a release whose runbook comes from the docs, not from an exported file.

Loading from the docs runs the drift checks first.  Halfway through a bump the
version sources disagree on purpose; that must not lock the maintainer out of
``--resume`` (the runner's own validation, with the state as evidence, decides).
"""

from __future__ import annotations

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import ArshaiRepo, runbook_cli
from .test_acceptance import FAULTS, RUN, _assert_same_as_reference


@pytest.mark.parametrize("step_id", ["bump-module", "commit-version"])
def test_resume_from_the_docs_after_a_failure_between_bumps(
    make_arshai: object, arshai_reference: dict[str, object], step_id: str
) -> None:
    repo: ArshaiRepo = make_arshai(f"docs-{step_id}")  # type: ignore[operator]
    call, hook = FAULTS[step_id]
    original = (repo.root / "arshai" / "_version.py").read_bytes()
    if hook:
        repo.after_once(call, hook)
    else:
        repo.fail_once(call)
    first = runbook_cli(repo.root, "run", *RUN, env=repo.env, timeout=180)
    assert first.returncode == ExitCode.STEP_FAILED, first.stdout + first.stderr
    if hook:
        (repo.root / "arshai" / "_version.py").write_bytes(original)
    second = runbook_cli(
        repo.root, "run", "--version", "0.4.0", "--resume", "--yes", env=repo.env, timeout=180
    )
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    _assert_same_as_reference(repo, arshai_reference)


def test_a_new_release_from_the_docs_still_refuses_disagreeing_sources(
    make_arshai: object,
) -> None:
    repo: ArshaiRepo = make_arshai("docs-disagree")  # type: ignore[operator]
    module = repo.root / "arshai" / "_version.py"
    module.write_text(module.read_text().replace('"0.3.0"', '"0.3.1"'))
    result = runbook_cli(repo.root, "run", "--version", "0.4.0", "--yes", env=repo.env)
    assert result.returncode == ExitCode.DRIFT, result.stdout + result.stderr
    assert "the version sources disagree" in result.stderr
    assert "[runbook.version]" in result.stderr
