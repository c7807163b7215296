"""The repository the checks look at: where its paths resolve, and what one build remembers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sphinx_release_runbook.drift.repository import Facts, Repository


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A root with folders, files and links: to a folder, up and out, relative, in a loop."""
    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    (root / "c").mkdir()
    (root / "a" / "f.txt").write_text("f", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("s", encoding="utf-8")
    os.symlink(root / "a", root / "to_a")
    os.symlink("../../c", root / "a" / "b" / "up_c")
    os.symlink("f.txt", root / "a" / "rel")
    os.symlink(tmp_path, root / "out")
    os.symlink(root / "loop1", root / "loop2")
    os.symlink(root / "loop2", root / "loop1")
    return root


NAMED = [
    "a/f.txt",
    "to_a/f.txt",
    "to_a/b/up_c",
    "a/b/up_c/../a",
    "a/rel",
    "to_a/rel",
    "out/root/a",
    "out/secret.txt",
    "a/../c",
    "./a/./b",
    "missing/file",
    "a/missing",
    "c/..",
    "loop1/x",
    "to_a/b/../../c",
]


@pytest.mark.parametrize("named", NAMED)
def test_a_path_resolves_as_path_resolve_says(tree: Path, named: str) -> None:
    repo = Repository(tree)
    try:
        expected: object = (tree / named).resolve()
    except RuntimeError as exc:  # a symlink loop
        expected = type(exc)
    for _ in range(2):  # asked again: the remembered answer is the same
        try:
            got: object = repo.resolve(named)
        except RuntimeError as exc:
            got = type(exc)
        assert got == expected


def test_a_link_outside_the_root_escapes_it_and_is_not_read(tree: Path) -> None:
    repo = Repository(tree)
    assert repo.escapes("out/secret.txt")
    assert not repo.escapes("out/root/a/f.txt")  # out and back in
    with pytest.raises(OSError, match="resolves outside the repository"):
        repo.read_text("out/secret.txt")


def test_what_one_build_learnt_is_shared_and_a_fresh_build_asks_again(tree: Path) -> None:
    facts = Facts()
    first, second = Repository(tree, facts=facts), Repository(tree, facts=facts)
    assert first.read_text("a/f.txt") == "f"
    (tree / "a" / "f.txt").write_text("changed", encoding="utf-8")
    # The same build: the text read is the text every page of it sees ...
    assert second.read_text("to_a/f.txt") == "f"
    # ... and each repository still records what it read (each page's dependency).
    assert first.read == second.read == [tree.resolve() / "a" / "f.txt"]
    # The next build (new facts) reads the file again, and follows a re-pointed link.
    os.remove(tree / "to_a")
    os.symlink(tree / "c", tree / "to_a")
    again = Repository(tree, facts=Facts())
    assert again.read_text("a/f.txt") == "changed"
    assert again.resolve("to_a") == tree.resolve() / "c"


def test_a_file_that_cannot_be_read_is_tried_again(tree: Path) -> None:
    facts = Facts()
    with pytest.raises(FileNotFoundError):
        Repository(tree, facts=facts).read_text("a/later.txt")
    (tree / "a" / "later.txt").write_text("now", encoding="utf-8")
    assert Repository(tree, facts=facts).read_text("a/later.txt") == "now"


def test_a_path_its_resolution_found_is_not_asked_about_again(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(tree)
    repo.resolve("to_a/f.txt")  # the lstat that resolves the file finds it
    real_exists = Path.exists
    asked: list[Path] = []

    def exists(path: Path) -> bool:
        asked.append(path)
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", exists)
    assert repo.exists("to_a/f.txt")
    assert repo.dependencies() == [tree.resolve() / "a" / "f.txt"]
    assert asked == []
    # A missing path is asked each time: it may be there the next time.
    assert not repo.exists("a/missing")
    assert asked == [tree.resolve() / "a" / "missing"]
