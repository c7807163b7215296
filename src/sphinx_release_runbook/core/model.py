"""The runbook data model: what the docs build exports and the runner executes.

No Sphinx import here: the runner, the exported script and the drift checks
use this module without a docs build.  ``runbook.json`` is ``Export.to_dict()``
serialised; ``Export.from_dict`` reads it back and refuses unknown schemas.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.json_fields import JsonFields

SCHEMA_VERSION = 1

StepKind = Literal["command", "check", "manual", "bump", "wait"]
STEP_KINDS: tuple[str, ...] = get_args(StepKind)

VersionScheme = Literal["pep440", "semver"]
VERSION_SCHEMES: tuple[str, ...] = get_args(VersionScheme)

#: The placeholders a step may use; anything else is a located build error.
PLACEHOLDERS: tuple[str, ...] = ("version", "tag", "version_info", "previous_version", "package")


class SchemaError(RunbookError, ValueError):
    """``runbook.json`` is not something this version can read."""

    exit_code = ExitCode.DOCS


def _nul_in(data: object, where: str) -> str | None:
    """The JSON path (``runbooks[0].steps[2].commands[0]``) of the first text in *data*
    that holds a NUL character, a key included; None when there is none."""
    if isinstance(data, str):
        return where if "\x00" in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and "\x00" in key:
                return inner
            found = _nul_in(value, inner)
            if found is not None:
                return found
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found = _nul_in(value, f"{where}[{index}]")
            if found is not None:
                return found
    return None


def _fields(data: object, where: str) -> JsonFields:
    """*data* of ``runbook.json`` to read field by field (see :class:`.json_fields.JsonFields`)."""
    return JsonFields(
        data, where, lambda problem: SchemaError(f"malformed runbook.json: {problem}")
    )


@dataclass(frozen=True)
class Source:
    """Where a step or entry is written: the document and the repository file and line."""

    docname: str
    path: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"docname": self.docname, "path": self.path, "line": self.line}

    @classmethod
    def read(cls, fields: JsonFields) -> Source:
        return cls(
            docname=fields.text("docname"), path=fields.text("path"), line=fields.integer("line")
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class BumpTarget:
    """One version source: a file and the key in it that holds the version."""

    path: str
    key: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "key": self.key}

    @classmethod
    def read(cls, fields: JsonFields) -> BumpTarget:
        return cls(path=fields.text("path"), key=fields.text("key"))


@dataclass
class Step:
    """One numbered step of a runbook, every option resolved."""

    id: str
    title: str
    kind: StepKind
    runbook: str
    source: Source
    number: int = 0
    #: The shell units of the step (one ``bash -c`` each), placeholders as written.
    commands: list[str] = field(default_factory=list)
    #: A manual step's instructions as a plain-text template (markup gone, placeholders kept).
    instructions: str = ""
    bump: list[BumpTarget] = field(default_factory=list)
    expect: str | None = None
    expect_empty: bool = False
    cwd: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    retry: int = 0
    interval: float = 10.0
    skip_if: str | None = None
    confirm: bool = False
    requires: list[str] = field(default_factory=list)
    anchor: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "kind": self.kind,
            "runbook": self.runbook,
            "commands": list(self.commands),
            "instructions": self.instructions,
            "bump": [target.to_dict() for target in self.bump],
            "expect": self.expect,
            "expect_empty": self.expect_empty,
            "cwd": self.cwd,
            "env": dict(sorted(self.env.items())),
            "timeout": self.timeout,
            "retry": self.retry,
            "interval": self.interval,
            "skip_if": self.skip_if,
            "confirm": self.confirm,
            "requires": list(self.requires),
            "source": self.source.to_dict(),
            "anchor": self.anchor,
            "url": self.url,
        }

    @classmethod
    def read(cls, fields: JsonFields) -> Step:
        return cls(
            id=fields.text("id"),
            number=fields.integer("number"),
            title=fields.text("title"),
            kind=fields.choice("kind", STEP_KINDS),
            runbook=fields.text("runbook"),
            commands=fields.texts("commands"),
            instructions=fields.text("instructions"),
            bump=[BumpTarget.read(item) for item in fields.objects("bump")],
            expect=fields.optional_text("expect"),
            expect_empty=fields.flag("expect_empty"),
            cwd=fields.optional_text("cwd"),
            env=fields.mapping("env"),
            timeout=fields.optional_number("timeout"),
            retry=fields.integer("retry"),
            interval=fields.number("interval"),
            skip_if=fields.optional_text("skip_if"),
            confirm=fields.flag("confirm"),
            requires=fields.texts("requires"),
            source=Source.read(fields.object("source")),
            anchor=fields.text("anchor"),
            url=fields.text("url"),
        )

    @property
    def name_or_id(self) -> str:
        return self.id

    @property
    def runs_commands(self) -> bool:
        return self.kind in ("command", "check", "wait")


@dataclass
class Troubleshoot:
    """A known failure (matched by regex against a failed step's output) and its fix."""

    id: str
    title: str
    match: str
    #: The fix as a plain-text template, as :attr:`Step.instructions`.
    text: str
    runbook: str
    source: Source
    anchor: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "match": self.match,
            "text": self.text,
            "runbook": self.runbook,
            "source": self.source.to_dict(),
            "anchor": self.anchor,
            "url": self.url,
        }

    @property
    def name_or_id(self) -> str:
        return self.id

    @classmethod
    def read(cls, fields: JsonFields) -> Troubleshoot:
        return cls(
            id=fields.text("id"),
            title=fields.text("title"),
            match=fields.text("match"),
            text=fields.text("text"),
            runbook=fields.text("runbook"),
            source=Source.read(fields.object("source")),
            anchor=fields.text("anchor"),
            url=fields.text("url"),
        )


