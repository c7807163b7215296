"""The one Sphinx build harness of the suite, the test roots, and small export helpers.

Every test that builds docs calls :func:`sphinx_build`: the ``sphinx-build``
command line, run in this process (``build_main``, the CLI's own code) or, with
``isolated=True``, the same arguments in a child ``python -m sphinx``.  It
returns a :class:`BuildResult`: the exit code, stdout and stderr normalised
(colours stripped, the source directory written as ``SRCDIR``), and
:attr:`BuildResult.warnings`, read by the one warning parser
:func:`warning_entries`.  Roots under ``tests/roots`` are copied to a temporary
directory first (:func:`copy_root`), so no test writes into the repository.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.cmd.build import build_main
from sphinx.util.console import strip_escape_sequences

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
ROOTS = TESTS / "roots"
SCHEMA = TESTS.parent / "src" / "sphinx_release_runbook" / "schemas" / "runbook.schema.json"

# A line that starts a warning: "path:line: WARNING: ...", "path: ERROR: ...", "WARNING: ...".
_STARTS_ENTRY = re.compile(r"\b(WARNING|ERROR|CRITICAL):")
# Summary lines of Sphinx and of the build gate: never part of a warning's message.
_NOT_A_CONTINUATION = (
    "runbook: the build failed",
    "build finished with problems",
    "build succeeded",
)


def normalise(text: str, srcdir: Path | str, srcdir_as: str = "SRCDIR") -> str:
    """*text* without colours and with *srcdir* written as *srcdir_as*.

    With ``srcdir_as=""`` paths under *srcdir* become relative (``index.rst:9``).
    """
    plain = strip_escape_sequences(text)
    # docutils names a missing include relative to the working directory when the two
    # share more than "/" (a checkout under /tmp), else absolute: both are *srcdir*.
    for root in (str(srcdir), os.path.relpath(srcdir)):
        plain = plain.replace(root + os.sep, f"{srcdir_as}/" if srcdir_as else "")
        plain = plain.replace(root, srcdir_as or ".")
    return plain.replace("\\", "/")


def warning_entries(stderr: str) -> list[str]:
    """The warnings (and errors) of a build's stderr, one entry per message.

    A message that spans several lines (a unified diff) stays one entry: every
    non-blank line up to the next ``WARNING:``/``ERROR:``/``CRITICAL:`` line
    belongs to the entry before it.
    """
    entries: list[str] = []
    for line in stderr.splitlines():
        if _STARTS_ENTRY.search(line):
            entries.append(line)
        elif entries and line.strip() and not line.startswith(_NOT_A_CONTINUATION):
            entries[-1] += "\n" + line
    return entries


@dataclass(frozen=True)
class BuildResult:
    """One ``sphinx-build`` run: its exit code, its normalised output, and where it built."""

    status: int
    stdout: str
    stderr: str
    srcdir: Path
    outdir: Path

    @property
    def warnings(self) -> list[str]:
        return warning_entries(self.stderr)


def sphinx_build(
    srcdir: Path,
    builder: str,
    *options: str,
    outdir: Path | None = None,
    doctrees: Path | None = None,
    fresh: bool | None = None,
    isolated: bool = False,
    srcdir_as: str = "SRCDIR",
) -> BuildResult:
    """Run the ``sphinx-build`` command line on *srcdir* with *builder* and *options*.

    The exit code is the one ``sphinx-build`` returns: ``-W`` and the runbook
    build gate both reach it through ``app.statuscode``.  The build reads every
    document afresh (``-E``) unless *doctrees* names a directory to reuse (an
    incremental build) or *fresh* says otherwise.  ``-j 2`` in *options* really
    reads in parallel (worker processes), in this process as in a child.
    *isolated* runs the same arguments in a child ``python -m sphinx`` (for the
    tests about the real command); *srcdir_as* is how *srcdir* is written in
    the output (``""``: paths relative to it).
    """
    out = outdir or srcdir / "_build" / builder
    if fresh is None:
        fresh = doctrees is None  # a shared doctree directory is reused
    doctrees = doctrees or out.parent / f".doctrees-{builder}"
    argv = [
        "-b",
        builder,
        *(["-E"] if fresh else []),
        "-N",
        "-d",
        str(doctrees),
        *options,
        str(srcdir),
        str(out),
    ]
    if isolated:
        completed = subprocess.run(
            [sys.executable, "-m", "sphinx", *argv],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        status, stdout, stderr = completed.returncode, completed.stdout, completed.stderr
    else:
        out_stream, err_stream = io.StringIO(), io.StringIO()
        with redirect_stdout(out_stream), redirect_stderr(err_stream):
            status = build_main(argv)
        stdout, stderr = out_stream.getvalue(), err_stream.getvalue()
    return BuildResult(
        status,
        normalise(stdout, srcdir, srcdir_as),
        normalise(stderr, srcdir, srcdir_as),
        srcdir,
        out,
    )


def copy_root(name: str, destination: Path) -> Path:
    """A copy of the test root ``tests/roots/<name>`` at *destination* (its ``_build`` left out)."""
    shutil.copytree(ROOTS / name, destination, ignore=shutil.ignore_patterns("_build"))
    return destination


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write *files* (relative path -> text) under *root*."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_srcdir(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """A fresh source directory holding the given files (``conf.py`` included by the caller)."""
    counter = iter(range(1000))

    def make(files: dict[str, str]) -> Path:
        return write_tree(tmp_path / f"src{next(counter)}", files)

    return make


def load_export(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def steps_of(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for runbook in data["runbooks"]:
        yield from runbook["steps"]


def ids(entries: Sequence[dict[str, Any]]) -> list[str]:
    return [entry["id"] for entry in entries]


def copy_of_the_project(dest: Path) -> Path:
    """The project's work tree as it is (tracked and untracked files, not ignored ones), committed.

    Tests that run the project's own guide use a copy, not the checkout: this suite
    also runs inside a real release (or rehearsal) of the project, in its guide's
    pre-release checks, where the checkout has a release in progress, holds the lock,
    and its ``.runbook/`` changes while the tests run.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file():  # a deleted, not yet committed file is still listed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name, follow_symlinks=False)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(["git", *argv], cwd=dest, env=env, check=True, capture_output=True)
    return dest


def git_env() -> dict[str, str]:
    """This environment without its git settings, with an author and no system config."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    return env


def git(cwd: Path, *args: str) -> str:
    """``git ARGS`` in *cwd* with :func:`git_env`; its output (a failure fails the test)."""
    return subprocess.run(
        ["git", *args], cwd=cwd, env=git_env(), check=True, capture_output=True, text=True
    ).stdout


def committed_repository(root: Path) -> Path:
    """A new git repository at *root* with one commit of one file."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "file").write_text("x\n")
    git(root, "add", "file")
    git(root, "commit", "-q", "-m", "one")
    return root


@pytest.fixture(scope="module")
def byte_keeping_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HOME whose git config changes no byte of a file (no CRLF conversion, no signing)."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Release Tester\n\temail = tester@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
        "[core]\n\tautocrlf = false\n\tsafecrlf = false\n"
    )
    return home
