"""Masking: a secret never shows, whole or split across the chunks a stream arrives in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sphinx_release_runbook.runner.secrets import (
    MASK,
    Masker,
    StreamMasker,
    is_secret_name,
    secret_values,
)

SECRET = "pypi-secret-value"


def test_secret_names_are_recognised_by_their_parts() -> None:
    for name in ("POETRY_PYPI_TOKEN_PYPI", "aws_secret_access_key", "DB_PASSWORD", "SSH_KEY"):
        assert is_secret_name(name), name
    for name in ("PATH", "HOME", "VERSION"):
        assert not is_secret_name(name), name


def test_secret_values_take_secret_names_and_explicit_names_only() -> None:
    environ = {"PYPI_TOKEN": SECRET, "PATH": "/bin", "DEPLOY_HOOK": "hook-value", "X_KEY": "ab"}
    assert secret_values(environ) == {SECRET}
    assert secret_values(environ, ["DEPLOY_HOOK", "MISSING"]) == {SECRET, "hook-value"}


def test_masker_masks_longest_secret_first() -> None:
    masker = Masker(["abcdef", "abc"])
    assert masker.mask("x abcdef y abc") == f"x {MASK} y {MASK}"


def _stream(masker: Masker, chunks: list[str], idle_after: set[int]) -> str:
    stream = StreamMasker(masker)
    shown = []
    for index, chunk in enumerate(chunks):
        shown.append(stream.feed(chunk))
        if index in idle_after:
            shown.append(stream.idle())
    shown.append(stream.flush())
    return "".join(shown)


def test_a_secret_split_across_chunks_and_pauses_is_masked() -> None:
    masker = Masker([SECRET])
    text = _stream(masker, ["token: pypi-se", "cret-val", "ue\n"], idle_after={0, 1})
    assert text == f"token: {MASK}\n"


@given(
    prefix=st.text(max_size=20),
    suffix=st.text(max_size=20),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
    idles=st.sets(st.integers(min_value=0, max_value=6)),
)
def test_no_chunking_ever_reveals_the_secret(
    prefix: str, suffix: str, cuts: list[int], idles: set[int]
) -> None:
    text = prefix + SECRET + suffix
    points = sorted({min(cut, len(text)) for cut in cuts})
    chunks = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    shown = _stream(Masker([SECRET]), chunks, idles)
    assert SECRET not in shown
    assert shown.replace(MASK, "") == (prefix + suffix).replace(SECRET, "") or MASK in shown
