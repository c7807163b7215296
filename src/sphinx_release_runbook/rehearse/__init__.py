"""Rehearse a release end to end, offline, against real local services.

``python -m runbook rehearse --version X.Y.Z`` clones the repository (with its
uncommitted changes) into a sandbox whose ``origin`` is a local bare
repository, starts a real package index (pypiserver) on 127.0.0.1, puts a
``gh`` stand-in on ``PATH`` and runs the real runner there with ``--yes``.

The modules, one concern each:

* :mod:`.context` -- what the session hands to the ``gh`` stand-in
  (``$RUNBOOK_REHEARSE_HOME/context.json``); the only module the stand-in's
  packages import from here;
* :mod:`.sandbox` -- the clone, its extra commit of uncommitted changes and
  its local bare ``origin``;
* :mod:`.index` -- the pypiserver child process and the tool settings that
  point pip, Poetry, twine and uv at it;
* :mod:`.session` -- the orchestration: sandbox, index, ``PATH``, the runner
  as a child process group, stopped on every exit path;
* :mod:`.report` -- the per-step table and what the stand-in and the index saw;
* :mod:`.workflows` and :mod:`.gh` -- the GitHub Actions interpreter and the
  ``gh`` stand-in program that runs inside the sandbox.
"""

from __future__ import annotations
