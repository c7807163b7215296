"""What a rehearsal hands to the ``gh`` stand-in: ``$RUNBOOK_REHEARSE_HOME/context.json``.

The session (:mod:`.session`) writes it before the runner starts; the stand-in
(:mod:`.gh`), a separate program started through a shim on ``PATH``, reads it
back.  The file is the whole contract between the two, so it is plain JSON
and both sides use this one dataclass.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.fs import write_atomic

#: The environment variable naming the rehearsal's home folder.
HOME_VARIABLE = "RUNBOOK_REHEARSE_HOME"
#: The context file's name inside the home folder.
CONTEXT_FILE = "context.json"


@dataclass(frozen=True)
class IndexCredentials:
    """Where the local package index listens and who may upload to it."""

    url: str  # simple index, e.g. http://127.0.0.1:PORT/simple/
    upload_url: str  # legacy upload endpoint, e.g. http://127.0.0.1:PORT/
    username: str
    password: str  # also the token the workflow's publish secret receives


@dataclass(frozen=True)
class RehearsalContext:
    """Everything the stand-in needs to act like GitHub inside the sandbox."""

    repository: Path  # the sandbox clone (workflows are read from here; tags checked out from here)
    home: Path  # RUNBOOK_REHEARSE_HOME: records of the stand-in live here
    python: Path  # the rehearsal's interpreter (sys.executable of the rehearse command)
    index: IndexCredentials
    # PIP_*, POETRY_*, TWINE_*, UV_* settings that point the tools at the index
    tool_env: dict[str, str] = field(default_factory=dict)
    # extra secrets from conf.py (runbook_rehearse_secrets)
    secrets: dict[str, str] = field(default_factory=dict)
    # extra action mappings from conf.py (runbook_rehearse_actions: "owner/action" -> command)
    actions: dict[str, str] = field(default_factory=dict)
    # repository ("owner/name" from the real origin URL), server_url, sha etc. for ${{ github.* }}
    github: dict[str, str] = field(default_factory=dict)

    def write(self) -> Path:
        """Write ``home/context.json`` atomically (``0600``: it holds the index password)."""
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.home / CONTEXT_FILE
        data = asdict(self)
        for name in ("repository", "home", "python"):
            data[name] = os.fspath(data[name])
        write_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode=0o600)
        return path

    @classmethod
    def read(cls, home: Path) -> RehearsalContext:
        """Read ``home/context.json`` back (``KeyError``/``ValueError`` on a malformed file)."""
        data: dict[str, Any] = json.loads((home / CONTEXT_FILE).read_text(encoding="utf-8"))
        index = data["index"]
        return cls(
            repository=Path(data["repository"]),
            home=Path(data["home"]),
            python=Path(data["python"]),
            index=IndexCredentials(
                url=str(index["url"]),
                upload_url=str(index["upload_url"]),
                username=str(index["username"]),
                password=str(index["password"]),
            ),
            tool_env=_strings(data.get("tool_env", {})),
            secrets=_strings(data.get("secrets", {})),
            actions=_strings(data.get("actions", {})),
            github=_strings(data.get("github", {})),
        )


def _strings(value: object) -> dict[str, str]:
    """A JSON object of strings as a ``dict[str, str]``; anything else is a ``ValueError``."""
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object of strings, got {type(value).__name__}")
    return {str(key): str(item) for key, item in value.items()}
