"""A :class:`~sphinx_release_runbook.model.Export` for the CLI.

Either from an exported ``runbook.json`` (``--runbook FILE``), or by running the
``runbook`` builder over the repository's docs.  The build goes to a cache under
``.runbook/cache`` keyed on the hashes of the sources, the conf and every
repository file the directives read, so a second ``list`` or ``run`` costs a
few hashes, not a Sphinx build.  Every command that builds writes the cache,
a dry run too: the cache is in ``.runbook/``, which git ignores, so a dry run
still changes nothing git sees, and only the first command of a fresh clone
pays for the build.

``pyproject.toml`` is read here only to find the docs and the default runbook
(nothing is edited), so it is read with :mod:`tomllib` (no tomlkit import on
the warm path), and once per command.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.core import contract, git
from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.fs import (
    PRIVATE_DIR,
    ensure_private_dir,
    file_problem,
    write_atomic,
)
from sphinx_release_runbook.core.model import Export, SchemaError

CACHE_DIR = PRIVATE_DIR / "cache"
MANIFEST = "manifest.json"
#: The layout of the cache (the manifest and what the builder writes into ``out/``); part
#: of its key, so a cache written by a runner with another layout is rebuilt, not misread.
CACHE_FORMAT = 2


class LoadError(RunbookError):
    """The runbook cannot be loaded; the message says where and what to do."""

    exit_code = ExitCode.DOCS


@dataclass
class Loaded:
    """A loaded runbook export and the findings of the build that produced it."""

    export: Export
    findings: list[Finding] = field(default_factory=list)
    json_path: Path | None = None
    script_path: str | None = None
    #: What the build noted that is not a finding ("path:line: text"): check and run print it.
    notices: list[str] = field(default_factory=list)
    #: ``runbook = "NAME"`` in [tool.sphinx-release-runbook]: the one to use without --name.
    default_name: str | None = None


@dataclass(frozen=True)
class DocsLocation:
    """Where a repository's docs live: the Sphinx source and conf directories."""

    srcdir: Path
    confdir: Path


def find_repo_root(start: Path) -> Path:
    """The git top level containing *start*, else *start* itself."""
    return (git.toplevel(start) or start).resolve()


def find_project_root(start: Path) -> Path:
    """The nearest directory from *start* up to the git top level that holds docs.

    A project inside a larger repository (``examples/arshai``) is found before the
    repository's own docs.
    """
    start = start.resolve()
    top = find_repo_root(start)
    for directory in [start, *start.parents]:
        if _has_docs(directory):
            return directory
        if directory == top:
            break
    return top


def _has_docs(directory: Path) -> bool:
    if "docs" in _pyproject_settings(directory) or "conf" in _pyproject_settings(directory):
        return True
    return (directory / "docs" / "conf.py").is_file() or (
        (directory / "conf.py").is_file() and (directory / "docs").is_dir()
    )


#: Parsed ``[tool.sphinx-release-runbook]`` tables, by file and the file's identity
#: (inode, size, mtime), so a command that asks five times parses once, and a file
#: edited in between (a test, a long-lived process) is read again.
_SETTINGS: dict[Path, tuple[tuple[int, int, int], dict[str, object]]] = {}


def _pyproject_settings(root: Path) -> dict[str, object]:
    path = root / "pyproject.toml"
    try:
        info = path.stat()
    except OSError:
        return {}
    if not path.is_file():
        return {}
    identity = (info.st_ino, info.st_size, info.st_mtime_ns)
    known = _SETTINGS.get(path)
    if known is not None and known[0] == identity:
        return known[1]
    try:
        # utf-8-sig: an editor's byte order mark is not part of the TOML.
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(f"{path}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: cannot be read: {exc}") from exc
    tool = document.get("tool", {})
    settings = tool.get("sphinx-release-runbook", {}) if isinstance(tool, dict) else {}
    if not isinstance(settings, dict):
        settings = {}
    _SETTINGS[path] = (identity, settings)
    return settings


def find_docs(root: Path) -> DocsLocation:
    """Locate the docs: ``[tool.sphinx-release-runbook]`` first, then the usual places."""
    settings = _pyproject_settings(root)
    docs = settings.get("docs")
    conf = settings.get("conf")
    if docs is not None or conf is not None:
        srcdir = (root / str(docs or "docs")).resolve()
        confdir = (root / str(conf)).resolve() if conf else None
        if confdir is None:
            confdir = srcdir if (srcdir / "conf.py").is_file() else root
        if not srcdir.is_dir():
            raise LoadError(
                f"{root / 'pyproject.toml'}: [tool.sphinx-release-runbook] docs = {docs!r} "
                "is not a directory"
            )
        if not (confdir / "conf.py").is_file():
            raise LoadError(
                f"{confdir / 'conf.py'}: not found (from [tool.sphinx-release-runbook])"
            )
        return DocsLocation(srcdir, confdir)
    if (root / "conf.py").is_file() and (root / "docs").is_dir():
        return DocsLocation((root / "docs").resolve(), root.resolve())
    if (root / "docs" / "conf.py").is_file():
        return DocsLocation((root / "docs").resolve(), (root / "docs").resolve())
    raise LoadError(
        f"no docs found under {root}: expected conf.py at the root with a docs/ folder, or "
        'docs/conf.py; or set docs = "..." in [tool.sphinx-release-runbook] of pyproject.toml; '
        "or pass --runbook runbook.json"
    )


