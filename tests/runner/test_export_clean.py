"""Issue 10, acceptance 8: the exported script never lands where it breaks the next run.

The README used to show ``python -m runbook export -o release.sh``: an untracked
file in the repository root, which then failed the guide's clean-tree check.
Now ``export`` writes into ``.runbook/`` by default and refuses a path in the
work tree that git would list as untracked, unless ``--force``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import PROJECT_ROOT, ArshaiRepo, git, runbook_cli


def _readme_export_command() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^\s*(python -m runbook export\b[^#\n]*)", readme, re.MULTILINE)
    assert len(found) == 1, found
    words = shlex.split(found[0])
    assert words[:3] == ["python", "-m", "runbook"]
    return words[3:]


def _porcelain(repo: ArshaiRepo) -> str:
    return git(repo.root, "status", "--porcelain", "--untracked-files=all", env=repo.env)


def test_the_readme_export_command_leaves_the_tree_clean(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("readme-export")
    result = runbook_cli(repo.root, *_readme_export_command(), env=repo.env, timeout=180)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert result.stdout == "wrote .runbook/release-pypi.sh (16 steps)\n"
    script = repo.root / ".runbook" / "release-pypi.sh"
    assert script.read_text().startswith("#!") and script.stat().st_mode & 0o111
    assert _porcelain(repo) == ""
    # So the guide's clean-tree check still passes after it.
    check = repo.run("--version", "0.4.0", "--yes", "--only", "check-clean")
    assert check.returncode == ExitCode.OK, check.stdout + check.stderr


def test_an_untracked_path_in_the_work_tree_is_refused_unless_forced(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("export-refused")
    args = ("export", "--runbook", str(repo.runbook_json))
    refused = runbook_cli(repo.root, *args, "-o", "release.sh", env=repo.env)
    assert refused.returncode == ExitCode.USAGE, refused.stdout + refused.stderr
    assert refused.stderr.startswith(
        "error: refusing to write release.sh: it is inside the work tree and git neither "
        "ignores nor tracks it, so it would make `git status` dirty"
    )
    assert "pass --force" in refused.stderr
    assert not (repo.root / "release.sh").exists()
    assert _porcelain(repo) == ""
    # An ignored path is fine; so is a tracked one (a committed script, regenerated).
    (repo.root / ".gitignore").write_text("/dist/\n")
    git(repo.root, "add", ".gitignore", env=repo.env)
    git(repo.root, "commit", "-q", "-m", "ignore dist", env=repo.env)
    (repo.root / "dist").mkdir()
    ignored = runbook_cli(repo.root, *args, "-o", "dist/release.sh", env=repo.env)
    assert ignored.returncode == ExitCode.OK, ignored.stderr
    assert _porcelain(repo) == ""
    forced = runbook_cli(repo.root, *args, "-o", "release.sh", "--force", env=repo.env)
    assert forced.returncode == ExitCode.OK, forced.stderr
    assert _porcelain(repo) == "?? release.sh\n"
    git(repo.root, "add", "release.sh", env=repo.env)
    git(repo.root, "commit", "-q", "-m", "the checklist", env=repo.env)
    tracked = runbook_cli(repo.root, *args, "-o", "release.sh", env=repo.env)
    assert tracked.returncode == ExitCode.OK, tracked.stderr
    assert _porcelain(repo) == ""


def test_a_path_outside_the_repository_is_written_without_the_lock(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("export-outside")
    target = repo.root.parent / "elsewhere.sh"
    result = runbook_cli(
        repo.root, "export", "--runbook", str(repo.runbook_json), "-o", str(target), env=repo.env
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert target.is_file()
    assert not (repo.root / ".runbook" / "lock").exists()
