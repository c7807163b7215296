"""The version of arshai; bumped by the release runbook in docs/deployment/."""

__version__ = "0.3.0"
__version_info__ = (0, 3, 0)
