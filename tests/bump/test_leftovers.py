"""What a killed bump leaves beside its targets is swept before the next write.

The one atomic writer (core.fs) names its temporary file ``.NAME.XXXXXXXX.tmp``
beside the file it replaces; a SIGKILL before the rename leaves it, untracked.
``python -m runbook bump`` and the runner's bump step sweep such files (and only
such files) before they write, beside the real path of a linked target too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from runner.conftest import git

from sphinx_release_runbook import bump
from sphinx_release_runbook.core import fs
from sphinx_release_runbook.core.model import BumpTarget

from .test_cli_bytes import bump_cli, make_repo

PYPROJECT = b'[project]\nname = "demo"\nversion = "1.2.0"\n'
MODULE = b'__version__ = "1.2.0"\n'
TARGETS = [BumpTarget("pyproject.toml", "project.version"), BumpTarget("pkg/v.py", "__version__")]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Release Tester\n\temail = tester@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    return home


def test_the_writers_temporary_file_is_what_the_sweep_looks_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name pattern and the writer agree: a torn write's file is recognised."""
    target = tmp_path / "pyproject.toml"
    target.write_bytes(PYPROJECT)
    seen: list[str] = []

    def killed(source: str, destination: Path) -> None:
        seen.append(Path(source).name)
        raise KeyboardInterrupt  # stands in for a kill before the rename

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        fs.write_atomic_bytes(target, b"new")
    (name,) = seen
    assert fs.leftover_pattern("pyproject.toml").fullmatch(name), name
    assert not fs.leftover_pattern("project.toml").fullmatch(name)
    assert target.read_bytes() == PYPROJECT  # the old content survives
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_text_and_bytes_are_written_by_one_writer(tmp_path: Path) -> None:
    """write_atomic is the bytes writer with UTF-8: line endings and mode kept."""
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    fs.write_atomic(path, "d\u00e9j\u00e0\r\nvu\n")
    assert path.read_bytes() == "d\u00e9j\u00e0\r\nvu\n".encode()
    assert path.stat().st_mode & 0o777 == 0o640
    fs.write_atomic_bytes(path, b"\xef\xbb\xbfx\r\n", mode=0o600)
    assert path.read_bytes() == b"\xef\xbb\xbfx\r\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_bump_command_sweeps_leftovers_and_nothing_else(tmp_path: Path, home: Path) -> None:
    repo = make_repo(
        tmp_path / "work",
        home,
        {"config/pyproject.toml": PYPROJECT, "pkg/v.py": MODULE},
        TARGETS,
    )
    (repo.root / "pyproject.toml").symlink_to(Path("config") / "pyproject.toml")
    git(repo.root, "add", "pyproject.toml", env=repo.env)
    git(repo.root, "commit", "-q", "-m", "link", env=repo.env)
    # Beside the real file of the linked target, and beside the module: swept.
    torn = [
        repo.root / "config" / ".pyproject.toml.k1ll3d_x.tmp",
        repo.root / "pkg" / ".v.py.a1b2c3d4.tmp",
    ]
    # Not a torn write of a target: another file's, a name of another length, a folder.
    kept = [
        repo.root / "pkg" / ".w.py.a1b2c3d4.tmp",
        repo.root / "pkg" / ".v.py.short.tmp",
        repo.root / "pkg" / "v.py.a1b2c3d4.tmp",
    ]
    for path in [*torn, *kept]:
        path.write_text("half a file")
    folder = repo.root / "pkg" / ".v.py.f0ld3r__.tmp"
    folder.mkdir()

    status, output = bump_cli(repo, "1.3.0", "--dry-run")
    assert status == 0, output
    assert all(path.exists() for path in torn)  # a dry run writes nothing, removes nothing

    status, output = bump_cli(repo, "1.3.0")
    assert status == 0, output
    assert [path for path in torn if path.exists()] == []
    assert [path for path in kept if not path.exists()] == []
    assert folder.is_dir()
    assert (repo.root / "config" / "pyproject.toml").read_bytes() == PYPROJECT.replace(
        b"1.2.0", b"1.3.0"
    )
    assert (repo.root / "pyproject.toml").is_symlink()


def test_sweep_leftovers_skips_a_target_outside_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / ".pyproject.toml.a1b2c3d4.tmp"
    outside.write_text("not ours to remove")
    (root / "pyproject.toml").symlink_to(tmp_path / "pyproject.toml")
    assert bump.sweep_leftovers(root, [BumpTarget("pyproject.toml", "project.version")]) == []
    assert bump.sweep_leftovers(root, [BumpTarget("../pyproject.toml", "project.version")]) == []
    assert outside.exists()
