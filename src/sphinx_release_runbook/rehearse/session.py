"""One rehearsal: sandbox, index, ``gh`` stand-in, the real runner, and the cleaning up.

The order is the safety argument.  The folder is made first and removed (or
kept) last; the index is started after the clone exists and stopped in the
same ``finally``; the runner runs as a child in its own process group with
the rehearsal's environment, so its lock, state and transcript are the ones
of a real release.  Whatever ends the rehearsal (success, a failed step,
Ctrl-C, SIGTERM, an error of the set-up), the runner's group is stopped, the
index is stopped, and any process still marked with this rehearsal's home
folder is stopped (:mod:`.leftovers`) before the folder goes.

Manual steps are given to the runner as done (``--done ID``): a rehearsal
cannot do them, and the report marks them "manual, not rehearsed".
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_subdir
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.rehearse import index as local_index
from sphinx_release_runbook.rehearse import leftovers, overlay, results, sandbox
from sphinx_release_runbook.rehearse.context import HOME_VARIABLE, RehearsalContext
from sphinx_release_runbook.runner.signals import no_interrupts, sigterm_as_interrupt

#: How long the runner may take to stop its step and save its state after SIGINT.
RUNNER_STOP_GRACE = 15.0
#: How often the runner's state is read for the live progress.
POLL_INTERVAL = 0.1
#: Where the transcripts of rehearsals are kept, in the repository's private folder.
KEPT_DIR = "rehearsals"


@dataclass(frozen=True)
class RehearsalOptions:
    """What the ``rehearse`` command was asked."""

    version: str
    keep: bool = False
    start: str | None = None
    only: tuple[str, ...] = ()
    name: str | None = None
    seed: Path | None = None


@dataclass(frozen=True)
class Settings:
    """The rehearsal settings of the guide's ``conf.py``."""

    secrets: dict[str, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)


#: Loads the runbook of a project folder (the CLI's loader; this layer cannot import it).
LoadRunbook = Callable[[Path], Runbook]
#: Reads the rehearsal settings of a project folder's ``conf.py``.
ReadSettings = Callable[[Path], Settings]


@dataclass
class Rehearsal:
    """What a rehearsal did: the report's data."""

    options: RehearsalOptions
    folder: Path
    exit_code: int = int(ExitCode.OK)
    runbook: Runbook | None = None
    steps: list[results.StepResult] = field(default_factory=list)
    uncommitted: tuple[str, ...] = ()
    transcript: Path | None = None
    gh_calls: list[dict[str, Any]] = field(default_factory=list)
    index_packages: list[str] = field(default_factory=list)
    index_url: str = ""
    left_running: list[int] = field(default_factory=list)
    elapsed: float = 0.0


def write_launchers(bin_dir: Path, python: Path) -> Path:
    """The rehearsal's ``python``, ``gh`` and ``poetry`` in *bin_dir*; the ``python``'s path.

    The ``python`` runs *python* (the rehearsal's, :mod:`.overlay`) by its own
    path; the stand-in finds the ``poetry`` beside it, which is :mod:`.poetry_shim`.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
    programs = {
        "python": "",
        "python3": "",
        "gh": " -m sphinx_release_runbook.rehearse.gh",
        "poetry": " -m sphinx_release_runbook.rehearse.poetry_shim",
    }
    for name, module in programs.items():
        path = bin_dir / name
        path.write_text(f'#!/bin/sh\nexec "{python}"{module} "$@"\n', encoding="utf-8")
        path.chmod(0o755)
    return bin_dir / "python"


def runner_command(python: Path, runbook: Runbook, options: RehearsalOptions) -> list[str]:
    """``python -m runbook run --version V --yes --done MANUAL... [--from|--only] [--name]``."""
    words = [os.fspath(python), "-m", "runbook", "run", "--version", options.version, "--yes"]
    for step in runbook.steps:
        if step.kind == "manual":
            words += ["--done", step.id]
    if options.start:
        words += ["--from", options.start]
    for step_id in options.only:
        words += ["--only", step_id]
    if options.name:
        words += ["--name", options.name]
    return words


def rehearsal_env(
    environ: Mapping[str, str], tool_env: Mapping[str, str], home: Path, path: list[Path]
) -> dict[str, str]:
    """The runner's environment: the user's, less other package sources, plus the rehearsal's."""
    env = {k: v for k, v in environ.items() if k not in local_index.PIP_SOURCES_REMOVED}
    env.update(tool_env)
    env.update(sandbox.GIT_ENV)
    env[HOME_VARIABLE] = os.fspath(home)
    # Poetry's virtual environments live in the folder, so none is left in the user's cache.
    env["POETRY_VIRTUALENVS_PATH"] = os.fspath(home.parent / "poetry-virtualenvs")
    env["PATH"] = os.pathsep.join([*map(os.fspath, path), environ.get("PATH", os.defpath)])
    env.pop("VIRTUAL_ENV", None)  # the clone's tools must not think they run in ours
    return env


