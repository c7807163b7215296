"""The exported script's helper: what the checklist needs beyond bash, in python3's stdlib.

Every exported script embeds this file verbatim and runs it as ``py COMMAND
ARGS...`` (``python3 -S`` compiling it after a few lines that make an early
Ctrl-C quiet, see the template); the tests import it to compare it with the
runner directly.  It mirrors the runner message for message, with no import
of the package (the script runs where the package is not installed):

* the version grammars, their order and ``major|minor|patch``
  (:mod:`~sphinx_release_runbook.core.versions`), the package and tag
  alphabets, and the validation of a release
  (:mod:`~sphinx_release_runbook.runner.validate`);
* the placeholders, filled from templates the export compiled with the
  runner's own Jinja2 parser (:func:`~sphinx_release_runbook.core.template_tree.compile_template`);
* secret masking (:mod:`~sphinx_release_runbook.runner.secrets`);
* a step's commands: bash in a session of its own, the step's timeout,
  retries, ``:expect:`` and ``:expect-empty:``, the failure report
  (:mod:`~sphinx_release_runbook.runner.commands`, ``.verdict``, ``.execute``,
  ``.report``);
* where the repository is (``cli.loader.find_project_root``).

Python 3.8 or later: no syntax or library newer than that (annotations are
never evaluated).  A failure a user can act on is a :class:`Refused`, printed
as ``error: MESSAGE`` with its exit code, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import json
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Sequence
from typing import Any, NoReturn

# --- errors ----------------------------------------------------------------------------

USAGE = 2
STEP_FAILED = 1
DECLINED = 7
MISSING_TOOLS = 8
MANUAL_STEP = 9
NEEDS_DECISION = 10
OS_ERROR = 11
LOCKED = 5
INTERRUPTED = 130


class Refused(Exception):
    """A problem the user can act on: its message and the script's exit code."""

    def __init__(self, message: str, code: int = USAGE) -> None:
        super().__init__(message)
        self.code = code


# --- versions (core.versions) ----------------------------------------------------------

BUMP_PARTS = ("major", "minor", "patch")
SCHEME_NAMES = {"pep440": "PEP 440 version", "semver": "semantic version"}
MAX_VERSION_LENGTH = 100
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?",
    re.ASCII,
)
_PEP440 = re.compile(r"(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?", re.ASCII)
_PACKAGE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", re.ASCII)
_TAG_ALPHABET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*", re.ASCII)


class Parsed:
    """A parsed version; ordered as core's ParsedVersion: by key, then by text."""

    def __init__(
        self, key: tuple[Any, ...], text: str, release: tuple[int, ...], extra: tuple[str, ...]
    ) -> None:
        self.key, self.text, self.release, self.extra = key, text, release, extra

    def _order(self) -> tuple[Any, ...]:
        return (self.key, self.text)

    def __lt__(self, other: Parsed) -> bool:
        return self._order() < other._order()

    def __gt__(self, other: Parsed) -> bool:
        return self._order() > other._order()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parsed) and self._order() == other._order()

    def __hash__(self) -> int:
        return hash(self._order())


def _pep440_key(
    release: tuple[int, ...], pre: tuple[str, int] | None, post: int | None, dev: int | None
) -> tuple[Any, ...]:
    """The order of packaging.version.Version (no epoch, no local part), as plain tuples."""
    trimmed = list(release)
    while trimmed and trimmed[-1] == 0:
        trimmed.pop()
    if pre is None and post is None and dev is not None:
        pre_key: tuple[Any, ...] = (0,)  # 1.0.dev0 sorts before 1.0a1
    elif pre is None:
        pre_key = (2,)
    else:
        pre_key = (1, pre[0], pre[1])
    post_key = (0,) if post is None else (1, post)
    dev_key = (2,) if dev is None else (1, dev)
    return (tuple(trimmed), pre_key, post_key, dev_key)


