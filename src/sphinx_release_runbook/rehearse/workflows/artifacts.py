"""``actions/upload-artifact`` and ``actions/download-artifact`` as a folder of the run.

An artifact is ``runs/<id>/artifacts/<name>/``, shared by the jobs of one run
as on GitHub.  Upload keeps the paths below the least common ancestor of what
it matched (a single folder uploads its content), as the real action does;
``if-no-files-found`` is honoured (``warn`` by default).  Download without a
``name`` fetches every artifact into ``<path>/<name>/``.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path


class ArtifactError(ValueError):
    """An artifact step that fails; the caller locates the message."""


def _matched(workspace: Path, patterns: list[str]) -> tuple[list[Path], list[Path]]:
    """Files matched by *patterns* (``!`` excludes) and the roots they were matched from."""
    files: dict[Path, None] = {}
    roots: list[Path] = []
    for pattern in patterns:
        exclude = pattern.startswith("!")
        text = pattern[1:] if exclude else pattern
        full = Path(os.path.expanduser(text))
        full = full if full.is_absolute() else workspace / full
        found = [Path(item) for item in glob.glob(os.fspath(full), recursive=True)]
        expanded: list[Path] = []
        for item in found:
            if item.is_dir():
                expanded.extend(path for path in item.rglob("*") if path.is_file())
                if not exclude:
                    roots.append(item)
            elif item.is_file():
                expanded.append(item)
                if not exclude:
                    roots.append(item.parent)
        for path in expanded:
            if exclude:
                files.pop(path, None)
            else:
                files[path] = None
    return list(files), roots


def upload(
    artifacts_dir: Path, workspace: Path, name: str, path: str, if_no_files_found: str
) -> list[Path]:
    """Copy what *path* (one pattern a line) matches into the artifact *name*; the copies."""
    patterns = [line.strip() for line in path.splitlines() if line.strip()]
    if not patterns:
        raise ArtifactError("upload-artifact needs a 'path' input")
    files, roots = _matched(workspace, patterns)
    if not files:
        message = f"no files were found with the provided path: {path.strip()}"
        if if_no_files_found == "error":
            raise ArtifactError(message)
        return []
    root = Path(os.path.commonpath([os.fspath(item) for item in roots]))
    destination = artifacts_dir / name
    if destination.exists():
        raise ArtifactError(f"an artifact named '{name}' was already uploaded in this run")
    copies: list[Path] = []
    for file in files:
        target = destination / file.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
        copies.append(target)
    return copies


def download(artifacts_dir: Path, workspace: Path, name: str, path: str) -> list[Path]:
    """Copy the artifact *name* (every artifact when empty) into *path*; the folders written."""
    target = Path(os.path.expanduser(path)) if path else workspace
    target = target if target.is_absolute() else workspace / target
    if name:
        source = artifacts_dir / name
        if not source.is_dir():
            raise ArtifactError(f"no artifact named '{name}' was uploaded in this run")
        shutil.copytree(source, target, dirs_exist_ok=True)
        return [target]
    written: list[Path] = []
    for source in sorted(artifacts_dir.iterdir()) if artifacts_dir.is_dir() else []:
        shutil.copytree(source, target / source.name, dirs_exist_ok=True)
        written.append(target / source.name)
    return written
