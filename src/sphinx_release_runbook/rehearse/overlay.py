"""The rehearsal's Python: your environment underneath, and what the release installs on top.

A guide's commands install things: ``python -m pip install -e '.[test]'``
would, in a rehearsal, point your environment's installed package at a
temporary clone that is about to be removed.  So the ``python`` of a
rehearsal is a virtual environment of its own, in the rehearsal's folder,
that sees every package of the environment the command runs in (a ``.pth``
file adds its site folders after its own) and installs into its own: what a
step installs shadows your packages for the rehearsal and goes away with the
folder; your environment is never written.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

from sphinx_release_runbook.rehearse.errors import RehearsalError

_PTH = "_runbook_rehearsal_overlay.pth"


def _site_folders() -> list[str]:
    """The site folders of this interpreter, its own first (``.pth`` files included)."""
    folders = [*site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return [folder for folder in folders if os.path.isdir(folder)]


def create(folder: Path) -> Path:
    """A virtual environment in *folder* layered over this interpreter's; its ``python``."""
    result = subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", os.fspath(folder)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise RehearsalError(
            f"cannot create the rehearsal's Python in {folder}: {result.stderr.strip()}"
        )
    python = folder / "bin" / "python"
    probe = subprocess.run(
        [os.fspath(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if probe.returncode != 0:
        raise RehearsalError(f"the rehearsal's Python {python} does not start: {probe.stderr}")
    own = Path(probe.stdout.strip())
    # addsitedir, not a bare path: the editable installs of the environment are .pth files too.
    lines = [f"import site; site.addsitedir({folder_name!r})" for folder_name in _site_folders()]
    (own / _PTH).write_text("\n".join(lines) + "\n", encoding="utf-8")
    _mirror_scripts(Path(sys.executable).parent, python)
    return python


def _mirror_scripts(source: Path, python: Path) -> None:
    """The programs of the environment's ``bin`` in the layer's, run by the layer's Python.

    A package already installed underneath is not installed again, so its
    console script (``lint-imports``, ``pytest``) would be missing from the
    layer; a script whose ``#!`` names the environment's Python is copied with
    the layer's, anything else (a binary such as ``ruff``) is linked.
    """
    if sys.prefix == sys.base_prefix:
        return  # not a virtual environment: its bin is the system's, already on PATH
    target = python.parent
    interpreters = {os.fspath(source / name) for name in ("python", "python3")}
    interpreters.add(sys.executable)
    for program in sorted(source.iterdir()):
        mirror = target / program.name
        if (
            mirror.exists()
            or mirror.is_symlink()
            or program.name.startswith(("activate", "Activate"))
        ):
            continue
        if not program.is_file() or not os.access(program, os.X_OK):
            continue
        with program.open("rb") as stream:
            first = stream.readline(512)
        shebang = first[2:].strip().decode("utf-8", "replace") if first.startswith(b"#!") else ""
        if shebang in interpreters:
            body = program.read_bytes()[len(first) :]
            mirror.write_bytes(b"#!" + os.fsencode(python) + b"\n" + body)
            mirror.chmod(0o755)
        else:
            mirror.symlink_to(program)
