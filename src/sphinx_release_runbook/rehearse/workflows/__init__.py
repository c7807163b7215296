"""A local runner for a repository's own GitHub Actions workflows, offline.

The ``gh`` stand-in (:mod:`..gh`) calls it when a release is published (and
the push hook when a tag is pushed): the workflows triggered by that event run
in a clean checkout of the tag, their ``run:`` steps through bash as on a
GitHub runner, the well-known actions mapped to local equivalents and
``${{ }}`` expressions filled from the rehearsal's context.  What it cannot
run faithfully (an unknown action, a secret it cannot provide, an expression
it cannot evaluate) stops the run with a message naming the workflow file and
line and how to fix it: nothing is skipped silently.

The modules, one concern each:

* :mod:`.model` and :mod:`.parse` -- the workflow file as typed data, every
  entry with its line; :mod:`.errors` -- the located error;
* :mod:`.triggers` -- which workflows an event starts;
* :mod:`.expressions` -- the ``${{ }}`` language (the subset workflows use);
  :mod:`.evaluation` -- filling a workflow's values, errors located;
* :mod:`.secrets` -- which value a ``secrets.NAME`` gets in a rehearsal;
* :mod:`.actions` -- the map of well-known actions to local equivalents, with
  :mod:`.venvs` (``setup-python``), :mod:`.publish`
  (``pypa/gh-action-pypi-publish``) and :mod:`.artifacts`;
* :mod:`.poetry_guard` -- the ``poetry`` first on ``PATH``: ``poetry
  publish`` reaches the local index only;
* :mod:`.shell` -- a step's ``shell:`` as a command line; :mod:`.envfiles` --
  ``$GITHUB_ENV``, ``$GITHUB_OUTPUT``, ``$GITHUB_PATH``; :mod:`.runtime` --
  what a job's steps share and how their output is logged;
* :mod:`.checkout` -- the rehearsal's remote, the tag's workflows, the clean
  checkout;
* :mod:`.records` -- ``runs/<id>/run.json`` and ``log.txt``, the run ids;
* :mod:`.run` -- a run: jobs in ``needs`` order, steps, the environment;
* :mod:`.push_hook` -- a ``post-receive`` hook: a pushed tag starts ``push``
  runs.
"""

from __future__ import annotations
