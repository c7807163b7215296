"""Read a workflow file into :mod:`.model`, keeping the line of every entry.

PyYAML's composer gives nodes with their positions; building the model from
nodes (not from ``yaml.safe_load``) keeps the lines for messages and the text
of every scalar as written.  It also avoids YAML 1.1 reading the ``on`` key
as ``True``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sphinx_release_runbook.rehearse.workflows.errors import WorkflowError
from sphinx_release_runbook.rehearse.workflows.model import (
    Defaults,
    EventFilter,
    Job,
    Scalar,
    Step,
    Workflow,
)

#: Job entries a local run cannot honour; the run stops on them with their line.
_UNSUPPORTED_JOB_KEYS = ("container", "services", "uses")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Reader:
    """Turns the nodes of one file into the model; every error names the file and line."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, node: yaml.Node, message: str) -> WorkflowError:
        return WorkflowError(self.file, _line(node), message)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        pairs: list[tuple[str, yaml.Node]] = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"a key of {what} must be a plain name")
            pairs.append((str(key.value), value))
        return pairs

    def scalar(self, node: yaml.Node, what: str) -> Scalar:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value")
        return Scalar(str(node.value), _line(node))

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """A scalar or a sequence of scalars, as a tuple of texts."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(self.scalar(item, what).text for item in node.value)
        return (self.scalar(node, what).text,)

    def scalars(self, node: yaml.Node, what: str) -> dict[str, Scalar]:
        """A mapping of names to single values (``env:``, ``with:``)."""
        return {key: self.scalar(value, f"{what}.{key}") for key, value in self.mapping(node, what)}

    def events(self, node: yaml.Node) -> dict[str, EventFilter]:
        if isinstance(node, yaml.ScalarNode):
            return {node.value: EventFilter(str(node.value), _line(node))}
        if isinstance(node, yaml.SequenceNode):
            names = [self.scalar(item, "on") for item in node.value]
            return {name.text: EventFilter(name.text, name.line) for name in names}
        events: dict[str, EventFilter] = {}
        for name, value in self.mapping(node, "on"):
            filters: dict[str, tuple[str, ...]] = {}
            if isinstance(value, yaml.MappingNode):
                for key, item in self.mapping(value, f"on.{name}"):
                    if isinstance(item, yaml.ScalarNode | yaml.SequenceNode):
                        filters[key] = self.strings(item, f"on.{name}.{key}")
            events[name] = EventFilter(name, _line(value), filters)
        return events

    def defaults(self, node: yaml.Node | None) -> Defaults:
        if node is None:
            return Defaults()
        run = dict(self.mapping(node, "defaults")).get("run")
        if run is None:
            return Defaults()
        entries = dict(self.mapping(run, "defaults.run"))
        shell = entries.get("shell")
        directory = entries.get("working-directory")
        return Defaults(
            shell=self.scalar(shell, "shell") if shell is not None else None,
            working_directory=(
                self.scalar(directory, "working-directory") if directory is not None else None
            ),
        )

    def step(self, node: yaml.Node, index: int) -> Step:
        entries = dict(self.mapping(node, "a step"))

        def optional(key: str) -> Scalar | None:
            value = entries.get(key)
            return self.scalar(value, key) if value is not None else None

        uses, run = optional("uses"), optional("run")
        if (uses is None) == (run is None):
            raise self.fail(node, "a step needs exactly one of 'uses:' and 'run:'")
        name, step_id = optional("name"), optional("id")
        with_node, env_node = entries.get("with"), entries.get("env")
        return Step(
            line=_line(node),
            index=index,
            name=name.text if name else None,
            id=step_id.text if step_id else None,
            uses=uses,
            run=run,
            with_=self.scalars(with_node, "with") if with_node is not None else {},
            env=self.scalars(env_node, "env") if env_node is not None else {},
            if_=optional("if"),
            shell=optional("shell"),
            working_directory=optional("working-directory"),
            continue_on_error=optional("continue-on-error"),
        )

    def job(self, job_id: str, key_line: int, node: yaml.Node) -> Job:
        entries = dict(self.mapping(node, f"jobs.{job_id}"))
        unsupported = [
            Scalar(key, _line(entries[key])) for key in _UNSUPPORTED_JOB_KEYS if key in entries
        ]
        strategy = entries.get("strategy")
        if strategy is not None and "matrix" in dict(self.mapping(strategy, "strategy")):
            unsupported.append(Scalar("strategy.matrix", _line(strategy)))
        steps_node = entries.get("steps")
        steps: tuple[Step, ...] = ()
        if steps_node is not None:
            if not isinstance(steps_node, yaml.SequenceNode):
                raise self.fail(steps_node, f"jobs.{job_id}.steps must be a list")
            steps = tuple(self.step(item, index) for index, item in enumerate(steps_node.value))
        needs = entries.get("needs")
        name, condition = entries.get("name"), entries.get("if")
        env_node, continue_node = entries.get("env"), entries.get("continue-on-error")
        return Job(
            id=job_id,
            line=key_line,
            name=self.scalar(name, "name").text if name is not None else None,
            needs=self.strings(needs, "needs") if needs is not None else (),
            if_=self.scalar(condition, "if") if condition is not None else None,
            env=self.scalars(env_node, "env") if env_node is not None else {},
            defaults=self.defaults(entries.get("defaults")),
            steps=steps,
            continue_on_error=(
                self.scalar(continue_node, "continue-on-error")
                if continue_node is not None
                else None
            ),
            outputs=(self.scalars(entries["outputs"], "outputs") if "outputs" in entries else {}),
            unsupported=tuple(unsupported),
        )


def read_workflow(path: Path, shown_as: Path | None = None) -> Workflow:
    """Parse the workflow at *path*; messages name it *shown_as* (default: *path*)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowError(shown_as or path, 1, f"cannot read it: {exc.strerror}") from exc
    return parse_workflow(text, shown_as or path)


def parse_workflow(text: str, file: Path) -> Workflow:
    """Parse the workflow *text*; messages name it *file*."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        raise WorkflowError(file, line, f"not valid YAML: {exc}") from exc
    if root is None:
        raise WorkflowError(file, 1, "the workflow file is empty")
    reader = _Reader(file)
    top: dict[str, yaml.Node] = {}
    key_lines: dict[str, int] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        top[str(key.value)] = value
        key_lines[str(key.value)] = _line(key)
    if not isinstance(root, yaml.MappingNode) or "on" not in top:
        raise WorkflowError(file, _line(root), "a workflow needs an 'on:' entry")
    jobs: list[Job] = []
    if "jobs" in top:
        for key, value in top["jobs"].value if isinstance(top["jobs"], yaml.MappingNode) else []:
            jobs.append(reader.job(str(key.value), _line(key), value))
    name = top.get("name")
    return Workflow(
        file=file,
        name=reader.scalar(name, "name").text if name is not None else file.as_posix(),
        events=reader.events(top["on"]),
        env=reader.scalars(top["env"], "env") if "env" in top else {},
        defaults=reader.defaults(top.get("defaults")),
        jobs=tuple(jobs),
    )
