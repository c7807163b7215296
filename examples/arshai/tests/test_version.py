"""The two version sources of the package agree with each other."""

import arshai
from arshai import __version__, __version_info__


def test_version_info_matches_version() -> None:
    assert ".".join(str(part) for part in __version_info__) == __version__


def test_greet_names_the_version() -> None:
    assert arshai.greet("Ada") == f"Hello, Ada! (arshai {__version__})"
