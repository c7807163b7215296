"""The runner: execute a runbook's steps as the guide documents them.

One concern per module: :mod:`.validate` (release values), :mod:`.plan`
(selection and rendering), :mod:`.execute` (one shell command),
:mod:`.prompts`, :mod:`.secrets` (masking), :mod:`.transcript` (screen and log),
:mod:`.state` (resume state and lock), :mod:`.report` (wording) and
:mod:`.session`, which puts them in order.
"""

from __future__ import annotations

from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.session import RunError, RunOptions, Session, drift_gate

__all__ = ["Invocation", "RunError", "RunOptions", "Session", "drift_gate"]
