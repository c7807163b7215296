"""``runbook.link``: a link into the repository's own GitHub tree names a missing path."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import LinkRef, located
from sphinx_release_runbook.drift.repository import Repository


def repo_path_of(repo_url: str, url: str) -> list[str] | None:
    """Candidate repository paths of a ``REPO/blob|tree/BRANCH/PATH`` URL; None if not ours.

    A branch may contain ``/``, so every split after ``blob/`` is a candidate;
    the link is good when any candidate exists.
    """
    if not repo_url:
        return None
    base = urlsplit(repo_url)
    target = urlsplit(url)
    if target.scheme not in ("http", "https") or target.netloc.lower() != base.netloc.lower():
        return None
    prefix = base.path.rstrip("/").lower() + "/"
    if not target.path.lower().startswith(prefix):
        return None
    rest = unquote(target.path[len(prefix) :]).split("/")
    if len(rest) < 2 or rest[0] not in ("blob", "tree", "raw", "edit"):
        return None
    branch_and_path = [part for part in rest[1:] if part]
    if len(branch_and_path) <= 1:
        return ["."]
    return ["/".join(branch_and_path[i:]) for i in range(1, len(branch_and_path))]


def check_link(repo: Repository, item: LinkRef) -> list[Finding]:
    candidates = repo_path_of(repo.repo_url, item.url)
    if candidates is None or any(repo.exists(path) for path in candidates):
        return []
    return [
        located(
            item.source,
            "link",
            f"link into this repository points at a missing path {candidates[0]!r}: {item.url}",
        )
    ]


#: A link into a file or folder of a GitHub repository.
_GITHUB_TREE = re.compile(
    r"https?://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/?#]+)/(?:blob|tree|raw|edit)/", re.I
)


def unchecked_repository(repo_url: str, url: str) -> str | None:
    """The GitHub repository *url* points into, when the link check skips it only because
    the repository's URL (``origin``'s, without ``runbook_repo_url``) is not that one while
    it may well be: ``origin`` is no GitHub remote (a mirror, none at all), or a repository
    of the same name under another owner (a fork).  None when the link is checked, or
    clearly points into another project."""
    match = _GITHUB_TREE.match(url)
    if match is None or repo_path_of(repo_url, url) is not None:
        return None
    linked = f"https://github.com/{match['owner']}/{match['repo'].removesuffix('.git')}"
    base = urlsplit(repo_url)
    if not repo_url or base.netloc.lower() != "github.com":
        return linked
    own = base.path.strip("/").split("/")[-1].lower()
    return linked if own == match["repo"].removesuffix(".git").lower() else None


CHECK = Check("link", LinkRef, check_link)
