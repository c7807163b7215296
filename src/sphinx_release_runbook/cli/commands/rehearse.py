"""``python -m runbook rehearse``: the whole release, end to end, in a sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import LoadError, build, find_docs, find_project_root
from sphinx_release_runbook.cli.options import name_option, pick
from sphinx_release_runbook.core.model import Runbook, VersionScheme
from sphinx_release_runbook.core.versions import (
    BUMP_PARTS,
    SCHEME_NAMES,
    VersionError,
    parse_version,
)

_SCHEMES: tuple[VersionScheme, ...] = ("pep440", "semver")

#: conf.py settings of a rehearsal: extra secrets, and actions mapped to local commands.
SECRETS_SETTING = "runbook_rehearse_secrets"
ACTIONS_SETTING = "runbook_rehearse_actions"


def _string_map(value: Any, name: str, conf: Path) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise LoadError(f'{conf}: {name} must map names to strings, e.g. {{"NAME": "value"}}')
    return dict(value)


@click.command("rehearse", epilog=EXIT_CODES_HELP)
@click.option(
    "--version",
    "version",
    required=True,
    metavar="X.Y.Z|major|minor|patch",
    help="The version to rehearse (X.Y.Z, or major, minor, patch), as for `run`.",
)
@click.option(
    "--keep",
    is_flag=True,
    help="Keep the rehearsal folder (clone, bare origin, index files, records); the index "
    "is stopped all the same.",
)
@click.option("--from", "start", metavar="STEP", help="Start at this step id (as `run --from`).")
@click.option("--only", multiple=True, metavar="STEP", help="Rehearse only this step (repeatable).")
@click.option(
    "--seed",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DIR",
    help="Put the distributions in DIR on the local index before the release: the files "
    "already on the real index (`pip download --no-deps NAME==X.Y.Z -d DIR`), so a "
    "re-upload fails as it would there.",
)
@name_option
def rehearse_command(
    version: str,
    keep: bool,
    start: str | None,
    only: tuple[str, ...],
    seed: Path | None,
    name: str | None,
) -> int:
    """Rehearse the release end to end, offline: will this release go through?

    The repository is cloned into a temporary folder, with the working tree's
    uncommitted changes (tracked edits, untracked files that are not ignored)
    as one extra commit, so an edited guide is rehearsed before it is
    committed.  The clone's origin is a new local bare repository; the real
    remote is never contacted (git may use local paths only).

    A real package index (pypiserver, from the rehearse extra) listens on
    127.0.0.1, with upload passwords; pip, Poetry, twine and uv are pointed at
    it through their settings.  The released package installs from it only;
    its dependencies come from your usual index through it.  A gh stand-in on
    PATH records every call; `gh release create` runs the repository's own
    workflows (.github/workflows) for the release event, locally.

    Then the real runner runs every step with --yes (`run --version VERSION
    --yes`): checks, commits, pushes, the release, the workflow's publish and
    the installation check.  Manual steps are shown and reported "manual, not
    rehearsed".  The report lists each step (passed, failed, skipped, manual)
    with its time, the folder, the transcript, the gh calls and the files
    that reached the local index.  Exit 0 only when every step that is not
    manual passed; a failed step prints its docs link and troubleshooting
    entries, as `run` does.

    It takes the repository's lock (.runbook/lock) while it clones and runs,
    so it is refused (exit 5, naming the holder) during a `run` or `bump`.

    The folder is removed afterwards (--keep keeps it), and on success,
    failure, Ctrl-C or SIGTERM the index and every process of the rehearsal
    are stopped.  In conf.py, `runbook_rehearse_secrets = {"NAME": "value"}`
    gives a workflow's other secrets a value, and `runbook_rehearse_actions =
    {"owner/action": "command"}` maps an action the stand-in does not know.
    """
    # Imported here: `--help` and the other commands should not pay for the rehearsal.
    from sphinx_release_runbook.rehearse import report
    from sphinx_release_runbook.rehearse.session import RehearsalOptions, Settings, rehearse

    if start and only:
        raise CommandLineError("--from and --only do not combine; use one")
    _refuse_what_no_scheme_accepts(version)
    here = Path.cwd()
    project = find_project_root(here)

    def load_runbook(clone_project: Path) -> Runbook:
        return pick(build(clone_project), name)

    def read_settings(clone_project: Path) -> Settings:
        from sphinx.config import eval_config_file
        from sphinx.util.tags import Tags

        conf = find_docs(clone_project).confdir / "conf.py"
        namespace = eval_config_file(conf, Tags())
        return Settings(
            secrets=_string_map(namespace.get(SECRETS_SETTING), SECRETS_SETTING, conf),
            actions=_string_map(namespace.get(ACTIONS_SETTING), ACTIONS_SETTING, conf),
        )

    options = RehearsalOptions(
        version=version, keep=keep, start=start, only=only, name=name, seed=seed
    )
    # The repository's lock, as `run` and `bump` take it: the clone is made from the
    # work tree, which must not be a release half-way through its bump.
    from sphinx_release_runbook.runner.lock import holding

    with holding(project, "rehearse", notice=lambda line: click.echo(line, err=True)):
        rehearsal = rehearse(here, project, options, load_runbook, read_settings)
    for line in report.lines(rehearsal):
        click.echo(line)
    return rehearsal.exit_code


def _refuse_what_no_scheme_accepts(version: str) -> None:
    """A version no scheme accepts is refused before anything is cloned or started.

    Which scheme applies is the guide's, known once the clone is built; the
    runner refuses what that scheme does not accept, in the rehearsal.
    """
    # Imported here: `--help` and `list` load this module and should not pay for the runner.
    from sphinx_release_runbook.runner.validate import MAX_VERSION_LENGTH, shown

    if version in BUMP_PARTS:
        return
    if len(version) <= MAX_VERSION_LENGTH:
        for scheme in _SCHEMES:
            try:
                parse_version(version, scheme)
            except VersionError:
                continue
            return
    grammars = " nor a ".join(SCHEME_NAMES[scheme] for scheme in _SCHEMES)
    raise CommandLineError(
        f"--version {shown(version)} is neither a {grammars} (such as 1.2.3), nor "
        f"{', '.join(BUMP_PARTS[:-1])} or {BUMP_PARTS[-1]}; nothing was cloned or started"
    )
