"""``runbook.link`` through the registry: links into the repository's own tree must resolve."""

from __future__ import annotations

from sphinx_release_runbook.drift import LinkRef
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

URL = "https://github.com/owner/repo"


def test_a_link_to_an_existing_file_passes(make_repo: MakeRepo) -> None:
    repo = make_repo({"docs/present.txt": "x"}, repo_url=URL)
    work = [
        LinkRef(f"{URL}/blob/main/docs/present.txt", AT),
        LinkRef(f"{URL}/tree/feature/x/docs", AT),  # a branch with a slash
        LinkRef(f"{URL}/tree/main", AT),
    ]
    assert run(repo, work) == []


def test_a_link_to_a_missing_path(make_repo: MakeRepo) -> None:
    repo = make_repo(repo_url=URL)
    url = f"{URL}/blob/main/docs/gone.txt"
    (finding,) = run(repo, [LinkRef(url, AT)])
    assert finding.subtype == "link"
    assert finding.message == (
        f"link into this repository points at a missing path 'docs/gone.txt': {url}"
    )


def test_other_sites_and_an_unknown_repository_url_are_not_checked(make_repo: MakeRepo) -> None:
    missing = "/blob/main/nope.txt"
    assert run(make_repo(repo_url=URL), [LinkRef(f"https://example.org{missing}", AT)]) == []
    assert run(make_repo(repo_url=URL), [LinkRef(f"{URL}/issues/1", AT)]) == []
    assert run(make_repo(), [LinkRef(f"{URL}{missing}", AT)]) == []
