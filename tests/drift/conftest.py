"""Fixtures of the pure drift tests: a repository over a temporary folder (no Sphinx, no shell)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import Source
from sphinx_release_runbook.drift import Repository

#: Where the guide names the item, for every test item.
AT = Source("index", "docs/index.rst", 7)

MakeRepo = Callable[..., Repository]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo({"path": "text"}, clis=..., repo_url=...)``: the files written, a Repository."""

    def make(
        files: dict[str, str] | None = None,
        *,
        clis: dict[str, str] | None = None,
        repo_url: str = "",
    ) -> Repository:
        for name, text in (files or {}).items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return Repository(root=tmp_path, clis=dict(clis or {}), repo_url=repo_url)

    return make
