"""The one git wrapper: every question the project asks git goes through :func:`git`.

git never prompts (``GIT_TERMINAL_PROMPT=0``, no standard input): a credential
prompt must fail at once rather than hang a docs build or a CI job.  A missing
git binary or directory reads as "no answer", never as a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

#: ``git@github.com:owner/repo.git`` and ``https://github.com/owner/repo(.git)``.
_GITHUB = re.compile(
    r"^(?:git@github\.com:|(?:https?|ssh|git)://(?:[^@/]+@)?github\.com/)"
    r"(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$"
)
# ls-remote talks to the network; a hung remote must not hang validation.
REMOTE_TIMEOUT = 20.0


def git(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` in *root*; a missing git or directory gives exit status 127."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


def toplevel(directory: Path) -> Path | None:
    """The git top level containing *directory*, or None outside a work tree (or without git)."""
    result = git(directory, "rev-parse", "--show-toplevel")
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip())


def normalise_repo_url(url: str) -> str:
    """``https://github.com/OWNER/REPO`` for any spelling of a GitHub remote; else *url*."""
    url = url.strip()
    match = _GITHUB.match(url)
    if match:
        return f"https://github.com/{match['owner']}/{match['repo']}"
    return url.rstrip("/").removesuffix(".git")


@lru_cache(maxsize=8)
def origin_url(root: Path) -> str:
    """The ``origin`` remote of the git repository at *root* (``""`` when there is none).

    Cached: every document of a build asks, and the remote does not change mid-build.
    """
    result = git(root, "remote", "get-url", "origin")
    return normalise_repo_url(result.stdout) if result.returncode == 0 else ""


def tags(root: Path, pattern: str | None = None) -> list[str]:
    """The local tags (matching *pattern*, a ``git tag --list`` glob); ``[]`` without git."""
    listed = git(root, "tag", "--list", *([pattern] if pattern else []))
    return listed.stdout.split() if listed.returncode == 0 else []


def has_remote(root: Path, name: str) -> bool:
    remotes = git(root, "remote")
    return remotes.returncode == 0 and name in remotes.stdout.split()


def remote_has_tag(root: Path, remote: str, tag: str) -> bool | None:
    """Whether *remote* has *tag*; None when the remote cannot be asked in time."""
    try:
        result = git(
            root, "ls-remote", "--tags", remote, f"refs/tags/{tag}", timeout=REMOTE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        return None
    return bool(result.stdout.strip())


def is_ignored(root: Path, path: Path) -> bool:
    """Whether git ignores *path* (which need not exist) in the work tree at *root*."""
    return git(root, "check-ignore", "-q", "--", str(path)).returncode == 0


def is_tracked(root: Path, path: Path) -> bool:
    """Whether *path* is a file git tracks in the work tree at *root*."""
    return git(root, "ls-files", "--error-unmatch", "--", str(path)).returncode == 0
