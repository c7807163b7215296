"""A bump step's targets through the registry: each ``FILE KEY`` must hold a version."""

from __future__ import annotations

from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.drift import BumpRef
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

FILES = {
    "pyproject.toml": '[project]\nname = "demo"\nversion = "1.2.0"\n',
    "pkg/_version.py": '__version__ = "1.2.0"\n__version_info__ = (1, 2, 0)\n',
}


def bump(*targets: str) -> BumpRef:
    return BumpRef(tuple(BumpTarget(*target.split()) for target in targets), AT)


def test_readable_targets_pass_and_become_dependencies(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = bump(
        "pyproject.toml project.version",
        "pkg/_version.py __version__",
        "pkg/_version.py __version_info__",
    )
    assert run(repo, [item]) == []
    assert repo.dependencies() == [repo.root / "pyproject.toml", repo.root / "pkg/_version.py"]


def test_a_missing_file_is_reported_once_however_many_keys(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = bump("gone.toml project.version", "gone.toml tool.poetry.version")
    (finding,) = run(repo, [item])
    assert finding.subtype == "path"
    assert finding.message == "gone.toml: file not found (named as a bump target)"
    assert (finding.path, finding.line) == (AT.path, AT.line)  # where the step names it


def test_a_key_that_holds_no_version_is_reported_per_key(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = bump(
        "pyproject.toml project.nope",
        "pkg/_version.py __nope__",
        "gone.toml x.version",
        "pyproject.toml project.other",
    )
    findings = run(repo, [item])
    assert [f.subtype for f in findings] == ["version", "version", "path", "version"]
    assert findings[0].message == "pyproject.toml: no key project.nope"
    assert findings[1].message.startswith("pkg/_version.py: ")
    assert findings[2].message == "gone.toml: file not found (named as a bump target)"
