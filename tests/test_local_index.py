"""The arshai guide's publication checks run for real against a local package index.

PyPI cannot be reached offline, so the wheel of arshai 0.4.0 is built for real
and served by a PEP 503 "simple" index on 127.0.0.1; ``wait-for-pypi`` and
``verify-install`` then run through the real CLI with ``PIP_INDEX_URL``
pointing there, exactly as the guide documents them.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARSHAI = ROOT / "examples" / "arshai"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _build_wheel(source: Path, version: str, dist: Path) -> Path:
    """Build arshai's wheel at *version* from a scratch copy (the repository stays at 0.3.0)."""
    scratch = dist.parent / "wheel-build"
    shutil.copytree(source, scratch, ignore=shutil.ignore_patterns(".git", ".runbook"))
    pyproject = scratch / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('version = "0.3.0"', f'version = "{version}"')
    )
    module = scratch / "arshai" / "_version.py"
    module.write_text(
        f'__version__ = "{version}"\n__version_info__ = {tuple(map(int, version.split(".")))!r}\n'
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            ".",
        ],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("arshai-*.whl")
    return wheel


def _simple_index(root: Path, wheel: Path) -> None:
    """A PEP 503 index: /simple/ lists projects, /simple/arshai/ links the files."""
    project = root / "simple" / "arshai"
    project.mkdir(parents=True)
    shutil.copy2(wheel, project / wheel.name)
    name = html.escape(wheel.name)
    (project / "index.html").write_text(f'<html><body><a href="{name}">{name}</a></body></html>')
    (root / "simple" / "index.html").write_text(
        '<html><body><a href="arshai/">arshai</a></body></html>'
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output to what the runner prints."""


@pytest.fixture
def local_index(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    repo = tmp_path / "arshai"
    shutil.copytree(ARSHAI, repo, ignore=shutil.ignore_patterns("_build", ".runbook"))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "initial")
    wheel = _build_wheel(repo, "0.4.0", tmp_path / "dist")
    _simple_index(tmp_path / "index", wheel)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path / "index"))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/", repo
    finally:
        server.shutdown()
        server.server_close()


def _run_step(
    repo: Path, step: str, index_url: str, version: str = "0.4.0"
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PIP_INDEX_URL": index_url,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "runbook", "run", "--version", version, "--yes", "--only", step],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )


def test_wait_for_pypi_and_verify_install_pass_against_a_local_index(
    local_index: tuple[str, Path],
) -> None:
    index_url, repo = local_index
    waited = _run_step(repo, "wait-for-pypi", index_url)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert "arshai==0.4.0" in waited.stdout
    assert list((repo / ".runbook" / "pypi").glob("arshai-0.4.0-*.whl"))

    verified = _run_step(repo, "verify-install", index_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Version: 0.4.0" in verified.stdout
    # The release's own tree is untouched: .runbook/ ignores itself.
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_verify_install_fails_when_the_index_lacks_the_version(
    local_index: tuple[str, Path],
) -> None:
    index_url, repo = local_index
    # 0.4.1 is a valid next version but was never uploaded: the check must fail, not pass.
    result = _run_step(repo, "verify-install", index_url, version="0.4.1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "verify-install" in result.stdout + result.stderr