class _Progress:
    """Live progress: one line when a step ends, with the time it took."""

    def __init__(self, runbook: Runbook, state_path: Path, out: TextIO) -> None:
        self.runbook = runbook
        self.state_path = state_path
        self.out = out
        self.measured: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.monotonic()
        self._done: set[str] = set()
        self._numbers = {step.id: step.number for step in runbook.steps}

    def poll(self) -> None:
        state = results.read_state(self.state_path)
        if not state:
            return
        now = time.monotonic()
        for step_id in state.get("completed") or []:
            if step_id not in self._done:
                self._done.add(step_id)
                seconds = now - self._since if self._current == step_id else 0.0
                self.measured[step_id] = seconds
                self._say(step_id, "done", seconds)
        current = state.get("current")
        if current != self._current:
            if self._current and self._current not in self._done:
                self.measured[self._current] = now - self._since
            self._current, self._since = current, now

    def finish(self) -> None:
        """The step the run stopped in gets the time it ran."""
        self.poll()
        if self._current and self._current not in self._done:
            self.measured[self._current] = time.monotonic() - self._since

    def _say(self, step_id: str, what: str, seconds: float) -> None:
        total = len(self.runbook.steps)
        number = self._numbers.get(step_id, 0)
        self.out.write(f"rehearse: [{number}/{total}] {step_id} {what} ({seconds:.1f}s)\n")
        self.out.flush()


def _stop_runner(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the runner (it stops its step and saves), then SIGTERM, then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=RUNNER_STOP_GRACE)
    except subprocess.TimeoutExpired:
        local_index.stop_group(process, 3.0)


def _run_runner(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    progress: _Progress,
) -> int:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, process_group=0)
    try:
        while process.poll() is None:
            progress.poll()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=POLL_INTERVAL)
        return process.returncode
    finally:
        with no_interrupts():
            _stop_runner(process)
            progress.finish()


def _keep_transcript(runner_root: Path, state: Mapping[str, Any], project: Path) -> Path | None:
    """Copy the run's transcript to the repository's ``.runbook/rehearsals/`` (the clone goes)."""
    names = state.get("transcripts") or []
    if not names:
        return None
    source = runner_root / str(names[-1])
    if not source.is_file():
        return None
    try:
        folder = ensure_private_subdir(project, KEPT_DIR)
        target = folder / source.name
        counter = 2
        while target.exists():  # a transcript of a rehearsal in the same second
            target = folder / f"{source.stem}-{counter}{source.suffix}"
            counter += 1
        shutil.copyfile(source, target)
        target.chmod(0o600)
    except (OSError, RuntimeError):
        return source
    return target


