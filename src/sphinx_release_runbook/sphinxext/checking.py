"""The drift checks in the Sphinx build: :func:`check`, the one way in to the registry.

The checks themselves (:mod:`sphinx_release_runbook.drift`) are pure; the
directives, the ``:release-path:`` role, the link collector and the assembled
runbooks only make items and hand them to :func:`check`.  It builds the
checks' :class:`~.drift.Repository` from the config, runs the registry, notes
every file the checks read or probed as a dependency of the document (so
editing only a mirrored file re-reads the documents that mirror it), keeps the
findings in the ``runbook`` domain (so incremental builds and ``-j`` keep them)
and prints them as located warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.git import normalise_repo_url, origin_url
from sphinx_release_runbook.drift import Item, Repository, registry
from sphinx_release_runbook.sphinxext.diagnostics import emit
from sphinx_release_runbook.sphinxext.domain import domain_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@lru_cache(maxsize=8)
def _resolved(root: str) -> Path:
    return Path(root).resolve()


def _settings(env: BuildEnvironment) -> tuple[Path, dict[str, str], str, bool]:
    """What the config says of the repository: its root, CLIs, URL, and whether git holds it.

    Kept on the domain for as long as the config values it comes from are the same
    (the key is those values): every directive of every page asks.
    """
    config = env.config
    root_text = str(config.runbook_repo_root or env.srcdir)
    url: str = config.runbook_repo_url
    clis: dict[str, str] = config.runbook_clis
    without_git = bool(getattr(config, "_runbook_without_git", False))
    key = (root_text, url, tuple(clis.items()), without_git)
    domain = domain_of(env)
    known = domain.repository_settings
    if known is not None and known[0] == key:
        return known[1]
    root = _resolved(root_text)
    settings = (root, dict(clis), normalise_repo_url(url) if url else origin_url(root), without_git)
    domain.repository_settings = (key, settings)
    return settings


def repository(env: BuildEnvironment) -> Repository:
    """A fresh repository context (it records the paths read for one call of the checks),
    sharing what this build learnt about the files (:class:`~.drift.repository.Facts`)."""
    root, clis, repo_url, without_git = _settings(env)
    return Repository(
        root=root,
        clis=dict(clis),
        repo_url=repo_url,
        without_git=without_git,
        facts=domain_of(env).facts,
    )


def before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: what the last build learnt about the files may be stale."""
    domain_of(env).forget_facts()


def after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the documents are read; what was learnt for them need not stay
    in memory while the pages are written (a later check asks the files again)."""
    domain_of(env).forget_facts()


def check(
    env: BuildEnvironment, items: Iterable[Item], *, in_document: bool = True
) -> list[Finding]:
    """Run every check that takes each of *items*; the findings, in item order.

    While a document is read (*in_document*), what the checks looked at becomes
    a dependency of that document, and the findings are kept and printed.  An
    authoring finding (not drift: the text that names the items is malformed)
    is reported alone, the first one only, as a malformed directive is: the
    caller drops what it was building.

    Items of the whole project (*in_document* false: the assembled runbooks'
    versions, the committed script) are checked after every document is read;
    their files are already dependencies of the documents that name them, and
    the caller keeps and prints their findings with the other assembled ones.
    """
    items = list(items)
    if not items:
        return []
    repo = repository(env)
    findings = registry.run(repo, items)
    if not in_document:
        return findings
    domain = domain_of(env)
    docname = env.docname
    for path in repo.dependencies():
        # A page's checks look at one file again and again (the mirror, its `git add`).
        key = (docname, path)
        if key not in domain.noted:
            domain.noted.add(key)
            # An absolute path: Sphinx joins it to srcdir as it is, without parsing a text.
            env.note_dependency(path)
    authoring = next((finding for finding in findings if not finding.is_drift), None)
    if authoring is not None:
        findings = [authoring]
    for finding in findings:
        domain.add_finding(finding)
        emit(finding)
    return findings
