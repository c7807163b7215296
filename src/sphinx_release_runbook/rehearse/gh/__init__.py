"""The ``gh`` stand-in of a rehearsal: ``python -m sphinx_release_runbook.rehearse.gh ARGS``.

The session puts a ``gh`` shim on ``PATH`` that starts this program; it reads
``$RUNBOOK_REHEARSE_HOME/context.json`` and answers the calls a release guide
makes, from records in that folder:

* ``gh release create TAG`` makes the release exist (``releases.json``) and
  runs the workflows the release starts, synchronously (:mod:`..workflows.run`
  says why); ``gh release view TAG`` answers from the records;
* ``gh run list/view/watch`` answer from the local runs (``runs/<id>/``), with
  ``--json FIELDS`` and the ``--jq`` paths the guides use (:mod:`.jq`);
* ``gh auth status`` succeeds, ``gh browse`` prints the URL;
* anything else fails (exit 1) naming the command: a guide's ``gh`` call the
  rehearsal cannot answer must not pass as done.

Every call is recorded, with its exit status, in ``gh-calls.jsonl``.  Errors
are printed as gh prints them (one line on standard error, exit 1).

The modules: :mod:`.cli` (dispatch and recording), :mod:`.flags` (gh's flag
syntax), :mod:`.releases`, :mod:`.runs`, :mod:`.jq`, :mod:`.fields`
(``--json``/``--jq`` output).
"""

from __future__ import annotations
