"""The runner: execute a runbook's steps as the guide documents them.

One concern per module: :mod:`.validate` (release values), :mod:`.plan`
(selection and rendering), :mod:`.actions` (what each kind of step does, the
one dispatch on the kind), :mod:`.commands` (a step's commands: resume point,
retries, timeout, :expect:), :mod:`.execute` (one shell command),
:mod:`.prompts`, :mod:`.secrets` (masking), :mod:`.transcript` (screen and log),
:mod:`.state` (resume state and lock), :mod:`.resume` (checking a state before
it is continued), :mod:`.outcomes` (how a run ends), :mod:`.signals`,
:mod:`.gate` (drift), :mod:`.errors`, :mod:`.report` (wording) and
:mod:`.session`, which puts them in order.
"""

from __future__ import annotations

from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.session import RunError, RunOptions, Session, drift_gate

__all__ = ["Invocation", "RunError", "RunOptions", "Session", "drift_gate"]
