"""The fresh virtual environment ``actions/setup-python`` gives a job, made fast.

``python -m venv`` installs pip through ``ensurepip``, which unpacks and
compiles a wheel in a child process: seconds per job on a loaded machine,
paid again by every rehearsal.  Instead the environment is made without pip
and the rehearsal's own installed pip (package and ``dist-info``, compiled
files included) is copied into it, with ``pip``/``pip3`` scripts: a real,
separate installation of the same pip, so ``pip install --upgrade pip`` in
the workflow changes the copy and never the rehearsal's environment.  When
the rehearsal's Python has no pip, ``ensurepip`` it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

_FIND_PIP = (
    "import importlib.metadata as m, pathlib, pip; "
    "print(pathlib.Path(pip.__file__).parent); print(m.distribution('pip')._path)"
)
_PIP_SCRIPT = """#!{python}
import sys
from pip._internal.cli.main import main
sys.exit(main())
"""


def _pip_of(python: Path) -> tuple[Path, Path] | None:
    """The installed ``pip`` package and its ``dist-info`` folder of *python*, if any."""
    found = subprocess.run(
        [os.fspath(python), "-c", _FIND_PIP], capture_output=True, text=True, check=False
    )
    lines = found.stdout.split("\n")
    if found.returncode != 0 or len(lines) < 2:
        return None
    package, metadata = Path(lines[0].strip()), Path(lines[1].strip())
    return (package, metadata) if package.is_dir() and metadata.is_dir() else None


def create(python: Path, folder: Path, env: dict[str, str]) -> list[str]:
    """Make the environment; the command to run instead when the fast way is not open."""
    pip = _pip_of(python)
    if pip is None:
        return [os.fspath(python), "-m", "venv", os.fspath(folder)]
    subprocess.run(
        [os.fspath(python), "-m", "venv", "--without-pip", os.fspath(folder)],
        check=True,
        env=env,
        capture_output=True,
    )
    new_python = folder / "bin" / "python"
    purelib = subprocess.run(
        [os.fspath(new_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    package, metadata = pip
    shutil.copytree(package, Path(purelib) / package.name, symlinks=True)
    shutil.copytree(metadata, Path(purelib) / metadata.name, symlinks=True)
    for name in ("pip", "pip3"):
        script = folder / "bin" / name
        script.write_text(_PIP_SCRIPT.format(python=new_python), encoding="utf-8")
        script.chmod(0o755)
    return []
