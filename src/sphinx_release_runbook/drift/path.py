"""``runbook.path``: a path the guide names is missing from the repository."""

from __future__ import annotations

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.paths import outside_repository
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import CommandRef, PathRef, located
from sphinx_release_runbook.drift.repository import Repository
from sphinx_release_runbook.drift.shell import PLACEHOLDER, simple_commands

_GLOB = set("*?[")


def check_path(repo: Repository, item: PathRef) -> list[Finding]:
    """A named path (``:release-path:``, ``release-file``) must exist, in the repository."""
    outside = outside_repository(item.path) or escapes(repo, item.path)
    if outside:
        return [located(item.source, "path", f"{item.what} {outside}")]
    if repo.exists(item.path):
        return []
    return [located(item.source, "path", repo.missing(f"{item.what} {item.path!r}"))]


def escapes(repo: Repository, path: str) -> str | None:
    """Why *path* must not be read: it resolves through a symlink outside the repository."""
    if not repo.escapes(path):
        return None
    return (
        f"{path!r} resolves, through a symlink, outside the repository; name a file inside it "
        "(the build reads no file outside the repository)"
    )


def git_add_paths(command: str) -> list[str]:
    """The literal paths of every ``git add`` in *command* (options, globs, values skipped)."""
    paths: list[str] = []
    for words in simple_commands(command):
        if len(words) < 2 or words[0] != "git":
            continue
        # `git -C dir add ...` moves the base; such a path is not checked.
        if words[1] != "add":
            continue
        after_dashes = False
        for word in words[2:]:
            if word == "--" and not after_dashes:
                after_dashes = True
                continue
            if word.startswith("-") and not after_dashes:
                continue
            if PLACEHOLDER in word or "$" in word or _GLOB & set(word) or word.startswith(":"):
                continue
            paths.append(word)
    return paths


def check_git_add(repo: Repository, item: CommandRef) -> list[Finding]:
    """Every path a step's ``git add`` stages must exist (a moved file breaks the release)."""
    return [
        located(item.source, "path", "`git add` names " + repo.missing(f"{path!r}, which"))
        for path in git_add_paths(item.command)
        if not repo.exists(path, item.cwd)
    ]


#: A named path must exist.
PATH = Check("path", PathRef, check_path)
#: A step's `git add` must name files that exist.
GIT_ADD = Check("path", CommandRef, check_git_add)
