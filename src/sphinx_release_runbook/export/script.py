"""The standalone checklist script: a runbook rendered as bash with Jinja2.

The script needs only bash, git and python3's standard library, so a
maintainer can release from a machine without this package.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import jinja2

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import Runbook

TEMPLATES = Path(__file__).parent / "templates"


class ExportError(RunbookError, ValueError):
    """The runbook cannot be written as a script (a placeholder bash cannot fill)."""


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    environment.filters["shquote"] = lambda value: shlex.quote(str(value))
    return environment


def _check_simple_placeholders(runbook: Runbook) -> None:
    """The script fills ``{{ name }}`` textually; anything fancier needs the Python runner."""
    import re

    expression = re.compile(r"\{\{(.*?)\}\}", re.S)
    for step in runbook.steps:
        for text in [*step.commands, step.skip_if or "", *step.env.values()]:
            for found in expression.findall(text):
                if not re.fullmatch(r"\s*[a-z_]+\s*", found):
                    raise ExportError(
                        f"{step.source}: step {step.id!r} uses the expression "
                        f"{{{{{found}}}}}; the exported script fills plain names only"
                    )


def render_script(runbook: Runbook, script_name: str = "release.sh") -> str:
    """The bash checklist for *runbook*."""
    _check_simple_placeholders(runbook)
    template = _environment().get_template("checklist.sh.jinja")
    return template.render(
        runbook=runbook,
        generator=f"sphinx-release-runbook {__version__}",
        script_name=script_name,
    )
