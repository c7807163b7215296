"""``release-runbook NAME``: a runbook's header, variables form and step overview."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import ClassVar

from docutils import nodes

from sphinx_release_runbook.core.assemble import RunbookDeclaration
from sphinx_release_runbook.core.model import VERSION_SCHEMES, Source
from sphinx_release_runbook.core.templating import render
from sphinx_release_runbook.core.toml_lines import key_lines
from sphinx_release_runbook.drift import PackageRef, TagRef, TemplateRef
from sphinx_release_runbook.sphinxext import checking
from sphinx_release_runbook.sphinxext.diagnostics import relative_to_repo
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


def project_name(pyproject: Path) -> tuple[str, str, int] | None:
    """``project.name`` or ``tool.poetry.name`` of a pyproject.toml: the name, its key, its line.

    Read with the standard library's parser, as the drift checks read the same file:
    nothing here edits it, so tomlkit (slower, and a third-party import) is not needed.
    """
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    for key in ("project.name", "tool.poetry.name"):
        value: object = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value:
            found = key_lines(text, key.split("."))
            return value, key, found.first if found else 1
    return None


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
        package = options.text("package")
        checked = True
        if package is not None:
            self.check([PackageRef(package, self.source())])
        else:
            package, checked = self._default_package()
        # The tag as git will see it: a valid tag name, and a different one for every version.
        self.check([TagRef(tag, package, scheme, self.source())])
        self.check_exportable(tag, label="option :tag: ", allowed=TAG_PLACEHOLDERS)
        declaration = RunbookDeclaration(
            name=name,
            title=options.text("title") or "",
            version_scheme=scheme,  # type: ignore[arg-type]
            tag=tag,
            package=package,
            source=self.source(),
            anchor=f"runbook-{name}",
            package_checked=checked,
        )
        node = release_runbook(runbook=name, classes=["runbook"])
        self.claim_anchor(node, declaration.anchor)
        self.set_source_info(node)
        node["entry"] = declaration
        # Located and with a rawsource, or Sphinx dumps it as XML for a debug message (see
        # step.py); an untitled runbook's title comes from its section on doctree-read.
        title = nodes.rubric(declaration.title or " ", declaration.title, classes=["runbook-title"])
        self.set_source_info(title)
        node += title
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

    def _default_package(self) -> tuple[str, bool]:
        """The name of pyproject.toml (checked where it is written), else the Sphinx project.

        A bad name in pyproject.toml is reported at its line and the runbook is kept (its
        own text is fine).  The Sphinx project is a title more than a name: it is checked
        only if a step uses ``{{ package }}`` (see :mod:`~.core.assemble`); the flag says so.
        """
        pyproject = self.repo_root / "pyproject.toml"
        if pyproject.is_file():
            self.note_repo_file(pyproject)
            found = project_name(pyproject)
            if found:
                name, key, line = found
                at = Source(self.env.docname, relative_to_repo(self.env, pyproject), line)
                hint = f"; fix it there, or give the runbook at {self.source()} :package: NAME"
                checking.check(self.env, [PackageRef(name, at, f"{key} in pyproject.toml", hint)])
                return name, True
        return str(self.config.project), False
