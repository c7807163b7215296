"""``runbook.mirror``: a ``release-file`` copy must match the file it copies.

:mod:`.select` picks the part of the file (``:select:``, ``:lines:``, markers),
:mod:`.compare` compares a copy with it, :mod:`.check` is the check itself.
"""