@dataclass
class Runbook:
    """A named runbook: its variables and its steps in toctree order."""

    name: str
    title: str
    version_scheme: VersionScheme
    tag: str
    package: str
    source: Source
    steps: list[Step] = field(default_factory=list)
    troubleshoot: list[Troubleshoot] = field(default_factory=list)
    anchor: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "version_scheme": self.version_scheme,
            "tag": self.tag,
            "package": self.package,
            "source": self.source.to_dict(),
            "anchor": self.anchor,
            "url": self.url,
            "steps": [step.to_dict() for step in self.steps],
            "troubleshoot": [entry.to_dict() for entry in self.troubleshoot],
        }

    @classmethod
    def read(cls, fields: JsonFields) -> Runbook:
        return cls(
            name=fields.text("name"),
            title=fields.text("title"),
            version_scheme=fields.choice("version_scheme", VERSION_SCHEMES),
            tag=fields.text("tag"),
            package=fields.text("package"),
            source=Source.read(fields.object("source")),
            anchor=fields.text("anchor"),
            url=fields.text("url"),
            steps=[Step.read(item) for item in fields.objects("steps")],
            troubleshoot=[Troubleshoot.read(item) for item in fields.objects("troubleshoot")],
        )

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        known = ", ".join(step.id for step in self.steps)
        raise KeyError(f"runbook {self.name!r} has no step {step_id!r}; its steps are: {known}")

    @property
    def bump_targets(self) -> list[BumpTarget]:
        """Every version source named by the runbook's bump steps, first mention first."""
        seen: dict[BumpTarget, None] = {}
        for step in self.steps:
            for target in step.bump:
                seen.setdefault(target, None)
        return list(seen)


@dataclass
class Export:
    """The whole ``runbook.json``: every runbook of a documentation project."""

    project: str
    runbooks: list[Runbook] = field(default_factory=list)
    generator: str = "sphinx-release-runbook"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "generator": self.generator,
            "project": self.project,
            "runbooks": [runbook.to_dict() for runbook in self.runbooks],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Export:
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA_VERSION:
            raise SchemaError(
                f"unsupported runbook schema {schema!r}; this version reads schema {SCHEMA_VERSION}"
            )
        fields = _fields(data, "")
        return cls(
            project=fields.text("project"),
            # Optional: a file written before the field was.
            generator=fields.text("generator") if "generator" in data else cls.generator,
            runbooks=[Runbook.read(item) for item in fields.objects("runbooks")],
        )

    @classmethod
    def load(cls, path: Path) -> Export:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        except UnicodeDecodeError as exc:
            raise SchemaError(
                f"{path}: not UTF-8 text (byte {exc.start} is not); the builder writes "
                "runbook.json in UTF-8: export it again from the docs"
            ) from exc
        # JSON writes a NUL only as an escape: without one, no text of it holds one.
        where = _nul_in(data, "") if "\\u0000" in text else None
        if where is not None:
            # No command, argument or environment value can carry one through exec: the
            # step could not start, and a value cut at it would not be the value written.
            raise SchemaError(
                f"{path}: {where or 'the document'} holds a NUL character (\\u0000), which "
                "nothing the runner passes to a command can carry; export the runbook again "
                "from the docs"
            )
        try:
            return cls.from_dict(data)
        except SchemaError as exc:
            raise SchemaError(f"{path}: {exc}") from None

    def runbook(self, name: str | None = None) -> Runbook:
        """The runbook called *name*, or the only one when *name* is None."""
        if not self.runbooks:
            raise KeyError("the docs define no runbook (no `release-runbook` directive)")
        if name is None:
            if len(self.runbooks) > 1:
                names = ", ".join(runbook.name for runbook in self.runbooks)
                raise KeyError(f"the docs define several runbooks ({names}); pick one with --name")
            return self.runbooks[0]
        for runbook in self.runbooks:
            if runbook.name == name:
                return runbook
        names = ", ".join(runbook.name for runbook in self.runbooks)
        raise KeyError(f"no runbook named {name!r}; the docs define: {names}")
