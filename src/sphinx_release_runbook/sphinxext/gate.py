"""The ``build-finished`` gate: a build with unsuppressed runbook problems fails.

A warning alone exits 0 without ``-W``.  Findings live in the environment, so
an incremental build that re-reads nothing still fails, and re-prints the
findings it did not print this time, then a one-line summary.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.console import red  # type: ignore[attr-defined]

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift import ScriptItem
from sphinx_release_runbook.drift.tool import shortened
from sphinx_release_runbook.sphinxext.checking import check, repository
from sphinx_release_runbook.sphinxext.diagnostics import emit, location
from sphinx_release_runbook.sphinxext.domain import domain_of
from sphinx_release_runbook.sphinxext.resolve import document_order, resolve

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def assembled_findings(env: BuildEnvironment) -> list[Finding]:
    """Findings that need the whole project: assembling runbooks, the exported script."""
    resolved = resolve(env)
    findings = list(resolved.findings)
    script_path = env.config.runbook_script_path
    if script_path and resolved.runbooks:
        item = ScriptItem(script_path, resolved.runbooks[0])
        findings.extend(check(env, [item], in_document=False))
    return sorted(findings)


def all_findings(env: BuildEnvironment) -> list[Finding]:
    """Findings of every document plus those of the whole project."""
    return sorted([*domain_of(env).findings(), *assembled_findings(env)])


def is_suppressed(app: Sphinx, finding: Finding) -> bool:
    return logging.is_suppressed_warning("runbook", finding.subtype, app.config.suppress_warnings)


def is_failing(app: Sphinx, finding: Finding) -> bool:
    if is_suppressed(app, finding):
        return False
    return not finding.is_drift or app.config.runbook_drift == "error"


def unchecked_links_notice(env: BuildEnvironment) -> tuple[str, str, int, str] | None:
    """The notice about the links into GitHub the link check skipped: docname, path, line, text.

    A notice, not a finding: the link may point into another project.  Located at the
    first such link (in toctree order); silenced with ``runbook.link`` in
    ``suppress_warnings``.  The build prints it; the ``runbook`` builder also writes it
    for the CLI (``check`` and ``run`` build with Sphinx's own output off).
    """
    if logging.is_suppressed_warning("runbook", "link", env.config.suppress_warnings):
        return None
    domain = domain_of(env)
    skipped = [
        link for record in domain.records(document_order(env)) for link in record.unchecked_links
    ]
    if not skipped:
        return None
    first, linked = skipped[0]
    repositories = list(dict.fromkeys(url for _, url in skipped))
    origin = repository(env).repo_url
    why = (
        f"the repository's origin is {origin}, not that repository"
        if origin
        else "the repository has no origin remote to compare them with"
    )
    text = (
        f"runbook: {len(skipped)} link(s) into {shortened(repositories)} are not checked: "
        f'{why}; to check them, set runbook_repo_url = "{linked}" in conf.py'
    )
    return first.docname, first.path, first.line, text


def notice_unchecked_links(app: Sphinx) -> None:
    """Once per build: print :func:`unchecked_links_notice`, if there is one."""
    notice = unchecked_links_notice(app.env)
    if notice is not None:
        docname, path, line, text = notice
        logger.info(text, location=location(docname, path, line))


class BuildGate:
    """Tracks what this build printed, and fails the build at its end."""

    def __init__(self) -> None:
        self.read_docnames: set[str] = set()
        self.consistency_checked = False

    def before_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.read_docnames = set(docnames)
        self.consistency_checked = False

    def check_consistency(self, app: Sphinx, env: BuildEnvironment) -> None:
        self.consistency_checked = True
        for finding in assembled_findings(env):
            emit(finding)

    def finished(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.env is None:
            return
        notice_unchecked_links(app)
        documents = domain_of(app.env).findings()
        assembled = assembled_findings(app.env)
        # Re-print what this build did not print itself (documents it did not re-read).
        for finding in documents:
            if finding.docname not in self.read_docnames:
                emit(finding)
        if not self.consistency_checked:
            for finding in assembled:
                emit(finding)
        failing = [f for f in [*documents, *assembled] if is_failing(app, f)]
        if not failing:
            return
        counts = Counter(f.warning_type for f in failing)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
        logger.info(red(f"runbook: the build failed with {len(failing)} problem(s): {summary}"))
        app.statuscode = 1
