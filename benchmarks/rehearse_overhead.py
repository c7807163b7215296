"""Rehearsal overhead: ``python -m runbook rehearse`` vs a bash script of the same commands.

Both candidates release examples/arshai 0.4.0 from a copy committed in its own
git repository, in the same kind of sandbox, made anew in every repetition: a
bare clone as ``origin`` and a clone of it, the local package index (the
rehearsal's pypiserver program, its start-up included) with pip, Poetry and
twine pointed at it, and everything removed afterwards.

* ``rehearse``: ``python -m runbook rehearse --version 0.4.0`` as a user types
  it (sandbox, index, the runner with its state and transcript, the ``gh``
  stand-in running the publish workflow, the report);
* ``bash``: the baseline, one bash script with the guide's commands and the
  workflow's ``run:`` lines in order (the version bump by ``poetry version``
  and ``sed``, ``gh`` replaced by the workflow's commands in a checkout of the
  tag, ``actions/setup-python`` by ``python -m venv``).

Printed: the min and median time of each and the ratio (target: at most 1.3).

    python benchmarks/rehearse_overhead.py [--repeat 2] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import at_least_one, python_env, ratio_line, round_robin, run_quietly, time_line

ROOT = Path(__file__).resolve().parents[1]
ARSHAI = ROOT / "examples" / "arshai"

BASELINE = r"""#!/usr/bin/env bash
# The arshai release, command by command, in a sandbox like the rehearsal's.
set -euo pipefail
source_repo=$1
python=$2
version=0.4.0
tag=v$version
work=$(mktemp -d)
index_pid=
cleanup() {
    if [ -n "$index_pid" ]; then
        kill -- "-$index_pid" 2>/dev/null || true
        wait "$index_pid" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The sandbox: a bare origin and a clone of it.
git clone -q --bare "$source_repo" "$work/origin.git"
git clone -q "$work/origin.git" "$work/repo"
git -C "$work/repo" config remote.origin.pushurl "$work/origin.git"

# The index: the same program, in its own process group, waited on until it answers.
mkdir -p "$work/index/packages"
password=pypi-bench-$RANDOM$RANDOM
RUNBOOK_REHEARSE_INDEX_PASSWORD=$password setsid "$python" \
    -m sphinx_release_runbook.rehearse.index_server \
    --packages "$work/index/packages" --passwords "$work/index/htpasswd" \
    --password-variable RUNBOOK_REHEARSE_INDEX_PASSWORD --fallback-url https://pypi.org/simple/ \
    --local-only arshai --port-file "$work/index/port" --log "$work/index/uploads.jsonl" \
    >"$work/index/log" 2>&1 &
index_pid=$!
until [ -s "$work/index/port" ]; do sleep 0.02; done
url=http://127.0.0.1:$(cat "$work/index/port")/
probe="import urllib.request, sys; urllib.request.urlopen(sys.argv[1])"
until "$python" -c "$probe" "${url}simple/" 2>/dev/null; do sleep 0.05; done
export PIP_INDEX_URL=${url}simple/ PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1
unset PIP_EXTRA_INDEX_URL PIP_FIND_LINKS VIRTUAL_ENV
export POETRY_REPOSITORIES_REHEARSAL_URL=$url POETRY_PYPI_TOKEN_REHEARSAL=$password
export POETRY_VIRTUALENVS_PATH=$work/poetry-virtualenvs GIT_ALLOW_PROTOCOL=file
export PATH=$(dirname "$python"):$PATH
cd "$work/repo"

# The guide's steps.
git checkout main
git pull --ff-only origin main
test -z "$(git status --porcelain)"
poetry install
poetry run pytest
poetry run black --check .
poetry run isort --check-only .
poetry build
poetry version "$version"
sed -i -e "s/^__version__ = .*/__version__ = \"$version\"/" \
    -e "s/^__version_info__ = .*/__version_info__ = (0, 4, 0)/" arshai/_version.py
poetry version | grep -q "^arshai $version$"
python -c "import arshai; print(arshai.__version__)" | grep -q "^$version$"
git add pyproject.toml arshai/_version.py
git -c user.name=Bench -c user.email=bench@localhost commit -q -m "chore: bump version to $version"
git push -q origin main
git -c user.name=Bench -c user.email=bench@localhost tag -a "$tag" -m "Release $tag"
git push -q origin "$tag"

# The release's workflow, in a checkout of the tag.
git clone -q --branch "$tag" "$work/origin.git" "$work/checkout"
(
    cd "$work/checkout"
    "$python" -m venv "$work/setup-python"
    export PATH=$work/setup-python/bin:$PATH POETRY_VIRTUALENVS_IN_PROJECT=true
    poetry install --no-interaction --no-root
    poetry build
    poetry publish --repository rehearsal
)

# The post-release checks.
python -m pip download --no-deps --no-cache-dir --dest .runbook/pypi "arshai==$version"
python -m venv --clear .runbook/verify-venv
.runbook/verify-venv/bin/python -m pip install --no-cache-dir "arshai==$version"
.runbook/verify-venv/bin/python -I -c "import arshai; print(f'Version: {arshai.__version__}')" \
    | grep -q "Version: $version"
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def make_repository(work: Path) -> Path:
    """A copy of examples/arshai, committed in its own repository."""
    root = work / "arshai"
    shutil.copytree(ARSHAI, root, ignore=shutil.ignore_patterns(".runbook", "__pycache__"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "arshai 0.3.0")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=at_least_one, default=2)
    parser.add_argument("--quick", action="store_true", help="one repetition, no warm-up")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    with tempfile.TemporaryDirectory(prefix="rehearse-bench-") as scratch:
        work = Path(scratch)
        repository = make_repository(work)
        script = work / "release.sh"
        script.write_text(BASELINE, encoding="utf-8")
        env = python_env(work)
        env.pop("VIRTUAL_ENV", None)
        env["TMPDIR"] = os.fspath(work)
        # Both drop the runner's private folder of the last repetition (the rehearsal keeps
        # its transcript there), so every repetition starts from the same repository.
        rehearse = [sys.executable, "-m", "runbook", "rehearse", "--version", "0.4.0"]
        bash = ["bash", os.fspath(script), os.fspath(repository), sys.executable]
        samples = round_robin(
            {
                "rehearse": lambda _: run_quietly(rehearse, repository, env),
                "bash": lambda _: run_quietly(bash, work, env),
            },
            repeat,
            warm_up=not args.quick,
        )
    warm = "" if args.quick else " after a warm-up"
    print(f"Release of examples/arshai 0.4.0, {repeat} repetition(s){warm}:")
    print(time_line("python -m runbook rehearse", samples["rehearse"]))
    print(time_line("bash script of the same commands", samples["bash"]))
    print(ratio_line("rehearse / bash", samples["rehearse"], samples["bash"]))


if __name__ == "__main__":
    main()
