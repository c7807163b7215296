"""Issue 10, acceptance 6: a multi-line secret is masked line by line, and what the runner
writes is private (``.runbook/`` 0700, transcripts and state 0600).

A private key printed one line at a time used to show on screen and in the
transcript; transcripts were 0644 while state.json was 0600.
"""

from __future__ import annotations

import stat
import time
from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import SmallRepo, step

KEY_LINES = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACCnT2+2Zk0Wq9PXrRkz0bqvLr5Q5fIm7mJ3fJY8dPz1ZgAAAJgx7z4WMe8+",
    "-----END OPENSSH PRIVATE KEY-----",
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_line_of_a_multi_line_secret_is_masked_on_screen_and_in_the_transcript(
    small_repo: SmallRepo,
) -> None:
    small_repo.env["DEPLOY_KEY"] = "\n".join(KEY_LINES) + "\n"
    small_repo.env["SIGNING_MATERIAL"] = "first-line-of-it\n  second-line-of-it\n"
    small_repo.write_runbook(
        [
            step(
                "leak",
                # Whole, one line at a time with pauses, reindented, to stderr, and split.
                'printf "%s" "$DEPLOY_KEY"',
                'while IFS= read -r line; do echo "key: $line"; sleep 0.05; done <<< "$DEPLOY_KEY"',
                'sed "s/^/    /" <<< "$DEPLOY_KEY" >&2',
                'printf "%s" "$SIGNING_MATERIAL" | tail -n 1',
                "exit 1",
            )
        ]
    )
    result = small_repo.run("--version", "1.3.0", "--secret", "SIGNING_MATERIAL")
    assert result.returncode == ExitCode.STEP_FAILED, result.stderr
    logs = sorted((small_repo.root / ".runbook" / "logs").glob("*.log"))
    assert len(logs) == 1
    transcript = logs[0].read_text()
    for shown in (result.stdout, result.stderr, transcript):
        for line in [*KEY_LINES, "first-line-of-it", "second-line-of-it"]:
            assert line not in shown
    assert "key: ***" in result.stdout and "key: ***" in transcript
    assert result.stdout.count("***") >= 2 * len(KEY_LINES)


def test_transcripts_state_and_journal_are_private(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step("a", "echo a"), step("b", "echo b", "touch ../in-b; sleep 30")])
    run = small_repo.spawn("--version", "1.3.0")
    deadline = time.monotonic() + 30
    while not (small_repo.root.parent / "in-b").exists():
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.01)
    run.kill()  # the journal of the step in progress stays behind
    run.communicate(timeout=30)
    private = small_repo.root / ".runbook"
    assert _mode(private) == 0o700
    assert _mode(private / "logs") == 0o700
    (transcript,) = (private / "logs").glob("*.log")
    assert _mode(transcript) == 0o600
    assert _mode(private / "state.json") == 0o600
    assert _mode(private / "progress") == 0o600
    assert _mode(private / "lock") == 0o600


def test_an_existing_open_private_folder_is_narrowed(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step("a", "echo a")])
    private = small_repo.root / ".runbook"
    private.mkdir()
    private.chmod(0o755)
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.OK
    assert _mode(private) == 0o700
