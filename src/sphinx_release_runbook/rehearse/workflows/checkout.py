"""The tag's code as GitHub sees it: the rehearsal's remote, the tag's commit, a clean checkout.

GitHub runs a release's workflows from what was pushed, so the tag is looked
up in the sandbox clone's ``origin`` (the rehearsal's local bare repository)
when that is a local folder, else in the clone itself.  The workflow files are
read at the tag, as GitHub does, and every run gets its own clone checked out
at the tag.  git runs with the variables that point it at a repository
removed: the push hook is called with ``GIT_DIR`` set to the bare remote.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sphinx_release_runbook.rehearse.context import RehearsalContext

WORKFLOWS_DIR = ".github/workflows"


def clean_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """*base* (default: ours) without the variables that tie git to one repository."""
    env = dict(os.environ if base is None else base)
    for name in list(env):
        if name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX") or name.startswith(
            ("GIT_OBJECT_", "GIT_ALTERNATE_", "GIT_QUARANTINE", "GIT_PUSH_OPTION")
        ):
            del env[name]
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def git(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``git ARGS`` in *directory*, never prompting; a missing git is exit status 127."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            env=clean_environment(),
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


def remote_of(context: RehearsalContext) -> Path:
    """Where pushed tags live: the clone's ``origin`` when it is a local folder, else the clone."""
    origin = git(context.repository, "remote", "get-url", "origin")
    if origin.returncode == 0:
        url = origin.stdout.strip().removeprefix("file://")
        candidate = Path(url) if os.path.isabs(url) else context.repository / url
        if candidate.is_dir():
            return candidate.resolve()
    return context.repository


def tag_commit(source: Path, tag: str) -> str | None:
    """The commit *tag* points at in *source*, or None when there is no such tag."""
    result = git(source, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
    return result.stdout.strip() or None if result.returncode == 0 else None


def project_of(context: RehearsalContext, cwd: Path) -> str:
    """The folder of the repository (posix, ``""`` for its root) that acts as the project.

    gh is called from the runner's working directory.  A project inside a
    larger repository (``examples/arshai``) with its own ``.github/workflows``
    acts as its own repository, as it will once published: the nearest folder
    from *cwd* up to the repository's root that has workflows wins.
    """
    root = context.repository.resolve()
    try:
        relative = cwd.resolve().relative_to(root)
    except ValueError:
        return ""
    parts = relative.parts
    for length in range(len(parts), 0, -1):
        if (root.joinpath(*parts[:length]) / WORKFLOWS_DIR).is_dir():
            return "/".join(parts[:length])
    return ""


def workflow_files(source: Path, commit: str, project: str = "") -> dict[str, str]:
    """``{path: text}`` of the project's ``.github/workflows/*.yml|*.yaml`` at *commit*.

    Paths are relative to the repository's root, sorted.
    """
    folder = f"{project}/{WORKFLOWS_DIR}" if project else WORKFLOWS_DIR
    listed = git(source, "ls-tree", "--name-only", commit, f"{folder}/")
    files: dict[str, str] = {}
    for path in sorted(listed.stdout.splitlines()):
        if path.endswith((".yml", ".yaml")):
            shown = git(source, "show", f"{commit}:{path}")
            if shown.returncode == 0:
                files[path] = shown.stdout
    return files


def clone_at(source: Path, tag: str, destination: Path) -> None:
    """A fresh clone of *source* in *destination*, checked out (detached) at *tag*."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    cloned = git(
        destination.parent, "clone", "--quiet", "--branch", tag, os.fspath(source), destination.name
    )
    if cloned.returncode != 0:
        raise OSError(f"git clone of {source} at {tag} failed: {cloned.stderr.strip()}")
