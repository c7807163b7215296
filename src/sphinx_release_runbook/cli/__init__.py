"""``python -m runbook``: run, list, check, export, bump and abandon from the release guide.

This module is the click group; each command lives in
:mod:`sphinx_release_runbook.cli.commands`.  Every error a user can cause is a
:class:`~sphinx_release_runbook.core.errors.RunbookError`, which
:mod:`sphinx_release_runbook.cli.errors` turns into a message and the exit code
of :mod:`~sphinx_release_runbook.cli.exitcodes`; no traceback reaches the terminal.

A command's module is imported when the command is looked up (click's lazy
group), so ``python -m runbook list`` loads ``list`` and not the runner, the
bump or the export: every command pays only for its own imports.  A Ctrl-C while
a command's module is imported is what it was before the lazy loading, a Ctrl-C
while the command line starts (see ``runbook/__main__.py``): one line, exit 130.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import threading
from collections.abc import Iterator, Mapping, MutableMapping
from types import FrameType, ModuleType
from typing import Any

import click

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.cli.errors import RunbookGroup
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP

__all__ = ["cli", "main"]

#: Each command's name and where it is defined (``module:attribute``).
COMMANDS = {
    "list": "sphinx_release_runbook.cli.commands.list:list_steps",
    "run": "sphinx_release_runbook.cli.commands.run:run_command",
    "bump": "sphinx_release_runbook.cli.commands.bump:bump_command",
    "export": "sphinx_release_runbook.cli.commands.export:export_command",
    "check": "sphinx_release_runbook.cli.commands.check:check_command",
    "abandon": "sphinx_release_runbook.cli.commands.abandon:abandon_command",
    "rehearse": "sphinx_release_runbook.cli.commands.rehearse:rehearse_command",
}


#: What a Ctrl-C while a command is loaded prints (``EARLY_INTERRUPT`` of ``runbook/__main__.py``).
STARTING_INTERRUPT = "error: interrupted while starting; nothing ran"


def _interrupted_while_loading(signum: int, frame: FrameType | None) -> None:
    # Nothing of the command ran; os.write and os._exit leave a half-done import alone.
    os.write(2, b"\n" + STARTING_INTERRUPT.encode() + b"\n")
    os._exit(130)  # ExitCode.INTERRUPTED, which this module does not load


def _import_quietly(name: str) -> ModuleType:
    """Import *name*; a Ctrl-C meanwhile ends the process with one line, never a traceback."""
    catching = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if not catching:
        return importlib.import_module(name)
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    try:
        return importlib.import_module(name)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each imported from its module when first looked up.

    The names are known without an import, so listing them (``--help``'s order,
    a mistyped command's suggestions) stays cheap; a command added to the group
    (``add_command``) is held as given.
    """

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = dict(paths)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attribute = self._paths[name].partition(":")
            command = getattr(_import_quietly(module), attribute)
            if not isinstance(command, click.Command):  # pragma: no cover - a wrong path
                raise TypeError(f"{self._paths[name]} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command
        self._paths.pop(name, None)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._loaded.pop(name, None)
        self._paths.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._paths
        yield from (name for name in self._loaded if name not in self._paths)

    def __len__(self) -> int:
        return len(self._paths.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._paths or name in self._loaded


class LazyGroup(RunbookGroup):
    """:class:`~.errors.RunbookGroup` whose commands are imported on ``get_command``."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str], **kwargs: Any) -> None:
        kwargs["commands"] = LazyCommands(lazy_commands)
        super().__init__(*args, **kwargs)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="sphinx-release-runbook")
def cli() -> None:
    """Run, list and check the release runbook written in your Sphinx docs.

    The runbook is read from the docs of the repository you are in (conf.py at
    the root with docs/, or docs/conf.py, or [tool.sphinx-release-runbook] in
    pyproject.toml), or from an exported runbook.json given with --runbook.
    """


def main() -> None:
    """Console entry point: the command, then the end of the process."""
    try:
        cli(prog_name="python -m runbook")
    finally:
        # Only the exit is left, and it frees everything at once.  Frozen, the objects
        # are not walked once more by the interpreter's last collections (about a tenth
        # of a short command's time).  No file is left to a finalizer: each command
        # closes its own, and the interpreter flushes the standard streams itself.
        gc.freeze()
