"""``python -m sphinx_release_runbook.rehearse.gh ARGS``: the rehearsal's ``gh``."""

from __future__ import annotations

import sys

from sphinx_release_runbook.rehearse.gh.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
