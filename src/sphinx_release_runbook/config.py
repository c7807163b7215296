"""Typed ``runbook_*`` configuration values, validated on ``config-inited``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from .repository import git_toplevel

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

DRIFT_MODES = ("error", "warning")


def register(app: Sphinx) -> None:
    """Declare every config value with its type and rebuild scope."""
    # "env": these change what the directives read and record, so documents re-read.
    app.add_config_value("runbook_repo_root", "", "env", types=frozenset({str}))
    app.add_config_value("runbook_drift", "error", "", types=frozenset({str}))
    app.add_config_value("runbook_clis", {}, "env", types=frozenset({dict}))
    app.add_config_value("runbook_repo_url", "", "env", types=frozenset({str}))
    app.add_config_value("runbook_docs_url", "", "env", types=frozenset({str}))
    app.add_config_value("runbook_script_path", "", "env", types=frozenset({str}))
    app.connect("config-inited", validate)


def _conf_location(app: Sphinx) -> tuple[str, int]:
    return (str(Path(app.confdir, "conf.py")), 0)


def validate(app: Sphinx, config: Config) -> None:
    """Fall back to the default, with a located warning, for any bad value."""
    if config.runbook_drift not in DRIFT_MODES:
        logger.warning(
            "runbook_drift must be 'error' or 'warning', not %r; using 'error'",
            config.runbook_drift,
            type="runbook",
            subtype="config",
            location=_conf_location(app),
        )
        config.runbook_drift = "error"
    clis: dict[str, Any] = config.runbook_clis
    bad = [
        name for name, target in clis.items() if not isinstance(target, str) or ":" not in target
    ]
    if bad:
        logger.warning(
            "runbook_clis values must be 'module:object' strings; ignoring %s",
            ", ".join(map(repr, bad)),
            type="runbook",
            subtype="config",
            location=_conf_location(app),
        )
        config.runbook_clis = {k: v for k, v in clis.items() if k not in bad}
    config.runbook_repo_root = str(resolve_repo_root(app, config))


def resolve_repo_root(app: Sphinx, config: Config) -> Path:
    """``runbook_repo_root`` (relative to confdir), else the git top level, else confdir."""
    confdir = Path(app.confdir)
    if config.runbook_repo_root:
        root = (confdir / config.runbook_repo_root).resolve()
        if root.is_dir():
            return root
        logger.warning(
            "runbook_repo_root %r is not a directory; using the git top level",
            config.runbook_repo_root,
            type="runbook",
            subtype="config",
            location=_conf_location(app),
        )
    return (git_toplevel(confdir) or confdir).resolve()
