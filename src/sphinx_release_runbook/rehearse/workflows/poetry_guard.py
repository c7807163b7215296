"""The ``poetry`` first on every step's ``PATH``: ``poetry publish`` reaches the local index only.

Poetry's ``pypi`` repository has its URL built in (``upload.pypi.org``): no
setting redirects a plain ``poetry publish``, so a workflow's publish step
would reach the real index.  This wrapper, first on ``PATH`` in every step,
finds the next ``poetry`` on ``PATH`` (the one ``snok/install-poetry`` put
there, or one the workflow installed) and runs it unchanged, except that
``publish`` goes to a repository named ``rehearsal`` at the local index
(``-r``/``--repository`` replaced), with the credentials the workflow gave
for the repository it asked for (``POETRY_PYPI_TOKEN_<NAME>``,
``POETRY_HTTP_BASIC_<NAME>_*``; ``pypi`` by default) moved to ``rehearsal``:
a workflow that names no token still fails to publish, as it would on GitHub.
"""

from __future__ import annotations

import shlex
from pathlib import Path

REPOSITORY = "rehearsal"

_SCRIPT = r"""#!/bin/bash
# The rehearsal's poetry: see sphinx_release_runbook.rehearse.workflows.poetry_guard.
here="$(cd "$(dirname "$0")" && pwd)"
real=""
IFS=: read -ra entries <<< "$PATH"
for entry in "${entries[@]}"; do
  [ "$(cd "$entry" 2>/dev/null && pwd)" = "$here" ] && continue
  [ -x "$entry/poetry" ] && [ ! -d "$entry/poetry" ] || continue
  grep -qs "rehearse.workflows.poetry_guard" "$entry/poetry" && continue  # another guard
  real="$entry/poetry"; break
done
if [ -z "$real" ]; then
  echo "rehearsal: no Poetry on PATH: install it beside the rehearsal's Python or on PATH" >&2
  exit 127
fi
args=()
command=""
asked="pypi"
while [ $# -gt 0 ]; do
  word="$1"; shift
  if [ -z "$command" ]; then
    case "$word" in
      -C|--directory|-P|--project) args+=("$word" "$1"); shift; continue ;;
      -*) args+=("$word"); continue ;;
      *) command="$word"; args+=("$word"); continue ;;
    esac
  fi
  if [ "$command" = publish ]; then
    case "$word" in
      -r|--repository) asked="$1"; shift; continue ;;
      --repository=*) asked="${word#--repository=}"; continue ;;
      -r*) asked="${word#-r}"; continue ;;
    esac
  fi
  args+=("$word")
done
if [ "$command" != publish ]; then exec "$real" "${args[@]}"; fi
name="$(printf '%s' "$asked" | tr '[:lower:]-.' '[:upper:]__')"
token="POETRY_PYPI_TOKEN_${name}"
user="POETRY_HTTP_BASIC_${name}_USERNAME"
password="POETRY_HTTP_BASIC_${name}_PASSWORD"
export POETRY_REPOSITORIES_REHEARSAL_URL=@URL@
[ -n "${!token:-}" ] && export POETRY_PYPI_TOKEN_REHEARSAL="${!token}"
[ -n "${!user:-}" ] && export POETRY_HTTP_BASIC_REHEARSAL_USERNAME="${!user}"
[ -n "${!password:-}" ] && export POETRY_HTTP_BASIC_REHEARSAL_PASSWORD="${!password}"
echo "rehearsal: poetry publish (repository '$asked') goes to the local index @URL@" >&2
exec "$real" "${args[@]}" --repository rehearsal
"""


def is_guard(path: Path) -> bool:
    """Whether *path* is this wrapper (never to be taken for the real Poetry)."""
    try:
        return "rehearse.workflows.poetry_guard" in path.read_text(encoding="utf-8")[:300]
    except (OSError, UnicodeDecodeError):
        return False


def install(folder: Path, upload_url: str) -> Path:
    """Write the wrapper as *folder*/``poetry``; the folder goes first on ``PATH``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "poetry"
    path.write_text(_SCRIPT.replace("@URL@", shlex.quote(upload_url)), encoding="utf-8")
    path.chmod(0o755)
    return folder
