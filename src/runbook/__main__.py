"""Entry point of ``python -m runbook``."""

from __future__ import annotations

from sphinx_release_runbook.cli import main

if __name__ == "__main__":
    main()
