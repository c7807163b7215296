"""The ``runbook`` builder: exports ``runbook.json`` (and what the CLI needs beside it)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Set
from pathlib import Path

from sphinx.builders import Builder
from sphinx.util import logging

from . import __version__
from .bump import write_atomic
from .export import ExportError, render_script
from .gate import all_findings
from .loader import FINDINGS_FILE, INPUTS_FILE, SETTINGS_FILE
from .model import Export, Runbook
from .resolve import resolve

logger = logging.getLogger(__name__)


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
        write_atomic(outdir / "runbook.json", export.to_json())
        # Suppressed findings stay out, so `runbook check` agrees with the docs build.
        findings = [
            finding.to_dict()
            for finding in all_findings(self.env)
            if not logging.is_suppressed_warning(
                "runbook", finding.subtype, self.config.suppress_warnings
            )
        ]
        write_atomic(outdir / FINDINGS_FILE, json.dumps(findings, indent=2) + "\n")
        write_atomic(outdir / INPUTS_FILE, json.dumps(self._inputs(), indent=2) + "\n")
        settings = {"script_path": self.config.runbook_script_path or None}
        write_atomic(outdir / SETTINGS_FILE, json.dumps(settings, indent=2) + "\n")
        for runbook in resolved.runbooks:
            self._write_script(outdir, runbook)

    def _write_script(self, outdir: Path, runbook: Runbook) -> None:
        name = f"release-{runbook.name}.sh"
        try:
            script = render_script(runbook, name)
        except ExportError as exc:
            logger.warning(
                "no checklist script for runbook %r: %s",
                runbook.name,
                exc,
                type="runbook",
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
