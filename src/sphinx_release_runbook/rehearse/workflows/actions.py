"""The map of well-known actions to local equivalents, and conf.py's own mappings.

A step's ``uses: owner/name[/path]@ref`` runs, in this order of lookup:

1. a mapping from conf.py (``runbook_rehearse_actions = {"owner/name":
   "command"}``, in the context's ``actions``): the command runs like a
   ``run:`` step (bash), with the step's inputs as ``INPUT_<NAME>`` variables
   as GitHub passes them to an action; it may also replace a built-in mapping;
2. a built-in mapping: ``actions/checkout`` (the run's checkout already is the
   tag: nothing to do, noted), ``actions/setup-python`` (a fresh virtual
   environment of the rehearsal's Python first on ``PATH``, with a notice
   when the workflow asks another version), ``snok/install-poetry`` and
   ``abatilo/actions-poetry`` (the local Poetry on ``PATH``, the inputs as
   ``POETRY_*`` settings), ``pypa/gh-action-pypi-publish`` (:mod:`.publish`)
   and the artifact actions (:mod:`.artifacts`).

Anything else is unknown and stops the run before its first step
(:func:`is_known` is asked for every step first): an action skipped or
guessed at would rehearse a different workflow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.workflows import artifacts, poetry_guard, publish, shell, venvs
from sphinx_release_runbook.rehearse.workflows.runtime import JobState, StepLog


@dataclass(frozen=True)
class ActionCall:
    """One ``uses:`` step, its inputs and environment already evaluated."""

    uses: str  # as written: owner/name@ref
    inputs: dict[str, str]
    env: dict[str, str]  # the step's whole environment
    cwd: Path
    step_index: int

    @property
    def name(self) -> str:
        """``owner/name[/path]`` in lower case, without the ``@ref``."""
        return action_name(self.uses)


#: An action's local equivalent: its exit status and its outputs.
Handler = Callable[[ActionCall, JobState, StepLog], tuple[int, dict[str, str]]]


def action_name(uses: str) -> str:
    return uses.split("@", 1)[0].strip().casefold()


def _input(call: ActionCall, name: str, default: str = "") -> str:
    """An input by name: GitHub's names are case-insensitive, ``-`` and ``_`` both used."""
    wanted = {name.casefold(), name.casefold().replace("-", "_")}
    for key, value in call.inputs.items():
        if key.casefold() in wanted:
            return value
    return default


