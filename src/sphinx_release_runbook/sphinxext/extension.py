"""``setup(app)``: every registration of the extension, in one place.

Config values, nodes (with their HTML visitors), directives, the role, the
``runbook`` domain that keeps the cross-document data, the builder and the
event handlers.  No other module registers anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.sphinxext import checking, config, html_visitors, nodes
from sphinx_release_runbook.sphinxext.builder import RunbookBuilder
from sphinx_release_runbook.sphinxext.directives import (
    ReleaseQuickrefDirective,
    ReleaseRunbookDirective,
    ReleaseStepDirective,
    ReleaseTroubleshootDirective,
)
from sphinx_release_runbook.sphinxext.directives.file import ReleaseFileDirective
from sphinx_release_runbook.sphinxext.domain import RunbookDomain
from sphinx_release_runbook.sphinxext.fill import fill_doctree
from sphinx_release_runbook.sphinxext.gate import BuildGate
from sphinx_release_runbook.sphinxext.integrity import check_doctree
from sphinx_release_runbook.sphinxext.links import collect_links
from sphinx_release_runbook.sphinxext.roles import ReleaseCodeRole, ReleasePathRole, ReleaseVarRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

STATIC = Path(__file__).parent / "static"

#: Bump when the shape of the data kept in the environment changes (with the
#: domain's ``data_version``): an environment pickled by an older version is discarded.
ENV_VERSION = 3


def add_static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: the folder of the version box script and the card styles.

    Added when the configuration is read, not when the builder starts: a value
    changed after Sphinx compared the configuration with the one pickled by
    the last build made every incremental build report "The configuration has
    changed (html_static_path)" and read every document again.
    """
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: link the script and the styles, for HTML only (no config change)."""
    if app.builder.format != "html":
        return
    app.add_css_file("runbook.css")
    app.add_js_file("runbook.js", defer="defer")


def setup(app: Sphinx) -> ExtensionMetadata:
    for value in config.VALUES:
        app.add_config_value(value.name, value.default, value.rebuild, types=value.types)
    app.connect("config-inited", config.validate)
    app.connect("config-inited", add_static_path)

    skip = html_visitors.depart_nothing
    app.add_node(nodes.release_runbook)
    app.add_node(nodes.release_troubleshoot)
    app.add_node(nodes.release_step_meta)
    app.add_node(nodes.release_instructions)
    # Stand-ins, replaced on doctree-resolved; registered so the pickled doctree knows them.
    app.add_node(nodes.release_overview)
    app.add_node(nodes.release_quickref)
    app.add_node(nodes.release_var, html=(html_visitors.visit_var, skip))
    app.add_node(nodes.release_literal)
    app.add_node(nodes.release_step, html=(html_visitors.visit_step, html_visitors.depart_step))
    app.add_node(nodes.release_step_title, html=(html_visitors.visit_step_title, skip))
    app.add_node(nodes.release_commands, html=(html_visitors.visit_commands, skip))
    app.add_node(nodes.release_version_box, html=(html_visitors.visit_version_box, skip))

    app.add_directive("release-runbook", ReleaseRunbookDirective)
    app.add_directive("release-step", ReleaseStepDirective)
    app.add_directive("release-troubleshoot", ReleaseTroubleshootDirective)
    app.add_directive("release-quickref", ReleaseQuickrefDirective)
    app.add_directive("release-file", ReleaseFileDirective)
    app.add_role("release-path", ReleasePathRole())
    app.add_role("release-var", ReleaseVarRole())
    app.add_role("release-code", ReleaseCodeRole())

    app.add_domain(RunbookDomain)
    app.add_builder(RunbookBuilder)

    gate = BuildGate()
    app.connect("builder-inited", add_static_files)
    app.connect("env-before-read-docs", checking.before_reading)
    app.connect("env-updated", checking.after_reading)
    app.connect("env-before-read-docs", gate.before_read)
    app.connect("doctree-read", collect_links)
    app.connect("doctree-read", check_doctree)
    app.connect("env-check-consistency", gate.check_consistency)
    app.connect("doctree-resolved", fill_doctree)
    app.connect("build-finished", gate.finished)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
