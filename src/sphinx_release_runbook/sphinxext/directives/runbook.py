"""``release-runbook NAME``: a runbook's header, variables form and step overview."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import tomlkit
import tomlkit.exceptions
from docutils import nodes

from sphinx_release_runbook.core.assemble import RunbookDeclaration
from sphinx_release_runbook.core.model import VERSION_SCHEMES
from sphinx_release_runbook.core.templating import render
from sphinx_release_runbook.drift import TemplateRef
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    RunbookDirective,
)
from sphinx_release_runbook.sphinxext.nodes import (
    release_overview,
    release_runbook,
    release_version_box,
)

#: The placeholders a runbook's ``:tag:`` may use.
TAG_PLACEHOLDERS = ("version", "package")


def project_name(pyproject: Path) -> str | None:
    """``project.name`` or ``tool.poetry.name`` of a pyproject.toml, if it has one."""
    try:
        data = tomlkit.parse(pyproject.read_text(encoding="utf-8")).unwrap()
    except (OSError, tomlkit.exceptions.ParseError):
        return None
    name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
    return str(name) if name else None


class ReleaseRunbookDirective(RunbookDirective):
    """Declares a runbook; the steps below it (in toctree order) belong to it."""

    known_options: ClassVar[dict[str, OptionKind]] = {
        "title": "text",
        "version-scheme": "text",
        "tag": "text",
        "package": "text",
    }

    def run_checked(self) -> list[nodes.Node]:
        name = self.identifier("a runbook name", "pypi")
        options = self.options_checked()
        if "".join(self.content).strip():
            raise DirectiveError("release-runbook takes no content; write prose around it")
        scheme = self.choice(
            "version-scheme", options.text("version-scheme", "pep440") or "", VERSION_SCHEMES
        )
        tag = options.text("tag", "v{{ version }}") or ""
        # {{ tag }} is filled from this template, so only these two may appear in it.
        self.check([TemplateRef(tag, self.source(), TAG_PLACEHOLDERS, "option :tag:")])
        if "version" not in tag.replace(" ", ""):
            raise DirectiveError("option :tag: must contain {{ version }}, e.g. v{{ version }}")
        package = options.text("package") or self._default_package()
        declaration = RunbookDeclaration(
            name=name,
            title=options.text("title") or "",
            version_scheme=scheme,  # type: ignore[arg-type]
            tag=tag,
            package=package,
            source=self.source(),
            anchor=f"runbook-{name}",
        )
        node = release_runbook(runbook=name, classes=["runbook"])
        self.claim_anchor(node, declaration.anchor)
        self.set_source_info(node)
        node["entry"] = declaration
        node += nodes.rubric("", declaration.title, classes=["runbook-title"])
        node += release_version_box(
            "",
            data={
                "runbook": name,
                "tag-template": render(tag, {"version": "{version}", "package": package}),
                "package": package,
                "scheme": scheme,
            },
        )
        overview = release_overview(runbook=name)
        self.set_source_info(overview)
        node += overview
        return [node]

    def _default_package(self) -> str:
        pyproject = self.repo_root / "pyproject.toml"
        if pyproject.is_file():
            self.note_repo_file(pyproject)
            name = project_name(pyproject)
            if name:
                return name
        return str(self.config.project)
