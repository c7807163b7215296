"""The runbook directives, one module each."""

from __future__ import annotations

from .quickref import ReleaseQuickrefDirective
from .runbook import ReleaseRunbookDirective
from .step import ReleaseStepDirective
from .troubleshoot import ReleaseTroubleshootDirective

__all__ = [
    "ReleaseQuickrefDirective",
    "ReleaseRunbookDirective",
    "ReleaseStepDirective",
    "ReleaseTroubleshootDirective",
]
