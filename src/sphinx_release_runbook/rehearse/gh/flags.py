"""gh's command-line syntax: ``--flag value``, ``--flag=value``, ``-f value``, booleans.

A small parser instead of argparse: gh reports a bad flag as ``unknown flag:
--x`` with exit status 1 (argparse would print its usage and exit 2), and
a guide's command line must be read exactly as gh reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class GhError(RunbookError):
    """A gh call that fails: the message is gh's (or says what the stand-in cannot do)."""

    exit_code = ExitCode.STEP_FAILED


@dataclass(frozen=True)
class Flag:
    name: str  # the long name, without dashes
    short: str = ""
    takes_value: bool = False


@dataclass
class Parsed:
    values: dict[str, str] = field(default_factory=dict)
    switches: set[str] = field(default_factory=set)
    positional: list[str] = field(default_factory=list)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def on(self, name: str) -> bool:
        return name in self.switches


def parse(argv: list[str], flags: list[Flag]) -> Parsed:
    """Read *argv* against *flags*; an unknown flag or a missing value is a :class:`GhError`."""
    by_long = {flag.name: flag for flag in flags}
    by_short = {flag.short: flag for flag in flags if flag.short}
    parsed = Parsed()
    index = 0
    while index < len(argv):
        argument = argv[index]
        index += 1
        if argument == "--":
            parsed.positional.extend(argv[index:])
            break
        if argument.startswith("--"):
            name, has_value, inline = argument[2:].partition("=")
            flag = by_long.get(name)
        elif argument.startswith("-") and len(argument) > 1:
            name, inline = argument[1:2], argument[2:]
            has_value = "=" if inline else ""
            inline = inline.removeprefix("=")
            flag = by_short.get(name)
        else:
            parsed.positional.append(argument)
            continue
        if flag is None:
            raise GhError(f"unknown flag: {argument.partition('=')[0]}")
        if not flag.takes_value:
            if has_value and inline.casefold() == "false":
                parsed.switches.discard(flag.name)
            else:
                parsed.switches.add(flag.name)
            continue
        if has_value:
            parsed.values[flag.name] = inline
        elif index < len(argv):
            parsed.values[flag.name] = argv[index]
            index += 1
        else:
            raise GhError(f"flag needs an argument: {argument}")
    return parsed
