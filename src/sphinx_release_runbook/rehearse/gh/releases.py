"""``gh release create`` and ``gh release view``, against ``releases.json``.

``create`` fails as gh does when the release exists already (HTTP 422) and
when the tag is not on the remote (gh would create the tag from the default
branch; a rehearsal refuses instead, because a guide that forgets to push its
tag must fail here, not on release day).  Then, unless ``--draft``, it runs
the workflows the release starts (one run per activity type a workflow
listens to, as GitHub does; a project in a folder of the repository with its
own ``.github/workflows``, such as an example, acts as its own repository)
and exits 0 whatever their conclusion, as gh does: ``gh run watch
--exit-status`` reports a failed run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sphinx_release_runbook.rehearse.context import RehearsalContext
from sphinx_release_runbook.rehearse.gh import fields, records
from sphinx_release_runbook.rehearse.gh.flags import Flag, GhError, parse
from sphinx_release_runbook.rehearse.workflows import checkout
from sphinx_release_runbook.rehearse.workflows.expressions import Value
from sphinx_release_runbook.rehearse.workflows.run import Trigger, now, start_runs
from sphinx_release_runbook.rehearse.workflows.triggers import Event, release_activities

_CREATE_FLAGS = [
    Flag("title", "t", True),
    Flag("notes", "n", True),
    Flag("notes-file", "F", True),
    Flag("generate-notes"),
    Flag("draft", "d"),
    Flag("prerelease", "p"),
    Flag("target", "", True),
    Flag("latest"),
    Flag("verify-tag"),
    Flag("notes-start-tag", "", True),
    Flag("discussion-category", "", True),
    Flag("repo", "R", True),
]
_VIEW_FLAGS = [
    Flag("json", "", True),
    Flag("jq", "q", True),
    Flag("repo", "R", True),
    Flag("web", "w"),
]
RELEASE_FIELDS = (
    "tagName", "name", "body", "isDraft", "isPrerelease", "url", "createdAt", "publishedAt",
    "targetCommitish", "assets", "author",
)  # fmt: skip


def repository_url(context: RehearsalContext) -> str:
    server = context.github.get("server_url", "https://github.com").rstrip("/")
    return f"{server}/{context.github.get('repository', 'rehearsal/repository')}"


def _notes(context: RehearsalContext, options: dict[str, str], generate: bool, tag: str) -> str:
    notes = options.get("notes", "")
    notes_file = options.get("notes-file", "")
    if notes_file:
        try:
            text = sys.stdin.read() if notes_file == "-" else Path(notes_file).read_text("utf-8")
        except OSError as exc:
            raise GhError(f"open {notes_file}: {exc.strerror}") from exc
        notes = f"{notes}\n{text}" if notes else text
    if generate:
        generated = f"**Full Changelog**: {repository_url(context)}/commits/{tag}"
        notes = f"{notes}\n\n{generated}" if notes else generated
    return notes


def create(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(argv, _CREATE_FLAGS)
    if not parsed.positional:
        raise GhError("could not create: no tag name provided (the rehearsal never prompts)")
    tag, *assets = parsed.positional
    for asset in assets:
        if not Path(asset.split("#", 1)[0]).is_file():
            raise GhError(f"open {asset}: no such file or directory")
    repository = context.github.get("repository", "rehearsal/repository")
    remote = checkout.remote_of(context)
    sha = checkout.tag_commit(remote, tag)
    if sha is None:
        raise GhError(
            f"tag {tag} doesn't exist in the repo {repository} (the rehearsal's remote {remote}): "
            f"push it first (git push origin {tag}); the rehearsal does not create tags"
        )
    draft, prerelease = parsed.on("draft"), parsed.on("prerelease")
    project = checkout.project_of(context, Path.cwd())
    url = f"{repository_url(context)}/releases/tag/{tag}"
    with records.locked(context.home):
        releases = records.load_releases(context.home)
        if any(release.get("tagName") == tag for release in releases):
            raise GhError(
                f"HTTP 422: Validation Failed (https://api.github.com/repos/{repository}/releases)"
                "\nRelease.tag_name already exists"
            )
        release: dict[str, Any] = {
            "tagName": tag,
            "name": parsed.value("title", tag),
            "body": _notes(context, parsed.values, parsed.on("generate-notes"), tag),
            "isDraft": draft,
            "isPrerelease": prerelease,
            "url": url,
            "createdAt": now(),
            "publishedAt": "" if draft else now(),
            "targetCommitish": parsed.value("target", sha),
            "assets": [{"name": Path(asset.split("#", 1)[0]).name} for asset in assets],
            "author": {"login": "rehearsal"},
            "sha": sha,
        }
        releases.append(release)
        records.save_releases(context.home, releases)
    print(url)
    sys.stdout.flush()
    for action in release_activities(draft=draft, prerelease=prerelease):
        payload: dict[str, Value] = {
            "action": action,
            "release": {
                "tag_name": tag,
                "name": release["name"],
                "body": release["body"],
                "draft": draft,
                "prerelease": prerelease,
                "html_url": url,
                "target_commitish": release["targetCommitish"],
            },
            "repository": {"full_name": repository, "html_url": repository_url(context)},
        }
        trigger = Trigger(
            Event("release", action, tag), sha, str(release["name"]), payload, project
        )
        for run in start_runs(context, trigger):
            print(
                f"rehearsal: run {run.id} of '{run.workflow}' ({run.file}) on release "
                f"{action}: {run.conclusion}",
                file=sys.stderr,
            )
    return 0


def view(context: RehearsalContext, argv: list[str]) -> int:
    parsed = parse(argv, _VIEW_FLAGS)
    releases = records.load_releases(context.home)
    if parsed.positional:
        found = [item for item in releases if item.get("tagName") == parsed.positional[0]]
    else:  # gh shows the latest release
        found = [item for item in releases if not item.get("isDraft")][-1:]
    if not found:
        raise GhError("release not found")
    release = found[0]
    if "json" in parsed.values:
        selected = fields.select([release], parsed.value("json"), RELEASE_FIELDS)[0]
        sys.stdout.write(fields.output(selected, parsed.value("jq")))
        return 0
    lines = [
        f"title:\t{release.get('name', '')}",
        f"tag:\t{release.get('tagName', '')}",
        f"draft:\t{str(release.get('isDraft', False)).lower()}",
        f"prerelease:\t{str(release.get('isPrerelease', False)).lower()}",
        "author:\trehearsal",
        f"created:\t{release.get('createdAt', '')}",
        f"published:\t{release.get('publishedAt', '')}",
        f"url:\t{release.get('url', '')}",
        "--",
        str(release.get("body", "")),
    ]
    print("\n".join(lines))
    return 0
