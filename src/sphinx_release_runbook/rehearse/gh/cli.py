"""The stand-in's entry point: read the context, dispatch, record the call.

A call outside a rehearsal (no ``RUNBOOK_REHEARSE_HOME``) fails: this
program must never be taken for the real gh.  The exit status is gh's: 0,
or 1 with the message on standard error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.rehearse.context import HOME_VARIABLE, RehearsalContext
from sphinx_release_runbook.rehearse.gh import records, releases, runs
from sphinx_release_runbook.rehearse.gh.flags import Flag, GhError, parse

VERSION = "gh version 0.0.0-rehearsal (the rehearsal's stand-in)"

Command = Callable[[RehearsalContext, list[str]], int]


def _auth_status(context: RehearsalContext, argv: list[str]) -> int:
    parse(argv, [Flag("hostname", "h", True), Flag("show-token", "t"), Flag("active", "a")])
    print("github.com")
    print("  ✓ Logged in to github.com account rehearsal (the rehearsal's gh: no real account)")
    print("  - Active account: true")
    return 0


_BROWSE_PAGES = {
    "releases": "/releases",
    "actions": "/actions",
    "settings": "/settings",
    "wiki": "/wiki",
    "projects": "/projects",
}


def _browse(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(
        argv,
        [
            *(Flag(name, name[0]) for name in _BROWSE_PAGES),
            Flag("no-browser", "n"),
            Flag("branch", "b", True),
            Flag("commit", "c"),
            Flag("repo", "R", True),
        ],
    )
    url = releases.repository_url(context)
    suffix = next((path for name, path in _BROWSE_PAGES.items() if parsed.on(name)), "")
    if not suffix and parsed.positional:
        target = parsed.positional[0]
        suffix = f"/issues/{target}" if target.isdigit() else f"/tree/HEAD/{target}"
    if parsed.value("branch"):
        suffix = f"/tree/{parsed.value('branch')}{suffix}"
    print(url + suffix)
    return 0


COMMANDS: dict[tuple[str, str], Command] = {
    ("release", "create"): releases.create,
    ("release", "view"): releases.view,
    ("run", "list"): runs.list_runs,
    ("run", "ls"): runs.list_runs,
    ("run", "view"): runs.view,
    ("run", "watch"): runs.watch,
    ("auth", "status"): _auth_status,
}


def _unsupported(argv: list[str]) -> GhError:
    words = " ".join(word for word in argv[:2] if not word.startswith("-"))
    known = ", ".join(f"gh {group} {name}" for group, name in COMMANDS) + ", gh browse"
    return GhError(
        f"'gh {words}' is not supported by the rehearsal's gh (it answers {known}); "
        "the rehearsal cannot tell what it would have done on GitHub"
    )


def dispatch(context: RehearsalContext, argv: list[str]) -> int:
    if argv[:1] in (["--version"], ["version"]):
        print(VERSION)
        return 0
    if argv[:1] == ["browse"]:
        return _browse(context, argv[1:])
    command = COMMANDS.get((argv[0], argv[1])) if len(argv) >= 2 else None
    if command is None:
        raise _unsupported(argv)
    return command(context, argv[2:])


def main(argv: list[str]) -> int:
    home_text = os.environ.get(HOME_VARIABLE)
    if not home_text:
        print(
            f"gh: {HOME_VARIABLE} is not set: this gh is the rehearsal's stand-in and runs only "
            "inside `python -m runbook rehearse`",
            file=sys.stderr,
        )
        return 1
    home = Path(home_text)
    status = 1
    try:
        try:
            context = RehearsalContext.read(home)
        except (OSError, KeyError, ValueError) as exc:
            raise GhError(f"cannot read the rehearsal's context in {home}: {exc}") from exc
        status = dispatch(context, argv)
    except RunbookError as exc:
        print(str(exc), file=sys.stderr)
        status = 1
    finally:
        sys.stdout.flush()
        records.record_call(home, argv, status)
    return status
