"""``python -m runbook export``: the runbook as a standalone bash checklist script."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import find_project_root
from sphinx_release_runbook.cli.options import load, name_option, pick, runbook_option
from sphinx_release_runbook.core.fs import PRIVATE_DIR


@click.command("export", epilog=EXIT_CODES_HELP)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the checklist script (default: runbook_script_path from conf.py, "
    "else .runbook/release-NAME.sh, which git ignores).",
)
@click.option(
    "--json",
    "json_output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the runbook.json export here.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into the work tree even where git neither ignores nor tracks the path (the "
    "new file then makes `git status` dirty, which fails a clean-tree check of the guide).",
)
@runbook_option
@name_option
def export_command(
    output: Path | None,
    json_output: Path | None,
    force: bool,
    runbook_file: Path | None,
    name: str | None,
) -> None:
    """Write the runbook as a standalone bash checklist script.

    The script needs only bash, git and python3: it takes --version, asks at
    manual and confirm steps (--yes for CI), supports --dry-run, --from and
    --only, and leaves the repository as `python -m runbook run` would.

    By default it goes into .runbook/ (git ignores that folder, so the release's
    clean-tree check still passes).  A path inside the work tree that git
    neither ignores nor tracks is refused unless --force; a tracked path (the
    committed script of runbook_script_path) is rewritten in place.  Writing
    into the repository takes its lock, like `run` and `bump`.
    """
    from sphinx_release_runbook.core.fs import ensure_private_dir, write_atomic
    from sphinx_release_runbook.export.script import render_script

    loaded = load(runbook_file)
    runbook = pick(loaded, name)
    root = find_project_root(Path.cwd())
    if output is not None:
        target = output
    elif loaded.script_path:
        target = root / loaded.script_path
    else:
        target = ensure_private_dir(root) / f"release-{runbook.name}.sh"
    script = render_script(runbook, target.name)
    outputs = [(target, script)]
    if json_output is not None:
        outputs.append((json_output, loaded.export.to_json()))
    inside = [path for path, _ in outputs if _inside(root, path)]
    if not force:
        for path in inside:
            _refuse_untracked(root, path)
    with _locked(root, bool(inside)):
        for path, text in outputs:
            try:
                write_atomic(path, text)
            except OSError as exc:
                # Name the file asked for, not the temporary file the atomic write uses.
                raise CommandLineError(f"cannot write {path}: {exc.strerror or exc}") from exc
        target.chmod(0o755)
    click.echo(f"wrote {_shown(target)} ({len(runbook.steps)} steps)")
    if json_output is not None:
        click.echo(f"wrote {_shown(json_output)}")


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _shown(path: Path) -> str:
    """*path* relative to the current folder when it is inside it, else as given."""
    resolved, here = path.resolve(), Path.cwd().resolve()
    return os.path.relpath(resolved, here) if resolved.is_relative_to(here) else str(path)


def _refuse_untracked(root: Path, path: Path) -> None:
    """A new file git would list as untracked must not land in the work tree unasked."""
    from sphinx_release_runbook.core import git

    top = git.toplevel(root)
    if top is None:
        return
    resolved = path.resolve()
    if not resolved.is_relative_to(top.resolve()):
        return
    if resolved.is_relative_to((root / PRIVATE_DIR).resolve()):
        return
    if git.is_ignored(top, resolved) or git.is_tracked(top, resolved):
        return
    raise CommandLineError(
        f"refusing to write {_shown(path)}: it is inside the work tree and git neither "
        "ignores nor tracks it, so it would make `git status` dirty and fail the guide's "
        "clean-tree check. Leave out --output (the script goes into .runbook/), write it "
        "outside the repository or to a path git ignores, or pass --force"
    )


@contextlib.contextmanager
def _locked(root: Path, needed: bool) -> Iterator[None]:
    if not needed:
        yield
        return
    from sphinx_release_runbook.runner.lock import holding

    with holding(root, "export", notice=lambda text: click.echo(text, err=True)):
        yield
