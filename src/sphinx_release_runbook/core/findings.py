"""Findings: located problems that the docs build and ``python -m runbook check`` report.

A finding is plain data (picklable, no Sphinx import), so the environment can
keep the findings of each document between incremental builds and the
``build-finished`` gate can fail a build that re-read nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

#: Authoring errors: the guide itself is malformed.  Always fail the build.
AuthoringSubtype = Literal["directive", "duplicate", "structure", "placeholder"]
#: Drift: the guide no longer matches the repository.  ``runbook_drift`` decides.
DriftSubtype = Literal["path", "mirror", "version", "tool", "cli", "link", "script"]
#: A bad ``conf.py`` value: warned about where it is set, and replaced by its default.
ConfigSubtype = Literal["config"]
#: Every ``runbook.*`` warning subtype (``suppress_warnings = ["runbook.<subtype>"]``).
Subtype = Literal[AuthoringSubtype, DriftSubtype, ConfigSubtype]

DRIFT_SUBTYPES: tuple[str, ...] = get_args(DriftSubtype)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at ``path:line`` (``path`` relative to the repository root).

    ``docname`` is set when the problem sits in a document, so Sphinx can print
    its own source path; ``diff`` carries a unified diff for mirror drift.
    """

    path: str
    line: int
    subtype: Subtype
    message: str
    docname: str = ""
    diff: str = ""

    @property
    def warning_type(self) -> str:
        return f"runbook.{self.subtype}"

    @property
    def is_drift(self) -> bool:
        return self.subtype in DRIFT_SUBTYPES

    def text(self) -> str:
        """The message as printed: the diff, when there is one, follows on its own lines."""
        return f"{self.message}\n{self.diff.rstrip()}" if self.diff else self.message

    def warning_text(self) -> str:
        """The message for a printer that appends a tag (Sphinx's `` [runbook.mirror]``).

        The diff is indented and ends with a line break, so the tag stands on a line of its
        own instead of being glued to the diff's last line, where it reads as the file's.
        """
        if not self.diff:
            return self.message
        diff = "\n".join(f"    {line}" for line in self.diff.rstrip().splitlines())
        return f"{self.message}\n{diff}\n"

    def terminal_text(self) -> str:
        """``path:line: message [runbook.x]``, then the diff on indented lines of its own.

        How the runner prints a finding: the type ends the message's line, never the
        diff's last line (where it would read as part of the file).
        """
        head = f"{self.path}:{self.line}: {self.message} [{self.warning_type}]"
        if not self.diff:
            return head
        return "\n".join([head, *(f"    {line}" for line in self.diff.rstrip().splitlines())])

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "subtype": self.warning_type,
            "message": self.message,
            "diff": self.diff,
        }
