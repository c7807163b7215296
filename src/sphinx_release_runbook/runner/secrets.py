"""Secret masking: values of secret-looking environment variables never reach screen or log.

Output is streamed, so a secret can arrive split across two reads.  The
:class:`StreamMasker` therefore holds back the tail of a partial line that could
still grow into a secret, and masks once the rest has arrived.

A multi-line secret (a private key, a JSON credential) is masked whole and
line by line: each of its lines (white space around it dropped) is a secret of
its own, so a command that prints it one line at a time, or reformats its
indentation, shows none of it.  What masking cannot catch: a value that is
transformed before it is printed (base64, URL-encoding, hex, reversed), or
split in pieces shorter than a line (``cut -c1-4``), or lines shorter than
three characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

#: Upper-cased fragments that make an environment variable's value a secret.
SECRET_NAME_PARTS = ("TOKEN", "SECRET", "PASSWORD", "KEY")
MASK = "***"
# Masking a one- or two-character value would garble every line that contains
# that letter and protect nothing: such a value is no secret worth the name.
MIN_SECRET_LENGTH = 3


def is_secret_name(name: str) -> bool:
    upper = name.upper()
    return any(part in upper for part in SECRET_NAME_PARTS)


def secret_values(environ: Mapping[str, str], extra_names: Iterable[str] = ()) -> set[str]:
    """The values to mask: secret-looking names, plus the names given with ``--secret``."""
    names = {name for name in environ if is_secret_name(name)} | set(extra_names)
    return {
        environ[name]
        for name in names
        if name in environ and len(environ[name]) >= MIN_SECRET_LENGTH
    }


def run_secrets(
    environ: Mapping[str, str],
    extra_names: Iterable[str],
    step_envs: Iterable[Mapping[str, str]],
    warn: Callable[[str], None],
) -> set[str]:
    """The values a run masks: secrets of the environment and of the steps' ``:env:``.

    *warn* hears of each ``--secret`` name the environment does not have.
    """
    extra_names = tuple(extra_names)
    for name in extra_names:
        if name not in environ:
            warn(f"warning: --secret {name}: no such environment variable")
    values = secret_values(environ, extra_names)
    for env in step_envs:
        values |= {value for name, value in env.items() if is_secret_name(name)}
    return values


class Masker:
    """Replaces every known secret value in a text with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        values = set()
        for secret in secrets:
            values.add(secret)
            if "\n" in secret or "\r" in secret:
                values |= {line.strip() for line in secret.splitlines()}
        merged = set(self._secrets) | {s for s in values if len(s) >= MIN_SECRET_LENGTH}
        # Longest first: a secret that contains another must be masked whole.
        self._secrets = sorted(merged, key=len, reverse=True)

    @property
    def longest(self) -> int:
        return len(self._secrets[0]) if self._secrets else 0

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def unsafe_tail(self, text: str) -> int:
        """Length of the longest suffix of *text* that is a proper prefix of a secret."""
        longest = 0
        for secret in self._secrets:
            for size in range(min(len(secret) - 1, len(text)), longest, -1):
                if text.endswith(secret[:size]):
                    longest = size
                    break
        return longest


class StreamMasker:
    """Masks a stream fed in arbitrary chunks; whole lines pass at once."""

    def __init__(self, masker: Masker) -> None:
        self._masker = masker
        self._pending = ""

    def feed(self, chunk: str) -> str:
        """The masked text that is safe to show now."""
        text = self._pending + chunk
        cut = text.rfind("\n") + 1
        ready, self._pending = text[:cut], text[cut:]
        return self._masker.mask(ready)

    def idle(self) -> str:
        """Called when the stream paused: show the partial line except a possible secret start."""
        # Mask first, so a complete secret is never split by the held-back tail.
        masked = self._masker.mask(self._pending)
        hold = self._masker.unsafe_tail(masked)
        shown, self._pending = masked[: len(masked) - hold], masked[len(masked) - hold :]
        return shown

    def flush(self) -> str:
        text, self._pending = self._masker.mask(self._pending), ""
        return text
