"""One module per ``python -m runbook`` command; :mod:`sphinx_release_runbook.cli` groups them.

A command raises a :class:`~sphinx_release_runbook.core.errors.RunbookError` for
anything the user must fix and returns the
:class:`~sphinx_release_runbook.core.errors.ExitCode` of what it did (or None
for success); :mod:`sphinx_release_runbook.cli.errors` does the printing and
exiting.  What only one command needs is imported inside it, so ``--help`` and
``list`` load neither the runner nor Sphinx.
"""
