"""``pypa/gh-action-pypi-publish`` as ``twine upload`` to the rehearsal's local index.

The distributions in ``packages-dir`` (default ``dist/``) go to the local
index with its credentials, whatever the workflow names: the action's
``repository-url`` is ignored with a notice (a rehearsal never uploads
anywhere else) and trusted publishing needs no token, so none is asked for.
As the real action does, ``twine check`` runs first unless
``verify-metadata`` is false; ``skip-existing`` and ``verbose`` are passed on.
twine runs in the rehearsal's own Python (the ``rehearse`` extra installs it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.workflows.runtime import StepLog

ACTION = "pypa/gh-action-pypi-publish"
_IGNORED = ("repository-url", "print-hash", "attestations")


def _input(inputs: dict[str, str], name: str, default: str = "") -> str:
    wanted = {name, name.replace("-", "_")}
    return next((value for key, value in inputs.items() if key.casefold() in wanted), default)


def _has_twine(python: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run(
        [os.fspath(python), "-c", "import twine"], capture_output=True, check=False, env=env
    )
    return probe.returncode == 0


def upload(
    inputs: dict[str, str], env: dict[str, str], cwd: Path, context: RehearsalContext, log: StepLog
) -> int:
    """Upload the packages directory to the local index; twine's exit status."""
    for name in _IGNORED:
        if _input(inputs, name):
            log.note(f"{ACTION}: input {name}={_input(inputs, name)} ignored in the rehearsal")
    log.note(f"{ACTION}: uploads go to the local index {context.index.upload_url}")
    packages = cwd / _input(inputs, "packages-dir", "dist")
    files = sorted(path for path in packages.glob("*") if path.is_file())
    if not files:
        log.note(f"{ACTION}: no distributions in {packages}: build them first")
        return 1
    if not _has_twine(context.python, env):
        log.note(
            f"{ACTION} is mapped to twine, which {context.python} cannot import: install "
            "it there (the rehearse extra: pip install 'sphinx-release-runbook[rehearse]')"
        )
        return 1
    twine = [os.fspath(context.python), "-m", "twine"]
    names = [os.fspath(path) for path in files]
    if _input(inputs, "verify-metadata", "true").casefold() != "false":
        status = log.execute([*twine, "check", *names], env, cwd)
        if status != 0:
            return status
    flags = ["--non-interactive", "--disable-progress-bar"]
    if _input(inputs, "skip-existing").casefold() == "true":
        flags.append("--skip-existing")
    if _input(inputs, "verbose").casefold() == "true":
        flags.append("--verbose")
    credentials = {
        "TWINE_REPOSITORY_URL": context.index.upload_url,
        "TWINE_USERNAME": context.index.username,
        "TWINE_PASSWORD": context.index.password,
    }
    return log.execute([*twine, "upload", *flags, *names], {**env, **credentials}, cwd)
