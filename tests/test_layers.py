"""The layer contract (``[tool.importlinter]`` in pyproject.toml) holds, and it can break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the package under *project*/src, with *project*'s contract."""
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_package_keeps_its_layer_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_core_up_to_the_sphinx_layer_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    model = tmp_path / "src" / "sphinx_release_runbook" / "core" / "model.py"
    model.write_text(
        model.read_text(encoding="utf-8")
        + "\nfrom sphinx_release_runbook.sphinxext import nodes  # noqa: E402,F401\n",
        encoding="utf-8",
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Layers import downward only BROKEN" in result.stdout
    assert "sphinx_release_runbook.core.model -> sphinx_release_runbook.sphinxext.nodes" in (
        result.stdout
    )
