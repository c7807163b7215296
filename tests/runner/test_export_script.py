"""The exported checklist script leaves the repository as the runner does.

Both run the offline steps of the arshai guide on their own copy (same origin
history, same gh stand-in); the files, the commits' trees and messages, the
tags on the remote and the releases asked of gh must come out the same.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from .conftest import ARSHAI_OFFLINE_STEPS, ArshaiRepo, git, runbook_cli


def _export(repo: ArshaiRepo, target: Path) -> None:
    result = runbook_cli(
        repo.root, "export", "--runbook", str(repo.runbook_json), "-o", str(target), env=repo.env
    )
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o111, "the script must be executable"


def _script(
    repo: ArshaiRepo, script: Path, *args: str, launcher: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run the exported script in *repo* as a user would, with no terminal."""
    return subprocess.run(
        [*launcher, "bash", str(script), *args],
        cwd=repo.root,
        env=repo.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _comparable(repo: ArshaiRepo) -> dict[str, object]:
    """The release's visible result, without what differs run to run (timestamps, hashes)."""
    state = repo.final_state()
    state["remote tags"] = git(
        repo.origin,
        "for-each-ref",
        "--format=%(refname) %(objecttype) %(contents:subject)",
        "refs/tags",
        env=repo.env,
    )
    return state


def test_script_and_runner_leave_the_same_repository(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    by_runner = make_arshai("runner")
    by_script = make_arshai("script")
    script = tmp_path / "release-arshai.sh"
    _export(by_script, script)

    for step_id in ARSHAI_OFFLINE_STEPS:
        ran = by_runner.run("--version", "0.4.0", "--yes", "--only", step_id)
        assert ran.returncode == 0, (step_id, ran.stdout, ran.stderr)
        scripted = _script(by_script, script, "--version", "0.4.0", "--yes", "--only", step_id)
        assert scripted.returncode == 0, (step_id, scripted.stdout, scripted.stderr)

    runner_state, script_state = _comparable(by_runner), _comparable(by_script)
    assert script_state == runner_state
    assert b'version = "0.4.0"' in script_state["pyproject.toml"]  # type: ignore[operator]
    assert "refs/tags/v0.4.0 tag Release v0.4.0" in str(script_state["remote tags"])


def test_script_dry_run_changes_nothing_and_shows_filled_commands(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    repo = make_arshai("dry")
    script = tmp_path / "release.sh"
    _export(repo, script)
    before = repo.final_state()
    result = _script(repo, script, "--version", "0.4.0", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert '$ git commit -m "chore: bump version to 0.4.0"' in result.stdout
    assert "$ git tag -a v0.4.0" in result.stdout
    assert repo.final_state() == before
    assert repo.gh_calls() == []


def test_script_rejects_bad_versions_before_any_step(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    repo = make_arshai("bad")
    script = tmp_path / "release.sh"
    _export(repo, script)
    for version, message in [
        ("0.3.0", "is not greater than the current version 0.3.0"),
        ("0.4", "not a PEP 440 version"),
        ("$(touch PWNED)", "not a PEP 440 version"),
        ("0.4.0; touch PWNED", "not a PEP 440 version"),
    ]:
        result = _script(repo, script, "--version", version, "--yes")
        assert result.returncode == 2, (version, result.stdout, result.stderr)
        assert message in result.stderr, (version, result.stderr)
        assert "[1/" not in result.stdout
    assert not list(repo.root.rglob("PWNED"))
    assert not list(tmp_path.rglob("PWNED"))


def test_script_stops_at_a_confirmation_without_a_terminal(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    repo = make_arshai("tty")
    script = tmp_path / "release.sh"
    _export(repo, script)
    result = _script(
        repo, script, "--version", "0.4.0", "--only", "push-main", launcher=("setsid",)
    )
    assert result.returncode == 6, (result.stdout, result.stderr)
    assert "no terminal; re-run with --yes" in result.stderr
