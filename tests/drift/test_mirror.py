"""``runbook.mirror`` through the registry: a ``release-file`` copy must match its file."""

from __future__ import annotations

from sphinx_release_runbook.drift import MirrorItem
from sphinx_release_runbook.drift.mirror.check import included_text
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

FILES = {"data.yml": "a: 1\nb: 2\n", "notes.txt": "one\ntwo\nthree\n"}


def test_an_include_has_no_finding_and_shows_the_selected_part(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = MirrorItem("notes.txt", AT, lines="2-3")
    assert run(repo, [item]) == []
    assert included_text(repo, item) == "two\nthree"
    assert repo.dependencies() == [repo.root / "notes.txt"]


def test_a_matching_copy_passes(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    assert run(repo, [MirrorItem("data.yml", AT, content="a: 1\nb: 2", content_line=9)]) == []
    data = MirrorItem("data.yml", AT, content="{a: 1, b: 2}", compare="data")
    assert run(repo, [data]) == []


def test_a_copy_that_differs_carries_a_diff(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    (finding,) = run(repo, [MirrorItem("data.yml", AT, content="a: 1\nb: 3", content_line=9)])
    assert finding.subtype == "mirror"
    assert finding.message == (
        "the copy of data.yml differs from the file (first at data.yml line 2, "
        "docs/index.rst line 10)"
    )
    assert "-b: 2" in finding.diff and "+b: 3" in finding.diff


def test_a_copy_compared_as_data(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = MirrorItem("data.yml", AT, content="{a: 1, b: 3}", compare="data")
    (finding,) = run(repo, [item])
    assert finding.message == "the copy of data.yml differs from the file (as data)"


def test_a_missing_file_is_a_path_finding_and_nothing_to_include(make_repo: MakeRepo) -> None:
    repo = make_repo(FILES)
    item = MirrorItem("gone.yml", AT)
    (finding,) = run(repo, [item])
    assert finding.subtype == "path"
    assert finding.message == "release-file 'gone.yml' does not exist in the repository"
    assert included_text(repo, item) is None


def test_a_selection_that_no_longer_applies(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(FILES), [MirrorItem("data.yml", AT, select="zz")])
    assert finding.subtype == "mirror"
    assert finding.message.startswith("data.yml: no key 'zz'")


def test_a_file_outside_the_repository_is_not_read(make_repo: MakeRepo) -> None:
    repo = make_repo()
    (finding,) = run(repo, [MirrorItem("/etc/hosts", AT)])
    assert finding.message == (
        "release-file '/etc/hosts' is absolute; write it relative to the repository root"
    )
    assert repo.dependencies() == []
