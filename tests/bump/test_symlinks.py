"""A bump never replaces a symbolic link: it edits the file inside, or refuses one outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import BumpTarget

TOML = b'[project]\r\nname = "d\xc3\xa9mo"\r\nversion = "1.2.0"\r\n'
TARGET = BumpTarget("pyproject.toml", "project.version")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    return root


def outside_message(path: str, real: Path) -> str:
    return (
        f"{path}: resolves through a symbolic link to {real}, which is outside the "
        "repository; bump edits only files of the repository"
    )


def test_a_link_inside_the_repository_is_kept_and_its_file_edited(repo: Path) -> None:
    (repo / "config").mkdir()
    real = repo / "config" / "pyproject.toml"
    real.write_bytes(TOML)
    real.chmod(0o640)
    (repo / "pyproject.toml").symlink_to(Path("config") / "pyproject.toml")
    edits = bump.plan_edits(repo, [TARGET], "1.3.0", ())
    assert bump.write_edits(repo, edits) == ["pyproject.toml"]
    link = repo / "pyproject.toml"
    assert link.is_symlink() and os.readlink(link) == str(Path("config") / "pyproject.toml")
    assert real.read_bytes() == TOML.replace(b"1.2.0", b"1.3.0")
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in repo.rglob("*")) == ["config", "pyproject.toml", "pyproject.toml"]


def test_a_directory_link_inside_the_repository_is_followed(repo: Path) -> None:
    (repo / "src" / "pkg").mkdir(parents=True)
    (repo / "src" / "pkg" / "_version.py").write_text('__version__ = "1.2.0"\n')
    (repo / "pkg").symlink_to(Path("src") / "pkg", target_is_directory=True)
    target = BumpTarget("pkg/_version.py", "__version__")
    bump.write_edits(repo, bump.plan_edits(repo, [target], "1.3.0", ()))
    assert (repo / "pkg").is_symlink()
    assert (repo / "src" / "pkg" / "_version.py").read_text() == '__version__ = "1.3.0"\n'


def test_two_names_of_one_file_are_one_edit(repo: Path) -> None:
    """The link and its target both named: one write, not a second that undoes the first."""
    (repo / "pyproject.toml").write_bytes(TOML)
    (repo / "alias.toml").symlink_to("pyproject.toml")
    targets = [TARGET, BumpTarget("alias.toml", "project.version")]
    edits = bump.plan_edits(repo, targets, "1.3.0", ())
    assert [edit.path for edit in edits] == ["pyproject.toml"]
    assert bump.write_edits(repo, edits) == ["pyproject.toml"]
    assert (repo / "pyproject.toml").read_bytes() == TOML.replace(b"1.2.0", b"1.3.0")
    assert (repo / "alias.toml").is_symlink()


@pytest.mark.parametrize("link_to_directory", [False, True])
def test_a_link_out_of_the_repository_is_refused(
    tmp_path: Path, repo: Path, link_to_directory: bool
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_bytes(TOML)
    if link_to_directory:
        (repo / "conf").symlink_to(elsewhere, target_is_directory=True)
        path = "conf/pyproject.toml"
    else:
        (repo / "pyproject.toml").symlink_to(elsewhere / "pyproject.toml")
        path = "pyproject.toml"
    target = BumpTarget(path, "project.version")
    message = outside_message(path, (elsewhere / "pyproject.toml").resolve())
    with pytest.raises(bump.BumpPathError) as error:
        bump.plan_edits(repo, [target], "1.3.0", ())
    assert str(error.value) == message
    (result,) = bump.read_current([target], repo)
    assert isinstance(result, bump.BumpPathError) and str(result) == message
    with pytest.raises(bump.BumpPathError):
        bump.read_text(repo, target)
    assert (elsewhere / "pyproject.toml").read_bytes() == TOML


def test_a_dangling_link_out_of_the_repository_is_refused_as_outside(
    tmp_path: Path, repo: Path
) -> None:
    (repo / "pyproject.toml").symlink_to(tmp_path / "gone.toml")
    with pytest.raises(bump.BumpPathError) as error:
        bump.plan_edits(repo, [TARGET], "1.3.0", ())
    assert str(error.value) == outside_message("pyproject.toml", (tmp_path / "gone.toml").resolve())


def test_a_dangling_link_inside_is_a_missing_file(repo: Path) -> None:
    (repo / "pyproject.toml").symlink_to("gone.toml")
    with pytest.raises(bump.BumpPathError) as error:
        bump.plan_edits(repo, [TARGET], "1.3.0", ())
    assert str(error.value) == "pyproject.toml: file not found (named as a bump target)"


def test_a_refused_target_leaves_every_file_as_it_was(tmp_path: Path, repo: Path) -> None:
    (repo / "pkg").mkdir()
    (repo / "pkg" / "_version.py").write_text('__version__ = "1.2.0"\n')
    (tmp_path / "outside.toml").write_bytes(TOML)
    (repo / "pyproject.toml").symlink_to(tmp_path / "outside.toml")
    with pytest.raises(bump.BumpPathError):
        bump.plan_edits(repo, [BumpTarget("pkg/_version.py", "__version__"), TARGET], "1.3.0", ())
    assert (repo / "pkg" / "_version.py").read_text() == '__version__ = "1.2.0"\n'
    assert (tmp_path / "outside.toml").read_bytes() == TOML
