"""The rehearsal's package index: pypiserver on 127.0.0.1, and the settings that point tools at it.

The index is a real server (:mod:`.index_server`, pypiserver underneath) run
as a child process in its own process group, so stopping it stops everything
it started; :meth:`LocalIndex.stop` is called on every exit path of a session.
Uploads need a password: an htpasswd file written here holds a user of the
rehearsal and ``__token__`` (the user name API tokens are sent with), both
with one random password, which is also the token a workflow's publish
secret receives.

What the released version installs from matters as much as where it goes:
:func:`tool_env` points pip at the local index *only* (no config file, no
extra index, no find-links), and the index sends every name it does not
hold to the upstream index, except the released package's own name.  So the
package's dependencies still resolve, but ``pip install NAME==X.Y.Z`` can
find only what the rehearsal published, even when PyPI has the same name and
version.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.rehearse.context import IndexCredentials
from sphinx_release_runbook.rehearse.errors import MissingRehearsalTools, RehearsalError
from sphinx_release_runbook.rehearse.index_server import USER

#: The name the local index has in Poetry's configuration (``poetry publish -r rehearsal``).
POETRY_REPOSITORY = "rehearsal"
#: Where names the local index does not hold are sent when nothing else is configured.
DEFAULT_UPSTREAM = "https://pypi.org/simple/"
#: How long the index may take to answer after it was started.
START_TIMEOUT = 30.0
#: Settings of the machine that would add candidates from elsewhere: removed in the sandbox.
PIP_SOURCES_REMOVED = (
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
    "PIP_NO_INDEX",
    "UV_EXTRA_INDEX_URL",
)
_PASSWORD_VARIABLE = "RUNBOOK_REHEARSE_INDEX_PASSWORD"
UPLOADS_LOG = "index-uploads.jsonl"


def upstream_index(environ: dict[str, str]) -> str:
    """The index the user's pip would use: ``PIP_INDEX_URL``, else PyPI."""
    url = environ.get("PIP_INDEX_URL", "").strip() or DEFAULT_UPSTREAM
    return url if url.endswith("/") else url + "/"


def _require_server() -> None:
    for module in ("pypiserver", "passlib"):
        if importlib.util.find_spec(module) is None:
            raise MissingRehearsalTools(
                f"the rehearsal needs {module}, which is not installed; install the "
                "rehearse extra: python -m pip install 'sphinx-release-runbook[rehearse]'"
            )


@dataclass
class LocalIndex:
    """A running local index: its credentials, its packages folder and its process."""

    credentials: IndexCredentials
    packages: Path
    port: int
    uploads_log: Path
    process: subprocess.Popen[bytes] | None

    def packages_held(self) -> list[str]:
        """The distribution files the index holds, sorted (what reached it, plus any seed)."""
        if not self.packages.is_dir():
            return []
        return sorted(path.name for path in self.packages.iterdir() if path.is_file())

    def stop(self, grace: float = 3.0) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL after *grace* seconds)."""
        process, self.process = self.process, None
        if process is None:
            return
        stop_group(process, grace)


def stop_group(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the process group led by *process*, SIGKILL it after *grace*, reap the leader."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


def start(
    folder: Path,
    *,
    upstream: str,
    local_only: list[str],
    seed: Path | None = None,
    python: Path | None = None,
    marker: Mapping[str, str] | None = None,
) -> LocalIndex:
    """Start the index for a rehearsal in *folder* and wait until it answers.

    *marker* is added to the server's environment: it marks the process as the
    rehearsal's (:mod:`.leftovers`).
    """
    _require_server()
    packages = folder / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    if seed is not None:
        for path in sorted(seed.iterdir()):
            if path.is_file() and path.name.endswith((".whl", ".tar.gz", ".zip")):
                shutil.copy2(path, packages / path.name)
    password = "pypi-rehearsal-" + secrets.token_urlsafe(24)
    passwords = folder / "htpasswd"
    port_file = folder / "index.port"
    port_file.unlink(missing_ok=True)  # a kept folder's: the new server writes its own
    uploads_log = folder / UPLOADS_LOG
    log = (folder / "index.log").open("wb")
    command = [
        os.fspath(python or sys.executable),
        "-m",
        "sphinx_release_runbook.rehearse.index_server",
        "--packages",
        os.fspath(packages),
        "--passwords",
        os.fspath(passwords),
        "--password-variable",
        _PASSWORD_VARIABLE,
        "--fallback-url",
        upstream,
        "--port-file",
        os.fspath(port_file),
        "--log",
        os.fspath(uploads_log),
    ]
    for name in local_only:
        command += ["--local-only", name]
    with log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            process_group=0,
            # The password goes through the environment: a command line is public (ps).
            env={**os.environ, **(marker or {}), _PASSWORD_VARIABLE: password},
        )
    try:
        port = _wait_for_port(process, port_file, folder / "index.log")
        base = f"http://127.0.0.1:{port}/"
        _wait_until_answering(process, base + "simple/", folder / "index.log")
    except BaseException:
        stop_group(process, 3.0)
        raise
    credentials = IndexCredentials(
        url=base + "simple/", upload_url=base, username=USER, password=password
    )
    return LocalIndex(credentials, packages, port, uploads_log, process)


def _failed_start(process: subprocess.Popen[bytes], log: Path, what: str) -> RehearsalError:
    try:
        output = log.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        output = ""
    code = process.poll()
    status = f" (exit status {code})" if code is not None else ""
    tail = "\n".join(output.splitlines()[-15:])
    return RehearsalError(
        f"the local package index {what}{status}" + (f":\n{tail}" if tail else "")
    )


def _wait_for_port(process: subprocess.Popen[bytes], port_file: Path, log: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if port_file.is_file():
            return int(port_file.read_text(encoding="utf-8"))
        if process.poll() is not None:
            raise _failed_start(process, log, "did not start")
        time.sleep(0.02)
    raise _failed_start(process, log, f"did not start within {START_TIMEOUT:.0f}s")


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _failed_start(process, log, "stopped")
        try:
            with urllib.request.urlopen(url, timeout=2.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise _failed_start(process, log, f"did not answer within {START_TIMEOUT:.0f}s")


def tool_env(credentials: IndexCredentials) -> dict[str, str]:
    """The settings that point pip, Poetry, twine and uv at the local index.

    Where to publish and install, not with which credentials: those a release
    gets where it really gets them, from the workflow's secrets (the stand-in
    gives a publish token the index password).  A step that would upload
    without credentials fails as it would for real.
    """
    url, upload = credentials.url, credentials.upload_url
    return {
        # pip: the local index and nothing else; no pip.conf of the machine or the user.
        "PIP_INDEX_URL": url,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INPUT": "1",
        # Poetry: `poetry publish -r rehearsal` (the `poetry` on PATH adds the -r, since
        # Poetry's PyPI upload URL cannot be configured).
        f"POETRY_REPOSITORIES_{POETRY_REPOSITORY.upper()}_URL": upload,
        # twine: `twine upload dist/*` goes here.
        "TWINE_REPOSITORY_URL": upload,
        "TWINE_NON_INTERACTIVE": "1",
        # uv: installs from the local index only; `uv publish` uploads here.
        "UV_DEFAULT_INDEX": url,
        "UV_INDEX_URL": url,
        "UV_PUBLISH_URL": upload,
    }
