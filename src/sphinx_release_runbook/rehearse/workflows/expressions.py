"""The ``${{ }}`` expression language of GitHub Actions, the part workflows use.

Literals (``'text'`` with ``''`` for a quote, numbers, ``true``, ``false``,
``null``), context paths (``github.ref_name``, ``env['NAME']``,
``steps.build.outputs.path``), ``!``, ``==``, ``!=``, ``<``, ``<=``, ``>``,
``>=``, ``&&``, ``||`` and parentheses, with GitHub's semantics: ``&&`` and
``||`` give an operand's value, comparisons of different types compare as
numbers, strings compare case-insensitively.  Functions: ``success()``,
``failure()``, ``always()``, ``cancelled()``, ``contains``, ``startsWith``,
``endsWith``, ``format``, ``join``, ``toJSON``, ``fromJSON``.  Anything else
is an :class:`ExpressionError` naming what is not supported; the caller adds
the file and line.  A context the caller resolves on demand (``secrets``, so
that only the secrets a step uses are asked for) is a :class:`Lookup`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class ExpressionError(RunbookError):
    """An expression the rehearsal cannot evaluate; the message says which part."""

    exit_code = ExitCode.STEP_FAILED


@dataclass(frozen=True)
class Lookup:
    """A context whose entries are resolved when an expression reads them."""

    resolve: Callable[[str], Value]


#: A value of the language: JSON's, numbers as floats, plus a :class:`Lookup`.
Value: TypeAlias = "bool | float | str | Sequence[Value] | Mapping[str, Value] | Lookup | None"

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?))"
    r"|(?P<string>'(?:[^']|'')*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\].,*]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot read the expression '{text}' at '{text[position:]}'")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def truthy(value: Value) -> bool:
    """GitHub's truthiness: ``false``, ``0``, ``''``, ``null`` and NaN are false."""
    if value is None or value is False:
        return False
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def _number(value: Value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def as_text(value: Value) -> str:
    """How a value reads inside a string (``null`` is empty, ``3.0`` is ``3``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Lookup):
        return "{}"
    return json.dumps(_plain(value), indent=2)


def _plain(value: Value) -> object:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    if isinstance(value, Lookup):
        return {}
    return value


def _from_json(value: object) -> Value:
    if isinstance(value, dict):
        return {str(key): _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    scalar = (type(None), bool, float, str)
    if isinstance(left, scalar) and isinstance(right, scalar):
        if type(left) is type(right):
            return left == right
        return _number(left) == _number(right)
    return left is right


def _compare(op: str, left: Value, right: Value) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return _ordered_text(op, left.casefold(), right.casefold())
    return _ordered_number(op, _number(left), _number(right))


def _ordered_text(op: str, left: str, right: str) -> bool:
    return {"<": left < right, "<=": left <= right, ">": left > right}.get(op, left >= right)


def _ordered_number(op: str, left: float, right: float) -> bool:
    return {"<": left < right, "<=": left <= right, ">": left > right}.get(op, left >= right)


def _member(value: Value, key: Value) -> Value:
    if isinstance(value, Lookup):
        return value.resolve(as_text(key))
    if isinstance(value, Mapping):
        text = as_text(key)
        if text in value:
            return value[text]
        folded = {name.casefold(): item for name, item in value.items()}
        return folded.get(text.casefold())
    if isinstance(value, str) or not isinstance(value, Sequence):
        return None
    if isinstance(key, float) and key.is_integer() and 0 <= int(key) < len(value):
        return value[int(key)]
    return None


@dataclass
class Scope:
    """What an expression can read: the contexts and the job's status so far."""

    contexts: Mapping[str, Value]
    status: str = "success"  # "success", "failure" or "cancelled": the job (or its needs) so far


class _Parser:
    def __init__(self, text: str, scope: Scope) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0
        self.scope = scope

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            found = token[1] if token else "the end"
            expected = f"'{value}'" if value else "more"
            raise ExpressionError(f"in '{self.text}': expected {expected}, found {found}")
        self.position += 1
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in values

    def parse(self) -> Value:
        value = self.disjunction()
        if self.peek() is not None:
            raise ExpressionError(f"in '{self.text}': unexpected '{self.take()[1]}'")
        return value

    def disjunction(self) -> Value:
        value = self.conjunction()
        while self.at("||"):
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self) -> Value:
        value = self.comparison()
        while self.at("&&"):
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self) -> Value:
        value = self.unary()
        while self.at("==", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.unary()
            if op == "==":
                value = _equal(value, right)
            elif op == "!=":
                value = not _equal(value, right)
            else:
                value = _compare(op, value, right)
        return value

    def unary(self) -> Value:
        if self.at("!"):
            self.take()
            return not truthy(self.unary())
        return self.postfix(self.primary())

    def postfix(self, value: Value) -> Value:
        while self.at(".", "["):
            if self.take()[1] == ".":
                if self.at("*"):
                    raise ExpressionError(f"in '{self.text}': the '.*' filter is not supported")
                value = _member(value, self.take()[1])
            else:
                key = self.disjunction()
                self.take("]")
                value = _member(value, key)
        return value

    def primary(self) -> Value:
        kind, text = self.take()
        if kind == "number":
            return _number(text)
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "op" and text == "(":
            value = self.disjunction()
            self.take(")")
            return value
        if kind != "name":
            raise ExpressionError(f"in '{self.text}': unexpected '{text}'")
        if self.at("("):
            self.take()
            arguments: list[Value] = []
            while not self.at(")"):
                arguments.append(self.disjunction())
                if not self.at(")"):
                    self.take(",")
            self.take(")")
            return self.call(text, arguments)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if text not in self.scope.contexts:
            known = ", ".join(sorted(self.scope.contexts))
            raise ExpressionError(
                f"in '{self.text}': the context '{text}' is not available here (known: {known})"
            )
        return self.scope.contexts[text]

    def call(self, name: str, arguments: list[Value]) -> Value:
        status = self.scope.status
        folded = name.casefold()
        if folded in ("success", "failure", "always", "cancelled"):
            return {
                "success": status == "success",
                "failure": status == "failure",
                "always": True,
                "cancelled": status == "cancelled",
            }[folded]
        if folded in ("contains", "startswith", "endswith") and len(arguments) == 2:
            haystack, needle = arguments
            if (
                folded == "contains"
                and isinstance(haystack, Sequence)
                and not isinstance(haystack, str)
            ):
                return any(_equal(item, needle) for item in haystack)
            left, right = as_text(haystack).casefold(), as_text(needle).casefold()
            if folded == "contains":
                return right in left
            return left.startswith(right) if folded == "startswith" else left.endswith(right)
        if folded == "format" and arguments:
            pattern, rest = as_text(arguments[0]), arguments[1:]
            return (
                re.sub(
                    r"\{(\d+)\}",
                    lambda match: as_text(rest[int(match[1])]) if int(match[1]) < len(rest) else "",
                    pattern.replace("{{", "\0").replace("}}", "\1"),
                )
                .replace("\0", "{")
                .replace("\1", "}")
            )
        if folded == "join" and arguments:
            items = arguments[0]
            separator = as_text(arguments[1]) if len(arguments) > 1 else ","
            if isinstance(items, Sequence) and not isinstance(items, str):
                return separator.join(as_text(item) for item in items)
            return as_text(items)
        if folded == "tojson" and len(arguments) == 1:
            return json.dumps(_plain(arguments[0]), indent=2)
        if folded == "fromjson" and len(arguments) == 1:
            try:
                return _from_json(json.loads(as_text(arguments[0])))
            except ValueError as exc:
                raise ExpressionError(f"in '{self.text}': fromJSON: {exc}") from exc
        raise ExpressionError(
            f"in '{self.text}': the function {name}() (with {len(arguments)} arguments) "
            "is not supported by the rehearsal"
        )


def evaluate(text: str, scope: Scope) -> Value:
    """The value of the expression *text* (without ``${{ }}``)."""
    return _Parser(text, scope).parse()


def _closing(text: str, start: int) -> int:
    """The index of the ``}}`` closing the expression opened before *start* (quotes skipped)."""
    index = start
    while index < len(text):
        if text[index] == "'":
            end = text.find("'", index + 1)
            while end != -1 and text.startswith("''", end):
                end = text.find("'", end + 2)
            if end == -1:
                break
            index = end + 1
            continue
        if text.startswith("}}", index):
            return index
        index += 1
    raise ExpressionError(f"'${{{{' without its closing '}}}}' in '{text}'")


def substitute(text: str, scope: Scope) -> str:
    """*text* with every ``${{ expression }}`` replaced by its value as text."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("${{", position)
        if start == -1:
            out.append(text[position:])
            return "".join(out)
        end = _closing(text, start + 3)
        out.append(text[position:start])
        out.append(as_text(evaluate(text[start + 3 : end], scope)))
        position = end + 2


def condition(text: str, scope: Scope) -> bool:
    """An ``if:`` value: with no status function in it, ``success() &&`` is implied."""
    stripped = text.strip()
    if stripped.startswith("${{") and stripped.endswith("}}"):
        stripped = stripped[3:-2].strip()
    calls_status = re.search(r"\b(success|failure|always|cancelled)\s*\(", stripped, re.I)
    if calls_status is None and scope.status != "success":
        return False
    return truthy(evaluate(stripped, scope))
