"""Filling a workflow's values: ``${{ }}`` with the rehearsal's contexts, errors located.

Every evaluated value comes from a :class:`~.model.Scalar`, so a failure
(an expression the rehearsal cannot evaluate, a secret it cannot give) is a
:class:`~.errors.WorkflowError` at that value's line.  ``secrets`` is a
:class:`~.expressions.Lookup` that knows where it is read (which ``env:``
variable, which action input), since that decides the value
(:mod:`.secrets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.workflows import expressions, secrets
from sphinx_release_runbook.rehearse.workflows.errors import WorkflowError
from sphinx_release_runbook.rehearse.workflows.expressions import ExpressionError, Lookup, Value
from sphinx_release_runbook.rehearse.workflows.model import Scalar


@dataclass
class Evaluator:
    """Evaluates the values of one workflow file for one job or step."""

    file: Path
    context: RehearsalContext
    contexts: dict[str, Value] = field(default_factory=dict)  # all but secrets and env
    env: dict[str, str] = field(default_factory=dict)
    status: str = "success"
    step: str = ""  # the step's title, for messages

    def _scope(self, position: secrets.Position) -> expressions.Scope:
        def secret(name: str) -> Value:
            return secrets.secret_value(name, position, self.context)

        contexts: dict[str, Value] = {
            **self.contexts,
            "env": dict(self.env),
            "secrets": Lookup(secret),
        }
        return expressions.Scope(contexts, self.status)

    def _located(self, scalar: Scalar, error: Exception) -> WorkflowError:
        if isinstance(error, secrets.MissingSecret):
            message = secrets.missing_secret_message(error.name, self.step or "job")
        else:
            message = str(error)
        return WorkflowError(self.file, scalar.line, message)

    def text(self, scalar: Scalar, position: secrets.Position | None = None) -> str:
        """*scalar* with its ``${{ }}`` filled in."""
        try:
            return expressions.substitute(scalar.text, self._scope(position or secrets.Position()))
        except (ExpressionError, secrets.MissingSecret) as error:
            raise self._located(scalar, error) from error

    def condition(self, scalar: Scalar | None) -> bool:
        """An ``if:`` (absent: ``success()``)."""
        if scalar is None:
            return self.status == "success"
        try:
            return expressions.condition(scalar.text, self._scope(secrets.Position()))
        except (ExpressionError, secrets.MissingSecret) as error:
            raise self._located(scalar, error) from error

    def env_level(self, entries: Mapping[str, Scalar]) -> dict[str, str]:
        """One ``env:`` mapping, each value seeing the variables set above it."""
        values: dict[str, str] = {}
        for name, scalar in entries.items():
            values[name] = self.text(scalar, secrets.Position(variable=name))
        return values

    def inputs(self, action: str, entries: Mapping[str, Scalar]) -> dict[str, str]:
        """An action's ``with:`` inputs."""
        return {
            name: self.text(scalar, secrets.Position(action=action, input=name))
            for name, scalar in entries.items()
        }

    def masked(self) -> list[str]:
        """The values the logs must not show: the index password and conf.py's secrets."""
        return [self.context.index.password, *self.context.secrets.values()]
