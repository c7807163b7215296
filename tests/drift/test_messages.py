"""Messages that must not mislead: where a finding's diff ends, which file a line is of,
a root taken for want of git.  (Long lists cut with a count, and the notice of links the
check skips: tests/drift/test_integrity_checks.py and the corpus of
tests/sphinxext/test_integrity.py.)

Each printer of a finding is driven: the Sphinx warning (``Finding.warning_text``),
``python -m runbook check --diff`` and the run's drift gate (``python -m runbook run``,
which refuses a drifted guide), the last two through the real CLI in a git repository
whose guide the CLI builds.  The checks themselves go through the registry.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from runner.conftest import base_env, git

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.drift import BumpRef, MirrorItem, Repository
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

NO_GIT = (
    "(not in a git repository, so taken as the repository's root: set runbook_repo_root in conf.py)"
)

# --- the diff stands apart from the subtype ---------------------------------------------

FINDING = Finding("docs/a.rst", 3, "mirror", "the copy differs", diff="-a: 1\n+a: 2\n")


def test_each_printer_keeps_the_subtype_off_the_diffs_last_line() -> None:
    assert FINDING.terminal_text().splitlines() == [
        "docs/a.rst:3: the copy differs [runbook.mirror]",
        "    -a: 1",
        "    +a: 2",
    ]
    # Sphinx appends " [runbook.mirror]" to the text: it must land on a line of its own.
    warning = FINDING.warning_text() + " [runbook.mirror]"
    assert warning.splitlines() == [
        "the copy differs",
        "    -a: 1",
        "    +a: 2",
        " [runbook.mirror]",
    ]
    plain = Finding("docs/a.rst", 3, "path", "gone")
    assert plain.terminal_text() == "docs/a.rst:3: gone [runbook.path]"
    assert plain.warning_text() == "gone"


CONF = 'project = "demo"\nextensions = ["sphinx_release_runbook"]\nrunbook_repo_root = ".."\n'
GUIDE = """\
Release
=======

.. release-runbook:: demo
   :tag: v{{ version }}
   :package: demo

.. release-step:: hello

   echo hello

.. release-file:: ci.yml

   on: push
   jobs:
     build:
       runs-on: ubuntu-22.04
"""
WORKFLOW = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
DIFF = [
    "    --- ci.yml",
    "    +++ docs/index.rst (the copy)",
    "    @@ -2,3 +15,3 @@",
    "     jobs:",
    "       build:",
    "    -    runs-on: ubuntu-latest",
    "    +    runs-on: ubuntu-22.04",
]
MESSAGE = (
    "the copy of ci.yml differs from the file (first at ci.yml line 4, docs/index.rst line 17)"
)


@pytest.fixture
def drifted(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository whose guide's copy of ci.yml has drifted (line 4 of the file)."""
    root = tmp_path / "demo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "conf.py").write_text(CONF)
    (root / "docs" / "index.rst").write_text(GUIDE)
    (root / "ci.yml").write_text(WORKFLOW)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Release Tester\n\temail = tester@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    env = base_env(home)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "initial", env=env)
    return root, env


def cli(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runbook", *args],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_run_prints_the_diff_apart_from_its_subtype(
    drifted: tuple[Path, dict[str, str]],
) -> None:
    root, env = drifted
    result = cli(root, env, "run", "--version", "1.0.0", "--dry-run")
    assert result.returncode == ExitCode.DRIFT, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[:8] == [f"docs/index.rst:12: {MESSAGE} [runbook.mirror]", *DIFF]
    assert lines[8].startswith("error: the guide has drifted from the repository (1 finding")
    assert "Traceback" not in result.stderr


def test_check_prints_the_subtype_first_and_the_diff_on_request(
    drifted: tuple[Path, dict[str, str]],
) -> None:
    root, env = drifted
    result = cli(root, env, "check", "--diff")
    assert result.returncode == ExitCode.DRIFT, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"docs/index.rst:12: [runbook.mirror] {MESSAGE}",
        *DIFF,
        "runbook check: 1 finding(s): 1 runbook.mirror",
    ]


# --- the first differing line, of which file ----------------------------------------------


@pytest.mark.parametrize(
    ("copy", "where"),
    [
        ("one\nTWO\nthree", "notes.txt line 3, docs/index.rst line 10"),
        ("\n\none\ntwo\nTHREE", "notes.txt line 4, docs/index.rst line 13"),
        ("one\ntwo", "notes.txt line 4, docs/index.rst line 10"),
    ],
    ids=["middle", "after-blank-lines-of-the-copy", "copy-shorter"],
)
def test_the_first_differing_line_is_named_in_the_file_and_in_the_guide(
    make_repo: MakeRepo, copy: str, where: str
) -> None:
    repo = make_repo({"notes.txt": "# notes\none\ntwo\nthree\n"})
    item = MirrorItem("notes.txt", AT, content=copy, content_line=9, lines="2-4")
    (finding,) = run(repo, [item])
    assert finding.message == f"the copy of notes.txt differs from the file (first at {where})"
    header = finding.diff.splitlines()[:2]
    assert header == ["--- notes.txt", "+++ docs/index.rst (the copy)"]


# --- a root taken for want of git -------------------------------------------------------------


def test_a_missing_bump_target_names_a_root_without_git(tmp_path: Path) -> None:
    repo = Repository(tmp_path, without_git=True)
    targets = (BumpTarget("pyproject.toml", "project.version"),)
    (finding,) = run(repo, [BumpRef(targets, AT)])
    assert (finding.subtype, finding.message) == (
        "path",
        f"bump target 'pyproject.toml' does not exist under {tmp_path} {NO_GIT}",
    )
    # In a git repository the root is right: bump's own words.
    (finding,) = run(Repository(tmp_path), [BumpRef(targets, AT)])
    assert finding.message == "pyproject.toml: file not found (named as a bump target)"


def test_a_bump_target_that_is_there_is_judged_as_usual_without_git(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    repo = Repository(tmp_path, without_git=True)
    (finding,) = run(repo, [BumpRef((BumpTarget("pyproject.toml", "project.version"),), AT)])
    assert (finding.subtype, finding.message) == (
        "version",
        "pyproject.toml: no key project.version",
    )
