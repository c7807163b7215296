"""The drift checks wired into the Sphinx build.

The checks themselves (:mod:`.drift`) are pure; this module builds their
:class:`~.drift.Repository` from the config, records what they find in the
environment's store (so incremental builds and ``-j`` keep it), prints it as
located warnings, and notes every file they read as a dependency of the
document, so editing only a mirrored file re-reads the documents that mirror it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.utils import get_source_line

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.git import normalise_repo_url, origin_url
from sphinx_release_runbook.core.model import Runbook, Source, Step
from sphinx_release_runbook.core.templating import split_commands
from sphinx_release_runbook.drift import CommandRef, LinkRef, Repository, TemplateRef, VersionItem
from sphinx_release_runbook.drift.cli_usage import check_cli
from sphinx_release_runbook.drift.link import check_link
from sphinx_release_runbook.drift.path import check_git_add
from sphinx_release_runbook.drift.placeholder import check_placeholder
from sphinx_release_runbook.drift.tool import check_tools
from sphinx_release_runbook.drift.version import check_versions
from sphinx_release_runbook.sphinxext.diagnostics import emit, repo_path
from sphinx_release_runbook.sphinxext.nodes import release_step
from sphinx_release_runbook.sphinxext.store import store_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@lru_cache(maxsize=8)
def _resolved(root: str) -> Path:
    return Path(root).resolve()


def repository(env: BuildEnvironment) -> Repository:
    """A fresh repository context (it records the paths read for one document)."""
    root = _resolved(str(env.config.runbook_repo_root or env.srcdir))
    url = env.config.runbook_repo_url
    return Repository(
        root=root,
        clis=dict(env.config.runbook_clis),
        repo_url=normalise_repo_url(url) if url else origin_url(root),
    )


def record(env: BuildEnvironment, repo: Repository, findings: Iterable[Finding]) -> None:
    """Store and print *findings* for the current document; note what the checks read."""
    for path in repo.dependencies():
        env.note_dependency(str(path))
    repo.read.clear()
    repo.probed.clear()
    store = store_of(env)
    for finding in findings:
        store.add_finding(finding)
        emit(finding)


def check_step(env: BuildEnvironment, step: Step, lines: list[str], first_line: int) -> None:
    """Drift checks of one step; *lines* is its content, starting at document line *first_line*."""
    if not step.runs_commands:
        return
    repo = repository(env)
    findings: list[Finding] = []
    for command in split_commands(lines):
        source = Source(step.source.docname, step.source.path, first_line + command.offset)
        item = CommandRef(command.text, source, step.cwd)
        findings += check_git_add(repo, item)
        findings += check_tools(repo, item)
        findings += check_cli(repo, item)
    record(env, repo, findings)


def check_links(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: links into the repository's own GitHub tree must resolve."""
    env = app.env
    repo = repository(env)
    if not repo.repo_url:
        return
    docname = env.docname
    path = repo_path(env, docname)
    findings: list[Finding] = []
    for reference in doctree.findall(nodes.reference):
        url = reference.get("refuri", "")
        if not url.startswith("http"):
            continue
        line = get_source_line(reference)[1] or 0
        step = next((a for a in _ancestors(reference) if isinstance(a, release_step)), None)
        if step is not None and step.line and line < step.line:
            # Instructions of a manual step are parsed from a fresh StringList that
            # numbers its lines from 1; the step's own line is the honest location.
            line = step.line
        findings += check_link(repo, LinkRef(url, Source(docname, path, line)))
    record(env, repo, findings)


def _ancestors(node: nodes.Node) -> Iterable[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def check_template(env: BuildEnvironment, text: str, source: Source) -> list[Finding]:
    return check_placeholder(repository(env), TemplateRef(text, source))


def version_findings(env: BuildEnvironment, runbooks: list[Runbook]) -> list[Finding]:
    """Cross-document: every bump target of a runbook holds the same current version.

    Called when the runbooks are assembled; the files it reads are already
    dependencies of the bump steps that name them, so it never goes stale.
    """
    repo = repository(env)
    findings: list[Finding] = []
    for runbook in runbooks:
        targets = tuple((target, step.source) for step in runbook.steps for target in step.bump)
        findings += check_versions(repo, VersionItem(targets))
    return findings


def register(app: Sphinx) -> None:
    """Register ``release-file``, ``:release-path:`` and the link check (called by setup)."""
    # Imported here: the directive and the role import this module.
    from sphinx_release_runbook.sphinxext.directives.file import ReleaseFileDirective
    from sphinx_release_runbook.sphinxext.roles import ReleasePathRole

    app.add_directive("release-file", ReleaseFileDirective)
    app.add_role("release-path", ReleasePathRole())
    app.connect("doctree-read", check_links)
