"""Tests of the rehearsal.

The helpers below serve the tests of the ``gh`` stand-in and of the local
workflow runner (``test_gh_*``, ``test_workflows_*``): a real git repository
with the workflow files a test writes, a tag pushed to a local bare
``origin``, and the ``context.json`` the rehearsal's session would write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_release_runbook.rehearse.context import (
    HOME_VARIABLE,
    IndexCredentials,
    RehearsalContext,
)
from sphinx_release_runbook.rehearse.workflows import checkout
from sphinx_release_runbook.rehearse.workflows.records import RunRecord
from sphinx_release_runbook.rehearse.workflows.run import Trigger, start_runs
from sphinx_release_runbook.rehearse.workflows.triggers import Event

#: The index credentials of the tests' contexts: no index listens there.
INDEX = IndexCredentials(
    url="http://127.0.0.1:9/simple/",
    upload_url="http://127.0.0.1:9/",
    username="rehearsal",
    password="index-password-42",
)
GH = [sys.executable, "-m", "sphinx_release_runbook.rehearse.gh"]


def _git(directory: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        check=True,
        env=checkout.clean_environment(),
    )
    return result.stdout.strip()


@dataclass
class Sandbox:
    """A repository with workflows, its bare origin, and the rehearsal's home folder."""

    root: Path
    secrets: dict[str, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)
    tool_env: dict[str, str] = field(default_factory=dict)
    python: Path = field(default_factory=lambda: Path(sys.executable))

    @property
    def repository(self) -> Path:
        return self.root / "repo"

    @property
    def remote(self) -> Path:
        return self.root / "remote.git"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def context(self) -> RehearsalContext:
        return RehearsalContext(
            repository=self.repository,
            home=self.home,
            python=self.python,
            index=INDEX,
            tool_env=dict(self.tool_env),
            secrets=dict(self.secrets),
            actions=dict(self.actions),
            github={"repository": "octo/project", "server_url": "https://github.com"},
        )

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.repository / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
            if name.endswith(".sh"):
                path.chmod(0o755)

    def commit_and_tag(self, tag: str, *, push: bool = True) -> str:
        _git(self.repository, "add", "-A")
        _git(self.repository, "commit", "-q", "-m", f"release {tag}")
        _git(self.repository, "tag", tag)
        if push:
            _git(self.repository, "push", "-q", "origin", "HEAD:refs/heads/main", tag)
        self.context.write()
        return _git(self.repository, "rev-parse", "HEAD")

    def release(self, tag: str = "v1.0", action: str = "published") -> list[RunRecord]:
        """The runs a published release of *tag* starts, run in this process."""
        sha = _git(self.remote, "rev-parse", f"refs/tags/{tag}^{{commit}}")
        payload = {"action": action, "release": {"tag_name": tag, "name": f"Release {tag}"}}
        return start_runs(self.context, Trigger(Event("release", action, tag), sha, tag, payload))

    def gh(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """The stand-in as a program, as the runner's shell calls it."""
        env = {**os.environ, HOME_VARIABLE: os.fspath(self.home)}
        return subprocess.run(
            [*GH, *args],
            cwd=cwd or self.repository,
            capture_output=True,
            text=True,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    def calls(self) -> list[dict[str, object]]:
        lines = (self.home / "gh-calls.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def log(self, run_id: int) -> str:
        return (self.home / "runs" / str(run_id) / "log.txt").read_text(encoding="utf-8")


def make_sandbox(tmp_path: Path, files: dict[str, str], **options: dict[str, str]) -> Sandbox:
    """A :class:`Sandbox` with *files* committed and tagged ``v1.0`` (pushed to origin)."""
    sandbox = Sandbox(tmp_path, **options)
    sandbox.repository.mkdir(parents=True)
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", os.fspath(sandbox.remote))
    _git(sandbox.repository, "init", "-q", "-b", "main")
    _git(sandbox.repository, "remote", "add", "origin", os.fspath(sandbox.remote))
    sandbox.write({"README.md": "project\n", **files})
    sandbox.commit_and_tag("v1.0")
    return sandbox


def workflow(body: str) -> dict[str, str]:
    """``.github/workflows/publish.yml`` with *body*."""
    return {".github/workflows/publish.yml": body}
