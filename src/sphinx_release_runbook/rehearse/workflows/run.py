"""A local run of the workflows an event starts: checkout, jobs in ``needs`` order, steps.

Runs happen synchronously, in the process that received the event (``gh
release create``, the push hook): one run after the other, deterministic, and
over when the command returns, so the runner's next step (``gh run list``,
``gh run watch``) always finds them complete.  ``gh release create`` still
exits 0 when a run fails, as the real one does: the failure shows in ``gh run
watch --exit-status``, which is where a release guide looks for it.

A step's environment, lowest precedence first: the rehearsal's own (without
the variables of an active virtual environment, so no tool lands in the
user's), the runner's defaults (``CI``, ``GITHUB_*``, ``RUNNER_*``), the
workflow's ``env``, the job's, what earlier steps added (``$GITHUB_ENV``,
actions), the step's, and last the context's ``tool_env`` (the settings that
point pip, Poetry, twine and uv at the local index: a workflow's own index
settings are overridden, with a note in the log; its credentials are left
out: a workflow publishes with the secrets it names, as on GitHub).  ``PATH`` starts with the
run's ``bin`` folder (:mod:`.poetry_guard`: ``poetry publish`` goes to the
local index), then what earlier steps added.

What stops a run with a located message (``FILE:LINE: ...``), before its
first step: an unknown action, a ``shell:`` it cannot run, a job feature a
local run cannot honour (``strategy.matrix``, ``container``, ``services``,
reusable workflows), ``needs`` naming no job.  What stops a job at its step:
a secret it cannot give, an expression it cannot evaluate.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.workflows import (
    actions,
    checkout,
    envfiles,
    poetry_guard,
    records,
    secrets,
    shell,
)
from sphinx_release_runbook.rehearse.workflows.errors import WorkflowError
from sphinx_release_runbook.rehearse.workflows.evaluation import Evaluator
from sphinx_release_runbook.rehearse.workflows.expressions import Value, truthy
from sphinx_release_runbook.rehearse.workflows.model import Job, Step, Workflow
from sphinx_release_runbook.rehearse.workflows.parse import parse_workflow
from sphinx_release_runbook.rehearse.workflows.records import JobRecord, RunRecord, StepRecord
from sphinx_release_runbook.rehearse.workflows.runtime import JobState, StepLog
from sphinx_release_runbook.rehearse.workflows.triggers import Event, triggered

#: Variables of the rehearsal's own environment a workflow step must not inherit:
#: they would make pip or Poetry use the user's virtual environment.
_NOT_INHERITED = ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "CONDA_PREFIX", "POETRY_ACTIVE")


@dataclass(frozen=True)
class Trigger:
    """An event with what its runs need: the tag, its commit, the payload."""

    event: Event
    sha: str
    title: str  # the run's displayTitle
    payload: dict[str, Value] = field(default_factory=dict)  # github.event
    project: str = ""  # the folder acting as the repository (checkout.project_of)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_runs(context: RehearsalContext, trigger: Trigger) -> list[RunRecord]:
    """Run every workflow of the tag's commit that *trigger* starts; their records."""
    source = checkout.remote_of(context)
    runs: list[RunRecord] = []
    for path, text in checkout.workflow_files(source, trigger.sha, trigger.project).items():
        try:
            workflow = parse_workflow(text, Path(path))
        except WorkflowError as exc:
            if trigger.event.name in text:  # it may listen to the event: show why it did not run
                runs.append(_invalid_run(context, path, trigger, str(exc)))
            continue
        if triggered(workflow, trigger.event):
            runs.append(_Run(context, workflow, trigger, source).execute())
    return runs


def _invalid_run(context: RehearsalContext, path: str, trigger: Trigger, error: str) -> RunRecord:
    run_id, folder = records.new_run_dir(context.home)
    stamp = now()
    record = RunRecord(
        id=run_id,
        workflow=path,
        file=path,
        event=trigger.event.name,
        tag=trigger.event.tag,
        sha=trigger.sha,
        title=trigger.title,
        created_at=stamp,
        updated_at=stamp,
        status="completed",
        conclusion="failure",
        error=error,
    )
    (folder / records.LOG_FILE).write_text(f"invalid workflow file: {error}\n", encoding="utf-8")
    records.save(context.home, record)
    return record


def job_order(workflow: Workflow) -> list[Job]:
    """The jobs in ``needs`` order (file order among the ready ones)."""
    by_id = {job.id: job for job in workflow.jobs}
    for job in workflow.jobs:
        for need in job.needs:
            if need not in by_id:
                raise WorkflowError(workflow.file, job.line, f"needs: '{need}' is not a job here")
    ordered: list[Job] = []
    done: set[str] = set()
    while len(ordered) < len(workflow.jobs):
        ready = [j for j in workflow.jobs if j.id not in done and set(j.needs) <= done]
        if not ready:
            stuck = next(j for j in workflow.jobs if j.id not in done)
            raise WorkflowError(workflow.file, stuck.line, "the jobs' needs: form a cycle")
        ordered.append(ready[0])
        done.add(ready[0].id)
    return ordered


