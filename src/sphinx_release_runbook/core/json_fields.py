"""Typed reads of JSON the project wrote itself (``runbook.json``, ``state.json``).

A file read back is input like any other: a hand edit or a damaged write can put
any JSON where a field belongs.  Each read checks the type and names the field's
place when it is wrong, so a problem is one located line, never a traceback or a
value silently converted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _kind(value: object) -> str:
    """What a JSON value is, in the words of a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class JsonFields:
    """Typed reads of one JSON object; a wrong value names its place (``a.b[0].c``).

    A value of the wrong type is refused, never converted: ``list("echo hi")`` is
    seven one-letter commands, and a step's content is what runs.  *fail* makes
    the exception to raise from a problem's text (its file's own error, worded).
    """

    def __init__(self, data: object, where: str, fail: Callable[[str], Exception]) -> None:
        self.fail = fail
        if not isinstance(data, dict):
            raise fail(f"{where or 'the document'} should be an object, not {_kind(data)}")
        self.data: dict[str, Any] = data
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str) -> Any:
        try:
            return self.data[key]
        except KeyError:
            raise self.fail(f"{self.at(key)} is missing") from None

    def _bad(self, key: str, what: str, value: object) -> Exception:
        return self.fail(f"{self.at(key)} should be {what}, not {_kind(value)}")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._bad(key, "a text", value)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key)
        if value is not None and not isinstance(value, str):
            raise self._bad(key, "a text or null", value)
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> Any:
        value = self.text(key)
        if value not in choices:
            raise self.fail(f"{self.at(key)} is {value!r}, not one of " + ", ".join(choices))
        return value

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._bad(key, "a whole number", value)
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "a number", value)
        return value

    def optional_number(self, key: str) -> float | None:
        return None if self._get(key) is None else self.number(key)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._bad(key, "true or false", value)
        return value

    def texts(self, key: str) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._bad(key, "a list of texts", value)
        return list(value)

    def mapping(self, key: str) -> dict[str, str]:
        value = self._get(key)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self._bad(key, "an object of texts", value)
        return dict(value)

    def objects(self, key: str) -> list[JsonFields]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._bad(key, "a list", value)
        return [
            JsonFields(item, f"{self.at(key)}[{index}]", self.fail)
            for index, item in enumerate(value)
        ]

    def object(self, key: str) -> JsonFields:
        return JsonFields(self._get(key), self.at(key), self.fail)

    def optional_integer(self, key: str) -> int | None:
        return None if self._get(key) is None else self.integer(key)

    def optional_object(self, key: str) -> dict[str, Any] | None:
        value = self._get(key)
        if value is not None and not isinstance(value, dict):
            raise self._bad(key, "an object or null", value)
        return value
