"""The exported script's helper: what the checklist needs beyond bash, in python3's stdlib.

Every exported script embeds this file verbatim and runs it as ``python3 -c
"$PY_HELPER" COMMAND ARGS...``; the tests import it to compare it with the
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
  (:mod:`~sphinx_release_runbook.runner.commands`, ``.execute``, ``.report``);
* where the repository is (``cli.loader.find_project_root``).

Python 3.8 or later: no syntax or library newer than that (annotations are
never evaluated).  A failure a user can act on is a :class:`Refused`, printed
as ``error: MESSAGE`` with its exit code, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
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
from collections.abc import Sequence
from typing import Any, NoReturn

# --- errors ----------------------------------------------------------------------------

USAGE = 2
STEP_FAILED = 1
MISSING_TOOLS = 8
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


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return stream.read().splitlines(keepends=True)
    except FileNotFoundError:
        raise Refused(f"{path}: file not found (named as a bump target)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"{path}: cannot read: {exc}") from None


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
    return lines


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


def run_command(
    command: str, cwd: str, console: Console, deadline: float | None
) -> tuple[int | None, str, bool]:
    """``bash -o pipefail -c COMMAND`` in a session of its own: (status, output, timed out)."""
    process = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
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
    step: dict[str, Any], commands: Sequence[str], cwd: str, expect: str, console: Console
) -> None:
    timeout = step["timeout"]
    deadline = time.monotonic() + timeout if timeout else None
    outputs: list[str] = []
    for command in commands:
        console.line("$ " + command)
        status, output, timed_out = _spawn(command, cwd, console, deadline)
        outputs.append(output)
        if timed_out:
            raise StepFailed(
                "timed out after {} in `{}` (stopped; it may have done part of its work)".format(
                    step["timeout_text"], command
                ),
                "".join(outputs),
            )
        if status != 0:
            raise StepFailed(f"`{command}` exited with status {status}", "".join(outputs))
    _judge(step, expect, "".join(outputs))


def run_commands(
    step: dict[str, Any], commands: Sequence[str], cwd: str, expect: str, console: Console
) -> None:
    if not commands:
        return
    attempts = 1 + max(step["retry"], 0)
    for attempt in range(1, attempts + 1):
        try:
            _attempt(step, commands, cwd, expect, console)
            return
        except StepFailed as exc:
            if attempt == attempts:
                raise
            console.line(
                f"attempt {attempt}/{attempts} failed: {exc}; retrying in {step['interval_text']}"
            )
            time.sleep(step["interval"])


def failure_lines(
    troubleshoot: Sequence[dict[str, str]],
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
        lines.extend(f"    {text}" for text in entry["text"].strip().splitlines())
    lines.append(f"  resume: {resume}")
    return lines


# --- bump (the script's own edit of each target) ---------------------------------------


def plan_bump(
    targets: Sequence[Sequence[str]], version: str, scheme: str
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The edit lines a dry run shows, and each file's new lines; nothing is written."""
    info = version_info(version, scheme)
    by_file: dict[str, tuple[str, list[str], list[str]]] = {}
    order: list[str] = []
    for path, key in targets:
        real = os.path.realpath(path)
        if real not in by_file:
            by_file[real] = (path, _read_lines(path), [])
            order.append(real)
        by_file[real][2].append(key)
    shown_lines: list[str] = []
    writes: list[tuple[str, list[str]]] = []
    for real in order:
        path, lines, keys = by_file[real]
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
        writes.append((real, lines))
    return shown_lines, writes


def write_bump(writes: Sequence[tuple[str, list[str]]]) -> None:
    for real, lines in writes:
        directory = os.path.dirname(real)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".runbook.")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write("".join(lines))
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
    elif command == "commands":  # TROUBLESHOOT STEP RESUME CWD EXPECT COMMAND...
        console = Console(masker_from_environment())
        try:
            run_commands(json.loads(args[1]), args[5:], args[3], args[4], console)
        except StepFailed as exc:
            _fail_step(console, args, exc)
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


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Refused as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.code)
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
