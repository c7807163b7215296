"""Typed ``runbook_*`` configuration values, validated on ``config-inited``.

This module declares them (:data:`VALUES`) and checks them (:func:`validate`);
``setup`` registers both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sphinx_release_runbook.core import git
from sphinx_release_runbook.sphinxext.diagnostics import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

DRIFT_MODES = ("error", "warning")


@dataclass(frozen=True)
class ConfigValue:
    """One ``runbook_*`` value: its default, its rebuild scope and the types it accepts."""

    name: str
    default: Any
    #: "env": changing it changes what the directives read and record, so documents re-read.
    rebuild: Literal["env", ""]
    types: frozenset[type]


#: Every config value; :func:`~.extension.setup` declares each with ``app.add_config_value``.
VALUES = (
    ConfigValue("runbook_repo_root", "", "env", frozenset({str})),
    ConfigValue("runbook_drift", "error", "", frozenset({str})),
    ConfigValue("runbook_clis", {}, "env", frozenset({dict})),
    ConfigValue("runbook_repo_url", "", "env", frozenset({str})),
    ConfigValue("runbook_docs_url", "", "env", frozenset({str})),
    ConfigValue("runbook_script_path", "", "env", frozenset({str})),
    # Read by `python -m runbook rehearse` (cli/commands/rehearse.py), declared here so a
    # build knows them and checks their type: secrets and action mappings of a rehearsal.
    ConfigValue("runbook_rehearse_secrets", {}, "", frozenset({dict})),
    ConfigValue("runbook_rehearse_actions", {}, "", frozenset({dict})),
)


def _warn(app: Sphinx, name: str, message: str) -> None:
    """A bad config value, located at its assignment in conf.py.

    A string location: no document exists yet, and Sphinx reads a string without a
    colon as a docname.  The line is the assignment's (1 when set with ``-D``).
    """
    conf = Path(app.confdir, "conf.py")
    line = 1
    try:
        for number, text in enumerate(conf.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"{name}\s*=", text):
                line = number
                break
    except OSError:
        pass
    warn(message, subtype="config", location=f"{conf}:{line}")


def validate(app: Sphinx, config: Config) -> None:
    """Fall back to the default, with a located warning, for any bad value."""
    if config.runbook_drift not in DRIFT_MODES:
        _warn(
            app,
            "runbook_drift",
            f"runbook_drift must be 'error' or 'warning', not {config.runbook_drift!r}; "
            "using 'error'",
        )
        config.runbook_drift = "error"
    clis: dict[str, Any] = config.runbook_clis
    bad = [
        name for name, target in clis.items() if not isinstance(target, str) or ":" not in target
    ]
    if bad:
        _warn(
            app,
            "runbook_clis",
            "runbook_clis values must be 'module:object' strings; ignoring "
            + ", ".join(map(repr, bad)),
        )
        config.runbook_clis = {k: v for k, v in clis.items() if k not in bad}
    for name in ("runbook_rehearse_secrets", "runbook_rehearse_actions"):
        mapping: dict[Any, Any] = getattr(config, name)
        odd = [key for key, value in mapping.items() if not _both_text(key, value)]
        if odd:
            _warn(
                app,
                name,
                f"{name} maps names to strings; ignoring " + ", ".join(map(repr, odd)),
            )
            setattr(config, name, {k: v for k, v in mapping.items() if k not in odd})
    config.runbook_repo_root = str(resolve_repo_root(app, config))


def _both_text(key: object, value: object) -> bool:
    return isinstance(key, str) and isinstance(value, str)


def resolve_repo_root(app: Sphinx, config: Config) -> Path:
    """``runbook_repo_root`` (relative to confdir), else the git top level, else confdir.

    Sets ``config._runbook_without_git`` when the root is confdir for want of git, so a
    missing path can say why the root may be wrong (:meth:`.drift.Repository.missing`).
    """
    confdir = Path(app.confdir)
    configured: str = config.runbook_repo_root
    config._runbook_without_git = False
    if configured:
        root = (confdir / configured).resolve()
        if root.is_dir():
            return root
        _warn(
            app,
            "runbook_repo_root",
            f"runbook_repo_root {config.runbook_repo_root!r} is not a directory; "
            "using the git top level",
        )
    top = git.toplevel(confdir)
    config._runbook_without_git = top is None
    return (top or confdir).resolve()
