"""``setup(app)``: registers the config values, nodes, directives, collector and builder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.sphinxext import checking as drift_build
from sphinx_release_runbook.sphinxext import config, nodes
from sphinx_release_runbook.sphinxext.builder import RunbookBuilder
from sphinx_release_runbook.sphinxext.directives import (
    ReleaseQuickrefDirective,
    ReleaseRunbookDirective,
    ReleaseStepDirective,
    ReleaseTroubleshootDirective,
)
from sphinx_release_runbook.sphinxext.fill import fill
from sphinx_release_runbook.sphinxext.gate import BuildGate
from sphinx_release_runbook.sphinxext.store import RunbookCollector

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

STATIC = Path(__file__).parent / "static"

#: Bump when the shape of the data kept in the environment changes.
ENV_VERSION = 1


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: the version box script and the card styles, for HTML only."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("runbook.css")
    app.add_js_file("runbook.js", defer="defer")


def setup(app: Sphinx) -> ExtensionMetadata:
    config.register(app)

    app.add_node(nodes.release_runbook)
    app.add_node(nodes.release_troubleshoot)
    app.add_node(nodes.release_step_meta)
    app.add_node(nodes.release_instructions)
    app.add_node(nodes.release_var, html=(nodes.visit_var_html, nodes.depart_nothing))
    app.add_node(nodes.release_step, html=(nodes.visit_step_html, nodes.depart_step_html))
    app.add_node(nodes.release_step_title, html=(nodes.visit_step_title_html, nodes.depart_nothing))
    app.add_node(nodes.release_commands, html=(nodes.visit_commands_html, nodes.depart_nothing))
    app.add_node(
        nodes.release_version_box, html=(nodes.visit_version_box_html, nodes.depart_nothing)
    )

    app.add_directive("release-runbook", ReleaseRunbookDirective)
    app.add_directive("release-step", ReleaseStepDirective)
    app.add_directive("release-troubleshoot", ReleaseTroubleshootDirective)
    app.add_directive("release-quickref", ReleaseQuickrefDirective)
    # release-file and :release-path: are registered here (drift).
    drift_build.register(app)

    app.add_env_collector(RunbookCollector)
    app.add_builder(RunbookBuilder)

    gate = BuildGate()
    app.connect("builder-inited", add_static_files)
    app.connect("env-before-read-docs", gate.before_read)
    app.connect("env-check-consistency", gate.check_consistency)
    app.connect("doctree-resolved", fill)
    app.connect("build-finished", gate.finished)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
