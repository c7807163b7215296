"""The runbook directives, one module each."""

from __future__ import annotations

from sphinx_release_runbook.sphinxext.directives.quickref import ReleaseQuickrefDirective
from sphinx_release_runbook.sphinxext.directives.runbook import ReleaseRunbookDirective
from sphinx_release_runbook.sphinxext.directives.step import ReleaseStepDirective
from sphinx_release_runbook.sphinxext.directives.troubleshoot import ReleaseTroubleshootDirective

__all__ = [
    "ReleaseQuickrefDirective",
    "ReleaseRunbookDirective",
    "ReleaseStepDirective",
    "ReleaseTroubleshootDirective",
]
