"""Which value ``${{ secrets.NAME }}`` gets in a rehearsal, and the message when none.

A rehearsal never holds a real secret.  ``GITHUB_TOKEN`` gets a dummy; a
secret written where a publisher takes its token (the positions below) gets
the local index's credentials, whatever the secret is called, so the
workflow's own publish command authenticates against the local index; a
secret named in conf.py's ``runbook_rehearse_secrets`` gets that value.  Any
other secret stops the job: running on without it would rehearse a different
workflow.  The publisher positions win over conf.py, so a real token typed
into conf.py by mistake is still never sent anywhere but the local index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sphinx_release_runbook.rehearse.context import RehearsalContext

#: What ``secrets.GITHUB_TOKEN`` (and ``github.token``) reads in a rehearsal.
DUMMY_GITHUB_TOKEN = "rehearsal-github-token"

#: Environment variables a publisher reads its password or token from.
_PASSWORD_VARIABLES = re.compile(
    r"POETRY_PYPI_TOKEN_\w+|TWINE_PASSWORD|POETRY_HTTP_BASIC_\w+_PASSWORD"
    r"|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD"
)
#: ... and its user name from.
_USERNAME_VARIABLES = re.compile(
    r"TWINE_USERNAME|POETRY_HTTP_BASIC_\w+_USERNAME|UV_PUBLISH_USERNAME"
)
PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
PUBLISHER_POSITIONS = (
    "a step's POETRY_PYPI_TOKEN_*, TWINE_PASSWORD, POETRY_HTTP_BASIC_*_PASSWORD, "
    f"UV_PUBLISH_TOKEN or UV_PUBLISH_PASSWORD variable, or the password input of {PUBLISH_ACTION}"
)


def is_credential(variable: str) -> bool:
    """Whether *variable* is where a publisher reads its token, password or user name."""
    return bool(_PASSWORD_VARIABLES.fullmatch(variable) or _USERNAME_VARIABLES.fullmatch(variable))


@dataclass(frozen=True)
class Position:
    """Where a secret is read: an ``env:`` variable, an action's input, or anywhere else."""

    variable: str = ""  # the env: name the value goes to
    action: str = ""  # the action ("owner/name") whose input it is
    input: str = ""


class MissingSecret(LookupError):
    """The rehearsal has no value for this secret; the caller locates the message."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _publisher_credential(position: Position, context: RehearsalContext) -> str | None:
    if _PASSWORD_VARIABLES.fullmatch(position.variable):
        return context.index.password
    if _USERNAME_VARIABLES.fullmatch(position.variable):
        return context.index.username
    if position.action.casefold() == PUBLISH_ACTION:
        if position.input == "password":
            return context.index.password
        if position.input == "user":
            return context.index.username
    return None


def secret_value(name: str, position: Position, context: RehearsalContext) -> str:
    """The rehearsal's value of ``secrets.NAME`` read at *position*, or :class:`MissingSecret`."""
    if name.upper() == "GITHUB_TOKEN":
        return DUMMY_GITHUB_TOKEN
    credential = _publisher_credential(position, context)
    if credential is not None:
        return credential
    if name in context.secrets:
        return context.secrets[name]
    raise MissingSecret(name)


def missing_secret_message(name: str, step: str) -> str:
    """What to tell the user about a secret the rehearsal cannot give (without the location)."""
    return (
        f"the secret {name} (step '{step}') has no value in the rehearsal: the index "
        f"credentials go only to a publisher's token ({PUBLISHER_POSITIONS}); provide it "
        f'in conf.py: runbook_rehearse_secrets = {{"{name}": "value"}}'
    )
