"""The ``runbook`` builder: exports ``runbook.json`` (and what the CLI needs beside it)."""

from __future__ import annotations

from collections.abc import Iterable, Set
from pathlib import Path

from sphinx.builders import Builder
from sphinx.util import logging

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.core import contract
from sphinx_release_runbook.core.fs import write_atomic
from sphinx_release_runbook.core.model import Export, Runbook
from sphinx_release_runbook.export.script import ExportError, render_script
from sphinx_release_runbook.sphinxext.diagnostics import warn
from sphinx_release_runbook.sphinxext.gate import all_findings, unchecked_links_notice
from sphinx_release_runbook.sphinxext.resolve import resolve


class RunbookBuilder(Builder):
    """Writes ``OUTDIR/runbook.json``: every runbook, its steps in toctree order."""

    name = "runbook"
    format = ""
    epilog = "The runbook export is in %(outdir)s/runbook.json."
    allow_parallel = True

    def get_outdated_docs(self) -> str | Iterable[str]:
        # Nothing is written per document: the export is made in finish().
        return []

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return f"{docname}.html"

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: object) -> None:  # pragma: no cover - unused
        pass

    def finish(self) -> None:
        resolved = resolve(self.env)
        export = Export(
            project=str(self.config.project),
            runbooks=resolved.runbooks,
            generator=f"sphinx-release-runbook {__version__}",
        )
        outdir = Path(self.outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        write_atomic(outdir / contract.RUNBOOK_FILE, export.to_json())
        # Suppressed findings stay out, so `runbook check` agrees with the docs build.
        findings = [
            finding
            for finding in all_findings(self.env)
            if not logging.is_suppressed_warning(
                "runbook", finding.subtype, self.config.suppress_warnings
            )
        ]
        write_atomic(outdir / contract.FINDINGS_FILE, contract.findings_text(findings))
        write_atomic(outdir / contract.INPUTS_FILE, contract.dump(self._inputs()))
        script_path = self.config.runbook_script_path
        write_atomic(outdir / contract.SETTINGS_FILE, contract.settings_text(script_path))
        notices = []
        notice = unchecked_links_notice(self.env)
        if notice is not None:
            _docname, path, line, text = notice
            notices.append(f"{path}:{line}: {text.removeprefix('runbook: ')}")
        write_atomic(outdir / contract.NOTICES_FILE, contract.dump(notices))
        for runbook in resolved.runbooks:
            self._write_script(outdir, runbook)

    def _write_script(self, outdir: Path, runbook: Runbook) -> None:
        name = f"release-{runbook.name}.sh"
        try:
            script = render_script(runbook, name)
        except ExportError as exc:
            warn(
                f"no checklist script for runbook {runbook.name!r}: {exc}",
                subtype="script",
                location=(runbook.source.docname, runbook.source.line),
            )
            return
        write_atomic(outdir / name, script)
        (outdir / name).chmod(0o755)

    def _inputs(self) -> list[str]:
        """Every repository file a document depends on (absolute), for the CLI's cache key."""
        srcdir = Path(self.srcdir)
        inputs = {
            str((srcdir / dependency).resolve())
            for dependencies in self.env.dependencies.values()
            for dependency in dependencies
        }
        return sorted(inputs)