def rehearse(
    start: Path,
    project: Path,
    options: RehearsalOptions,
    load_runbook: LoadRunbook,
    read_settings: ReadSettings,
    out: TextIO | None = None,
) -> Rehearsal:
    """Rehearse the release of the project at *project* (the command ran in *start*)."""
    out = out or sys.stdout
    python = Path(sys.executable)
    folder = Path(tempfile.mkdtemp(prefix="runbook-rehearse-")).resolve()
    home = folder / "home"
    home.mkdir()
    rehearsal = Rehearsal(options=options, folder=folder)
    began = time.monotonic()
    index: local_index.LocalIndex | None = None
    box: sandbox.Sandbox | None = None
    progress: _Progress | None = None
    try:
        with sigterm_as_interrupt():
            out.write(f"rehearse: folder {folder}\n")
            box = sandbox.create(start, project, folder / "work")
            rehearsal.uncommitted = box.uncommitted
            if box.uncommitted:
                out.write(
                    f"rehearse: {len(box.uncommitted)} uncommitted change(s) rehearsed as one "
                    f"extra commit in the clone ({sandbox.UNCOMMITTED_MESSAGE!r})\n"
                )
            runbook = load_runbook(box.project)
            rehearsal.runbook = runbook
            settings = read_settings(box.project)
            index = local_index.start(
                folder / "index",
                upstream=local_index.upstream_index(dict(os.environ)),
                local_only=[runbook.package] if runbook.package else [],
                seed=options.seed,
                python=python,
                marker={HOME_VARIABLE: os.fspath(home)},
            )
            rehearsal.index_url = index.credentials.url
            out.write(f"rehearse: local index {index.credentials.url}\n")
            out.flush()
            bin_dir = folder / "bin"
            runtime = overlay.create(folder / "python")
            launcher = write_launchers(bin_dir, runtime)
            tool_env = local_index.tool_env(index.credentials)
            context = RehearsalContext(
                repository=box.clone,
                home=home,
                python=launcher,
                index=index.credentials,
                tool_env=tool_env,
                secrets=settings.secrets,
                actions=settings.actions,
                github=github_context(box),
            )
            context.write()
            path = [bin_dir, runtime.parent, python.parent]
            env = rehearsal_env(os.environ, tool_env, home, path)
            progress = _Progress(runbook, box.project / ".runbook" / "state.json", out)
            command = runner_command(launcher, runbook, options)
            rehearsal.exit_code = _run_runner(command, box.project, env, progress)
    except KeyboardInterrupt:
        rehearsal.exit_code = int(ExitCode.INTERRUPTED)
    finally:
        with no_interrupts():
            if box is not None:
                _collect(rehearsal, box, progress.measured if progress else {}, project)
            if index is not None:
                index.stop()
                rehearsal.index_packages = index.packages_held()
            rehearsal.gh_calls = results.gh_calls(home)
            rehearsal.left_running = leftovers.stop_marked(home)
            if not options.keep:
                shutil.rmtree(folder, ignore_errors=True)
            rehearsal.elapsed = time.monotonic() - began
    return rehearsal


def _collect(
    rehearsal: Rehearsal, box: sandbox.Sandbox, measured: Mapping[str, float], project: Path
) -> None:
    """The steps' results from the runner's state and transcript; the transcript kept."""
    state = results.read_state(box.project / ".runbook" / "state.json")
    if rehearsal.runbook is not None:
        transcript = _transcript_text(box.project, state)
        rehearsal.steps = results.step_results(rehearsal.runbook, state, transcript, measured)
    if rehearsal.options.keep:
        rehearsal.transcript = _transcript_in(box.project, state)
    else:
        rehearsal.transcript = _keep_transcript(box.project, state, project)


def _transcript_in(root: Path, state: Mapping[str, Any]) -> Path | None:
    names = state.get("transcripts") or []
    return root / str(names[-1]) if names else None


def _transcript_text(root: Path, state: Mapping[str, Any]) -> str:
    path = _transcript_in(root, state)
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def github_context(box: sandbox.Sandbox) -> dict[str, str]:
    """The ``${{ github.* }}`` values known before a workflow runs (the stand-in adds the rest)."""
    repository = sandbox.github_repository(box.real_origin) or f"rehearsal/{box.clone.name}"
    return {
        "repository": repository,
        "repository_owner": repository.partition("/")[0],
        "server_url": "https://github.com",
        "api_url": "https://api.github.com",
        "actor": "rehearsal",
        "sha": box.head,
        "ref_name": box.branch,
    }