def parse_version(text: str, scheme: str) -> Parsed:
    """core.versions.parse_version, with the same messages (raised as :class:`Refused`)."""
    if not text:
        raise Refused("the version is empty; give one such as 1.2.3")
    if text != text.strip() or any(ch.isspace() for ch in text):
        raise Refused(f"the version {text!r} contains white space")
    if text[0] in "vV":
        raise Refused(
            f"the version {text!r} starts with 'v'; give the bare version {text[1:]!r} "
            "(the tag adds the 'v')"
        )
    if scheme == "semver":
        match = _SEMVER.fullmatch(text)
        if not match:
            raise Refused(
                f"{text!r} is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] (semver.org)"
            )
        release = tuple(int(part) for part in match.groups()[:3])
        pre = match.group(4)
        pre_key: tuple[Any, ...] = (
            (1,)
            if pre is None
            else (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
        )
        return Parsed((release, pre_key), text, release, (pre,) if pre else ())
    match = _PEP440.fullmatch(text)
    if not match:
        raise Refused(
            f"{text!r} is not a PEP 440 version in normal form (for example 1.2.3, 1.2.3rc1, "
            "1.2.3.post1)"
        )
    release = tuple(int(part) for part in match.group(1).split("."))
    if len(release) < 3:
        padded = [*map(str, release), *["0"] * (3 - len(release))]
        raise Refused(
            f"{text!r} has {len(release)} part(s); give MAJOR.MINOR.PATCH, such as "
            + ".".join(padded)
        )
    pre_part = (match.group(2), int(match.group(3))) if match.group(2) else None
    post = int(match.group(4)) if match.group(4) is not None else None
    dev = int(match.group(5)) if match.group(5) is not None else None
    extra = []
    if pre_part:
        extra.append(f"{pre_part[0]}{pre_part[1]}")
    if post is not None:
        extra.append(f"post{post}")
    if dev is not None:
        extra.append(f"dev{dev}")
    return Parsed((_pep440_key(release, pre_part, post, dev),), text, release, tuple(extra))


def version_info(version: str, scheme: str) -> str:
    parsed = parse_version(version, scheme)
    return repr((*parsed.release, *parsed.extra))


def next_version(current: str, part: str, scheme: str) -> str:
    release = list(parse_version(current, scheme).release[:3])
    index = BUMP_PARTS.index(part)
    release[index] += 1
    release[index + 1 :] = [0] * (2 - index)
    return ".".join(map(str, release))


def version_refusal(label: str, text: str, scheme: str, reason: str) -> str:
    grammar = SCHEME_NAMES[scheme]
    if f"is not a {grammar}" in reason:
        return f"{label} {text!r}: {reason}"
    return f"{label} {text!r} is not a {grammar}: {reason}"


def shown(text: str, limit: int = 40) -> str:
    """runner.validate.shown: quoted when odd, cut short when long."""
    head = text if len(text) <= limit else text[:limit]
    head = head if head.isprintable() and head.strip() == head and head else repr(head)
    return head if len(text) <= limit else f"{head}... ({len(text)} characters)"


def package_problem(package: str) -> str | None:
    if _PACKAGE_NAME.fullmatch(package):
        return None
    return (
        f"the package name {package!r} is not a valid distribution name (PEP 508: letters, digits, "
        "'.', '_' and '-', starting and ending with a letter or digit)"
    )


def tag_problem(tag: str) -> str | None:
    if not _TAG_ALPHABET.fullmatch(tag):
        return (
            "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', "
            "and starts with a letter or digit"
        )
    for bad, why in (
        ("..", "contains '..'"),
        ("//", "contains '//'"),
        ("/.", "has a part that starts with '.'"),
        (".lock/", "has a part that ends with '.lock'"),
    ):
        if bad in tag:
            return f"git refuses a tag that {why}"
    for end, why in (
        ("/", "ends with '/'"),
        (".", "ends with '.'"),
        (".lock", "ends with '.lock'"),
    ):
        if tag.endswith(end):
            return f"git refuses a tag that {why}"
    return None


# --- placeholders (core.template_tree.compile_template) -----------------------------------


def _apply(name: str, value: str, arguments: Sequence[Any]) -> str:
    """One exportable filter, as Jinja2 applies it (each is one ``str`` method)."""
    if name == "upper":
        return value.upper()
    if name == "lower":
        return value.lower()
    if name == "capitalize":
        return value.capitalize()
    if name == "string":
        return value
    if name == "trim":
        return value.strip(*arguments)
    if name == "replace":
        count = arguments[2] if len(arguments) > 2 and arguments[2] is not None else -1
        return value.replace(str(arguments[0]), str(arguments[1]), count)
    raise Refused(f"the filter |{name} is not one the script applies")


def evaluate(tree: Sequence[Any], values: dict[str, str]) -> str:
    """The text of one compiled expression tree."""
    kind = tree[0]
    if kind == "name":
        return values[tree[1]]
    if kind == "const":
        return str(tree[1])
    if kind == "concat":
        return "".join(evaluate(item, values) for item in tree[1])
    if kind == "filter":
        return _apply(tree[1], evaluate(tree[2], values), tree[3])
    raise Refused(f"unknown expression {kind!r}")


def fill(parts: Sequence[Sequence[Any]], values: dict[str, str]) -> str:
    """A compiled template's text: ``["text", T]``, ``["name", N]``, ``["expr", TREE]`` parts."""
    pieces = []
    for kind, payload in parts:
        if kind == "text":
            pieces.append(payload)
        elif kind == "name":
            pieces.append(values[payload])
        else:
            pieces.append(evaluate(payload, values))
    return "".join(pieces)


# --- git -------------------------------------------------------------------------------

REMOTE_TIMEOUT = 20.0


def git(*args: str, timeout: float | None = None) -> tuple[int, str]:
    environment = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    try:
        done = subprocess.run(
            ["git", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=environment,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return 127, ""
    return done.returncode, done.stdout


def tags(pattern: str | None = None) -> list[str]:
    status, out = git("tag", "--list", *([pattern] if pattern else []))
    return out.split() if status == 0 else []


def tag_exists(tag: str) -> str | None:
    if tags(tag):
        return "locally"
    status, remotes = git("remote")
    if status == 0 and "origin" in remotes.split():
        status, out = git(
            "ls-remote", "--tags", "origin", "refs/tags/" + tag, timeout=REMOTE_TIMEOUT
        )
        if status == 0 and out.strip():
            return "on origin"
    return None


# --- where the repository is (cli.loader.find_project_root) ---------------------------


def _pyproject_settings(directory: str) -> dict[str, Any]:
    path = os.path.join(directory, "pyproject.toml")
    if not os.path.isfile(path):
        return {}
    try:
        with open(path, "rb") as stream:
            data = stream.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    try:
        import tomllib  # Python 3.11+

        settings = tomllib.loads(data).get("tool", {}).get("sphinx-release-runbook", {})
        return settings if isinstance(settings, dict) else {}
    except ImportError:  # older Python: the two keys that matter, read line by line
        found: dict[str, Any] = {}
        inside = False
        for line in data.splitlines():
            header = re.match(r"\s*\[([^\]]*)\]", line)
            if header:
                inside = header.group(1).strip() == "tool.sphinx-release-runbook"
            elif inside:
                key = re.match(r"\s*(docs|conf)\s*=", line)
                if key:
                    found[key.group(1)] = True
        return found
    except ValueError:
        return {}


def _has_docs(directory: str) -> bool:
    settings = _pyproject_settings(directory)
    if "docs" in settings or "conf" in settings:
        return True
    return os.path.isfile(os.path.join(directory, "docs", "conf.py")) or (
        os.path.isfile(os.path.join(directory, "conf.py"))
        and os.path.isdir(os.path.join(directory, "docs"))
    )


def project_root(start: str) -> str:
    """The nearest directory from *start* up to the git top level that holds docs."""
    start = os.path.realpath(start)
    status, out = git("-C", start, "rev-parse", "--show-toplevel")
    top = os.path.realpath(out.strip()) if status == 0 and out.strip() else start
    directory = start
    while True:
        if _has_docs(directory):
            return directory
        parent = os.path.dirname(directory)
        if directory == top or parent == directory:
            return top
        directory = parent


# --- current versions: the bump targets' values ----------------------------------------


class Site:
    """Where a bump target's version sits: line (0-based index), column span, value."""

    def __init__(self, lines: list[str], number: int, start: int, end: int, value: str) -> None:
        self.lines, self.number, self.start, self.end, self.value = lines, number, start, end, value


# Where a line ends (bump.source): Python at LF, CRLF or a lone CR; TOML at LF (a CR
# before it belongs to the line; a lone CR is no TOML newline).  Never at a form feed
# or the other breaks str.splitlines knows.
_PYTHON_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_TOML_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_PYTHON_LINE_BYTES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _codec(data: bytes, path: str) -> str:
    """bump.source: TOML is UTF-8 (a byte order mark kept); Python as PEP 263 says."""
    if not path.endswith(".py"):
        return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    lines = iter(_PYTHON_LINE_BYTES.findall(data))
    try:
        codec, _ = tokenize.detect_encoding(lambda: next(lines, b""))
    except SyntaxError as exc:
        if exc.msg == "invalid or missing encoding declaration":
            return "utf-8"  # a first line that is not UTF-8: decoding says so
        raise Refused(f"{path}: cannot read: {exc.msg} (its coding cookie)") from None
    return codec


def read_source(path: str) -> tuple[list[str], str]:
    """A bump target's lines, each with its ending as written, and the codec to write it with.

    Decoded without newline translation and encoded back with the same codec (a UTF-8
    byte order mark included), so a bump changes the version's bytes and no others.
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except FileNotFoundError:
        raise Refused(f"{path}: file not found (named as a bump target)") from None
    except OSError as exc:
        raise Refused(f"{path}: cannot read: {exc}") from None
    codec = _codec(data, path)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Refused(
            f"{path}: cannot read: byte 0x{data[exc.start]:02x} on line {line} is not {codec}"
        ) from None
    if text.encode(codec) != data:
        raise Refused(
            f"{path}: cannot edit: its text in {codec} does not encode back to the same bytes"
        )
    pattern = _PYTHON_LINE if path.endswith(".py") else _TOML_LINE
    return pattern.findall(text), codec


def _read_lines(path: str) -> list[str]:
    return read_source(path)[0]


def locate(lines: list[str], path: str, key: str) -> Site:
    """The version site of *key* in *lines* of *path* (TOML dotted key, or a Python name)."""
    if path.endswith(".toml"):
        *tables, name = key.split(".")
        table = None
        for number, line in enumerate(lines):
            header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line.rstrip("\r\n"))
            if header:
                table = [part.strip().strip('"') for part in header.group(1).split(".")]
                continue
            found = re.match(r"(\s*" + re.escape(name) + r"\s*=\s*)([\"'])([^\"']*)([\"'])", line)
            if found and table == tables:
                return Site(lines, number, found.start(2), found.end(4), found.group(3))
    else:
        for number, line in enumerate(lines):
            found = re.match(
                r"(" + re.escape(key) + r"\s*(?::[^=]*)?=\s*)(.*?)(\s*(#.*)?)$", line.rstrip("\r\n")
            )
            if found:
                value = found.group(2)
                text = (
                    value.strip("\"'")
                    if value[:1] in "\"'"
                    else ".".join(re.findall(r"\d+", value))
                )
                return Site(lines, number, found.end(1), found.end(2), text)
    raise Refused(f"{path}: no {key} (the guide's bump target)")


def read_current(targets: Sequence[Sequence[str]]) -> list[tuple[str, str, str]]:
    sources = []
    for path, key in targets:
        try:
            site = locate(_read_lines(path), path, key)
        except Refused as exc:
            raise Refused(f"cannot read the current version: {exc}") from None
        sources.append((path, key, site.value))
    return sources


# --- a release's values (runner.validate.validate_release) -----------------------------


def _describe(sources: Sequence[tuple[str, str, str]], tag: str | None) -> str:
    parts = ["{} {} = {}".format(*source) for source in sources]
    if tag:
        parts.append(f"newest tag {tag}")
    return ", ".join(parts)


def _tagged_versions(spec: dict[str, Any]) -> list[tuple[str, str]]:
    marker = "RUNBOOKxVERSION"
    rendered = fill(spec["tag"], {"version": marker, "package": spec["package"]})
    prefix, _, suffix = rendered.partition(marker)
    found = []
    for tag in tags():
        if tag.startswith(prefix) and tag.endswith(suffix) and len(tag) > len(prefix + suffix):
            found.append((tag, tag[len(prefix) : len(tag) - len(suffix)]))
    return found


def _newest_tag(spec: dict[str, Any]) -> tuple[str, str] | None:
    best: tuple[Parsed, str, str] | None = None
    for tag, text in _tagged_versions(spec):
        try:
            parsed = parse_version(text, spec["scheme"])
        except Refused:
            continue
        if best is None or parsed > best[0]:
            best = (parsed, tag, text)
    return (best[1], best[2]) if best else None


def _disagree(sources: Sequence[tuple[str, str, str]], tag: str | None) -> Refused:
    return Refused(
        f"the version sources disagree: {_describe(sources, tag)}; make them agree first "
        "(`python -m runbook bump --version X.Y.Z` sets them all)"
    )


def _previous_release(spec: dict[str, Any], version: str, candidates: Sequence[str]) -> str:
    scheme = spec["scheme"]
    target = parse_version(version, scheme)
    below = []
    for text in [*candidates, *(found for _, found in _tagged_versions(spec))]:
        try:
            parsed = parse_version(text, scheme)
        except Refused:
            continue
        if parsed < target:
            below.append(parsed)
    return max(below, key=lambda parsed: parsed._order()).text if below else ""


def release_for(spec: dict[str, Any], version: str, previous: str) -> dict[str, str]:
    """Every placeholder's value, each refused outside its alphabet (core.versions)."""
    scheme = spec["scheme"]
    for label, value in (("--version", version), ("the current version", previous)):
        if label == "the current version" and not value:
            continue
        try:
            parse_version(value, scheme)
        except Refused as exc:
            raise Refused(f"{label}: {exc}") from None
    package = spec["package"]
    problem = package_problem(package)
    if problem:
        raise Refused(problem)
    values = {
        "version": version,
        "tag": fill(spec["tag"], {"version": version, "package": package}),
        "version_info": version_info(version, scheme),
        "previous_version": previous,
        "package": package,
    }
    problem = tag_problem(values["tag"])
    if problem:
        raise Refused(
            "the tag {!r} (from the runbook's :tag: {!r}) is not a valid git tag name: {}".format(
                values["tag"], spec["tag_template"], problem
            )
        )
    return values


def validate_release(spec: dict[str, Any], requested: str, continuing: bool) -> dict[str, str]:
    scheme = spec["scheme"]
    if len(requested) > MAX_VERSION_LENGTH:
        raise Refused(
            f"--version {shown(requested)} is {len(requested)} characters long; a version has "
            f"at most {MAX_VERSION_LENGTH} (such as 1.2.3)"
        )
    sources = read_current(spec["targets"])
    newest = _newest_tag(spec)
    tag, tag_version = newest if newest else (None, None)
    values = {value for _, _, value in sources}
    parsed = []
    for value in sorted(values):
        try:
            parsed.append(parse_version(value, scheme))
        except Refused as exc:
            raise Refused(
                f"the current version is not valid ({_describe(sources, tag)}): {exc}"
            ) from None
    if len(values) > 1 and not continuing:
        raise _disagree(sources, tag)
    if tag_version is not None:
        parsed.append(parse_version(tag_version, scheme))
    current = max(parsed, key=lambda item: item._order()).text if parsed else None
    try:
        if requested in BUMP_PARTS:
            if current is None:
                raise Refused(
                    f"--version {requested} needs the current version, but the runbook has no bump "
                    "targets and no tag made by its tag template exists; give the version "
                    "itself"
                )
            version = next_version(current, requested, scheme)
        else:
            version = requested
        target = parse_version(version, scheme)
    except Refused as exc:
        if requested in BUMP_PARTS and current is None:
            raise
        raise Refused(version_refusal("--version", requested, scheme, str(exc))) from None
    if current is not None and not target > parse_version(current, scheme):
        in_files = [value for _, _, value in sources]
        partial = len(set(in_files)) > 1
        recorded = _recorded_previous(version)
        if continuing and current == version and (recorded is not None or partial):
            previous = recorded or _previous_release(spec, version, in_files)
            return release_for(spec, version, previous)
        raise Refused(
            f"--version {version} is not greater than the current version {current} "
            f"({_describe(sources, tag)})"
        )
    if len(values) > 1:
        raise _disagree(sources, tag)
    release = release_for(spec, version, current or "")
    where = tag_exists(release["tag"])
    if where:
        raise Refused(
            "the tag {} already exists {}: version {} was released already; pick the next "
            "version".format(release["tag"], where, version)
        )
    return release


def record_path(version: str) -> str:
    """Where a run of the script keeps the previous version of its release in progress."""
    return os.path.join(".runbook", f"checklist-{version}.previous")


def _recorded_previous(version: str) -> str | None:
    try:
        with open(record_path(version), encoding="utf-8") as stream:
            return stream.read().strip()
    except OSError:
        return None


def release_assignments(spec: dict[str, Any], values: dict[str, str]) -> list[str]:
    """The bash assignments of every value the script's templates use."""
    escaped = {name: re.escape(value) for name, value in values.items()}
    lines = []
    for name, value in values.items():
        lines.append(f"RUNBOOK_{name}={shlex.quote(value)}")
        lines.append(f"RUNBOOK_RE_{name}={shlex.quote(escaped[name])}")
    for variable, tree, regex in spec["expressions"]:
        value = evaluate(tree, escaped if regex else values)
        lines.append(f"{variable}={shlex.quote(value)}")
    filled = fill_troubleshoot(spec.get("troubleshoot", []), values)
    lines.append(f"TROUBLESHOOT={shlex.quote(json.dumps(filled))}")
    return lines


def fill_troubleshoot(
    entries: Sequence[dict[str, Any]], values: dict[str, str]
) -> list[dict[str, Any]]:
    """runner.report.troubleshoot_text: each fix filled with the release's values, line by line."""
    filled = []
    for entry in entries:
        lines = [fill(line, values) for line in entry["lines"]]
        filled.append({key: value for key, value in entry.items() if key != "lines"})
        filled[-1]["lines"] = lines
    return filled


# --- secrets (runner.secrets) ----------------------------------------------------------

SECRET_NAME_PARTS = ("TOKEN", "SECRET", "PASSWORD", "KEY")
MASK = "***"
MIN_SECRET_LENGTH = 3


def is_secret_name(name: str) -> bool:
    upper = name.upper()
    return any(part in upper for part in SECRET_NAME_PARTS)


class Masker:
    def __init__(self, secrets: Sequence[str] = ()) -> None:
        values = set()
        for secret in secrets:
            values.add(secret)
            if "\n" in secret or "\r" in secret:
                values |= {line.strip() for line in secret.splitlines()}
        merged = {value for value in values if len(value) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(merged, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def unsafe_tail(self, text: str) -> int:
        longest = 0
        for secret in self.secrets:
            for size in range(min(len(secret) - 1, len(text)), longest, -1):
                if text.endswith(secret[:size]):
                    longest = size
                    break
        return longest


def run_secrets(names: Sequence[str], step_env: Sequence[tuple[str, str]]) -> list[str]:
    for name in names:
        if name not in os.environ:
            print(f"warning: --secret {name}: no such environment variable", file=sys.stderr)
    wanted = {name for name in os.environ if is_secret_name(name)} | set(names)
    values = {
        os.environ[name]
        for name in wanted
        if name in os.environ and len(os.environ[name]) >= MIN_SECRET_LENGTH
    }
    values |= {value for name, value in step_env if is_secret_name(name)}
    return Masker(sorted(values)).secrets


def masker_from_environment() -> Masker:
    return Masker(json.loads(os.environ.pop("RUNBOOK_MASK", "[]")))


class Console:
    """stdout and stderr, every line masked; command output streamed with partial lines held."""

    def __init__(self, masker: Masker) -> None:
        self.masker = masker
        self.pending = ""

    def line(self, text: str = "", err: bool = False) -> None:
        stream = sys.stderr if err else sys.stdout
        stream.write(self.masker.mask(text) + "\n")
        stream.flush()

    def feed(self, chunk: str) -> None:
        text = self.pending + chunk
        cut = text.rfind("\n") + 1
        ready, self.pending = text[:cut], text[cut:]
        self._out(self.masker.mask(ready))

    def idle(self) -> None:
        masked = self.masker.mask(self.pending)
        hold = self.masker.unsafe_tail(masked)
        shown_now, self.pending = masked[: len(masked) - hold], masked[len(masked) - hold :]
        self._out(shown_now)

    def close(self) -> None:
        text, self.pending = self.masker.mask(self.pending), ""
        self._out(text)

    def _out(self, text: str) -> None:
        if text:
            sys.stdout.write(text)
            sys.stdout.flush()


# --- a step's commands (runner.execute, runner.commands) --------------------------------

TERMINATE_GRACE = 3.0
_IDLE = 0.1
_DRAIN = 0.2


class StepFailed(Exception):
    def __init__(self, reason: str, output: str) -> None:
        super().__init__(reason)
        self.output = output


def _signal_group(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, number)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        _signal_group(process.pid, signal.SIGKILL)
        return
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _default_signals() -> None:
    """runner.execute: a step starts with Ctrl-C and SIGTERM at their defaults, even when
    the script was started with them ignored (a background job, ``nohup``)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)


def run_command(
    command: str, cwd: str, console: Console, deadline: float | None
) -> tuple[int | None, str, bool]:
    """``bash -o pipefail -c COMMAND`` in a session of its own: (status, output, timed out)."""
    env = dict(os.environ)
    env.pop(LOCK_HELD, None)  # the script's own, not the command's
    process = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_default_signals,
        # The command holds the run's lock too: a second run is refused while it lives,
        # also after a kill of the script and its helper (runner.guard keeps it so).
        pass_fds=_lock_kept(),
    )
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    captured: list[str] = []
    timed_out = False
    selector = selectors.DefaultSelector()
    selector.register(descriptor, selectors.EVENT_READ)
    exited_at: float | None = None
    try:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                timed_out = True
                break
            if exited_at is None and process.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > _DRAIN:
                break
            wait = _IDLE if exited_at is None else _DRAIN
            if deadline is not None:
                wait = min(wait, max(deadline - now, 0.0))
            if not selector.select(wait):
                console.idle()
                continue
            data = os.read(descriptor, 65536)
            if not data:
                break
            text = decoder.decode(data)
            captured.append(text)
            console.feed(text)
        tail = decoder.decode(b"", final=True)
        if tail:
            captured.append(tail)
            console.feed(tail)
        if timed_out:
            _stop_group(process)
        else:
            process.wait()
            _signal_group(process.pid, signal.SIGKILL)  # no background job outlives its step
    except BaseException:
        _stop_group(process)
        raise
    finally:
        selector.close()
        process.stdout.close()
        console.close()
    return (None if timed_out else process.returncode), "".join(captured), timed_out


def _spawn(
    command: str, cwd: str, console: Console, deadline: float | None = None
) -> tuple[int | None, str, bool]:
    try:
        return run_command(command, cwd, console, deadline)
    except OSError as exc:  # it could not start: nothing of it ran
        raise StepFailed(f"cannot start `{command}` in {cwd}: {exc.strerror or exc}", "") from None


def _judge(step: dict[str, Any], expect: str, output: str) -> None:
    if step["expect_empty"] and output.strip():
        raise StepFailed("the output should be empty (:expect-empty:) but is not", output)
    if expect:
        try:
            matched = re.search(expect, output, re.MULTILINE)
        except re.error as exc:
            raise StepFailed(f":expect: {expect!r} is not a valid regex: {exc}", output) from None
        if not matched:
            raise StepFailed(f"the output does not match :expect: /{expect}/", output)


def _attempt(
    step: dict[str, Any],
    commands: Sequence[str],
    cwd: str,
    expect: str,
    console: Console,
    journal: Journal,
    first: int,
) -> None:
    timeout = step["timeout"]
    deadline = time.monotonic() + timeout if timeout else None
    outputs: list[str] = []
    for index in range(first, len(commands)):
        command = commands[index]
        console.line("$ " + command)
        # Recorded before it starts: if this cannot be written, it does not run.
        journal.note_start(step["id"], index, len(commands), command)
        status, output, timed_out = _spawn(command, cwd, console, deadline)
        outputs.append(output)
        if timed_out:
            # Stopped half-way, its effect unknown: it stays recorded as started.
            raise StepFailed(
                "timed out after {} in `{}` (stopped; it may have done part of its work)".format(
                    step["timeout_text"], command
                ),
                "".join(outputs),
            )
        journal.note_end()
        if status != 0:
            raise StepFailed(f"`{command}` exited with status {status}", "".join(outputs))
    _judge(step, expect, "".join(outputs))


def run_commands(
    step: dict[str, Any],
    commands: Sequence[str],
    cwd: str,
    expect: str,
    console: Console,
    journal: Journal | None = None,
    first: int = 0,
) -> None:
    if not commands:
        return
    journal = journal or Journal("")
    first = min(first, len(commands))
    if first:
        console.line(f"(resuming after command {first} of {len(commands)})")
    attempts = 1 + max(step["retry"], 0)
    for attempt in range(1, attempts + 1):
        try:
            _attempt(step, commands, cwd, expect, console, journal, first)
            return
        except StepFailed as exc:
            if attempt == attempts:
                raise
            console.line(
                f"attempt {attempt}/{attempts} failed: {exc}; retrying in {step['interval_text']}"
            )
            time.sleep(step["interval"])


def failure_lines(
    troubleshoot: Sequence[dict[str, Any]],
    step: dict[str, Any],
    reason: str,
    output: str,
    resume: str,
) -> list[str]:
    """runner.report.failure_lines: the step, its source, matching troubleshooting, how to go on."""
    lines = [
        "FAILED {}: {}".format(step["label"], reason),
        "  step:   {}".format(step["id"]),
        "  source: {}".format(step["source"]),
    ]
    if step["url"]:
        lines.append("  docs:   {}".format(step["url"]))
    for entry in troubleshoot:
        try:
            if not (entry["match"] and re.search(entry["match"], output, re.MULTILINE)):
                continue
        except re.error:
            continue
        lines.append("  troubleshooting: {} ({})".format(entry["title"], entry["source"]))
        if entry["url"]:
            lines.append("    docs: {}".format(entry["url"]))
        lines.extend(f"    {text}" for text in entry["lines"])
    lines.append(f"  resume: {resume}")
    return lines


# --- a command that may have run in part (runner.commands' journal, runner.resume) -------


class JournalProblem(Exception):
    """The start of a command could not be recorded (core.fs.FileProblem): it did not run."""


def _fix_for(number: int | None, path: str) -> str:
    """core.fs._fix_for: what the user can do about an OS error on *path*."""
    if number in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk"
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"make {path} writable for this user"
    if number == errno.EISDIR:
        return f"a folder is in the way: remove it (rm -r {path})"
    if number in (errno.ENOTDIR, errno.EEXIST):
        return "a file is in the way of a folder: remove or rename it"
    if number == errno.ENAMETOOLONG:
        return "use a shorter name"
    if number == errno.ENOENT:
        return f"create {os.path.dirname(path)} (or check the path)"
    return "fix that path"


def file_problem(exc: OSError, path: str, doing: str) -> str:
    """core.fs.file_problem's one line: ``cannot DOING PATH: REASON; FIX``."""
    return f"cannot {doing} {path}: {exc.strerror or exc}; {_fix_for(exc.errno, path)}"


class Journal:
    """The command of a run that started and was not seen to end, kept in one small file.

    The runner keeps it in its state (``in_flight``); the script has no state, so
    the record is a file per release: written before a command starts, removed
    when it ends.  A run that reaches that step again finds it and asks, as
    ``--resume`` does, whether the command may run again.  An empty path keeps
    nothing (a dry run).
    """

    def __init__(self, path: str) -> None:
        self.path = path

    def read(self) -> dict[str, Any] | None:
        if not self.path:
            return None
        try:
            with open(self.path, encoding="utf-8") as stream:
                record = json.load(stream)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise Refused(
                f"cannot read {self.path}: {exc}; it records a command a run was interrupted "
                "in: look at what that run did, then delete the file",
                OS_ERROR,
            ) from None
        # As the script writes it (note_start): a hand edit that changed a type would pick
        # a step up at another command than the one that was interrupted.
        if not (
            isinstance(record, dict)
            and isinstance(record.get("step"), str)
            and _whole(record.get("command"))
            and _whole(record.get("of"))
        ):
            raise Refused(
                f"cannot use {self.path}: it is not the record the script writes (a step id, "
                "and a command's number from 0); it records a command a run was interrupted "
                "in: look at what that run did, then delete the file",
                OS_ERROR,
            )
        return record

    def note_start(self, step_id: str, index: int, total: int, command: str) -> None:
        if not self.path:
            return
        record = {"step": step_id, "command": index, "of": total}
        directory = os.path.dirname(self.path) or "."
        try:
            _private_folder(directory)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".journal.")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(record, stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except OSError as exc:
            # The command does not run: the run stops as on any file it cannot write.
            raise JournalProblem(
                file_problem(exc, os.path.abspath(self.path), "record the progress in")
            ) from None

    def note_end(self) -> None:
        if self.path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)


# --- the lock (runner.lock) --------------------------------------------------------------

#: The descriptor on which the script holds ``.runbook/lock`` (it opens it, the helper locks
#: it): the script, every helper it starts and every command of a step share it.
LOCK_FD = 9
#: Set by the script once it holds the lock: commands are then started with the descriptor.
LOCK_HELD = "RUNBOOK_SCRIPT_LOCK"


def _lock_record() -> dict[str, Any]:
    try:
        data = json.loads(os.pread(LOCK_FD, 4096, 0).decode("utf-8", "replace").strip() or "null")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _holder(record: dict[str, Any]) -> str:
    """runner.lock.Holder.describe: who the record says holds (or held) the lock."""
    pid, host, since = record.get("pid"), record.get("host") or "?", record.get("since") or "?"
    if record.get("command") == "script":
        who = "the checklist script {}".format(record.get("script") or "")
    else:
        who = "`python -m runbook {}`".format(record.get("command") or "run")
    return f"{who}, pid {pid} on {host}, since {since}"


def _stat(pid: object) -> list[str] | None:
    """``/proc/PID/stat`` after the command name (state, parent, group, ...), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stream:
            return stream.read().rpartition(")")[2].split()
    except OSError:
        return None


def _here(record: dict[str, Any]) -> bool:
    """Whether the lock's record names a holder on this machine (its pids mean something)."""
    return record.get("host") in (None, os.uname().nodename)


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    fields = _stat(pid)
    return not fields or fields[0] not in ("Z", "X")


def take_lock(path: str, script: str, pid: int) -> None:
    """Lock the script's descriptor :data:`LOCK_FD` (open on *path*) for the run, or refuse.

    runner.lock.RunLock.acquire: a lock another run holds is refused with exit 5, and so
    is a free one whose last holder's step still runs (its process group).  The record
    names the script and its pid; the kernel frees the lock once the script, its helpers
    and the commands of its steps have all closed the descriptor.
    """
    where = os.path.abspath(path)
    try:
        fcntl.flock(LOCK_FD, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Refused(_busy(where, _lock_record()), LOCKED) from None
    except OSError as exc:
        raise Refused(file_problem(exc, where, "lock"), OS_ERROR) from None
    with contextlib.suppress(OSError):  # the script made it with its umask, as any file
        os.fchmod(LOCK_FD, 0o600)
    previous = _lock_record()
    group = previous.get("group") if isinstance(previous.get("group"), dict) else None
    pgid = group.get("pgid") if group else None
    if isinstance(pgid, int) and pgid > 1 and _here(previous) and _group_runs(pgid):
        fcntl.flock(LOCK_FD, fcntl.LOCK_UN)
        raise Refused(
            f"{_holder(previous)}, which held the lock {where}, is gone, but the commands of "
            f"its step still run (process group {pgid}); wait for them to end, or stop them "
            f"(kill -TERM -- -{pgid}), then try again",
            LOCKED,
        )
    record = {
        "pid": pid,
        "command": "script",
        "script": script,
        "host": os.uname().nodename,
        "since": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "guard": None,
        "group": None,
    }
    try:
        os.ftruncate(LOCK_FD, 0)
        os.pwrite(LOCK_FD, (json.dumps(record) + "\n").encode("utf-8"), 0)
    except OSError:
        pass  # the lock itself holds; the record is for people


def _busy(where: str, record: dict[str, Any]) -> str:
    """runner.lock.RunLock._busy: why a lock another process holds is refused."""
    if not record:
        return f"another run holds the lock {where}; wait for it to finish"
    if _here(record) and not _pid_alive(record.get("pid")):
        if record.get("command") != "script" and isinstance(record.get("guard"), int):
            return (
                f"the run that held the lock {where} ({_holder(record)}) has died; the "
                f"commands of its step are being stopped by its guard, pid {record['guard']}; "
                "wait until they are gone, then try again"
            )
        return (
            f"the lock {where} is still held, though {_holder(record)} has ended: the "
            "commands of its step (or something they started) still run and hold it; wait "
            f"for them to end, or find them (fuser -v {where}) and stop them, then try again"
        )
    return f"another run holds the lock {where} ({_holder(record)}); wait for it to finish"


def _group_runs(pgid: int) -> bool:
    """runner.processes.group_alive: a live (not zombie) member of process group *pgid*."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        names = os.listdir("/proc")
    except OSError:
        return True
    for name in names:
        fields = _stat(name) if name.isdigit() else None
        if fields and len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _lock_kept() -> tuple[int, ...]:
    """The descriptors a step's command is started with: the lock, once the script holds it."""
    return (LOCK_FD,) if os.environ.get(LOCK_HELD) == str(LOCK_FD) else ()


def _whole(value: object) -> bool:
    """A JSON whole number from 0 (not true or false, which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _private_folder(directory: str) -> None:
    """``.runbook/`` as the runner keeps it: 0700, ignored by git as a whole."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    ignore = os.path.join(directory, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w", encoding="utf-8") as stream:
            stream.write("# Written by sphinx-release-runbook.\n*\n")


def judged_whole(step: dict[str, Any]) -> bool:
    """runner.verdict.judged_whole: the verdict needs every command of one attempt."""
    return bool(step["expect"] or step["expect_empty"] or step["retry"])


def safe_to_repeat(step: dict[str, Any]) -> str | None:
    """runner.resume.safe_to_repeat: why *step* may run a command again without asking."""
    if step["skip_if"]:
        return "its :skip-if: is checked first"
    if step["kind"] == "check":
        return "it is a check"
    if step["kind"] == "wait":
        return "it is a wait step (it polls)"
    return None


def _brief(command: str, limit: int = 60) -> str:
    first = command.strip().splitlines()[0].rstrip(" \\") if command.strip() else command
    return first if first == command.strip() and len(first) <= limit else first[:limit] + " …"


def _choose(question: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """runner.prompts.Prompter.choose on the terminal; None when nobody can answer."""
    keys = [key for key, _ in choices]
    menu = ", ".join(f"[{key}] {meaning}" for key, meaning in choices)
    while True:
        sys.stdout.write(f"{question}\n  {menu} (default {keys[-1]}): \n")
        sys.stdout.flush()
        answer = sys.stdin.readline()
        if not answer:
            return None
        answer = answer.strip().lower() or keys[-1]
        if answer in keys:
            return answer
        sys.stdout.write(f"Please answer {', '.join(keys)}.\n")


def resume_point(
    step: dict[str, Any],
    commands: Sequence[str],
    journal: Journal,
    answers: dict[str, str],
    console: Console,
) -> str:
    """runner.resume.resumption for the script: where the step picks up.

    The first command to run (``"0"``...), or ``"done"`` (its interrupted command
    took effect and its verdict needs a whole attempt).  Raises :class:`Refused`
    with exit 10 when only the maintainer can say, 7 when they say stop.
    *answers* holds ``repeat``, ``done``, ``again``, ``after`` and ``resume``.
    """
    record = journal.read()
    if record is None or record.get("step") != step["id"]:
        return "0"
    total = len(commands)
    index = int(record.get("command", 0))
    command = _brief(commands[index]) if index < total else "?"
    where = f"command {index + 1} of {total} (`{command}`)"
    head = f"step {step['id']} was interrupted in {where}"
    restart_at = "0" if judged_whole(step) else str(index)
    reason = safe_to_repeat(step)
    if reason is not None:
        console.line(f"note: {head}; running it again: {reason}")
        return restart_at
    if answers["repeat"] == "1":
        console.line(f"note: {head}; running it again (--repeat {step['id']})")
        return restart_at
    if answers["done"] == "1":
        return _took_effect(
            step, journal, index, f"{head}; it took effect (--done {step['id']})", console
        )
    doubt = "it may or may not have taken effect"
    if sys.stdin.isatty():
        answer = _choose(
            f"Step {step['id']} was interrupted in {where}; {doubt}.",
            [("r", "run it again"), ("d", "it took effect: continue after it"), ("s", "stop")],
        )
        if answer == "r":
            console.line(f"note: {head}; running it again (you said so)")
            return restart_at
        if answer == "d":
            return _took_effect(
                step, journal, index, f"{head}; it took effect (you said so)", console
            )
        if answer == "s":
            raise Refused(
                "STOPPED at {}: you answered no. Continue later with: {}".format(
                    step["label"], answers["resume"]
                ),
                DECLINED,
            )
    raise Refused(
        "\n".join(
            [
                "STOPPED at {}: {}; {}, and the step declares no :skip-if: and is no check, "
                "so it does not run again on its own. Look (the transcript, the remote), "
                "then:".format(step["label"], head, doubt),
                "  run it again: " + answers["again"],
                "  or, if it took effect, continue after it: " + answers["after"],
            ]
        ),
        NEEDS_DECISION,
    )


def _took_effect(
    step: dict[str, Any], journal: Journal, index: int, notice: str, console: Console
) -> str:
    journal.note_end()
    if judged_whole(step):
        console.line(f"note: {notice}; the step counts as done")
        return "done"
    console.line(f"note: {notice}")
    return str(index + 1)


def check_answers(
    name: str,
    journal: Journal,
    done: Sequence[str],
    repeat: Sequence[str],
    kinds: dict[str, str],
) -> None:
    """runner.resume.check_answers: ``--done`` and ``--repeat`` each answer a question."""
    ids = list(kinds)
    for flag, named in (("--done", done), ("--repeat", repeat)):
        for step_id in named:
            if step_id not in kinds:
                raise Refused(
                    f"{flag} {step_id}: runbook {name!r} has no step {step_id!r}; its steps "
                    f"are: {', '.join(ids)}"
                )
    record = journal.read()
    stopped_in = record.get("step") if record else None
    for step_id in repeat:
        if stopped_in != step_id:
            stopped = f"step {stopped_in!r}" if stopped_in else "no step"
            raise Refused(
                f"--repeat {step_id}: the last run did not stop inside step {step_id!r} with "
                f"a command that may have run (it stopped in {stopped}); --repeat answers "
                "the question a continued run asks about such a step"
            )
    for step_id in done:
        if kinds[step_id] == "manual" or stopped_in == step_id:
            continue
        raise Refused(
            f"--done {step_id}: step {step_id!r} is a {kinds[step_id]} step; --done names a "
            "manual step (done by hand), or, with --from, the step whose command the last run "
            "was interrupted in (when that command took effect)"
        )


# --- bump (the script's own edit of each target) ---------------------------------------


def plan_bump(
    targets: Sequence[Sequence[str]], version: str, scheme: str
) -> tuple[list[str], list[tuple[str, bytes]]]:
    """The edit lines a dry run shows, and each file's new lines; nothing is written."""
    info = version_info(version, scheme)
    by_file: dict[str, tuple[str, list[str], str, list[str]]] = {}
    order: list[str] = []
    for path, key in targets:
        real = os.path.realpath(path)
        if real not in by_file:
            by_file[real] = (path, *read_source(path), [])
            order.append(real)
        by_file[real][3].append(key)
    shown_lines: list[str] = []
    writes: list[tuple[str, bytes]] = []
    for real in order:
        path, lines, codec, keys = by_file[real]
        lines = list(lines)
        for key in keys:
            site = locate(lines, path, key)
            line = lines[site.number]
            old = line[site.start : site.end]
            new = info if old.startswith("(") else old[0] + version + old[0]
            lines[site.number] = line[: site.start] + new + line[site.end :]
            before, after = line.rstrip("\r\n"), lines[site.number].rstrip("\r\n")
            where = f"  {path}:{site.number + 1}: {key}"
            if before == after:
                shown_lines.append(f"{where} already {after.strip()}")
            else:
                shown_lines += [where, "    - " + before.strip(), "    + " + after.strip()]
        text = "".join(lines)
        try:
            data = text.encode(codec)
        except UnicodeEncodeError as exc:
            raise Refused(
                f"{path}: cannot write {exc.object[exc.start : exc.end]!r} in the file's "
                f"encoding ({codec})"
            ) from None
        writes.append((real, data))
    return shown_lines, writes


def write_bump(writes: Sequence[tuple[str, bytes]]) -> None:
    for real, data in writes:
        directory = os.path.dirname(real)
        # Named as the runner names it: a run's bump step removes what a killed write left.
        prefix = "." + os.path.basename(real) + "."
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, os.stat(real).st_mode & 0o7777)
        os.replace(temporary, real)


# --- the commands of the script --------------------------------------------------------


def _pairs(items: Sequence[str]) -> list[tuple[str, str]]:
    return [(items[index], items[index + 1]) for index in range(0, len(items) - 1, 2)]


def select(args: Sequence[str]) -> list[int]:
    """runner.plan.select: all steps, those from --from on, or the --only ones (1-based)."""
    name, start, count = args[0], args[1], int(args[2])
    only, ids = args[3 : 3 + count], list(args[3 + count :])

    def find(step_id: str) -> int:
        if step_id not in ids:
            raise Refused(
                f"runbook {name!r} has no step {step_id!r}; its steps are: {', '.join(ids)}"
            )
        return ids.index(step_id)

    if only:
        return sorted({find(step_id) + 1 for step_id in only})
    if start:
        return list(range(find(start) + 1, len(ids) + 1))
    return list(range(1, len(ids) + 1))


def _fail_step(console: Console, args: Sequence[str], exc: StepFailed) -> NoReturn:
    troubleshoot, step, resume = json.loads(args[0]), json.loads(args[1]), args[2]
    for text in failure_lines(troubleshoot, step, str(exc), exc.output, resume):
        console.line(text, err=True)
    raise SystemExit(STEP_FAILED)


def main(argv: Sequence[str]) -> int:
    command, args = argv[0], list(argv[1:])
    if command == "root":
        print(project_root(os.getcwd()))
    elif command == "release":  # SPEC VERSION CONTINUING
        spec = json.loads(args[0])
        values = validate_release(spec, args[1], args[2] == "1")
        print("\n".join(release_assignments(spec, values)))
    elif command == "secrets":  # NAME...; stdin: NAME\0VALUE\0 of the steps' :env:
        fields = sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0")
        secrets = run_secrets(args, _pairs(fields))
        print("SECRETS=({})".format(" ".join(shlex.quote(secret) for secret in secrets)))
        print(f"SECRETS_JSON={shlex.quote(json.dumps(secrets))}")
    elif command == "select":  # NAME FROM COUNT ONLY*COUNT ID...: the step numbers to run
        print(" ".join(str(number) for number in select(args)))
    elif command == "cwd":  # SOURCE ID CWD: the step's directory, inside the repository
        source, step_id, cwd = args
        root = os.path.realpath(os.getcwd())
        directory = os.path.realpath(os.path.join(root, cwd))
        if directory != root and not directory.startswith(root.rstrip(os.sep) + os.sep):
            raise Refused(f"{source}: step {step_id!r}: :cwd: {cwd} is outside the repository")
        print(directory)
    elif command == "folder":  # TROUBLESHOOT STEP RESUME CWD: where the step runs; it must exist
        root = os.path.realpath(os.getcwd())
        directory = os.path.realpath(os.path.join(root, args[3])) if args[3] else root
        if not os.path.isdir(directory):
            what = "does not exist" if not os.path.exists(directory) else "is not a folder"
            reason = (
                f"the step's folder {directory} {what} (:cwd: {args[3]}); create it, or correct "
                f"the step's :cwd: in {json.loads(args[1])['source']}"
            )
            _fail_step(Console(masker_from_environment()), args, StepFailed(reason, ""))
        print(directory)
    elif command == "tools":  # STEP TOOL ...: the tools not on PATH, as the runner lists them
        missing: dict[str, list[str]] = {}
        for step_id, tool in _pairs(args):
            if shutil.which(tool) is None:
                missing.setdefault(tool, []).append(step_id)
        print(
            "; ".join("{} (step {})".format(tool, ", ".join(ids)) for tool, ids in missing.items())
        )
    elif command == "skip-if":  # TROUBLESHOOT STEP RESUME CWD COMMAND: 0 done, 10 not done
        console = Console(masker_from_environment())
        console.line(f"$ {args[4]}    (skip-if)")
        try:
            status, _, _ = _spawn(args[4], args[3], console)
        except StepFailed as exc:
            _fail_step(console, args, exc)
        return 0 if status == 0 else 10
    elif command == "commands":  # TROUBLESHOOT STEP RESUME CWD EXPECT JOURNAL FIRST COMMAND...
        console = Console(masker_from_environment())
        journal = Journal(args[5])
        step = json.loads(args[1])
        try:
            run_commands(step, args[7:], args[3], args[4], console, journal, int(args[6]))
        except StepFailed as exc:
            _fail_step(console, args, exc)
        except JournalProblem as exc:  # runner.outcomes.os_error
            console.line(
                f"STOPPED at {step['label']}: {exc}; then continue with: {args[2]}", err=True
            )
            return OS_ERROR
    elif command == "resume-point":  # TROUBLESHOOT STEP RESUME JOURNAL REPEAT DONE AGAIN AFTER
        # COMMAND...: notes on stdout, the first command to run (or "done") on descriptor 3
        console = Console(masker_from_environment())
        answers = {"resume": args[2], "repeat": args[4], "done": args[5]}
        answers.update(again=args[6], after=args[7])
        try:
            point = resume_point(json.loads(args[1]), args[8:], Journal(args[3]), answers, console)
        except Refused as exc:
            for text in str(exc).splitlines():
                console.line(text, err=True)
            return exc.code
        os.write(3, point.encode())
    elif command == "forget":  # JOURNAL ID: the step is done; its record goes
        journal = Journal(args[0])
        record = journal.read()
        if record is not None and record.get("step") == args[1]:
            journal.note_end()
    elif command == "private-folder":  # FOLDER: .runbook/ as the runner makes it
        try:
            _private_folder(args[0])
        except OSError as exc:
            raise Refused(file_problem(exc, os.path.abspath(args[0]), "create"), OS_ERROR) from None
    elif command == "lock":  # PATH SCRIPT PID: lock descriptor LOCK_FD, open on PATH
        take_lock(args[0], args[1], int(args[2]))
    elif command == "answers":  # NAME JOURNAL N DONE*N M REPEAT*M (ID KIND)...
        count = int(args[2])
        done, rest = args[3 : 3 + count], args[3 + count :]
        repeat, pairs = rest[1 : 1 + int(rest[0])], rest[1 + int(rest[0]) :]
        check_answers(args[0], Journal(args[1]), done, repeat, dict(_pairs(pairs)))
    elif command == "bump":  # TROUBLESHOOT STEP RESUME VERSION SCHEME DRY PATH KEY...
        console = Console(masker_from_environment())
        dry = args[5] == "1"
        try:
            lines, writes = plan_bump(_pairs(args[6:]), args[3], args[4])
        except Refused as exc:
            if dry:
                console.line(f"  bump: {exc}")
                return 0
            _fail_step(console, args, StepFailed(str(exc), str(exc)))
        for text in lines:
            console.line(text)
        if not dry:
            try:
                write_bump(writes)
            except OSError as exc:
                _fail_step(console, args, StepFailed(f"cannot write: {exc}", str(exc)))
    else:
        raise Refused(f"unknown helper command {command!r}")
    return 0


def script_main() -> None:
    """The script's entry point: its arguments after the command, exit with the status."""
    try:
        # The script starts the helper with a handler that ends it quietly on Ctrl-C (its
        # start, PY_START); from here a Ctrl-C is a KeyboardInterrupt, which stops a step's
        # commands first.  A SIGINT the script was started with ignored stays ignored.
        if signal.getsignal(signal.SIGINT) not in (signal.SIG_IGN, signal.default_int_handler):
            signal.signal(signal.SIGINT, signal.default_int_handler)
        # runner.execute: SIGTERM and SIGHUP stop a step as Ctrl-C does (its commands'
        # group first), instead of ending the helper with the commands still running.
        for stopping in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(stopping) is not signal.SIG_IGN:
                signal.signal(stopping, signal.default_int_handler)
        sys.exit(main(sys.argv[1:]))
    except Refused as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.code)
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    script_main()