def load_json(path: Path) -> Loaded:
    """Read an exported ``runbook.json``."""
    if not path.is_file():
        raise LoadError(f"{path}: no such file (from --runbook)")
    try:
        export = Export.load(path)
    except SchemaError as exc:
        raise LoadError(str(exc)) from exc
    except OSError as exc:  # unreadable (its mode, a disk error)
        raise file_problem(exc, path, "read the runbook") from exc
    return Loaded(export=export, json_path=path)


def _source_files(docs: DocsLocation) -> list[Path]:
    files = [docs.confdir / "conf.py"]
    skip = {"_build", ".runbook", "__pycache__"}
    for directory, subdirs, names in os.walk(docs.srcdir):
        subdirs[:] = sorted(d for d in subdirs if d not in skip and not d.startswith("."))
        files.extend(Path(directory) / name for name in sorted(names))
    return files


def _fingerprint(paths: list[Path]) -> str:
    # The extension's own version is part of the key: an upgrade may export differently.
    digest = hashlib.sha256(f"sphinx-release-runbook {__version__} {CACHE_FORMAT}".encode())
    for path in sorted(set(paths)):
        digest.update(str(path).encode())
        try:
            if path.is_dir():
                # A directory dependency stands for "a path that may appear here".
                digest.update("\0".join(sorted(p.name for p in path.iterdir())).encode())
            else:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def build(root: Path, *, use_cache: bool = True) -> Loaded:
    """The runbook of the docs of *root*, with the project's default runbook name.

    A build is cached in ``.runbook/cache`` whatever the command, ``--dry-run``
    included (git ignores ``.runbook/``, so the work tree git sees is unchanged).
    """
    loaded = _build(root, use_cache=use_cache)
    default = _pyproject_settings(root).get("runbook")
    loaded.default_name = str(default) if default else None
    return loaded


def _build(root: Path, *, use_cache: bool) -> Loaded:
    """Run the ``runbook`` builder over the docs of *root*, or reuse the cached result."""
    docs = find_docs(root)
    cache = root / CACHE_DIR
    outdir = cache / "out"
    manifest_path = cache / MANIFEST
    sources = _source_files(docs)
    if use_cache and manifest_path.is_file() and (outdir / contract.RUNBOOK_FILE).is_file():
        manifest = _manifest(manifest_path)
        inputs = [Path(p) for p in manifest.get("inputs", [])]
        if manifest.get("key") == _fingerprint(sources + inputs):
            try:
                return _loaded_from(outdir)
            except LoadError:
                pass  # the cache's own file damaged (a torn write, a hand edit): build again
    ensure_private_dir(root)
    _run_sphinx(docs, outdir, cache / "doctrees")
    inputs = contract.read_inputs(outdir)
    key = _fingerprint(sources + inputs)
    write_atomic(manifest_path, json.dumps({"key": key, "inputs": [str(p) for p in inputs]}))
    return _loaded_from(outdir)


def _manifest(path: Path) -> dict[str, Any]:
    """The cache's manifest; one that cannot be read (torn, another layout) is a miss."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _loaded_from(outdir: Path) -> Loaded:
    loaded = load_json(outdir / contract.RUNBOOK_FILE)
    loaded.findings = contract.read_findings(outdir)
    loaded.script_path = contract.read_script_path(outdir)
    loaded.notices = contract.read_notices(outdir)
    return loaded


def _run_sphinx(docs: DocsLocation, outdir: Path, doctreedir: Path) -> None:
    # Imported here: `--runbook FILE` and `--help` should not pay for importing Sphinx.
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    warnings = io.StringIO()
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        with patch_docutils(docs.confdir), docutils_namespace():
            app = Sphinx(
                srcdir=docs.srcdir,
                confdir=docs.confdir,
                outdir=outdir,
                doctreedir=doctreedir,
                buildername="runbook",
                status=None,
                warning=warnings,
                freshenv=False,
                confoverrides={"runbook_drift": "warning"},
            )
            app.build()
    except SphinxError as exc:
        shutil.rmtree(doctreedir, ignore_errors=True)
        raise LoadError(f"the docs build failed: {exc}\n{warnings.getvalue()}".rstrip()) from exc
    failed = [f for f in contract.read_findings(outdir) if not f.is_drift]
    if failed:
        raise LoadError(
            "the docs define a malformed runbook; fix these and run again:\n"
            + warnings.getvalue().rstrip()
        )
