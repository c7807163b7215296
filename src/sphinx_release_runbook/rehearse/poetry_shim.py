"""The ``poetry`` of a rehearsal: the real Poetry; every ``poetry publish`` goes to the local index.

Poetry builds its PyPI upload URL in: ``poetry publish`` without
``--repository`` uploads to ``https://upload.pypi.org/legacy/`` whatever the
environment says (``POETRY_REPOSITORIES_PYPI_URL`` is not read for it).  So
the ``poetry`` on a rehearsal's ``PATH`` is this program: it runs the real
Poetry with the same arguments, except that

* ``poetry publish`` and ``poetry publish -r pypi`` get ``--repository
  rehearsal`` (the local index, ``POETRY_REPOSITORIES_REHEARSAL_URL``), and
  the credentials Poetry would have used for PyPI
  (``POETRY_PYPI_TOKEN_PYPI``, ``POETRY_HTTP_BASIC_PYPI_*``) are the ones
  sent: a workflow that names the wrong secret fails as it would on PyPI;
* ``poetry publish -r NAME`` keeps its repository, whose URL becomes the
  local index (``POETRY_REPOSITORIES_NAME_URL``).
  ``-r rehearsal`` is the local index already and runs unchanged.

It says so on standard error, so the rewrite is never silent.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence

from sphinx_release_runbook.rehearse.index import POETRY_REPOSITORY

#: The variable holding the local index's upload URL (set by the session).
UPLOAD_URL_VARIABLE = f"POETRY_REPOSITORIES_{POETRY_REPOSITORY.upper()}_URL"
#: Poetry's global options that take a value (``poetry -C DIR publish``).
_VALUED_GLOBALS = {"-C", "--directory", "-P", "--project"}


def _variable_name(repository: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", repository.upper())


def _command_index(args: Sequence[str]) -> int | None:
    """The index of Poetry's command word in *args* (``None``: no command)."""
    skip = False
    for index, word in enumerate(args):
        if skip:
            skip = False
        elif word in _VALUED_GLOBALS:
            skip = True
        elif not word.startswith("-"):
            return index
    return None


def _repository(args: Sequence[str]) -> tuple[str | None, int | None]:
    """The ``--repository``/``-r`` value after the command and where its value is."""
    for index, word in enumerate(args):
        if word in ("-r", "--repository") and index + 1 < len(args):
            return args[index + 1], index + 1
        if word.startswith("--repository="):
            return word.partition("=")[2], index
        if word.startswith("-r") and len(word) > 2 and not word.startswith("--"):
            return word[2:], index
    return None, None


def rewrite(
    args: Sequence[str], environ: Mapping[str, str]
) -> tuple[list[str], dict[str, str], str]:
    """The arguments, the environment and the notice for the real Poetry."""
    words, env = list(args), dict(environ)
    command = _command_index(words)
    if command is None or words[command] != "publish":
        return words, env, ""
    upload = env.get(UPLOAD_URL_VARIABLE, "")
    if not upload:
        return words, env, ""
    head, tail = words[: command + 1], words[command + 1 :]
    name, where = _repository(tail)
    if name is None or name.lower() == "pypi":
        if where is not None:  # `-r pypi` in any spelling: drop it, ours replaces it
            start = where - 1 if tail[where - 1] in ("-r", "--repository") else where
            del tail[start : where + 1]
        tail = ["--repository", POETRY_REPOSITORY, *tail]
        ours = _variable_name(POETRY_REPOSITORY)
        env.pop(f"POETRY_PYPI_TOKEN_{ours}", None)
        env.pop(f"POETRY_HTTP_BASIC_{ours}_USERNAME", None)
        env.pop(f"POETRY_HTTP_BASIC_{ours}_PASSWORD", None)
        for theirs, mine in (
            ("POETRY_PYPI_TOKEN_PYPI", f"POETRY_PYPI_TOKEN_{ours}"),
            ("POETRY_HTTP_BASIC_PYPI_USERNAME", f"POETRY_HTTP_BASIC_{ours}_USERNAME"),
            ("POETRY_HTTP_BASIC_PYPI_PASSWORD", f"POETRY_HTTP_BASIC_{ours}_PASSWORD"),
        ):
            if theirs in env:
                env[mine] = env[theirs]
        notice = (
            "rehearsal: poetry publish goes to the local index (poetry publish --repository "
            f"{POETRY_REPOSITORY}, with the credentials set for PyPI)"
        )
    elif _variable_name(name) == _variable_name(POETRY_REPOSITORY):
        # Already the local index (its URL is the variable read above): nothing to
        # rewrite, and nothing to say, e.g. after a workflow step's own poetry wrapper
        # (workflows/poetry_guard.py), which has said it.
        return words, env, ""
    else:
        env[f"POETRY_REPOSITORIES_{_variable_name(name)}_URL"] = upload
        notice = f"rehearsal: poetry publish --repository {name} goes to the local index"
    return [*head, *tail], env, notice


def main() -> None:
    args, env, notice = rewrite(sys.argv[1:], os.environ)
    if notice:
        print(notice, file=sys.stderr, flush=True)
    os.execve(sys.executable, [sys.executable, "-m", "poetry", *args], env)


if __name__ == "__main__":
    main()
