"""The local index: a real pypiserver that takes uploads with its password only, as PyPI answers.

Driven with twine, the way a workflow's publish step uploads, and with pip as
the post-release check installs.  The name of the released package never
falls through to the upstream index.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinx_release_runbook.rehearse import index

from .conftest import ARSHAI, port_is_free, processes_mentioning, require_rehearse_extra


@pytest.fixture
def local_index(tmp_path: Path) -> Iterator[index.LocalIndex]:
    require_rehearse_extra()
    # No upstream is reachable here: the test must not depend on the network.
    started = index.start(tmp_path / "index", upstream="http://127.0.0.1:9/", local_only=["arshai"])
    yield started
    started.stop()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    build = ["pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dist)]
    subprocess.run([sys.executable, "-m", *build, str(ARSHAI)], check=True, capture_output=True)
    (found,) = dist.glob("arshai-*.whl")
    return found


def _twine(local: index.LocalIndex, wheel: Path, password: str | None) -> str:
    env = {**os.environ, **index.tool_env(local.credentials), "TWINE_USERNAME": "__token__"}
    env.pop("TWINE_PASSWORD", None)
    if password is not None:
        env["TWINE_PASSWORD"] = password
    result = subprocess.run(
        [sys.executable, "-m", "twine", "upload", "--non-interactive", str(wheel)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return f"exit {result.returncode}\n{result.stdout}{result.stderr}"


def test_an_upload_needs_the_index_password(local_index: index.LocalIndex, wheel: Path) -> None:
    refused = _twine(local_index, wheel, "not-the-password")
    assert refused.startswith("exit 1")
    assert "403" in refused and "Invalid or non-existent authentication" in refused
    assert local_index.packages_held() == []
    assert _twine(local_index, wheel, local_index.credentials.password).startswith("exit 0")
    assert local_index.packages_held() == [wheel.name]
    again = _twine(local_index, wheel, local_index.credentials.password)
    assert again.startswith("exit 1") and "400" in again


def _answer(local: index.LocalIndex, path: str) -> tuple[int, str]:
    """The index's status and ``Location`` for a GET of *path*, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", local.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def test_the_released_name_never_falls_through(local_index: index.LocalIndex) -> None:
    # Any other name is sent to the upstream index (so dependencies resolve) ...
    status, location = _answer(local_index, "/simple/six/")
    assert 300 <= status < 400 and location.startswith("http://127.0.0.1:9/")
    # ... the released package's name is answered here only (another spelling is sent to
    # its normal form on this index, never upstream).
    assert _answer(local_index, "/simple/arshai/") == (404, "")
    _, location = _answer(local_index, "/simple/Arshai/")
    assert not location.startswith("http://127.0.0.1:9/")


def test_stop_frees_the_port(tmp_path: Path) -> None:
    require_rehearse_extra()
    started = index.start(tmp_path / "index", upstream="http://127.0.0.1:9/", local_only=[])
    assert not port_is_free(started.port)
    started.stop()
    assert port_is_free(started.port)


def test_the_index_stops_when_the_rehearsal_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the rehearsal no ``finally``: the index notices its parent is gone."""
    require_rehearse_extra()
    folder = tmp_path / "index"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from sphinx_release_runbook.rehearse import index\n"
        "started = index.start(Path(sys.argv[1]), upstream='http://127.0.0.1:9/', local_only=[])\n"
        "print(started.port, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    port = int(parent.stdout.readline())
    assert processes_mentioning(str(folder))
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while processes_mentioning(str(folder)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(folder)) == []
    assert port_is_free(port)