def _preflight(workflow: Workflow, context: RehearsalContext) -> None:
    """Raise the :class:`WorkflowError` of the first thing the run cannot honour, if any."""
    for job in workflow.jobs:
        for feature in job.unsupported:
            raise WorkflowError(
                workflow.file,
                feature.line,
                f"job '{job.id}' uses {feature.text}, which a local run cannot honour",
            )
        for step in job.steps:
            uses = step.uses
            if uses is not None and not actions.is_known(uses.text, context):
                raise WorkflowError(workflow.file, uses.line, actions.unknown_message(uses.text))
            chosen = step.shell or job.defaults.shell or workflow.defaults.shell
            if step.run is not None and chosen is not None:
                try:
                    shell.command(chosen.text, "script")
                except shell.UnsupportedShell as exc:
                    raise WorkflowError(workflow.file, chosen.line, str(exc)) from exc


class _Run:
    """One run of one workflow."""

    def __init__(
        self, context: RehearsalContext, workflow: Workflow, trigger: Trigger, source: Path
    ) -> None:
        self.context = context
        self.workflow = workflow
        self.trigger = trigger
        self.source = source
        self.id, self.folder = records.new_run_dir(context.home)
        self.clone = self.folder / "checkout"
        self.workspace = self.clone / trigger.project if trigger.project else self.clone
        self.record = RunRecord(
            id=self.id,
            workflow=workflow.name,
            file=workflow.file.as_posix(),
            event=trigger.event.name,
            tag=trigger.event.tag,
            sha=trigger.sha,
            title=trigger.title,
            created_at=now(),
            jobs=[
                JobRecord(
                    id=job.id,
                    name=job.title,
                    line=job.line,
                    steps=[StepRecord(name=step.title, line=step.line) for step in job.steps],
                )
                for job in workflow.jobs
            ],
        )
        self.log = (self.folder / records.LOG_FILE).open("w", encoding="utf-8")
        self.results: dict[str, dict[str, Value]] = {}  # the needs context
        self._outputs: dict[str, str] = {}  # the current step's outputs
        self._notes: list[str] = []  # the current step's notes about its environment
        self._halted = False  # a step met what the rehearsal cannot run: the job stops there
        self.guard = poetry_guard.install(self.folder / "bin", context.index.upload_url)

    def save(self) -> None:
        self.record.updated_at = now()
        records.save(self.context.home, self.record)

    def execute(self) -> RunRecord:
        self.save()
        event = self.trigger.event
        self.log.write(
            f"run {self.id}: {self.workflow.name} ({self.workflow.file}) on {event.name}"
            f"{':' + event.action if event.action else ''} of {event.tag} ({self.trigger.sha})\n"
        )
        try:
            _preflight(self.workflow, self.context)
            order = job_order(self.workflow)
            checkout.clone_at(self.source, self.trigger.event.tag, self.clone)
            event_file = self.folder / "event.json"
            event_file.write_text(json.dumps(self.trigger.payload, indent=2), encoding="utf-8")
            for job in order:
                self._job(job, self.record.jobs[self.workflow.jobs.index(job)])
        except WorkflowError as exc:
            self._stopped(exc)
        except OSError as exc:
            self.record.error = str(exc)
            self.log.write(f"rehearsal: {exc}\n")
        except KeyboardInterrupt:  # the rehearsal was stopped: record the run as cancelled
            self.record.status, self.record.conclusion = "completed", "cancelled"
            self.record.error = "cancelled: the rehearsal was interrupted"
            self.log.close()
            self.save()
            raise
        failed = bool(self.record.error) or any(
            job.conclusion == "failure" for job in self.record.jobs
        )
        for job_record in self.record.jobs:
            if job_record.conclusion == "pending":
                job_record.conclusion = "skipped"
            for step_record in job_record.steps:
                if step_record.conclusion == "pending":
                    step_record.conclusion = "skipped"
        self.record.status = "completed"
        self.record.conclusion = "failure" if failed else "success"
        self.log.write(f"run {self.id}: {self.record.conclusion}\n")
        self.log.close()
        self.save()
        return self.record

    def _stopped(self, error: WorkflowError) -> None:
        """Record *error* on the step (or job) at its line, and as the run's error."""
        self.record.error = str(error)
        self.log.write(f"rehearsal: stopped: {error}\n")
        for job, job_record in zip(self.workflow.jobs, self.record.jobs, strict=True):
            for step, step_record in zip(job.steps, job_record.steps, strict=True):
                lines = {step.line, *(s.line for s in (step.uses, step.run, step.shell) if s)}
                lines |= {value.line for value in (*step.env.values(), *step.with_.values())}
                if error.line in lines or step_record.conclusion == "running":
                    step_record.conclusion = "failure"
                    step_record.message = str(error)
                    job_record.conclusion = "failure"
                    return
            if job.line == error.line or job_record.conclusion == "running":
                job_record.conclusion = "failure"
                return

    def _github(self, job: Job) -> dict[str, Value]:
        event = self.trigger.event
        given: dict[str, Value] = dict(self.context.github)
        repository = str(given.get("repository", "rehearsal/repository"))
        return {
            "server_url": "https://github.com",
            "api_url": "https://api.github.com",
            "actor": "rehearsal",
            "repository_owner": repository.split("/", 1)[0],
            **given,
            "repository": repository,
            "event_name": event.name,
            "event": self.trigger.payload,
            "event_path": os.fspath(self.folder / "event.json"),
            "ref": f"refs/tags/{event.tag}",
            "ref_name": event.tag,
            "ref_type": "tag",
            "sha": self.trigger.sha,
            "workspace": os.fspath(self.workspace),
            "run_id": str(self.id),
            "run_number": str(self.id),
            "run_attempt": "1",
            "workflow": self.workflow.name,
            "job": job.id,
            "token": "rehearsal-github-token",
            "head_ref": "",
            "base_ref": "",
        }

    def _base_env(self, job: Job, job_dir: Path, github: dict[str, Value]) -> dict[str, str]:
        env = checkout.clean_environment()
        for name in _NOT_INHERITED:
            env.pop(name, None)
        (job_dir / "tmp").mkdir(parents=True, exist_ok=True)
        env.update(
            {
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "RUNNER_OS": "Linux",
                "RUNNER_ARCH": "X64",
                "RUNNER_TEMP": os.fspath(job_dir / "tmp"),
                "RUNNER_TOOL_CACHE": os.fspath(job_dir / "tool-cache"),
                # Poetry's environments stay in the run, never in the user's cache.
                "POETRY_VIRTUALENVS_PATH": os.fspath(job_dir / "poetry-virtualenvs"),
            }
        )
        for name in (
            "repository", "repository_owner", "server_url", "api_url", "actor", "event_name",
            "event_path", "ref", "ref_name", "ref_type", "sha", "workspace", "run_id",
            "run_number", "run_attempt", "workflow", "job", "head_ref", "base_ref",
        ):  # fmt: skip
            env[f"GITHUB_{name.upper()}"] = str(github[name])
        return env

    def _job(self, job: Job, record: JobRecord) -> None:
        started = time.monotonic()
        needs_ok = all(self.results.get(need, {}).get("result") == "success" for need in job.needs)
        github = self._github(job)
        contexts: dict[str, Value] = {
            "github": github,
            "needs": {need: self.results.get(need, {}) for need in job.needs},
            "inputs": {},
            "vars": {},
            "matrix": {},
            "strategy": {},
        }
        evaluator = Evaluator(self.workflow.file, self.context, dict(contexts))
        evaluator.status = "success" if needs_ok else "failure"
        self.log.write(f"== job {job.title} ({self.workflow.file}:{job.line})\n")
        if not evaluator.condition(job.if_):
            record.conclusion = "skipped"
            self.results[job.id] = {"result": "skipped", "outputs": {}}
            self.log.write("   skipped\n")
            return
        record.conclusion = "running"
        job_dir = self.folder / "jobs" / job.id
        state = JobState(self.context, self.workspace, self.folder, job_dir)
        base = self._base_env(job, job_dir, github)
        steps_context: dict[str, Value] = {}
        status = "success"
        self._halted = False
        for step, step_record in zip(job.steps, record.steps, strict=True):
            if self._halted:
                step_record.conclusion = "skipped"
                continue
            step_record.conclusion = "running"
            evaluator = Evaluator(
                self.workflow.file,
                self.context,
                {
                    **contexts,
                    "steps": dict(steps_context),
                    "job": {"status": status},
                    "runner": {"os": "Linux", "arch": "X64", "temp": base["RUNNER_TEMP"]},
                },
                status=status,
                step=step.title,
            )
            outcome = self._step(job, step, step_record, state, base, evaluator)
            if step.id:
                steps_context[step.id] = {
                    "outputs": dict(self._outputs),
                    "outcome": outcome,
                    "conclusion": step_record.conclusion,
                }
            if step_record.conclusion == "failure":
                status = "failure"
        final = Evaluator(
            self.workflow.file, self.context, {**contexts, "steps": steps_context}, status=status
        )
        outputs = final.env_level(job.outputs) if job.outputs else {}
        record.conclusion = status
        record.seconds = round(time.monotonic() - started, 3)
        self.results[job.id] = {"result": status, "outputs": dict(outputs)}
        self.save()

    def _environment(
        self, job: Job, step: Step, state: JobState, base: dict[str, str], evaluator: Evaluator
    ) -> dict[str, str]:
        written: dict[str, str] = {}
        evaluator.env = dict(base)
        for level in (self.workflow.env, job.env):
            written.update(evaluator.env_level(level))
            evaluator.env = {**base, **written}
        written.update(state.env)
        evaluator.env = {**base, **written}
        written.update(evaluator.env_level(step.env))
        env = {**base, **written}
        for name, value in self.context.tool_env.items():
            if secrets.is_credential(name):
                continue  # a workflow publishes with the credentials it names, as on GitHub
            if name in written and written[name] != value:
                self._notes.append(
                    f"{name} from the workflow replaced by the rehearsal's {name}={value}"
                )
            env[name] = value
        path = [os.fspath(self.guard), *state.path, base.get("PATH", os.defpath)]
        env["PATH"] = os.pathsep.join(path)
        evaluator.env = dict(env)
        return env

    def _step(
        self,
        job: Job,
        step: Step,
        record: StepRecord,
        state: JobState,
        base: dict[str, str],
        evaluator: Evaluator,
    ) -> str:
        """Run one step; its outcome (``success``, ``failure`` or ``skipped``)."""
        self._outputs = {}
        self._notes = []
        started = time.monotonic()
        where = f"{self.workflow.file}:{step.line}"
        self.log.write(f"-- step {step.title} ({where})\n")
        log_path = state.job_dir / f"step-{step.index + 1}.log"
        state.job_dir.mkdir(parents=True, exist_ok=True)
        record.log = log_path.relative_to(self.folder).as_posix()
        with log_path.open("w", encoding="utf-8") as stream:
            log = StepLog(stream, evaluator.masked())
            try:
                if not evaluator.condition(step.if_):
                    record.conclusion = "skipped"
                    self.log.write("   skipped\n")
                    return "skipped"
                env = self._environment(job, step, state, base, evaluator)
                for note in self._notes:
                    log.note(note)
                status = self._execute(job, step, state, env, evaluator, log)
            except WorkflowError as error:
                log.note(f"stopped: {error}")
                record.message = str(error)
                self.record.error = self.record.error or str(error)
                self._halted = True
                status = 1
            stream.flush()
        record.seconds = round(time.monotonic() - started, 3)
        outcome = "success" if status == 0 else "failure"
        record.outcome = outcome
        continue_on_error = step.continue_on_error
        tolerated = continue_on_error is not None and truthy(evaluator.text(continue_on_error))
        record.conclusion = "success" if status == 0 or tolerated else "failure"
        if not record.message and log.notes:
            record.message = "; ".join(log.notes)
        self.log.write(log_path.read_text(encoding="utf-8"))
        self.log.write(f"-- {record.conclusion} (exit {status}) in {record.seconds:.1f}s\n")
        self.log.flush()
        self.save()
        return outcome

    def _execute(
        self,
        job: Job,
        step: Step,
        state: JobState,
        env: dict[str, str],
        evaluator: Evaluator,
        log: StepLog,
    ) -> int:
        files = envfiles.StepFiles.create(state.job_dir / f"step-{step.index + 1}")
        env = {**env, **files.variables()}
        directory = step.working_directory or job.defaults.working_directory
        directory = directory or self.workflow.defaults.working_directory
        cwd = self.workspace / evaluator.text(directory) if directory else self.workspace
        if not cwd.is_dir():
            log.note(f"working-directory {cwd} does not exist")
            return 1
        if step.run is not None:
            chosen = step.shell or job.defaults.shell or self.workflow.defaults.shell
            shell_text = chosen.text if chosen else None
            script = files.env.parent / f"script{shell.script_suffix(shell_text)}"
            script.write_text(evaluator.text(step.run) + "\n", encoding="utf-8")
            argv = shell.command(shell_text, os.fspath(script))
            status = log.execute(argv, env, cwd)
        else:
            assert step.uses is not None  # the parser makes sure a step has run: or uses:
            name = actions.action_name(step.uses.text)
            call = actions.ActionCall(
                uses=step.uses.text,
                inputs=evaluator.inputs(name, step.with_),
                env=env,
                cwd=cwd,
                step_index=step.index,
            )
            status, outputs = actions.run_action(call, state, log)
            self._outputs.update(outputs)
        state.env.update(envfiles.read_assignments(files.env))
        for entry in envfiles.read_paths(files.path):
            state.prepend_path(entry)
        self._outputs.update(envfiles.read_assignments(files.output))
        return status
