"""``release-file PATH``: a repository file, included or checked against a copy.

Without content the (selected part of the) file is included, so it cannot
drift.  With content, the content is a copy written in the guide; it must
match the file (``:compare: text``, the default) or parse to the same data
(``:compare: data``), else ``runbook.mirror`` with a unified diff.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.directives.code import container_wrapper

from sphinx_release_runbook.drift import MirrorItem
from sphinx_release_runbook.drift.mirror.check import included_text
from sphinx_release_runbook.sphinxext.checking import repository
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    RunbookDirective,
)

COMPARE_MODES = ("text", "data")
LANGUAGES = {
    "yml": "yaml",
    "yaml": "yaml",
    "toml": "toml",
    "json": "json",
    "py": "python",
    "sh": "bash",
    "cfg": "ini",
    "ini": "ini",
    "md": "markdown",
    "rst": "rst",
}


def guess_language(path: str) -> str:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return LANGUAGES.get(suffix, "text")


class ReleaseFileDirective(RunbookDirective):
    """Include a repository file, or check the copy written here against it."""

    known_options: ClassVar[dict[str, OptionKind]] = {
        "select": "text",
        "lines": "text",
        "start-after": "text",
        "end-before": "text",
        "compare": "text",
        "language": "text",
        "caption": "text",
    }

    def run_checked(self) -> list[nodes.Node]:
        if not self.arguments or not self.arguments[0].strip():
            raise DirectiveError(
                "release-file needs a repository path as its argument, "
                "e.g. `.. release-file:: .github/workflows/publish.yml`"
            )
        path = self.arguments[0].strip()
        options = self.options_checked()
        compare = self.choice("compare", options.text("compare", "text") or "", COMPARE_MODES)
        has_copy = bool("".join(self.content).strip())
        if "compare" in options.values and not has_copy:
            raise DirectiveError("option :compare: needs a copy of the file as the content")
        item = MirrorItem(
            path=path,
            source=self.source(),
            content="\n".join(self.content) if has_copy else None,
            content_line=self.content_line(0),
            select=options.text("select"),
            lines=options.text("lines"),
            start_after=options.text("start-after"),
            end_before=options.text("end-before"),
            compare=compare,
        )
        findings = self.check([item])
        if has_copy:
            text = "\n".join(self.content).strip("\n")
        elif findings:
            return []  # nothing to include; the finding says why
        else:
            text = included_text(repository(self.env), item) or ""
        language = options.text("language") or (
            "yaml"
            if options.text("select") and not path.endswith(".toml")
            else guess_language(path)
        )
        block = nodes.literal_block(text, text, language=language, classes=["runbook-file"])
        block["source_path"] = path
        self.set_source_info(block)
        caption = options.text("caption")
        if caption:
            return [container_wrapper(self, block, caption)]
        return [block]
