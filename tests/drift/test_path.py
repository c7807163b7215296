"""``runbook.path`` through the registry: named paths, and the paths of a step's ``git add``."""

from __future__ import annotations

from sphinx_release_runbook.drift import CommandRef, PathRef
from sphinx_release_runbook.drift.path import git_add_paths
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo


def test_an_existing_path_passes_and_becomes_a_dependency(make_repo: MakeRepo) -> None:
    repo = make_repo({"docs/present.txt": "x"})
    assert run(repo, [PathRef("docs/present.txt", AT, "release-path")]) == []
    assert repo.dependencies() == [repo.root / "docs" / "present.txt"]


def test_a_missing_path_is_reported_and_its_folder_watched(make_repo: MakeRepo) -> None:
    repo = make_repo({"docs/present.txt": "x"})
    (finding,) = run(repo, [PathRef("docs/gone/missing.txt", AT, "release-path")])
    assert finding.subtype == "path"
    assert (
        finding.message == "release-path 'docs/gone/missing.txt' does not exist in the repository"
    )
    assert finding.is_drift
    assert repo.dependencies() == [repo.root / "docs"]  # creating gone/ re-reads the document


def test_a_path_outside_the_repository_is_refused_unread(make_repo: MakeRepo) -> None:
    repo = make_repo()
    (finding,) = run(repo, [PathRef("../../etc/passwd", AT)])
    assert finding.message == (
        "path '../../etc/passwd' leaves the repository ('..'); "
        "write it relative to the repository root"
    )
    assert repo.dependencies() == []


def test_git_add_of_a_missing_file(make_repo: MakeRepo) -> None:
    repo = make_repo({"CHANGELOG.md": "x", "pkg/__init__.py": ""})
    command = "git add CHANGELOG.md pkg/ gone.txt && git commit -m 'v{{ version }}'"
    (finding,) = run(repo, [CommandRef(command, AT)])
    assert finding.message == "`git add` names 'gone.txt', which does not exist in the repository"


def test_git_add_is_relative_to_the_steps_cwd(make_repo: MakeRepo) -> None:
    repo = make_repo({"sub/file.txt": "x"})
    assert run(repo, [CommandRef("git add file.txt", AT, cwd="sub")]) == []
    assert len(run(repo, [CommandRef("git add file.txt", AT)])) == 1


def test_options_globs_placeholders_and_variables_are_not_paths() -> None:
    command = "git add -A -- x.txt '*.py' {{ version }}.txt $FILE :/ && git -C sub add y"
    assert git_add_paths(command) == ["x.txt"]
