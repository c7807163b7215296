"""A ``run:`` step's ``shell:`` as a command line, GitHub's way.

``bash`` (the default on Linux) is ``bash --noprofile --norc -eo pipefail
{0}``, ``sh`` is ``sh -e {0}``, ``python`` is ``python {0}``; any other value
with ``{0}`` is a custom shell whose ``{0}`` is the script file.  PowerShell
and ``cmd`` are not on a rehearsal's machine.
"""

from __future__ import annotations

import shlex

_KNOWN = {
    "bash": "bash --noprofile --norc -eo pipefail {0}",
    "sh": "sh -e {0}",
    "python": "python {0}",
}
_EXTENSIONS = {"python": ".py"}


class UnsupportedShell(ValueError):
    """A ``shell:`` the rehearsal cannot run; the caller locates the message."""


def command(shell: str | None, script: str) -> list[str]:
    """The argv that runs the script file *script* with *shell* (None: the default bash)."""
    template = _KNOWN.get((shell or "bash").strip(), (shell or "").strip())
    if "{0}" not in template:
        raise UnsupportedShell(
            f"the shell '{shell}' is not supported by the rehearsal (use bash, sh, python "
            "or a command with {0} for the script file)"
        )
    return [part.replace("{0}", script) for part in shlex.split(template)]


def script_suffix(shell: str | None) -> str:
    return _EXTENSIONS.get((shell or "bash").strip(), ".sh")
