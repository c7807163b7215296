"""``release-step ID``: one step of a runbook."""

from __future__ import annotations

import re
from typing import ClassVar

from docutils import nodes
from docutils.statemachine import StringList

from sphinx_release_runbook import bump as bumping
from sphinx_release_runbook.core.model import STEP_KINDS, BumpTarget, Source, Step
from sphinx_release_runbook.core.shell_units import CommandText, split_commands, unit_problem
from sphinx_release_runbook.drift import BumpRef, CommandRef, Item, TemplateRef
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    Options,
    RunbookDirective,
)
from sphinx_release_runbook.sphinxext.nodes import (
    release_commands,
    release_instructions,
    release_step,
    release_step_meta,
    release_step_title,
)
from sphinx_release_runbook.sphinxext.plaintext import plain_text, protect

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ReleaseStepDirective(RunbookDirective):
    """A numbered step: commands to run, files to bump, or instructions to follow."""

    known_options: ClassVar[dict[str, OptionKind]] = {
        "title": "text",
        "kind": "text",
        "runbook": "text",
        "bump": "lines",
        "expect": "regex",
        "expect-empty": "flag",
        "cwd": "text",
        "env": "lines",
        "timeout": "number",
        "retry": "int",
        "interval": "number",
        "skip-if": "text",
        "confirm": "flag",
        "requires": "text",
    }

    def run_checked(self) -> list[nodes.Node]:
        step_id = self.identifier("a step ID", "commit-and-push")
        options = self.options_checked()
        kind = self.choice(
            "kind",
            options.text("kind", "bump" if "bump" in options.values else "command") or "",
            STEP_KINDS,
        )
        step = Step(
            id=step_id,
            title=options.text("title") or "",
            kind=kind,  # type: ignore[arg-type]
            runbook=options.text("runbook") or "",
            source=self.source(),
            anchor=f"step-{step_id}",
            expect=options.text("expect"),
            expect_empty=options.flag("expect-empty"),
            cwd=options.text("cwd"),
            timeout=options.values.get("timeout"),
            retry=options.values.get("retry", 0),
            interval=options.values.get("interval", 10.0),
            skip_if=options.text("skip-if"),
            confirm=options.flag("confirm"),
            requires=(options.text("requires") or "").split(),
            env=self._environment(options),
            bump=self._bump_targets(options, kind),
        )
        self._check_option_combinations(step, options)
        lines = list(self.content)
        templates: list[TemplateRef] = []
        commands: list[CommandText] = []
        if step.kind == "manual":
            if not "".join(lines).strip():
                raise DirectiveError(f"manual step {step_id!r} needs instructions as its content")
            # The instructions as written are checked; runbook.json gets them as plain
            # text (see _body), placeholders kept for the runner to fill.
            templates.append(
                TemplateRef("\n".join(lines).strip(), self._at(step, self.content_line(0)))
            )
        elif step.kind == "bump":
            if "".join(lines).strip():
                raise DirectiveError(
                    f"bump step {step_id!r} takes no content; its files come from :bump:"
                )
        else:
            commands = self._commands(step_id, lines)
            step.commands = [command.text for command in commands]
            templates.extend(
                TemplateRef(command.text, self._at(step, self.content_line(command.offset)))
                for command in commands
            )
        # Every option the runner fills (runner/plan.py) is checked too, at build time,
        # located at the step: self.lineno counts the includer's lines, not the file's.
        templates.extend(
            TemplateRef(template, step.source)
            for template in [step.skip_if, step.cwd, step.expect, *step.env.values()]
            if template
        )
        # The author's own text first: a malformed template stops the step before it is built.
        self.check(templates)
        self._check_exportable(step, lines, commands)

        node = release_step(step_id=step_id, kind=step.kind)
        self.claim_anchor(node, step.anchor)
        self.set_source_info(node)
        node["entry"] = step
        # A rubric without a location or a rawsource costs Sphinx (ApplySourceWorkaround) an
        # XML dump of it for a debug message on every page.  The rawsource is what Sphinx
        # would make it (the text); an untitled step's blank is no message to translate.
        title = release_step_title(
            step.title or " ",
            step.title,
            title=step.title,
            kind=step.kind,
            anchor=step.anchor,
            step_id=step_id,
        )
        self.set_source_info(title)
        node += title
        node.extend(self._body(step))
        # Then what the step says about the repository: drift is reported, the step stays.
        self.check(self._repository_items(step, commands))
        return [node]

    @staticmethod
    def _at(step: Step, line: int) -> Source:
        """A location in the step's file."""
        return Source(step.source.docname, step.source.path, line)

    def _repository_items(self, step: Step, commands: list[CommandText]) -> list[Item]:
        """What the checks compare with the repository: the commands, or the bump targets."""
        if step.bump:
            return [BumpRef(tuple(step.bump), step.source)]
        return [
            CommandRef(command.text, self._at(step, self.content_line(command.offset)), step.cwd)
            for command in commands
        ]

    def _check_exportable(self, step: Step, lines: list[str], commands: list[CommandText]) -> None:
        """Every template of the step as the exported script fills it, or a located error.

        Where the script fills it: a manual step's instructions line by line (as the
        runner does), each command whole at its first line, the options at the step.
        """
        if step.kind == "manual":
            self.check_exportable_lines(lines)
        for command in commands:
            self.check_exportable(command.text, self.content_line(command.offset))
        options = [(":skip-if:", step.skip_if), (":cwd:", step.cwd), (":expect:", step.expect)]
        options.extend((f":env: {name}", value) for name, value in step.env.items())
        for label, template in options:
            if template:
                self.check_exportable(template, label=f"option {label} ")

    # --- options ---------------------------------------------------------------------

    def _environment(self, options: Options) -> dict[str, str]:
        environment: dict[str, str] = {}
        for entry in options.values.get("env", []):
            name, sep, value = entry.partition("=")
            if not sep or not ENV_NAME.fullmatch(name.strip()):
                raise DirectiveError(
                    f"malformed :env: line {entry!r}: write one NAME=value per line"
                )
            environment[name.strip()] = value.strip()
        return environment

    def _bump_targets(self, options: Options, kind: str) -> list[BumpTarget]:
        entries: list[str] = options.values.get("bump", [])
        if kind == "bump" and not entries:
            raise DirectiveError(
                "bump step needs :bump: with one `FILE KEY` per line, "
                "e.g. `pyproject.toml tool.poetry.version`"
            )
        if kind != "bump" and entries:
            raise DirectiveError(f":bump: belongs to bump steps; this step's kind is {kind!r}")
        targets: list[BumpTarget] = []
        for entry in entries:
            parts = entry.split()
            if len(parts) != 2:
                raise DirectiveError(
                    f"malformed :bump: line {entry!r}: write one `FILE KEY` per line, "
                    "e.g. `pyproject.toml tool.poetry.version`"
                )
            target = BumpTarget(parts[0], parts[1])
            try:
                bumping.check_target(target)
            except bumping.BumpError as exc:
                raise DirectiveError(f"malformed :bump: line {entry!r}: {exc}") from exc
            targets.append(target)
        return targets

    def _check_option_combinations(self, step: Step, options: Options) -> None:
        if "interval" in options.values and not step.retry:
            raise DirectiveError(":interval: needs :retry: (how many times to try again)")
        if step.expect and step.expect_empty:
            raise DirectiveError(":expect: and :expect-empty: contradict each other; keep one")
        if step.kind in ("manual", "bump"):
            command_only = ("expect", "expect-empty", "timeout", "retry", "skip-if", "cwd", "env")
            given = [name for name in command_only if name in options.values]
            if given:
                raise DirectiveError(f"option :{given[0]}: does not apply to a {step.kind} step")

    # --- content ---------------------------------------------------------------------

    def _commands(self, step_id: str, lines: list[str]) -> list[CommandText]:
        commands = split_commands(lines)
        if not commands:
            raise DirectiveError(
                f"step {step_id!r} has no commands: write them as the directive's content, "
                "one per line (or use :kind: manual)"
            )
        for command in commands:
            problem = unit_problem(command.text)
            if problem is not None:
                raise DirectiveError(problem, line=self.content_line(command.offset))
        return commands

    # --- the step's nodes --------------------------------------------------------------

    def _body(self, step: Step) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        meta = self._meta(step)
        if meta:
            # Filled on doctree-resolved, when the runbook's display values are known.
            body.append(
                release_step_meta(
                    "", "", parts=meta, step_id=step.id, classes=["runbook-step-meta"]
                )
            )
        if step.kind == "manual":
            # Placeholders become tokens that doctree-resolved turns into spans with the
            # runbook's display values; line by line, so warnings inside keep their lines.
            shown, constructs = protect(list(self.content))
            container = release_instructions(
                classes=["runbook-instructions"], step_id=step.id, expressions=constructs
            )
            lines = StringList(shown, items=list(self.content.items))
            self.state.nested_parse(lines, self.content_offset, container)
            step.instructions = plain_text(self.env, container, constructs)
            body.append(container)
        elif step.kind == "bump":
            body.extend(self._bump_preview(step))
        else:
            body.append(self._commands_node("\n".join(self.content).strip("\n"), step))
        return body

    def _commands_node(self, template: str, step: Step, language: str = "bash") -> release_commands:
        node = release_commands(
            template, template, template=template, language=language, step_id=step.id
        )
        self.set_source_info(node)
        return node

    def _meta(self, step: Step) -> list[tuple[str, str]]:
        """The step's options in words: (label, value template) pairs."""
        parts: list[tuple[str, str]] = []
        if step.requires:
            parts.append(("Requires", ", ".join(step.requires)))
        if step.confirm:
            parts.append(("Asks for confirmation", ""))
        if step.cwd:
            parts.append(("Runs in", step.cwd))
        if step.env:
            parts.append(("Environment", " ".join(f"{k}={v}" for k, v in step.env.items())))
        if step.expect:
            parts.append(("Output must match", step.expect))
        if step.expect_empty:
            parts.append(("Output must be empty", ""))
        if step.retry:
            parts.append(("Retries", f"{step.retry} times, every {step.interval:g} s"))
        if step.timeout:
            parts.append(("Times out after", f"{step.timeout:g} s"))
        if step.skip_if:
            parts.append(("Skipped when this succeeds", step.skip_if))
        return parts

    def _bump_preview(self, step: Step) -> list[nodes.Node]:
        """The real lines of the real files, the version replaced by its placeholder.

        A target that cannot be shown is shown as ``FILE: KEY``; why is the checks'
        finding (``runbook.path`` or ``runbook.version``, from ``drift/targets.py``).
        """
        previews: list[nodes.Node] = []
        for target in step.bump:
            try:
                text = bumping.read_text(self.repo_root, target)
                site = bumping.locate(text, target)
            except bumping.BumpError:
                previews.append(
                    nodes.literal_block(
                        f"{target.path}: {target.key}", f"{target.path}: {target.key}"
                    )
                )
                continue
            placeholder = "{{ version_info }}" if target.key.endswith("_info__") else None
            original = site.text[site.start : site.end]
            if placeholder is None:
                quote = original[0] if original[:1] in "'\"" else ""
                placeholder = f"{quote}{{{{ version }}}}{quote}"
            line = site.text[: site.start] + placeholder + site.text[site.end :]
            lines = text.splitlines()
            shown = [line]
            if target.path.endswith(".toml"):
                header = next(
                    (
                        lines[i]
                        for i in range(site.line - 2, -1, -1)
                        if lines[i].lstrip().startswith("[")
                    ),
                    None,
                )
                if header is not None:
                    shown.insert(0, header)
            language = "toml" if target.path.endswith(".toml") else "python"
            node = self._commands_node("\n".join(shown), step, language)
            node["caption"] = f"{target.path} (line {site.line}): {target.key}"
            previews.append(node)
        return previews
