"""Questions at manual and ``:confirm:`` steps, and what happens when nobody can answer.

``--yes`` answers the ``:confirm:`` questions, and only those: whether a
manual step is done, or whether a command a killed run left half-done may run
again, is the maintainer's word (``--done STEP``, ``--repeat STEP``), never a
blanket yes.  Without an answer and without a terminal the run stops before
the step (and says how to continue) rather than wait for an answer that will
never come: a CI job that hangs until its timeout is worse than one that fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class NeedsConfirmation(RunbookError):
    """A question came up with no terminal to ask it on and no ``--yes``."""

    exit_code = ExitCode.NEEDS_CONFIRMATION


class Declined(RunbookError):
    """The user answered no."""

    exit_code = ExitCode.DECLINED


class ManualPending(RunbookError):
    """A manual step came up with no terminal to ask whether it is done, and no ``--done``."""

    exit_code = ExitCode.MANUAL_STEP


class NeedsDecision(RunbookError):
    """A step may have run in part; only the maintainer can say whether to run it again.

    *options* are the commands that continue (each with what it means).
    """

    exit_code = ExitCode.NEEDS_DECISION

    def __init__(self, message: str, options: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.options = tuple(options)


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

    def confirm(self, question: str, *, yes_answers: bool = True) -> None:
        """Return when the answer is yes; raise :class:`Declined` or :class:`NeedsConfirmation`.

        ``--yes`` answers only when *yes_answers*.
        """
        if self.assume_yes and yes_answers:
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

    def choose(self, question: str, choices: Sequence[tuple[str, str]]) -> str:
        """Ask on the terminal for one of *choices* (key, meaning); the last is the default.

        Raises :class:`NeedsConfirmation` without a terminal (the caller words the stop).
        """
        if not self.interactive:
            raise NeedsConfirmation(question)
        keys = [key for key, _ in choices]
        menu = ", ".join(f"[{key}] {meaning}" for key, meaning in choices)
        while True:
            self._say(f"{question}\n  {menu} (default {keys[-1]}): ")
            answer = self._stdin.readline()
            if not answer:
                raise NeedsConfirmation(question)
            answer = answer.strip().lower() or keys[-1]
            if answer in keys:
                return answer
            self._say(f"Please answer {', '.join(keys)}.")
