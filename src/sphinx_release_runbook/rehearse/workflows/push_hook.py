"""A ``post-receive`` hook for the rehearsal's bare remote: a pushed tag starts ``push`` runs.

A bare repository runs no workflow by itself, so a ``git push origin TAG`` in
the sandbox starts the workflows triggered by ``push: tags`` only when the
session installs this hook in the bare remote (``hooks/post-receive``:
``exec PYTHON -m sphinx_release_runbook.rehearse.workflows.push_hook``).
git calls it with one ``OLD NEW REF`` line per updated ref and the pusher's
environment, so ``RUNBOOK_REHEARSE_HOME`` reaches it; it runs the workflows
synchronously (the push returns when they are done) and always exits 0: like
GitHub, a failed workflow does not undo the push.  Deleted tags start nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE, RehearsalContext
from sphinx_release_runbook.rehearse.workflows import checkout
from sphinx_release_runbook.rehearse.workflows.expressions import Value
from sphinx_release_runbook.rehearse.workflows.run import Trigger, start_runs
from sphinx_release_runbook.rehearse.workflows.triggers import Event


def pushed_tags(lines: list[str]) -> list[tuple[str, str]]:
    """``(tag, new object)`` of the tags created or moved by the push lines ``OLD NEW REF``."""
    tags: list[tuple[str, str]] = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[2].startswith("refs/tags/") and parts[1].strip("0"):
            tags.append((parts[2].removeprefix("refs/tags/"), parts[1]))
    return tags


def main() -> int:
    home = os.environ.get(HOME_VARIABLE)
    if not home:
        return 0  # not a rehearsal's push: nothing to start
    context = RehearsalContext.read(Path(home))
    for tag, pushed in pushed_tags(sys.stdin.read().splitlines()):
        sha = checkout.tag_commit(checkout.remote_of(context), tag) or pushed
        payload: dict[str, Value] = {"ref": f"refs/tags/{tag}", "after": sha, "created": True}
        trigger = Trigger(Event("push", tag=tag), sha, title=tag, payload=payload)
        for record in start_runs(context, trigger):
            print(
                f"rehearsal: run {record.id} of '{record.workflow}' on the push of {tag}: "
                f"{record.conclusion} (gh run view {record.id} --log)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
