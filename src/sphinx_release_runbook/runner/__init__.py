"""The runner: execute a runbook's steps as the guide documents them.

One concern per module: :mod:`.validate` (release values), :mod:`.plan`
(selection and rendering), :mod:`.actions` (what each kind of step does, the
one dispatch on the kind), :mod:`.commands` (a step's commands: resume point,
retries, timeout, :expect:), :mod:`.execute` (one shell command),
:mod:`.processes` (process groups: recorded, recognised, stopped),
:mod:`.guard` (stops a dead runner's commands), :mod:`.prompts`,
:mod:`.secrets` (masking), :mod:`.transcript` (screen and log), :mod:`.state`
(resume state and its journal), :mod:`.lock` (the repository's one lock),
:mod:`.resume` (checking a state before it is continued, and where a stopped
step picks up), :mod:`.outcomes` (how a run ends), :mod:`.signals`,
:mod:`.gate` (drift), :mod:`.errors`, :mod:`.report` (wording) and
:mod:`.session`, which puts them in order.
"""

from __future__ import annotations

from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.session import RunError, RunOptions, Session, drift_gate

__all__ = ["Invocation", "RunError", "RunOptions", "Session", "drift_gate"]
