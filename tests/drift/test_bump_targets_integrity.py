"""Bump targets through the drift checks: read as the bump reads them (bytes, encodings),
an ambiguous key is a located ``runbook.version`` finding naming both lines, and a target
whose real path leaves the repository is a located ``runbook.path`` finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import BumpTarget, Source
from sphinx_release_runbook.drift import BumpRef, Repository, VersionItem
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

OTHER = Source("release", "docs/release.rst", 30)
PYPROJECT = b'\xef\xbb\xbf[project]\r\nname = "d\xc3\xa9mo"\r\nversion = "1.2.0"\r\n'
LATIN1_MODULE = b'# -*- coding: latin-1 -*-\r\n# Jos\xe9\r\n__version__ = "1.2.0"\r\n'
KEEP_ONE = "bump cannot tell which one holds the version: keep one"


def repo_with(make_repo: MakeRepo, files: dict[str, bytes]) -> Repository:
    repo = make_repo()
    for name, data in files.items():
        path = repo.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return repo


def bump_ref(*targets: str) -> BumpRef:
    return BumpRef(tuple(BumpTarget(*target.split()) for target in targets), AT)


def test_bom_crlf_and_latin_1_sources_are_read_and_noted(make_repo: MakeRepo) -> None:
    repo = repo_with(make_repo, {"pyproject.toml": PYPROJECT, "pkg/_version.py": LATIN1_MODULE})
    item = bump_ref("pyproject.toml project.version", "pkg/_version.py __version__")
    assert run(repo, [item]) == []
    assert repo.dependencies() == [repo.root / "pyproject.toml", repo.root / "pkg/_version.py"]
    versions = VersionItem(
        (
            (BumpTarget("pyproject.toml", "project.version"), AT),
            (BumpTarget("pkg/_version.py", "__version__"), OTHER),
        )
    )
    assert run(repo, [versions]) == []


def test_the_version_check_compares_latin_1_and_bom_sources(make_repo: MakeRepo) -> None:
    repo = repo_with(
        make_repo,
        {"pyproject.toml": PYPROJECT, "pkg/_version.py": LATIN1_MODULE.replace(b"1.2.0", b"1.3.0")},
    )
    versions = VersionItem(
        (
            (BumpTarget("pyproject.toml", "project.version"), AT),
            (BumpTarget("pkg/_version.py", "__version__"), OTHER),
        )
    )
    (finding,) = run(repo, [versions])
    assert finding.message == (
        'the version sources disagree: pyproject.toml:3 project.version = "1.2.0", '
        'but pkg/_version.py:3 __version__ = "1.3.0"'
    )


def test_an_ambiguous_target_is_a_version_finding_naming_both_lines(make_repo: MakeRepo) -> None:
    module = b'__version__ = "1.2.0"\r\n\r\n__version__ = "1.2.0"\r\n'
    toml = b'[project]\nversion = "1.2.0"\nversion = "1.2.0"\n'
    repo = repo_with(make_repo, {"pkg/_version.py": module, "pyproject.toml": toml})
    item = bump_ref("pkg/_version.py __version__", "pyproject.toml project.version")
    findings = run(repo, [item])
    assert [(f.subtype, f.path, f.line) for f in findings] == [
        ("version", AT.path, AT.line),
        ("version", AT.path, AT.line),
    ]
    assert [f.message for f in findings] == [
        "pkg/_version.py: __version__ is assigned twice at module level, on lines 1 and 3; "
        + KEEP_ONE,
        f"pyproject.toml: project.version is defined twice, on lines 2 and 3; {KEEP_ONE}",
    ]


def test_a_target_linked_out_of_the_repository_is_a_path_finding(
    make_repo: MakeRepo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo = make_repo()
    outside = tmp_path_factory.mktemp("elsewhere") / "pyproject.toml"
    outside.write_bytes(PYPROJECT)
    (repo.root / "pyproject.toml").symlink_to(outside)
    item = bump_ref("pyproject.toml project.version", "pyproject.toml project.name")
    (finding,) = run(repo, [item])  # once per file, however many keys
    assert (finding.subtype, finding.path, finding.line) == ("path", AT.path, AT.line)
    assert finding.message == (
        f"pyproject.toml: resolves through a symbolic link to {outside.resolve()}, which is "
        "outside the repository; bump edits only files of the repository"
    )
    versions = VersionItem(((BumpTarget("pyproject.toml", "project.version"), AT),))
    assert run(repo, [versions]) == []  # reported where the bump step names it, not here


def test_a_target_linked_inside_the_repository_is_read_through(make_repo: MakeRepo) -> None:
    repo = repo_with(make_repo, {"config/pyproject.toml": PYPROJECT})
    (repo.root / "pyproject.toml").symlink_to(Path("config") / "pyproject.toml")
    assert run(repo, [bump_ref("pyproject.toml project.version")]) == []
    assert repo.root / "config" / "pyproject.toml" in repo.dependencies()
