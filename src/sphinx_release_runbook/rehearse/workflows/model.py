"""A GitHub Actions workflow as typed data; every value keeps the line it was written on.

Scalars stay strings, as the text of the file: GitHub reads ``3.10`` as a
number (``3.1``) but a rehearsal passes values on as text, so the text is what
the user wrote.  Only the entries the local runner acts on are modelled; the
rest (``runs-on``, ``permissions``, ``concurrency``...) has no effect offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Scalar:
    """One value of the file and the line (1-based) it is on."""

    text: str
    line: int


@dataclass(frozen=True)
class EventFilter:
    """One ``on:`` event with its filters (``types``, ``tags``, ``branches``...)."""

    name: str
    line: int
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One entry of a job's ``steps:``."""

    line: int
    index: int  # 0-based position in the job
    name: str | None = None
    id: str | None = None
    uses: Scalar | None = None
    run: Scalar | None = None
    with_: dict[str, Scalar] = field(default_factory=dict)
    env: dict[str, Scalar] = field(default_factory=dict)
    if_: Scalar | None = None
    shell: Scalar | None = None
    working_directory: Scalar | None = None
    continue_on_error: Scalar | None = None

    @property
    def title(self) -> str:
        """The name GitHub shows: ``name:``, else ``Run <first line>`` or ``Run <action>``."""
        if self.name:
            return self.name
        if self.uses is not None:
            return f"Run {self.uses.text}"
        if self.run is not None:
            first = self.run.text.strip().splitlines()
            return f"Run {first[0]}" if first else "Run"
        return f"Step {self.index + 1}"


@dataclass(frozen=True)
class Defaults:
    """``defaults.run`` of a workflow or a job."""

    shell: Scalar | None = None
    working_directory: Scalar | None = None


@dataclass(frozen=True)
class Job:
    """One entry of ``jobs:``."""

    id: str
    line: int
    name: str | None = None
    needs: tuple[str, ...] = ()
    if_: Scalar | None = None
    env: dict[str, Scalar] = field(default_factory=dict)
    defaults: Defaults = field(default_factory=Defaults)
    steps: tuple[Step, ...] = ()
    continue_on_error: Scalar | None = None
    outputs: dict[str, Scalar] = field(default_factory=dict)
    #: Entries a local run cannot honour (``strategy.matrix``, ``container``,
    #: ``services``, a reusable workflow's ``uses``): the run stops on them.
    unsupported: tuple[Scalar, ...] = ()

    @property
    def title(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Workflow:
    """One ``.github/workflows/*.yml`` file."""

    file: Path  # as shown in messages: relative to the repository
    name: str
    events: dict[str, EventFilter]
    env: dict[str, Scalar] = field(default_factory=dict)
    defaults: Defaults = field(default_factory=Defaults)
    jobs: tuple[Job, ...] = ()