def _checkout(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    log.note(f"{call.uses}: the tag is already checked out in {job.workspace}; nothing to do")
    for name in ("repository", "ref", "path"):
        if _input(call, name):
            log.note(f"{call.uses}: input {name}={_input(call, name)} ignored in the rehearsal")
    return 0, {}


@lru_cache(maxsize=4)
def _python_version(python: Path) -> str:
    result = subprocess.run(
        [os.fspath(python), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def version_notice(requested: str, actual: str) -> str:
    """A notice when the workflow's ``python-version`` is not the rehearsal's; else ``""``."""
    lines = [line.strip() for line in requested.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    wanted = lines[-1].strip("'\"")
    parts = re.fullmatch(r"(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?", wanted)
    if parts is None:
        return (
            f"the workflow asks Python '{wanted}', which the rehearsal cannot compare: "
            f"it uses Python {actual}"
        )
    have = actual.split(".")
    for index, part in enumerate(parts.groups()):
        if part is None or part == "x":
            break
        if index >= len(have) or have[index] != part:
            return f"the workflow asks Python {wanted}; the rehearsal uses Python {actual}"
    return ""


def _setup_python(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    python = job.context.python
    actual = _python_version(python)
    notice = version_notice(_input(call, "python-version"), actual)
    if notice:
        log.note(notice)
    if _input(call, "python-version-file"):
        log.note(f"python-version-file ignored: the rehearsal uses Python {actual}")
    if _input(call, "cache"):
        log.note(f"cache: {_input(call, 'cache')} ignored: a rehearsal has no cache to restore")
    venv = job.job_dir / "python"
    if not (venv / "bin" / "python").exists():
        log.note(f"a fresh virtual environment of {python} (Python {actual}) in {venv}")
        try:
            fallback = venvs.create(python, venv, call.env)
        except (OSError, subprocess.CalledProcessError) as exc:
            log.note(f"cannot make the virtual environment {venv}: {exc}")
            return 1, {}
        status = log.execute(fallback, call.env, call.cwd) if fallback else 0
        if status != 0:
            return status, {}
    job.prepend_path(venv / "bin")
    job.env.update({"pythonLocation": os.fspath(venv), "Python_ROOT_DIR": os.fspath(venv)})
    return 0, {
        "python-version": actual,
        "python-path": os.fspath(venv / "bin" / "python"),
        "cache-hit": "false",
    }


def find_poetry(context: RehearsalContext, path: str) -> Path | None:
    """The ``poetry`` beside the rehearsal's Python, else the one on *path*."""
    beside = context.python.parent / "poetry"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    for entry in path.split(os.pathsep):
        found = shutil.which("poetry", path=entry) if entry else None
        if found and not poetry_guard.is_guard(Path(found)):
            return Path(found)
    return None


#: snok/install-poetry's inputs that are Poetry settings.
_POETRY_SETTINGS = {
    "virtualenvs-create": "POETRY_VIRTUALENVS_CREATE",
    "virtualenvs-in-project": "POETRY_VIRTUALENVS_IN_PROJECT",
    "virtualenvs-path": "POETRY_VIRTUALENVS_PATH",
    "installer-parallel": "POETRY_INSTALLER_PARALLEL",
}


def _poetry(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    poetry = find_poetry(job.context, call.env.get("PATH", ""))
    if poetry is None:
        log.note(
            f"{call.uses} is mapped to the local Poetry, and there is none: install it beside "
            f"the rehearsal's Python ({job.context.python} -m pip install poetry) or on PATH, "
            f'or map the action in conf.py: runbook_rehearse_actions = {{"{call.name}": '
            '"command"}'
        )
        return 1, {}
    link = job.job_dir / "bin" / "poetry"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(poetry)
    job.prepend_path(link.parent)
    log.note(f"{call.uses}: Poetry {poetry} on PATH")
    for name in ("version", "poetry-version"):
        version = _input(call, name)
        if version and version != "latest":
            log.note(f"{name}: {version} ignored: the rehearsal uses the local Poetry")
    for name, variable in _POETRY_SETTINGS.items():
        value = _input(call, name)
        if not value:
            continue
        if variable == "POETRY_VIRTUALENVS_PATH" and value.startswith("~"):
            value = os.fspath(job.job_dir / "home") + value[1:]
            log.note(f"virtualenvs-path under the run, not your home folder: {value}")
        job.env[variable] = value
        log.note(f"{name}: {value} -> {variable}={value}")
    for name in ("plugins", "poetry-plugins", "installation-arguments"):
        if _input(call, name):
            log.note(f"{name}: {_input(call, name)} ignored: the local Poetry is used as it is")
    return 0, {}


def _upload_artifact(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    name = _input(call, "name", "artifact")
    try:
        copies = artifacts.upload(
            job.artifacts_dir,
            call.cwd,
            name,
            _input(call, "path"),
            _input(call, "if-no-files-found", "warn"),
        )
    except artifacts.ArtifactError as exc:
        log.note(str(exc))
        return 1, {}
    if not copies:
        log.note(f"no files were found with the provided path: {_input(call, 'path').strip()}")
    log.note(f"artifact '{name}': {len(copies)} file(s) in {job.artifacts_dir / name}")
    return 0, {"artifact-id": name}


def _download_artifact(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    try:
        written = artifacts.download(
            job.artifacts_dir, call.cwd, _input(call, "name"), _input(call, "path")
        )
    except artifacts.ArtifactError as exc:
        log.note(str(exc))
        return 1, {}
    for folder in written:
        log.note(f"artifact downloaded to {folder}")
    return 0, {"download-path": os.fspath(written[0]) if written else os.fspath(call.cwd)}


def _publish(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    return publish.upload(call.inputs, call.env, call.cwd, job.context, log), {}


WELL_KNOWN: dict[str, Handler] = {
    "actions/checkout": _checkout,
    "actions/setup-python": _setup_python,
    "snok/install-poetry": _poetry,
    "abatilo/actions-poetry": _poetry,
    publish.ACTION: _publish,
    "actions/upload-artifact": _upload_artifact,
    "actions/download-artifact": _download_artifact,
}


def mapped_command(uses: str, context: RehearsalContext) -> str | None:
    """conf.py's command for *uses* (``owner/name@ref`` first, then ``owner/name``)."""
    mappings = {key.strip().casefold(): value for key, value in context.actions.items()}
    written = uses.strip().casefold()
    return mappings.get(written, mappings.get(action_name(uses)))


def is_known(uses: str, context: RehearsalContext) -> bool:
    return mapped_command(uses, context) is not None or action_name(uses) in WELL_KNOWN


def unknown_message(uses: str) -> str:
    return (
        f"the rehearsal does not know the action '{uses}': map it to a local command in "
        f'conf.py: runbook_rehearse_actions = {{"{action_name(uses)}": "command"}} '
        "(the command runs like a run: step, with the inputs as INPUT_<NAME> variables)"
    )


def input_variables(inputs: dict[str, str]) -> dict[str, str]:
    """GitHub's ``INPUT_<NAME>`` variables of an action's inputs."""
    return {f"INPUT_{name.replace(' ', '_').upper()}": value for name, value in inputs.items()}


def run_action(call: ActionCall, job: JobState, log: StepLog) -> tuple[int, dict[str, str]]:
    """Run the local equivalent of *call* (which :func:`is_known` accepted)."""
    command = mapped_command(call.uses, job.context)
    if command is not None:
        log.note(f"{call.uses} mapped by conf.py to: {command}")
        script = job.job_dir / f"step-{call.step_index + 1}-action.sh"
        script.write_text(command + "\n", encoding="utf-8")
        env = {**call.env, **input_variables(call.inputs)}
        return log.execute(shell.command(None, os.fspath(script)), env, call.cwd), {}
    return WELL_KNOWN[call.name](call, job, log)
