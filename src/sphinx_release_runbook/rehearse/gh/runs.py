"""``gh run list``, ``gh run view`` and ``gh run watch``, answered from the local runs.

The fields are GitHub's (``databaseId``, ``status``, ``conclusion``,
``headBranch`` = the tag, ``event``, ``workflowName``, ``displayTitle``...).
Without ``--json`` the list prints gh's non-terminal format: one tab-separated
line a run.  ``watch`` waits while a run is in progress (a run started by a
push hook in another process), then prints the jobs; with ``--exit-status``
it exits 1 when the run failed, after printing the failed steps' logs.
"""

from __future__ import annotations

import sys
import time
from pathlib import PurePosixPath

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.gh import fields
from sphinx_release_runbook.rehearse.gh.flags import Flag, GhError, Parsed, parse
from sphinx_release_runbook.rehearse.gh.releases import repository_url
from sphinx_release_runbook.rehearse.workflows import records
from sphinx_release_runbook.rehearse.workflows.records import RunRecord

RUN_FIELDS = (
    "attempt", "conclusion", "createdAt", "databaseId", "displayTitle", "event", "headBranch",
    "headSha", "name", "number", "startedAt", "status", "updatedAt", "url", "workflowName",
)  # fmt: skip
_SYMBOL = {"success": "✓", "failure": "X", "skipped": "-"}


def _fields(context: RehearsalContext, run: RunRecord) -> dict[str, object]:
    return {
        "attempt": 1,
        "conclusion": run.conclusion,
        "createdAt": run.created_at,
        "databaseId": run.id,
        "displayTitle": run.title,
        "event": run.event,
        "headBranch": run.tag,
        "headSha": run.sha,
        "name": run.workflow,
        "number": run.id,
        "startedAt": run.created_at,
        "status": run.status,
        "updatedAt": run.updated_at,
        "url": f"{repository_url(context)}/actions/runs/{run.id}",
        "workflowName": run.workflow,
        "jobs": [
            {
                "name": job.name,
                "conclusion": job.conclusion,
                "status": "completed" if job.conclusion != "pending" else "queued",
                "steps": [
                    {"name": step.name, "conclusion": step.conclusion, "number": index + 1}
                    for index, step in enumerate(job.steps)
                ],
            }
            for job in run.jobs
        ],
    }


def _workflow_matches(run: RunRecord, wanted: str) -> bool:
    return wanted in (run.workflow, run.file, PurePosixPath(run.file).name)


