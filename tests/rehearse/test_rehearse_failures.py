"""Acceptance: commands that would fail the real release fail the rehearsal, at the right step.

Each case is a copy of examples/arshai with one fault the static checks cannot
see: ``python -m runbook check`` on the same tree exits 0, the rehearsal exits
1 at the step that meets the fault and prints the guide's troubleshooting
entry for it, as ``run`` does.  Every case also leaves no process, no
listening port and no folder behind (a rehearsal that fails midway).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import GUIDE, WORKFLOW, Outcome, Project, assert_nothing_left

#: Troubleshooting entries the copies add where the guide has none for their fault.
FORMATTING_ENTRY = """

.. release-troubleshoot:: formatting
   :title: Code Not Formatted
   :match: would reformat

   Run ``poetry run black .`` and ``poetry run isort .``, commit, and release again.
"""
SECRET_ENTRY = """

.. release-troubleshoot:: missing-secret
   :title: Publish Secret Missing
   :match: the secret \\w+ .* has no value

   The publish step reads a secret the repository does not define: add it under
   Settings, Secrets, Actions, or pass the token through ``POETRY_PYPI_TOKEN_PYPI``.
"""


def _assert_fails_at(project: Project, outcome: Outcome, step_id: str, entry: str) -> None:
    assert outcome.code == 1, outcome.output
    assert "FAILED at step" in outcome.output and f"({step_id}:" in outcome.output
    assert "failed" in outcome.row(step_id)
    assert f"troubleshooting: {entry}" in outcome.output, outcome.output
    check = project.check()
    assert check.returncode == 0, check.stdout + check.stderr
    assert_nothing_left(outcome)
    assert project.remote.connections == 0


def _guide_with(project: Project, text: str) -> None:
    path = project.root / GUIDE
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_file_the_formatter_rejects_fails_the_pre_release_checks(make_project) -> None:
    project = make_project()
    project.write("arshai/badly_formatted.py", "VALUE=[1,2,\n  3]\n")
    _guide_with(project, FORMATTING_ENTRY)
    project.commit("a file black would reformat")
    outcome = project.rehearse()
    _assert_fails_at(project, outcome, "pre-release-checks", "Code Not Formatted")
    assert "would reformat" in outcome.output
    assert "not run" in outcome.row("bump-pyproject")


def test_a_failing_test_fails_the_pre_release_checks(make_project) -> None:
    project = make_project()
    project.write(
        "tests/test_extras.py",
        "def test_the_extras_load():\n    import arshai.extras  # not written yet\n",
    )
    project.commit("a test that fails")
    outcome = project.rehearse()
    # The guide's own entry for an import that fails.
    _assert_fails_at(project, outcome, "pre-release-checks", "Import Errors")
    assert "1 failed" in outcome.output


def test_a_publish_step_naming_a_secret_the_rehearsal_cannot_give(make_project) -> None:
    project = make_project()
    for indent in ("      ", "         "):  # the workflow, and its copy in the guide
        project.edit(
            WORKFLOW if indent == "      " else GUIDE,
            f"{indent}env:\n{indent}  POETRY_PYPI_TOKEN_PYPI: ${{{{ secrets.PYPI_TOKEN }}}}\n"
            f"{indent}run: poetry publish",
            f'{indent}run: poetry publish -u __token__ -p "${{{{ secrets.PYPI_API_TOKEN }}}}"',
        )
    _guide_with(project, SECRET_ENTRY)
    project.commit("publish with a secret on the command line")
    outcome = project.rehearse()
    _assert_fails_at(project, outcome, "watch-workflow", "Publish Secret Missing")
    assert "PYPI_API_TOKEN" in outcome.output
    assert (
        "Local index" in outcome.output
        and "arshai-0.4.0" not in outcome.output.split("Local index")[-1]
    )


def _wheel_of_0_4_0(project: Project, dist: Path) -> Path:
    """The wheel of arshai 0.4.0 as the release builds it (from a scratch copy)."""
    scratch = dist.parent / "scratch"
    subprocess.run(["cp", "-r", str(project.root), str(scratch)], check=True)
    pyproject = scratch / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.3.0"', 'version = "0.4.0"'))
    build = ["pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dist), "."]
    subprocess.run(
        [sys.executable, "-m", *build],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("arshai-0.4.0-*.whl")
    return wheel


def test_a_version_already_on_the_index_fails_the_publish(make_project, tmp_path: Path) -> None:
    project = make_project()
    seed = tmp_path / "seed"
    _wheel_of_0_4_0(project, seed)
    outcome = project.rehearse("--seed", str(seed))
    _assert_fails_at(project, outcome, "watch-workflow", "Version Already Exists")
    assert "File already exists" in outcome.output
