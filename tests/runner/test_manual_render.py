"""Manual instructions and troubleshooting fixes, as the runner prints them, from a real guide.

A guide's manual step and its troubleshooting entry are reST with placeholders.
``runbook.json`` keeps them as plain-text templates (markup gone, placeholders as
written); the runner fills them with the release's values, as it fills commands,
on screen, in a dry run, in the transcript and in a resumed run.  Every run here
goes through ``python -m runbook`` in a git repository whose guide the CLI
builds itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import base_env, git, runbook_cli

CONF = """\
project = "demo"
extensions = ["sphinx_release_runbook"]
runbook_repo_root = ".."
exclude_patterns = ["_build"]
"""

GUIDE = """\
Release
=======

.. release-runbook:: demo
   :title: Release demo
   :tag: rel-{{ version }}
   :package: demo-pkg

.. release-step:: announce
   :kind: manual
   :title: Announce the release

   **Post** the notes of *{{ version }}* (tag ``{{ tag }}``, after {{previous_version}}).

   .. code-block:: bash

      gh release view {{ tag }} --json url

   - tell the list about {{  package  }}

.. release-step:: upload
   :title: Upload

   echo "HTTP 400 Bad Request"; exit 1

.. release-troubleshoot:: already-there
   :title: Version already uploaded
   :match: 400 Bad Request

   **Error**: {{ package }} {{ version }} is on the index already.

   .. code-block:: console

      $ twine upload dist/*-{{ version }}*
"""

#: What the guide's manual step and fix must read as on a terminal for 1.3.0 after 1.2.0.
INSTRUCTIONS = [
    "Post the notes of 1.3.0 (tag rel-1.3.0, after 1.2.0).",
    "",
    "   gh release view rel-1.3.0 --json url",
    "",
    "* tell the list about demo-pkg",
]
FIX = [
    "Error: demo-pkg 1.3.0 is on the index already.",
    "",
    "   $ twine upload dist/*-1.3.0*",
]
#: reST that must not reach a terminal, and placeholders that must not stay.
RAW = ("**", "``", ".. code-block", "{{", "}}", "*{{")


@pytest.fixture
def guide_repo(tmp_path: Path, git_home: Path) -> tuple[Path, dict[str, str]]:
    """A committed repository with the guide, released before as ``rel-1.2.0``."""
    root = tmp_path / "demo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "conf.py").write_text(CONF)
    (root / "docs" / "index.rst").write_text(GUIDE)
    env = base_env(git_home)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "initial", env=env)
    git(root, "tag", "rel-1.2.0", env=env)
    return root, env


def _block(output: str, lines: list[str], indent: str) -> None:
    """*lines*, each indented (a blank one too, as the exported script prints it), in turn."""
    expected = "\n".join(f"{indent}{line}" for line in lines)
    assert expected in output, output


def _no_raw_markup(text: str) -> None:
    for raw in RAW:
        assert raw not in text, (raw, text)


def test_runbook_json_keeps_the_plain_text_templates(
    guide_repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, env = guide_repo
    out = tmp_path / "export"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "runbook", "docs", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    runbook = json.loads((out / "runbook.json").read_text())["runbooks"][0]
    assert runbook["steps"][0]["instructions"].splitlines() == [
        "Post the notes of {{ version }} (tag {{ tag }}, after {{previous_version}}).",
        "",
        "   gh release view {{ tag }} --json url",
        "",
        "* tell the list about {{  package  }}",
    ]
    assert runbook["troubleshoot"][0]["text"].splitlines() == [
        "Error: {{ package }} {{ version }} is on the index already.",
        "",
        "   $ twine upload dist/*-{{ version }}*",
    ]


def test_a_dry_run_shows_the_filled_plain_instructions(
    guide_repo: tuple[Path, dict[str, str]],
) -> None:
    root, env = guide_repo
    result = runbook_cli(root, "run", "--version", "1.3.0", "--dry-run", env=env)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    _block(result.stdout, INSTRUCTIONS, "    ")
    section = result.stdout.split("(announce, ")[1].split("(upload, ")[0]
    _no_raw_markup(section)


def test_a_run_fills_the_instructions_and_the_fix_on_screen_and_in_the_transcript(
    guide_repo: tuple[Path, dict[str, str]],
) -> None:
    root, env = guide_repo
    result = runbook_cli(root, "run", "--version", "1.3.0", "--done", "announce", env=env)
    assert result.returncode == ExitCode.STEP_FAILED, result.stdout + result.stderr
    _block(result.stdout, INSTRUCTIONS, "  ")
    _no_raw_markup(result.stdout.split("(announce, ")[1].split("(upload, ")[0])
    assert "  troubleshooting: Version already uploaded (docs/index.rst:" in result.stderr
    _block(result.stderr, FIX, "    ")
    _no_raw_markup(result.stderr.split("troubleshooting:")[1].split("  resume:")[0])

    (transcript,) = (root / ".runbook" / "logs").iterdir()
    logged = transcript.read_text()
    _block(logged, INSTRUCTIONS, "  ")
    _block(logged, FIX, "    ")
    _no_raw_markup(logged.split("(announce, ")[1].split("$ echo")[0])
    _no_raw_markup(logged.split("troubleshooting:")[1])


def test_a_resumed_run_fills_the_fix_with_the_recorded_release(
    guide_repo: tuple[Path, dict[str, str]],
) -> None:
    """A resumed run has no --version to fill from: the state's release fills the fix."""
    root, env = guide_repo
    first = runbook_cli(root, "run", "--version", "1.3.0", "--done", "announce", env=env)
    assert first.returncode == ExitCode.STEP_FAILED, first.stdout + first.stderr
    again = runbook_cli(root, "run", "--version", "1.3.0", "--resume", env=env)
    assert again.returncode == ExitCode.STEP_FAILED, again.stdout + again.stderr
    _block(again.stderr, FIX, "    ")
    assert "{{" not in again.stderr