def list_runs(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(
        argv,
        [
            Flag("workflow", "w", True),
            Flag("branch", "b", True),
            Flag("limit", "L", True),
            Flag("json", "", True),
            Flag("jq", "q", True),
            Flag("event", "e", True),
            Flag("status", "s", True),
            Flag("commit", "c", True),
            Flag("all", "a"),
            Flag("repo", "R", True),
        ],
    )
    try:
        limit = int(parsed.value("limit", "20"))
    except ValueError as exc:
        raise GhError(f'invalid argument "{parsed.value("limit")}" for "-L, --limit"') from exc
    if limit < 1:
        raise GhError(f"invalid limit: {limit}")
    runs = records.load_all(context.home)
    wanted = parsed.value("workflow")
    if wanted and not any(_workflow_matches(run, wanted) for run in runs):
        raise GhError(f"could not find any workflows named {wanted}")
    selected = [
        run
        for run in runs
        if (not wanted or _workflow_matches(run, wanted))
        and (not parsed.value("branch") or run.tag == parsed.value("branch"))
        and (not parsed.value("event") or run.event == parsed.value("event"))
        and (not parsed.value("commit") or run.sha.startswith(parsed.value("commit")))
        and (not parsed.value("status") or parsed.value("status") in (run.status, run.conclusion))
    ][:limit]
    if "json" in parsed.values:
        items = fields.select(
            [_fields(context, run) for run in selected], parsed.value("json"), RUN_FIELDS
        )
        sys.stdout.write(fields.output(items, parsed.value("jq")))
        return 0
    if parsed.value("jq"):
        raise GhError("cannot use `--jq` without specifying `--json`")
    for run in selected:
        print(
            "\t".join(
                [
                    run.status,
                    run.conclusion,
                    run.title,
                    run.workflow,
                    run.tag,
                    run.event,
                    str(run.id),
                    "0s",
                    run.created_at,
                ]
            )
        )
    return 0


def _run(context: RehearsalContext, parsed: Parsed) -> RunRecord:
    if not parsed.positional:
        raise GhError("run or job ID required when not running interactively")
    text = parsed.positional[0]
    run = records.load(context.home, int(text)) if text.isdigit() else None
    if run is None:
        raise GhError(f"could not find any workflow run with ID {text}")
    return run


def _failed_logs(context: RehearsalContext, run: RunRecord, *, only_failed: bool) -> str:
    """gh's ``--log`` format: ``JOB<TAB>STEP<TAB>LINE`` for every line of the steps' logs."""
    folder = records.runs_dir(context.home) / str(run.id)
    lines: list[str] = []
    for job in run.jobs:
        for step in job.steps:
            if only_failed and step.conclusion != "failure":
                continue
            text = ""
            if step.log:
                try:
                    text = (folder / step.log).read_text(encoding="utf-8")
                except OSError:
                    text = ""
            if not text and step.message:
                text = step.message + "\n"
            lines.extend(f"{job.name}\t{step.name}\t{line}" for line in text.splitlines())
    if run.error and not any(step.message for job in run.jobs for step in job.steps):
        lines.append(f"\t\t{run.error}")
    return "".join(f"{line}\n" for line in lines)


def _summary(run: RunRecord) -> str:
    symbol = _SYMBOL.get(run.conclusion, "*")
    out = [f"{symbol} {run.tag} {run.workflow} · {run.id}", f"Triggered via {run.event}", ""]
    if run.error:
        out += ["ANNOTATIONS", f"X {run.error}", ""]
    out.append("JOBS")
    for job in run.jobs:
        out.append(f"{_SYMBOL.get(job.conclusion, '*')} {job.name} in {job.seconds:.0f}s")
        for step in job.steps:
            out.append(f"  {_SYMBOL.get(step.conclusion, '*')} {step.name}")
    return "\n".join(out) + "\n"


def view(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(
        argv,
        [
            Flag("log"),
            Flag("log-failed"),
            Flag("exit-status"),
            Flag("json", "", True),
            Flag("jq", "q", True),
            Flag("verbose", "v"),
            Flag("job", "j", True),
            Flag("attempt", "a", True),
            Flag("repo", "R", True),
        ],
    )
    run = _run(context, parsed)
    if "json" in parsed.values:
        selected = fields.select(
            [_fields(context, run)], parsed.value("json"), (*RUN_FIELDS, "jobs")
        )
        sys.stdout.write(fields.output(selected[0], parsed.value("jq")))
    elif parsed.on("log") or parsed.on("log-failed"):
        sys.stdout.write(_failed_logs(context, run, only_failed=parsed.on("log-failed")))
    else:
        sys.stdout.write(_summary(run))
    return 1 if parsed.on("exit-status") and run.conclusion != "success" else 0


def watch(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(
        argv,
        [
            Flag("exit-status"),
            Flag("interval", "i", True),
            Flag("compact"),
            Flag("repo", "R", True),
        ],
    )
    run = _run(context, parsed)
    interval = float(parsed.value("interval", "1") or 1)
    while run.status != "completed":
        time.sleep(min(interval, 1.0))
        run = records.load(context.home, run.id) or run
    sys.stdout.write(_summary(run))
    failed = run.conclusion != "success"
    if failed:
        sys.stdout.write(_failed_logs(context, run, only_failed=True))
    symbol = _SYMBOL.get(run.conclusion, "*")
    print(f"{symbol} Run {run.workflow} ({run.id}) completed with '{run.conclusion}'")
    return 1 if failed and parsed.on("exit-status") else 0
