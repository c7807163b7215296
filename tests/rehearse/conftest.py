"""Fixtures of the rehearsal's end-to-end tests: copies of examples/arshai in real git repositories.

Every rehearsal runs through ``python -m runbook rehearse`` in a subprocess,
as a maintainer types it, with ``TMPDIR`` inside the test's folder (so the
rehearsal folder is found and its removal checked).  The copy's ``origin``
is a URL on 127.0.0.1 where a listener records every connection: the
"real remote", which no rehearsal may contact.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from runner.conftest import sigint_at_default

from . import _git

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARSHAI = PROJECT_ROOT / "examples" / "arshai"
GUIDE = Path("docs/deployment/pypi-deployment.rst")
WORKFLOW = Path(".github/workflows/publish.yml")
#: A whole rehearsal of the example takes well under a minute; this only stops a hang.
REHEARSAL_TIMEOUT = 300

_FOLDER = re.compile(r"^rehearse: folder (?P<folder>\S+)$", re.MULTILINE)
_INDEX = re.compile(r"^rehearse: local index http://127\.0\.0\.1:(?P<port>\d+)/", re.MULTILINE)


def require_rehearse_extra() -> None:
    """The rehearse extra is installed (``make install``); CI must have it, never skip there."""
    wanted = ("pypiserver", "passlib", "poetry", "twine")
    missing = [name for name in wanted if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = f"the rehearse extra is not installed (missing {', '.join(missing)}): make install"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


class RemoteListener:
    """A TCP listener on 127.0.0.1 that records every connection and answers nothing."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/nimunzn/arshai.git"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@dataclass
class Outcome:
    """A finished rehearsal: its exit status, its output, and where it ran."""

    code: int
    output: str
    tmp: Path

    @property
    def folder(self) -> Path:
        match = _FOLDER.search(self.output)
        assert match, self.output
        return Path(match["folder"])

    @property
    def port(self) -> int:
        match = _INDEX.search(self.output)
        assert match, self.output
        return int(match["port"])

    def row(self, step_id: str) -> str:
        """The report table's row of *step_id*."""
        rows = [
            line
            for line in self.output.splitlines()
            if re.match(rf"^\s+\d+\s+{re.escape(step_id)}\s", line)
        ]
        assert rows, f"no report row for {step_id}:\n{self.output}"
        return rows[-1]


@dataclass
class Project:
    """A copy of examples/arshai, committed in its own git repository."""

    root: Path
    tmp: Path
    remote: RemoteListener
    env: dict[str, str] = field(default_factory=dict)

    def edit(self, relative: Path | str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def write(self, relative: Path | str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str = "change") -> None:
        _git(self.root, "add", "-A")
        _git(self.root, "commit", "-q", "-m", message)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "runbook", *args]

    def environ(self) -> dict[str, str]:
        env = {**os.environ, "TMPDIR": os.fspath(self.tmp), **self.env}
        env.pop("VIRTUAL_ENV", None)
        return env

    def rehearse(self, *args: str) -> Outcome:
        result = self._cli("rehearse", "--version", "0.4.0", *args)
        return Outcome(result.returncode, result.stdout + result.stderr, self.tmp)

    def check(self) -> subprocess.CompletedProcess[str]:
        return self._cli("check")

    def _cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            env=self.environ(),
            stdin=subprocess.DEVNULL,
            timeout=REHEARSAL_TIMEOUT,
        )

    def start(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """A rehearsal in the background, in a session (and process group) of its own."""
        with log.open("wb") as stream:
            return subprocess.Popen(
                self.command("rehearse", "--version", "0.4.0", *args),
                cwd=self.root,
                stdout=stream,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.environ(),
                start_new_session=True,
                # A harness may start the tests with SIGINT ignored; a terminal's Ctrl-C
                # finds it at its default, and the signal tests send one.
                preexec_fn=sigint_at_default,
            )


#: Where a rehearsal points the publishing tools.  This suite also runs inside a
#: rehearsal (the project's own guide runs it in its pre-release checks); these tests
#: set up their own index, so what the outer rehearsal set must not leak into them.
_PUBLISHING_SETTINGS = (
    "POETRY_REPOSITORIES_",
    "POETRY_HTTP_BASIC_",
    "POETRY_PYPI_TOKEN_",
    "TWINE_",
    "UV_PUBLISH_",
    "RUNBOOK_REHEARSE_HOME",
)


@pytest.fixture(autouse=True)
def _outside_any_rehearsal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(_PUBLISHING_SETTINGS):
            monkeypatch.delenv(name)


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[Callable[[], Project]]:
    """Copies of examples/arshai; each call makes one, committed, with a recorded origin."""
    require_rehearse_extra()
    listeners: list[RemoteListener] = []

    def make() -> Project:
        index = len(listeners)
        root = tmp_path / f"arshai-{index}"
        shutil.copytree(ARSHAI, root, ignore=shutil.ignore_patterns(".runbook", "__pycache__"))
        scratch = tmp_path / f"tmp-{index}"
        scratch.mkdir()
        listener = RemoteListener()
        listeners.append(listener)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "remote", "add", "origin", listener.url)
        project = Project(root, scratch, listener)
        project.commit("arshai 0.3.0")
        return project

    yield make
    for listener in listeners:
        listener.close()


def processes_mentioning(text: str) -> list[str]:
    """``PID COMMAND`` of every live process whose environment or command line holds *text*."""
    found = []
    needle = text.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            stat = (entry / "stat").read_text(errors="replace")
            if stat.rpartition(")")[2].split()[:1] == ["Z"]:
                continue
            environ = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in environ or needle in command:
            words = command.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name} {words}")
    return found


def port_is_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:*port* (a bind succeeds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def assert_nothing_left(outcome: Outcome) -> None:
    """No process of the rehearsal runs, its port is free, and its folder is gone."""
    folder = outcome.folder
    deadline = time.monotonic() + 5
    while processes_mentioning(os.fspath(folder)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(os.fspath(folder)) == []
    assert port_is_free(outcome.port)
    assert not folder.exists()


def wait_for(log: Path, pattern: str, process: subprocess.Popen[bytes], timeout: float) -> str:
    """The background rehearsal's output once *pattern* shows in it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if re.search(pattern, text, re.MULTILINE):
            return text
        if process.poll() is not None:
            break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"{pattern!r} never showed:\n{log.read_text(errors='replace')}")
