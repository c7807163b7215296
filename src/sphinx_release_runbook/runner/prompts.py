"""Questions at manual and ``:confirm:`` steps, and what happens when nobody can answer.

``--yes`` answers yes.  Without it and without a terminal the run stops before
the step (and says how to continue) rather than wait for an answer that will
never come: a CI job that hangs until its timeout is worse than one that fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class NeedsConfirmation(RunbookError):
    """A question came up with no terminal to ask it on and no ``--yes``."""

    exit_code = ExitCode.NEEDS_CONFIRMATION


class Declined(RunbookError):
    """The user answered no."""

    exit_code = ExitCode.DECLINED


class Prompter:
    """Asks yes/no questions on the terminal, or answers them for ``--yes``."""

    def __init__(
        self,
        *,
        assume_yes: bool,
        stdin: TextIO | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.assume_yes = assume_yes
        self._stdin = stdin or sys.stdin
        self._say = say or (lambda text: print(text, flush=True))

    @property
    def interactive(self) -> bool:
        try:
            return self._stdin.isatty()
        except (ValueError, AttributeError):  # closed or replaced stdin
            return False

    def confirm(self, question: str) -> None:
        """Return when the answer is yes; raise :class:`Declined` or :class:`NeedsConfirmation`."""
        if self.assume_yes:
            self._say(f"{question} [y/N] yes (--yes)")
            return
        if not self.interactive:
            raise NeedsConfirmation(question)
        while True:
            self._say(f"{question} [y/N] ")
            answer = self._stdin.readline()
            if not answer:  # EOF: nobody is there to answer
                raise NeedsConfirmation(question)
            answer = answer.strip().lower()
            if answer in ("y", "yes"):
                return
            if answer in ("", "n", "no"):
                raise Declined(question)
            self._say("Please answer y or n.")
