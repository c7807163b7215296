"""Guide integrity (issue 9): nothing of a guide is dropped, injected or hidden without an error.

A corpus of malformed and hostile guides, values and trees, in reST and (where the syntax
allows) MyST twins.  Each case is built with the real ``sphinx-build`` command line
(``build_main``, through the one harness) *without* ``-W``, twice: ``html`` pins every
warning verbatim (colours stripped, the source directory written as ``SRCDIR``) and the exit
code; ``runbook`` pins what the runner would get.  Over the whole corpus: no traceback, and no
step written in a guide is missing from ``runbook.json`` unless the build failed and
``findings.json`` holds an authoring finding, which the CLI refuses (the last tests run the
real ``python -m runbook list``, ``check`` and ``run`` on some of them).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import sphinx_build, write_tree

CONF = 'project = "bad"\nextensions = ["sphinx_release_runbook"]\nexclude_patterns = ["_build"]\n'
MYST_CONF = (
    'project = "bad"\nextensions = ["myst_parser", "sphinx_release_runbook"]\n'
    'exclude_patterns = ["_build"]\n'
)
# Line 4 declares the runbook; a directive appended after it starts on line 6.
HEAD = "Guide\n=====\n\n.. release-runbook:: pypi\n\n"
MYST_HEAD = "# Guide\n\n```{release-runbook} pypi\n```\n\n"
KNOWN = "known: {{ version }}, {{ tag }}, {{ version_info }}, {{ previous_version }}, {{ package }}"
PEP508 = (
    "is not a package name (PEP 508: letters, digits, '.', '-' and '_', starting and ending "
    "with a letter or digit)"
)
HOSTILE = "demo;touch${IFS}PWNED"
NOT_BUILT = "nothing of it is built; did you mean release-step?"
#: The steps of a guide, as written: what runbook.json must hold unless the build failed.
STEP_DIRECTIVE = re.compile(
    r"^\s*(?:\.\. release-step::|`{3,}\{release-step\}|:{3,}\{release-step\})"
)


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    warnings: tuple[str, ...]
    status: int = 1
    #: Symbolic links to make: link (under the source) -> target (relative to the source).
    links: dict[str, str] = field(default_factory=dict)
    #: Files outside the source directory (relative to its parent), e.g. a link's target.
    outside: dict[str, str] = field(default_factory=dict)
    #: A line the build prints on stdout (a notice), exactly once.
    notice: str = ""
    #: For a case that builds: the commands runbook.json holds for each step.
    commands: dict[str, list[str]] = field(default_factory=dict)
    #: ``git init`` the source directory, with this ``origin`` when not empty.
    origin: str | None = None

    def tree(self) -> dict[str, str]:
        myst = any(name.endswith(".md") for name in self.files)
        return {"conf.py": MYST_CONF if myst else CONF, **self.files}


def rst(body: str, **more: str) -> dict[str, str]:
    return {"index.rst": HEAD + body, **more}


def myst(body: str, **more: str) -> dict[str, str]:
    return {"index.md": MYST_HEAD + body, **more}


def at(location: str, message: str, subtype: str = "directive") -> str:
    return f"SRCDIR/{location}: WARNING: {message} [runbook.{subtype}]"


def docutils(location: str, message: str, block: str = "") -> str:
    """A docutils system message as Sphinx prints it (the quoted block, blank lines dropped)."""
    lines = [line for line in block.splitlines() if line.strip()]
    quoted = "\n" + "\n".join(lines) if lines else ""
    return f"SRCDIR/{location}: ERROR: {message}{quoted} [docutils]"


def myst_warning(location: str, message: str, subtype: str) -> str:
    return f"SRCDIR/{location}: WARNING: {message} [myst.{subtype}]"


# --- 1. a step can vanish silently ----------------------------------------------------------

TWICE = "option :title: is given twice; give each option once"
DUP_BLOCK = ".. release-step:: s1\n   :title: a\n   :title: b\n\n   echo hi"
ONLY_LATEX = (
    "release-step 's1' is inside `.. only:: latex`, which the HTML pages do not show, but the "
    "runner would run it: move it out of the `only` block"
)

VANISH = [
    Case(
        "duplicate-option",
        rst(DUP_BLOCK + "\n"),
        (
            docutils(
                "index.rst:6",
                'Error in "release-step" directive:\ninvalid option data: duplicate option '
                '"title".',
                DUP_BLOCK,
            ),
            at("index.rst:8", TWICE),
        ),
    ),
    Case(
        "myst-duplicate-option",
        myst("```{release-step} s1\n:title: a\n:title: b\n\necho hi\n```\n"),
        (at("index.md:8", TWICE),),
    ),
    Case(
        "myst-only-duplicate-key-in-the-yaml-block",
        myst("```{release-step} s1\n---\ntitle: a\nkind: check\ntitle: b\n---\necho hi\n```\n"),
        (at("index.md:10", TWICE),),
    ),
    Case(
        "duplicate-flag",
        rst(".. release-step:: s1\n   :confirm:\n   :confirm:\n\n   echo hi\n"),
        (
            docutils(
                "index.rst:6",
                'Error in "release-step" directive:\ninvalid option data: duplicate option '
                '"confirm".',
                ".. release-step:: s1\n   :confirm:\n   :confirm:\n\n   echo hi",
            ),
            at("index.rst:8", "option :confirm: is given twice; give each option once"),
        ),
    ),
    Case(
        "myst-duplicate-flag",
        myst("```{release-step} s1\n:confirm:\n:confirm:\n\necho hi\n```\n"),
        (at("index.md:8", "option :confirm: is given twice; give each option once"),),
    ),
    Case(
        "duplicate-kind",
        rst(".. release-step:: s1\n   :kind: manual\n   :kind: command\n\n   echo hi\n"),
        (
            docutils(
                "index.rst:6",
                'Error in "release-step" directive:\ninvalid option data: duplicate option "kind".',
                ".. release-step:: s1\n   :kind: manual\n   :kind: command\n\n   echo hi",
            ),
            at("index.rst:8", "option :kind: is given twice; give each option once"),
        ),
    ),
    Case(
        "myst-duplicate-kind",
        myst("```{release-step} s1\n:kind: manual\n:kind: command\n\necho hi\n```\n"),
        (at("index.md:8", "option :kind: is given twice; give each option once"),),
    ),
    Case(
        "duplicate-option-of-the-runbook",
        {
            "index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :tag: v{{ version }}\n"
            "   :tag: x{{ version }}\n"
        },
        (
            docutils(
                "index.rst:4",
                'Error in "release-runbook" directive:\ninvalid option data: duplicate option '
                '"tag".',
                ".. release-runbook:: pypi\n   :tag: v{{ version }}\n   :tag: x{{ version }}",
            ),
            at("index.rst:6", "option :tag: is given twice; give each option once"),
        ),
    ),
    Case(
        "misspelt-directive",
        rst(".. release-stpe:: s1\n\n   echo hi\n"),
        (
            docutils(
                "index.rst:6",
                'Unknown directive type "release-stpe".',
                ".. release-stpe:: s1\n\n   echo hi",
            ),
            at("index.rst:6", f"unknown directive 'release-stpe': {NOT_BUILT}"),
        ),
    ),
    Case(
        "myst-misspelt-directive",
        myst("```{release-stpe} s1\necho hi\n```\n"),
        (
            myst_warning(
                "index.md:6", "Unknown directive type: 'release-stpe'", "directive_unknown"
            ),
            at("index.md:6", f"unknown directive 'release-stpe': {NOT_BUILT}"),
        ),
    ),
    Case(
        "directive-name-with-an-underscore",
        rst(".. release_step:: s1\n\n   echo hi\n"),
        (
            docutils(
                "index.rst:6",
                'Unknown directive type "release_step".',
                ".. release_step:: s1\n\n   echo hi",
            ),
            at("index.rst:6", f"unknown directive 'release_step': {NOT_BUILT}"),
        ),
    ),
    Case(
        "option-name-of-two-words",
        rst(".. release-step:: s1\n   :title two: x\n\n   echo hi\n"),
        (
            docutils(
                "index.rst:6",
                'Error in "release-step" directive:\ninvalid option data: extension option '
                "field name may not contain multiple words.",
                ".. release-step:: s1\n   :title two: x\n\n   echo hi",
            ),
            at(
                "index.rst:6",
                "release-step 's1' is not built: invalid option data: extension option field "
                "name may not contain multiple words",
            ),
        ),
    ),
    Case(
        "myst-only-option-block-that-does-not-parse",
        myst('```{release-step} s1\n:title: "unclosed\n:kind: manual\n\nDo it.\n```\n'),
        (
            myst_warning(
                "index.md:8",
                "'release-step': Invalid options format: found unexpected end of stream",
                "directive_option",
            ),
            at("index.md:8", "the option block does not parse: found unexpected end of stream"),
        ),
    ),
    Case(
        "myst-only-comment-in-the-option-block",
        myst("```{release-step} s1\n:title: Build # the dists\n\necho hi\n```\n"),
        (
            myst_warning(
                "index.md:7",
                "'release-step': Directive options has # comments, which may not be supported "
                "in future versions.",
                "directive_comments",
            ),
            at(
                "index.md:7",
                "the option block has a # comment, which MyST drops with the rest of its line: "
                "quote the value, or remove the comment",
            ),
        ),
    ),
    Case(
        "error-inside-manual-instructions",
        rst(".. release-step:: s1\n   :kind: manual\n\n   Run :unknownrole:`x` now.\n"),
        (
            docutils("index.rst:9", 'Unknown interpreted text role "unknownrole".'),
            at(
                "index.rst:9",
                "error in the content of release-step 's1': Unknown interpreted text role "
                '"unknownrole".',
            ),
        ),
    ),
    Case(
        "myst-error-inside-manual-instructions",
        myst("```{release-step} s1\n:kind: manual\n\nRun {unknownrole}`x` now.\n```\n"),
        (
            myst_warning(
                "index.md:9", 'Unknown interpreted text role "unknownrole".', "role_unknown"
            ),
            at(
                "index.md:9",
                "error in the content of release-step 's1': Unknown interpreted text role "
                '"unknownrole".',
            ),
        ),
    ),
    Case(
        "error-inside-a-troubleshooting-fix",
        rst(".. release-troubleshoot:: t1\n   :match: boom\n\n   See :nosuchrole:`x`.\n"),
        (
            docutils("index.rst:9", 'Unknown interpreted text role "nosuchrole".'),
            at(
                "index.rst:9",
                "error in the content of release-troubleshoot 't1': Unknown interpreted text "
                'role "nosuchrole".',
            ),
        ),
    ),
    Case(
        "include-of-a-missing-file-inside-instructions",
        rst(".. release-step:: s1\n   :kind: manual\n\n   .. include:: missing.rst\n"),
        (
            'SRCDIR/index.rst:9: CRITICAL: Problems with "include" directive path:\n'
            "InputError: [Errno 2] No such file or directory: 'SRCDIR/missing.rst'. [docutils]",
            at(
                "index.rst:9",
                "error in the content of release-step 's1': Problems with \"include\" directive "
                "path: InputError: [Errno 2] No such file or directory: 'SRCDIR/missing.rst'.",
            ),
        ),
    ),
    Case(
        "step-inside-only-latex",
        rst(".. only:: latex\n\n   .. release-step:: s1\n\n      echo hidden\n"),
        (at("index.rst:8", ONLY_LATEX, "structure"),),
    ),
    Case(
        "myst-step-inside-only-latex",
        myst("````{only} latex\n```{release-step} s1\necho hidden\n```\n````\n"),
        (at("index.md:7", ONLY_LATEX, "structure"),),
    ),
    Case(
        "step-inside-only-not-html",
        rst(".. only:: not html\n\n   .. release-step:: s1\n\n      echo hidden\n"),
        (
            at(
                "index.rst:8",
                ONLY_LATEX.replace("only:: latex", "only:: not html"),
                "structure",
            ),
        ),
    ),
    Case(
        "step-inside-nested-only",
        rst(
            ".. only:: html\n\n   .. only:: latex\n\n      .. release-step:: s1\n\n"
            "         echo hidden\n"
        ),
        (at("index.rst:10", ONLY_LATEX, "structure"),),
    ),
    Case(
        "troubleshoot-inside-only-latex",
        rst(".. only:: latex\n\n   .. release-troubleshoot:: t1\n      :match: x\n\n      Fix.\n"),
        (
            at(
                "index.rst:8",
                "release-troubleshoot 't1' is inside `.. only:: latex`, which the HTML pages do "
                "not show, but the runner would print it: move it out of the `only` block",
                "structure",
            ),
        ),
    ),
    Case(
        "runbook-inside-only-latex",
        {
            "index.rst": "Guide\n=====\n\n.. only:: latex\n\n   .. release-runbook:: pypi\n\n"
            ".. release-step:: s1\n\n   echo hi\n"
        },
        (
            at(
                "index.rst:6",
                "release-runbook 'pypi' is inside `.. only:: latex`, which the HTML pages do not "
                "show, but the runner would use it: move it out of the `only` block",
                "structure",
            ),
            at(
                "index.rst:8",
                "release-step 's1' is outside any runbook: put `.. release-runbook:: NAME` above "
                "it (in toctree order) or give :runbook: NAME",
                "structure",
            ),
        ),
    ),
]

# --- 2. values reach the shell as code ------------------------------------------------------


def tag_case(name: str, tag: str, message: str, *, in_myst: bool = False) -> Case:
    if in_myst:
        files = {"index.md": f"# Guide\n\n```{{release-runbook}} pypi\n:tag: {tag}\n```\n"}
        return Case(name, files, (at("index.md:3", message, "placeholder"),))
    files = {"index.rst": f"Guide\n=====\n\n.. release-runbook:: pypi\n   :tag: {tag}\n"}
    return Case(name, files, (at("index.rst:4", message, "placeholder"),))


#: The runner's rule for a tag's characters (core.versions.tag_problem).
ALPHABET = (
    "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', and starts with a "
    "letter or digit"
)


def refused_tag(tag: str, shown: str, why: str) -> str:
    return (
        f"option :tag: {tag!r} gives the tag {shown!r} for version 1.2.3, which is not a "
        f"valid tag name: {why}"
    )


VALUES = [
    tag_case(
        "tag-ending-in-lock",
        "v{{ version }}.lock",
        refused_tag(
            "v{{ version }}.lock", "v1.2.3.lock", "git refuses a tag that ends with '.lock'"
        ),
    ),
    tag_case(
        "myst-tag-ending-in-lock",
        "v{{ version }}.lock",
        refused_tag(
            "v{{ version }}.lock", "v1.2.3.lock", "git refuses a tag that ends with '.lock'"
        ),
        in_myst=True,
    ),
    tag_case(
        "tag-ending-in-a-slash",
        "release/{{ version }}/",
        refused_tag(
            "release/{{ version }}/", "release/1.2.3/", "git refuses a tag that ends with '/'"
        ),
    ),
    tag_case(
        "myst-tag-ending-in-a-slash",
        "release/{{ version }}/",
        refused_tag(
            "release/{{ version }}/", "release/1.2.3/", "git refuses a tag that ends with '/'"
        ),
        in_myst=True,
    ),
    tag_case(
        "tag-ending-in-a-dot",
        "v{{ version }}.",
        refused_tag("v{{ version }}.", "v1.2.3.", "git refuses a tag that ends with '.'"),
    ),
    tag_case(
        "tag-with-a-space",
        "release {{ version }}",
        refused_tag("release {{ version }}", "release 1.2.3", ALPHABET),
    ),
    tag_case(
        "tag-with-two-dots",
        "v..{{ version }}",
        refused_tag("v..{{ version }}", "v..1.2.3", "git refuses a tag that contains '..'"),
    ),
    tag_case(
        "tag-with-a-colon",
        "v:{{ version }}",
        refused_tag("v:{{ version }}", "v:1.2.3", ALPHABET),
    ),
    tag_case(
        "tag-starting-with-a-dash",
        "-{{ version }}",
        refused_tag("-{{ version }}", "-1.2.3", ALPHABET),
    ),
    tag_case(
        "tag-with-a-part-starting-with-a-dot",
        "rel/.{{ version }}",
        refused_tag(
            "rel/.{{ version }}",
            "rel/.1.2.3",
            "git refuses a tag that has a part that starts with '.'",
        ),
    ),
    tag_case(
        "tag-with-at-brace",
        "v@{ {{- version }}",
        refused_tag("v@{ {{- version }}", "v@{1.2.3", ALPHABET),
    ),
    tag_case(
        "tag-that-never-changes",
        'v{{ "version" }}',
        "option :tag: 'v{{ \"version\" }}' gives the same tag 'vversion' for versions 1.2.3 and "
        "10.20.30rc4; the tag must change with {{ version }}",
    ),
    tag_case(
        "myst-tag-that-never-changes",
        'v{{ "version" }}',
        "option :tag: 'v{{ \"version\" }}' gives the same tag 'vversion' for versions 1.2.3 and "
        "10.20.30rc4; the tag must change with {{ version }}",
        in_myst=True,
    ),
    tag_case(
        "tag-that-drops-the-version",
        "v{{ version[:0] }}1",
        "option :tag: 'v{{ version[:0] }}1' gives the same tag 'v1' for versions 1.2.3 and "
        "10.20.30rc4; the tag must change with {{ version }}",
    ),
    tag_case(
        "tag-with-an-unknown-filter",
        "v{{ version | nosuch }}",
        "option :tag: bad placeholder syntax: No filter named 'nosuch'.",
    ),
    Case(
        "command-with-an-unknown-filter",
        rst(".. release-step:: s1\n\n   git tag {{ version | nosuch }}\n"),
        (at("index.rst:8", "bad placeholder syntax: No filter named 'nosuch'.", "placeholder"),),
    ),
    Case(
        "myst-command-with-an-unknown-filter",
        myst("```{release-step} s1\ngit tag {{ version | nosuch }}\n```\n"),
        (at("index.md:7", "bad placeholder syntax: No filter named 'nosuch'.", "placeholder"),),
    ),
    Case(
        "package-with-shell-syntax",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :package: " + HOSTILE + "\n"},
        (at("index.rst:4", f"option :package: 'demo;touch${{IFS}}PWNED' {PEP508}", "placeholder"),),
    ),
    Case(
        "myst-package-with-shell-syntax",
        {"index.md": "# Guide\n\n```{release-runbook} pypi\n:package: " + HOSTILE + "\n```\n"},
        (at("index.md:3", f"option :package: 'demo;touch${{IFS}}PWNED' {PEP508}", "placeholder"),),
    ),
    Case(
        "package-with-a-space",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :package: my package\n"},
        (at("index.rst:4", f"option :package: 'my package' {PEP508}", "placeholder"),),
    ),
    Case(
        "package-ending-in-a-dash",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :package: demo-\n"},
        (at("index.rst:4", f"option :package: 'demo-' {PEP508}", "placeholder"),),
    ),
    Case(
        "pyproject-name-with-a-command-substitution",
        rst(
            ".. release-step:: show\n\n   echo {{ package }}\n",
            **{"pyproject.toml": '[project]\nname = "demo$(touch PWNED)"\nversion = "1.0.0"\n'},
        ),
        (
            "pyproject.toml:2: WARNING: project.name in pyproject.toml 'demo$(touch PWNED)' "
            f"{PEP508}; fix it there, or give the runbook at index.rst:4 :package: NAME "
            "[runbook.placeholder]",
        ),
    ),
    Case(
        "myst-pyproject-name-with-a-command-substitution",
        myst(
            "```{release-step} show\necho {{ package }}\n```\n",
            **{"pyproject.toml": '[project]\nname = "demo$(touch PWNED)"\nversion = "1.0.0"\n'},
        ),
        (
            "pyproject.toml:2: WARNING: project.name in pyproject.toml 'demo$(touch PWNED)' "
            f"{PEP508}; fix it there, or give the runbook at index.md:3 :package: NAME "
            "[runbook.placeholder]",
        ),
    ),
    Case(
        "poetry-name-with-a-semicolon",
        rst(
            ".. release-step:: show\n\n   echo hi\n",
            **{"pyproject.toml": '[tool.poetry]\nversion = "1.0.0"\nname = "x;rm -rf ~"\n'},
        ),
        (
            "pyproject.toml:3: WARNING: tool.poetry.name in pyproject.toml 'x;rm -rf ~' "
            f"{PEP508}; fix it there, or give the runbook at index.rst:4 :package: NAME "
            "[runbook.placeholder]",
        ),
    ),
    Case(
        "project-title-used-as-package-in-a-command",
        {
            "conf.py": CONF.replace('"bad"', '"My Docs"'),
            "index.rst": HEAD + ".. release-step:: show\n\n   echo {{ package }}\n",
        },
        (
            at(
                "index.rst:6",
                "step 'show' uses {{ package }}, but runbook 'pypi' has no package name: it "
                "defaults to the Sphinx project 'My Docs', which is not one (PEP 508: letters, "
                "digits, '.', '-' and '_'); give the runbook :package: NAME",
                "placeholder",
            ),
        ),
    ),
    Case(
        "project-title-as-package-unused",
        {
            "conf.py": CONF.replace('"bad"', '"My Docs"'),
            "index.rst": HEAD + ".. release-step:: show\n\n   echo {{ version }}\n",
        },
        (),
        status=0,
        commands={"show": ["echo {{ version }}"]},
    ),
    Case(
        "troubleshoot-fix-with-an-unknown-placeholder",
        rst(".. release-troubleshoot:: t1\n   :match: boom\n\n   Bump {{ verison }}.\n"),
        (at("index.rst:9", f"unknown placeholder {{{{ verison }}}}; {KNOWN}", "placeholder"),),
    ),
    Case(
        "myst-troubleshoot-fix-with-an-unknown-placeholder",
        myst("```{release-troubleshoot} t1\n:match: boom\n\nBump {{ verison }}.\n```\n"),
        (at("index.md:9", f"unknown placeholder {{{{ verison }}}}; {KNOWN}", "placeholder"),),
    ),
]

# --- 3. one renderer: a template the exported script cannot fill as the runner does ---------

FILTERS = "|capitalize, |lower, |replace, |string, |trim, |upper"
ALIKE = "the runner and the exported script must fill every template alike"


def unexportable(what: str, label: str = "") -> str:
    """The message for a construct the script's compiler refuses (core.template_tree)."""
    return (
        f"{label}{what} cannot be exported; the script fills placeholders, constants, '~' and "
        f"the filters {FILTERS}; {ALIKE}"
    )


def refused(location: str, message: str) -> tuple[str]:
    return (at(location, message, "placeholder"),)


MANUAL_FOR = "   Post it.\n   Then {% for c in version %}{{ c }}{% endfor %}.\n"
MYST_MANUAL_FOR = "Post it.\nThen {% for c in version %}{{ c }}{% endfor %}.\n"

RENDERER = [
    Case(
        "command-with-an-index",
        rst(".. release-step:: s1\n\n   git tag {{ version[0] }}\n"),
        refused("index.rst:8", unexportable("an index or slice (x[...])")),
    ),
    Case(
        "myst-command-with-an-index",
        myst("```{release-step} s1\ngit tag {{ version[0] }}\n```\n"),
        refused("index.md:7", unexportable("an index or slice (x[...])")),
    ),
    Case(
        "second-command-with-a-call",
        rst(".. release-step:: s1\n\n   echo hi\n   echo {{ version.split('.') }}\n"),
        refused("index.rst:9", unexportable("a call (x())")),
    ),
    Case(
        "myst-second-command-with-a-call",
        myst("```{release-step} s1\necho hi\necho {{ version.split('.') }}\n```\n"),
        refused("index.md:8", unexportable("a call (x())")),
    ),
    Case(
        "command-with-an-if-block",
        rst(".. release-step:: s1\n\n   echo {% if version %}x{% endif %}\n"),
        refused("index.rst:8", unexportable("an {% if %} block")),
    ),
    Case(
        "command-with-a-set",
        rst(".. release-step:: s1\n\n   echo {% set v = version %}{{ v }}\n"),
        refused("index.rst:8", unexportable("a {% set %}")),
    ),
    Case(
        "command-with-a-filter-the-script-lacks",
        rst(".. release-step:: s1\n\n   echo {{ version | length }}\n"),
        refused(
            "index.rst:8",
            f"the filter |length cannot be exported; the script applies {FILTERS}; {ALIKE}",
        ),
    ),
    Case(
        "myst-command-with-a-filter-the-script-lacks",
        myst("```{release-step} s1\necho {{ version | length }}\n```\n"),
        refused(
            "index.md:7",
            f"the filter |length cannot be exported; the script applies {FILTERS}; {ALIKE}",
        ),
    ),
    Case(
        "command-with-a-filter-the-runner-cannot-apply",
        rst(".. release-step:: s1\n\n   echo {{ version | trim(5) }}\n"),
        refused(
            "index.rst:8",
            f"the runner cannot fill this template: strip arg must be None or str; {ALIKE}",
        ),
    ),
    Case(
        "skip-if-with-a-conditional",
        rst(
            ".. release-step:: s1\n   :skip-if: test {{ version if tag else package }}\n\n"
            "   echo hi\n"
        ),
        refused("index.rst:6", unexportable("a conditional (a if b else c)", "option :skip-if: ")),
    ),
    Case(
        "myst-skip-if-with-a-conditional",
        myst(
            "```{release-step} s1\n:skip-if: test {{ version if tag else package }}\n\n"
            "echo hi\n```\n"
        ),
        refused("index.md:6", unexportable("a conditional (a if b else c)", "option :skip-if: ")),
    ),
    Case(
        "cwd-with-an-attribute",
        rst(".. release-step:: s1\n   :cwd: {{ package.name }}\n\n   echo hi\n"),
        refused("index.rst:6", unexportable("an attribute (x.name)", "option :cwd: ")),
    ),
    Case(
        "env-with-a-keyword-argument",
        rst(
            ".. release-step:: s1\n   :env: V={{ version | replace(old='.', new='-') }}\n\n"
            "   echo $V\n"
        ),
        refused(
            "index.rst:6",
            "option :env: V |replace takes 2 to 3 positional constant argument(s) in an "
            f"exported script; {ALIKE}",
        ),
    ),
    Case(
        "expect-with-a-test",
        rst(".. release-step:: s1\n   :expect: {{ version is string }}\n\n   echo hi\n"),
        refused("index.rst:6", unexportable("a test (x is ...)", "option :expect: ")),
    ),
    Case(
        "manual-instructions-with-a-for-loop",
        rst(".. release-step:: s1\n   :kind: manual\n\n" + MANUAL_FOR),
        refused("index.rst:10", unexportable("a {% for %} loop")),
    ),
    Case(
        "myst-manual-instructions-with-a-for-loop",
        myst("```{release-step} s1\n:kind: manual\n\n" + MYST_MANUAL_FOR + "```\n"),
        refused("index.md:10", unexportable("a {% for %} loop")),
    ),
    Case(
        "troubleshoot-fix-with-a-slice",
        rst(".. release-troubleshoot:: t1\n   :match: boom\n\n   Bump {{ version[:3] }}.\n"),
        refused("index.rst:9", unexportable("an index or slice (x[...])")),
    ),
    Case(
        "myst-troubleshoot-fix-with-a-slice",
        myst("```{release-troubleshoot} t1\n:match: boom\n\nBump {{ version[:3] }}.\n```\n"),
        refused("index.md:9", unexportable("an index or slice (x[...])")),
    ),
    tag_case(
        "tag-with-a-call",
        "v{{ version.upper() }}",
        unexportable("a call (x())", "option :tag: "),
    ),
    tag_case(
        "myst-tag-with-a-call",
        "v{{ version.upper() }}",
        unexportable("a call (x())", "option :tag: "),
        in_myst=True,
    ),
    Case(
        "every-filter-the-script-applies",
        rst(
            ".. release-step:: s1\n   :skip-if: test {{ tag | trim('v') }} = x\n\n"
            "   echo {{ version | replace('.', '-') | upper }} {{ package ~ '-' ~ version }}\n"
        ),
        (),
        status=0,
        commands={
            "s1": ["echo {{ version | replace('.', '-') | upper }} {{ package ~ '-' ~ version }}"]
        },
    ),
]

# --- 4. multi-line shell constructs ---------------------------------------------------------


def never_closed(opener: str, closer: str) -> str:
    return (
        f"`{opener}` is never closed: a compound command is one unit of the step, so its "
        f"`{closer}` must be in the same step"
    )


HEREDOC_OPEN = (
    "the heredoc <<EOF is never closed: end it inside the step with a line that is exactly EOF"
)

#: No exec can pass a NUL on: the step could not run as the page shows it.
NUL = "a NUL character (U+0000) is in the directive: no command or value can carry one; remove it"

SHELL = [
    Case(
        "nul-in-a-command",
        rst(".. release-step:: s1\n\n   echo one\n   echo two\x00three\n"),
        (at("index.rst:9", NUL),),
    ),
    Case(
        # CommonMark replaces U+0000 with U+FFFD when it reads the text: what the page
        # shows is what runs.
        "myst-only-nul-in-a-command-is-read-as-a-replacement-character",
        myst("```{release-step} s1\necho one\necho two\x00three\n```\n"),
        (),
        status=0,
        commands={"s1": ["echo one", "echo two\ufffdthree"]},
    ),
    Case(
        "nul-in-an-option",
        rst(".. release-step:: s1\n   :env: A=b\x00c\n\n   echo one\n"),
        (at("index.rst:7", NUL),),
    ),
    Case(
        "heredoc-never-closed",
        rst(".. release-step:: s1\n\n   cat > notes.md <<EOF\n   Release {{ version }}\n"),
        (at("index.rst:8", HEREDOC_OPEN),),
    ),
    Case(
        "myst-heredoc-never-closed",
        myst("```{release-step} s1\ncat > notes.md <<EOF\nRelease {{ version }}\n```\n"),
        (at("index.md:7", HEREDOC_OPEN),),
    ),
    Case(
        "heredoc-closed-by-an-indented-line",
        rst(".. release-step:: s1\n\n   cat > notes.md <<EOF\n   notes\n     EOF\n"),
        (at("index.rst:8", HEREDOC_OPEN),),
    ),
    Case(
        "heredoc-without-its-word",
        rst(".. release-step:: s1\n\n   cat <<\n"),
        (at("index.rst:8", "`<<` needs the word that ends the heredoc, e.g. `cat <<EOF`"),),
    ),
    Case(
        "if-without-fi",
        rst(
            ".. release-step:: s1\n\n   echo start\n   if git diff --quiet; then\n     echo clean\n"
        ),
        (at("index.rst:9", never_closed("if", "fi")),),
    ),
    Case(
        "myst-if-without-fi",
        myst("```{release-step} s1\necho start\nif git diff --quiet; then\n  echo clean\n```\n"),
        (at("index.md:8", never_closed("if", "fi")),),
    ),
    Case(
        "for-without-done",
        rst(".. release-step:: s1\n\n   for f in dist/*; do\n     twine check $f\n"),
        (at("index.rst:8", never_closed("for", "done")),),
    ),
    Case(
        "while-without-done",
        rst(".. release-step:: s1\n\n   while ! curl -sf https://x; do\n     sleep 5\n"),
        (at("index.rst:8", never_closed("while", "done")),),
    ),
    Case(
        "case-without-esac",
        rst('.. release-step:: s1\n\n   case "{{ version }}" in\n     *rc*) echo pre ;;\n'),
        (at("index.rst:8", never_closed("case", "esac")),),
    ),
    Case(
        "group-without-its-brace",
        rst(".. release-step:: s1\n\n   {\n     echo a\n     echo b\n"),
        (at("index.rst:8", never_closed("{", "}")),),
    ),
    Case(
        "subshell-without-its-parenthesis",
        rst(".. release-step:: s1\n\n   (\n     cd dist\n"),
        (at("index.rst:8", never_closed("(", ")")),),
    ),
    Case(
        "command-substitution-across-the-end",
        rst(".. release-step:: s1\n\n   NOTES=$(\n     git log -1\n"),
        (at("index.rst:8", never_closed("$(", ")")),),
    ),
    Case(
        "fi-without-if",
        rst(".. release-step:: s1\n\n   echo a\n   fi\n"),
        (at("index.rst:9", "`fi` without an opening `if` in this step"),),
    ),
    Case(
        "done-without-a-loop",
        rst(".. release-step:: s1\n\n   echo a\n   done\n"),
        (at("index.rst:9", "`done` without an opening `while/until/for` in this step"),),
    ),
    Case(
        "myst-done-without-a-loop",
        myst("```{release-step} s1\necho a\ndone\n```\n"),
        (at("index.md:8", "`done` without an opening `while/until/for` in this step"),),
    ),
    Case(
        "last-line-ends-with-and",
        rst(".. release-step:: s1\n\n   make build &&\n"),
        (
            at(
                "index.rst:8",
                "the command ends with `&&`: write what follows it on the next line of the step, "
                "or remove it",
            ),
        ),
    ),
    Case(
        "heredoc-and-if-are-units",
        rst(
            ".. release-step:: s1\n\n   cat > notes.md <<EOF\n   Release {{ version }}\n\n"
            "   # not a comment: the body\n   EOF\n   if git diff --quiet; then\n"
            "     echo clean\n   else\n     echo dirty\n   fi\n   echo last\n"
        ),
        (),
        status=0,
        commands={
            "s1": [
                "cat > notes.md <<EOF\nRelease {{ version }}\n\n# not a comment: the body\nEOF",
                "if git diff --quiet; then\n  echo clean\nelse\n  echo dirty\nfi",
                "echo last",
            ]
        },
    ),
    Case(
        "myst-heredoc-and-if-are-units",
        myst(
            "```{release-step} s1\ncat > notes.md <<EOF\nRelease {{ version }}\n\n"
            "# not a comment: the body\nEOF\nif git diff --quiet; then\n  echo clean\n"
            "else\n  echo dirty\nfi\necho last\n```\n"
        ),
        (),
        status=0,
        commands={
            "s1": [
                "cat > notes.md <<EOF\nRelease {{ version }}\n\n# not a comment: the body\nEOF",
                "if git diff --quiet; then\n  echo clean\nelse\n  echo dirty\nfi",
                "echo last",
            ]
        },
    ),
    Case(
        "loops-case-groups-and-functions-are-units",
        rst(
            ".. release-step:: s1\n\n   for f in dist/*; do\n     echo $f\n   done\n"
            '   case "{{ version }}" in\n     *rc*) echo pre ;;\n     *) echo final ;;\n   esac\n'
            '   {\n     echo a\n   } > out.txt\n   notify() {\n     echo "$1"\n   }\n'
            "   make build &&\n     make test\n"
        ),
        (),
        status=0,
        commands={
            "s1": [
                "for f in dist/*; do\n  echo $f\ndone",
                'case "{{ version }}" in\n  *rc*) echo pre ;;\n  *) echo final ;;\nesac',
                "{\n  echo a\n} > out.txt",
                'notify() {\n  echo "$1"\n}',
                "make build &&\n  make test",
            ]
        },
    ),
]

# --- 5. files the guide reads can escape or exhaust -----------------------------------------

ESCAPES = (
    "resolves, through a symlink, outside the repository; name a file inside it (the build "
    "reads no file outside the repository)"
)
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8)
)
BOMB_MESSAGE = (
    "is YAML whose aliases expand to more than 100000 values; it is not parsed (write the values "
    "out, or compare it as text)"
)

FILES = [
    Case(
        "release-file-symlink-out-of-the-repository",
        rst(".. release-file:: secret.txt\n"),
        (at("index.rst:6", f"release-file 'secret.txt' {ESCAPES}", "path"),),
        links={"secret.txt": "../outside/secret.txt"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "myst-release-file-symlink-out-of-the-repository",
        myst("```{release-file} secret.txt\n```\n"),
        (at("index.md:6", f"release-file 'secret.txt' {ESCAPES}", "path"),),
        links={"secret.txt": "../outside/secret.txt"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "release-file-copy-of-a-symlink-out",
        rst(".. release-file:: secret.txt\n\n   SECRET\n"),
        (at("index.rst:6", f"release-file 'secret.txt' {ESCAPES}", "path"),),
        links={"secret.txt": "../outside/secret.txt"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "release-file-through-a-symlinked-folder",
        rst(".. release-file:: shared/secret.txt\n"),
        (at("index.rst:6", f"release-file 'shared/secret.txt' {ESCAPES}", "path"),),
        links={"shared": "../outside"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "release-path-symlink-out-of-the-repository",
        rst("See :release-path:`secret.txt`.\n"),
        (at("index.rst:6", f"release-path 'secret.txt' {ESCAPES}", "path"),),
        links={"secret.txt": "../outside/secret.txt"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "myst-release-path-symlink-out-of-the-repository",
        myst("See {release-path}`secret.txt`.\n"),
        (at("index.md:6", f"release-path 'secret.txt' {ESCAPES}", "path"),),
        links={"secret.txt": "../outside/secret.txt"},
        outside={"outside/secret.txt": "SECRET\n"},
    ),
    Case(
        "symlink-inside-the-repository-is-fine",
        rst(".. release-file:: alias.txt\n\n   inside\n", **{"real.txt": "inside\n"}),
        (),
        status=0,
        links={"alias.txt": "real.txt"},
    ),
    Case(
        "yaml-alias-bomb-compared-as-data",
        rst(".. release-file:: bomb.yml\n   :compare: data\n\n   a: [x]\n", **{"bomb.yml": BOMB}),
        (at("index.rst:6", f"bomb.yml: {BOMB_MESSAGE}", "mirror"),),
    ),
    Case(
        "myst-yaml-alias-bomb-compared-as-data",
        myst("```{release-file} bomb.yml\n:compare: data\n\na: [x]\n```\n", **{"bomb.yml": BOMB}),
        (at("index.md:6", f"bomb.yml: {BOMB_MESSAGE}", "mirror"),),
    ),
    Case(
        "yaml-alias-bomb-selected",
        rst(".. release-file:: bomb.yml\n   :select: i\n", **{"bomb.yml": BOMB}),
        (at("index.rst:6", f"bomb.yml: {BOMB_MESSAGE}", "mirror"),),
    ),
    Case(
        "yaml-alias-bomb-in-the-copy",
        rst(
            ".. release-file:: small.yml\n   :compare: data\n\n"
            + "".join(f"   {line}\n" for line in BOMB.splitlines()),
            **{"small.yml": "a: 1\n"},
        ),
        (at("index.rst:6", f"small.yml: the copy {BOMB_MESSAGE}", "mirror"),),
    ),
    Case(
        "yaml-alias-that-refers-to-itself",
        rst(
            ".. release-file:: loop.yml\n   :compare: data\n\n   a: 1\n",
            **{"loop.yml": "a: &a [*a]\n"},
        ),
        (
            at(
                "index.rst:6",
                "loop.yml: does not parse as YAML: an alias refers to itself",
                "mirror",
            ),
        ),
    ),
    Case(
        "json-nested-too-deeply",
        rst(
            ".. release-file:: deep.json\n   :compare: data\n\n   []\n",
            **{"deep.json": "[" * 100_000 + "]" * 100_000},
        ),
        (
            at(
                "index.rst:6",
                "deep.json: does not parse as JSON: it is nested too deeply",
                "mirror",
            ),
        ),
    ),
    Case(
        "toml-nested-too-deeply",
        rst(
            ".. release-file:: deep.toml\n   :compare: data\n\n   a = 1\n",
            **{"deep.toml": "a = " + "[" * 100_000 + "]" * 100_000 + "\n"},
        ),
        (
            at(
                "index.rst:6",
                "deep.toml: does not parse as TOML: it is nested too deeply",
                "mirror",
            ),
        ),
    ),
    Case(
        "data-file-over-the-size-limit",
        rst(
            ".. release-file:: big.yml\n   :compare: data\n\n   a: 1\n",
            **{"big.yml": "a: 1\n" + "# padding\n" * 110_000},
        ),
        (
            at(
                "index.rst:6",
                "big.yml: is 1100004 bytes of YAML; data over 1000000 bytes is not parsed "
                "(compare it as text, or select a smaller part with :lines:)",
                "mirror",
            ),
        ),
    ),
]

# --- 6. messages that mislead ---------------------------------------------------------------

WORKFLOW = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: []\n"
NO_GIT = (
    "does not exist under SRCDIR (not in a git repository, so taken as the repository's root: "
    "set runbook_repo_root in conf.py)"
)
BUMP_GONE = (
    ".. release-step:: b1\n   :kind: bump\n   :bump:\n      pyproject.toml project.version\n"
)
MYST_BUMP_GONE = "```{release-step} b1\n:kind: bump\n:bump: pyproject.toml project.version\n```\n"
MANY_DEPS = "".join(f'  "dep{i:02}",\n' for i in range(12))

MESSAGES = [
    Case(
        "mirror-diff-stands-apart-from-its-subtype",
        rst(
            ".. release-file:: ci.yml\n\n   on: push\n   jobs:\n     build:\n"
            "       runs-on: ubuntu-22.04\n       steps: []\n",
            **{"ci.yml": WORKFLOW},
        ),
        (
            "SRCDIR/index.rst:6: WARNING: the copy of ci.yml differs from the file (first at "
            "ci.yml line 4, index.rst line 11)\n"
            "    --- ci.yml\n"
            "    +++ index.rst (the copy)\n"
            "    @@ -2,4 +9,4 @@\n"
            "     jobs:\n"
            "       build:\n"
            "    -    runs-on: ubuntu-latest\n"
            "    +    runs-on: ubuntu-22.04\n"
            "         steps: []\n"
            " [runbook.mirror]",
        ),
    ),
    Case(
        "myst-mirror-diff-stands-apart-from-its-subtype",
        myst(
            "```{release-file} ci.yml\non: push\njobs:\n  build:\n"
            "    runs-on: ubuntu-22.04\n    steps: []\n```\n",
            **{"ci.yml": WORKFLOW},
        ),
        (
            "SRCDIR/index.md:6: WARNING: the copy of ci.yml differs from the file (first at "
            "ci.yml line 4, index.md line 10)\n"
            "    --- ci.yml\n"
            "    +++ index.md (the copy)\n"
            "    @@ -2,4 +8,4 @@\n"
            "     jobs:\n"
            "       build:\n"
            "    -    runs-on: ubuntu-latest\n"
            "    +    runs-on: ubuntu-22.04\n"
            "         steps: []\n"
            " [runbook.mirror]",
        ),
    ),
    Case(
        "mirror-copy-that-is-shorter",
        rst(".. release-file:: ci.yml\n   :lines: 1-2\n\n   on: push\n", **{"ci.yml": WORKFLOW}),
        (
            "SRCDIR/index.rst:6: WARNING: the copy of ci.yml differs from the file (first at "
            "ci.yml line 2, index.rst line 9)\n"
            "    --- ci.yml\n"
            "    +++ index.rst (the copy)\n"
            "    @@ -1,2 +9 @@\n"
            "     on: push\n"
            "    -jobs:\n"
            " [runbook.mirror]",
        ),
    ),
    Case(
        "path-missing-in-a-tree-without-git",
        rst("See :release-path:`src/gone.py`.\n"),
        (at("index.rst:6", f"release-path 'src/gone.py' {NO_GIT}", "path"),),
    ),
    Case(
        "myst-path-missing-in-a-tree-without-git",
        myst("See {release-path}`src/gone.py`.\n"),
        (at("index.md:6", f"release-path 'src/gone.py' {NO_GIT}", "path"),),
    ),
    Case(
        "release-file-missing-in-a-tree-without-git",
        rst(".. release-file:: ci.yml\n"),
        (at("index.rst:6", f"release-file 'ci.yml' {NO_GIT}", "path"),),
    ),
    Case(
        "git-add-of-a-missing-file-in-a-tree-without-git",
        rst(".. release-step:: s1\n\n   git add CHANGELOG.md\n"),
        (at("index.rst:8", f"`git add` names 'CHANGELOG.md', which {NO_GIT}", "path"),),
    ),
    Case(
        "bump-target-missing-in-a-tree-without-git",
        rst(BUMP_GONE),
        (at("index.rst:6", f"bump target 'pyproject.toml' {NO_GIT}", "path"),),
    ),
    Case(
        "myst-bump-target-missing-in-a-tree-without-git",
        myst(MYST_BUMP_GONE),
        (at("index.md:6", f"bump target 'pyproject.toml' {NO_GIT}", "path"),),
    ),
    Case(
        "bump-target-missing-in-a-git-repository",
        rst(BUMP_GONE),
        (at("index.rst:6", "pyproject.toml: file not found (named as a bump target)", "path"),),
        origin="",
    ),
    Case(
        "path-missing-in-a-git-repository",
        rst("See :release-path:`src/gone.py`.\n"),
        (at("index.rst:6", "release-path 'src/gone.py' does not exist in the repository", "path"),),
        origin="",
    ),
    Case(
        "tool-list-cut-with-a-count",
        rst(
            ".. release-step:: s1\n\n   poetry run flake8 .\n",
            **{"pyproject.toml": f'[project]\nname = "bad"\ndependencies = [\n{MANY_DEPS}]\n'},
        ),
        (
            at(
                "index.rst:8",
                "`poetry run flake8` names a tool the project does not declare in pyproject.toml "
                "(declared: bad, dep00, dep01, dep02, dep03, dep04, dep05, dep06 and 5 more)",
                "tool",
            ),
        ),
    ),
    Case(
        "links-unchecked-without-a-github-origin",
        rst(
            "See `the notes <https://github.com/acme/proj/blob/main/NOTES.md>`_ and\n"
            "`the tree <https://github.com/acme/proj/tree/main/docs>`_.\n"
        ),
        (),
        status=0,
        notice=(
            "SRCDIR/index.rst:6: runbook: 2 link(s) into https://github.com/acme/proj are not "
            "checked: the repository has no origin remote to compare them with; to check them, "
            'set runbook_repo_url = "https://github.com/acme/proj" in conf.py'
        ),
    ),
    Case(
        "links-unchecked-from-a-fork",
        rst("See `the notes <https://github.com/acme/proj/blob/main/NOTES.md>`_.\n"),
        (),
        status=0,
        origin="https://github.com/me/proj.git",
        notice=(
            "SRCDIR/index.rst:6: runbook: 1 link(s) into https://github.com/acme/proj are not "
            "checked: the repository's origin is https://github.com/me/proj, not that "
            'repository; to check them, set runbook_repo_url = "https://github.com/acme/proj" '
            "in conf.py"
        ),
    ),
    Case(
        "links-into-another-project-need-no-notice",
        rst("See `twine <https://github.com/pypa/twine/blob/main/README.rst>`_.\n"),
        (),
        status=0,
        origin="https://github.com/me/proj.git",
    ),
]

CASES = [*VANISH, *VALUES, *RENDERER, *SHELL, *FILES, *MESSAGES]


def make_case(case: Case, root: Path) -> Path:
    srcdir = write_tree(root / "src", case.tree())
    write_tree(root, case.outside)
    for link, target in case.links.items():
        os.symlink(target, srcdir / link)
    if case.origin is not None:
        subprocess.run(["git", "init", "-q"], cwd=srcdir, check=True)
        if case.origin:
            subprocess.run(["git", "remote", "add", "origin", case.origin], cwd=srcdir, check=True)
    return srcdir


def written_steps(srcdir: Path) -> int:
    """How many release-step directives the guide's sources hold, as written."""
    return sum(
        1
        for path in [*srcdir.glob("*.rst"), *srcdir.glob("*.md")]
        for line in path.read_text(encoding="utf-8").splitlines()
        if STEP_DIRECTIVE.match(line)
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_input_gives_its_exact_messages_and_exit_code(case: Case, tmp_path: Path) -> None:
    srcdir = make_case(case, tmp_path)
    html = sphinx_build(srcdir, "html")
    assert "Traceback" not in html.stderr + html.stdout
    assert "Exception occurred" not in html.stderr
    assert html.warnings == list(case.warnings)
    assert html.status == case.status, "without -W, the build gate alone sets the exit code"
    ours = [w for w in case.warnings if re.search(r" \[runbook\.\w+\]$", w)]
    if case.status:
        assert f"runbook: the build failed with {len(ours)} problem(s)" in html.stdout
    if case.notice:
        assert html.stdout.count(case.notice) == 1, html.stdout
    else:
        assert "are not checked" not in html.stdout

    export = sphinx_build(srcdir, "runbook")
    assert "Traceback" not in export.stderr + export.stdout
    assert export.status == case.status
    data = json.loads((export.outdir / "runbook.json").read_text(encoding="utf-8"))
    steps = {step["id"]: step for runbook in data["runbooks"] for step in runbook["steps"]}
    findings = json.loads((export.outdir / "findings.json").read_text(encoding="utf-8"))
    if len(steps) < written_steps(srcdir):
        # A step is missing: only with a failing build whose findings the CLI refuses.
        assert export.status == 1
        drift = ("path", "mirror", "version", "tool", "cli", "link", "script")
        assert any(f["subtype"].removeprefix("runbook.") not in drift for f in findings)
    for step_id, commands in case.commands.items():
        assert steps[step_id]["commands"] == commands


def is_twin(case: Case) -> bool:
    """``myst-X`` is the MyST twin of the reST case ``X``; ``myst-only-X`` has none."""
    return case.name.startswith("myst-") and not case.name.startswith("myst-only-")


def test_the_corpus_counts() -> None:
    """At least 60 inputs, every bullet of the issue covered, MyST twins where they exist."""
    failing = [case for case in CASES if case.status]
    assert len(CASES) >= 60 and len(failing) >= 60
    twins = [case for case in CASES if is_twin(case)]
    assert len(twins) >= 20
    names = {case.name for case in CASES}
    for twin in twins:
        assert twin.name.removeprefix("myst-") in names, twin.name
    for group in (VANISH, VALUES, RENDERER, SHELL, FILES, MESSAGES):
        assert len(group) >= 5


def test_myst_twins_give_the_message_of_their_rest_twin() -> None:
    """The runbook warning of ``myst-X`` says word for word what that of ``X`` says."""

    def ours(case: Case) -> list[str]:
        return [
            re.sub(r"index\.(?:rst|md):\d+", "index", re.sub(r"^.*?: WARNING: ", "", w))
            for w in case.warnings
            if re.search(r" \[runbook\.\w+\]$", w) and "(the copy)" not in w and "line " not in w
        ]

    by_name = {case.name: case for case in CASES}
    for case in CASES:
        if is_twin(case):
            assert ours(case) == ours(by_name[case.name.removeprefix("myst-")]), case.name


# --- what runbook.json keeps for the runner ------------------------------------------------


def test_manual_instructions_and_fixes_are_plain_text_templates(tmp_path: Path) -> None:
    body = (
        ".. release-step:: announce\n   :kind: manual\n\n"
        "   **Post** the notes of ``{{ tag }}`` on `the forum <https://forum.example/new>`_,\n"
        "   then run:\n\n   .. code-block:: bash\n\n      gh release view {{ tag }}\n\n"
        "   - check {{ version | upper }}\n   - tell *everyone*\n\n"
        ".. release-troubleshoot:: exists\n   :match: exists\n\n"
        "   **Error**: ``{{ version }}`` is on PyPI already.\n\n   **Fix**: release the next one.\n"
    )
    srcdir = write_tree(tmp_path / "src", {"conf.py": CONF, **rst(body)})
    result = sphinx_build(srcdir, "runbook")
    assert result.status == 0, result.stderr
    data = json.loads((result.outdir / "runbook.json").read_text(encoding="utf-8"))
    runbook = data["runbooks"][0]
    assert runbook["steps"][0]["instructions"] == (
        "Post the notes of {{ tag }} on the forum <https://forum.example/new>,\n"
        "then run:\n\n   gh release view {{ tag }}\n\n"
        "* check {{ version | upper }}\n* tell everyone"
    )
    assert runbook["troubleshoot"][0]["text"] == (
        "Error: {{ version }} is on PyPI already.\n\nFix: release the next one."
    )
    html = sphinx_build(srcdir, "html")
    assert html.status == 0 and html.warnings == []
    page = (html.outdir / "index.html").read_text(encoding="utf-8")
    assert "RUNBOOKx" not in page
    assert '<span class="runbook-var" data-runbook-var="tag">vX.Y.Z</span>' in page
    assert "X.Y.Z".upper() in page  # {{ version | upper }}, filled with the display value


# --- the real command line refuses what the build refuses -----------------------------------

CLI_CASES = [
    "duplicate-option",
    "myst-duplicate-option",
    "step-inside-only-latex",
    "misspelt-directive",
    "heredoc-never-closed",
    "package-with-shell-syntax",
    "command-with-an-index",
    "myst-manual-instructions-with-a-for-loop",
    "tag-with-a-call",
]


def cli_project(case: Case, root: Path) -> Path:
    """The case as a project the CLI finds: pyproject.toml at the root, docs/ beside it."""
    project = root / "project"
    docs = make_case(case, project / "x")  # symlinks and outside files, then move them in
    (project / "docs").parent.mkdir(parents=True, exist_ok=True)
    docs.rename(project / "docs")
    write_tree(project, {"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n'})
    return project


@pytest.mark.parametrize("name", CLI_CASES)
@pytest.mark.parametrize(
    "command", [["list"], ["check"], ["run", "--version", "9.9.9", "--dry-run"]], ids=str
)
def test_the_cli_refuses_the_guide(name: str, command: list[str], tmp_path: Path) -> None:
    case = next(case for case in CASES if case.name == name)
    project = cli_project(case, tmp_path)
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    completed = subprocess.run(
        [sys.executable, "-m", "runbook", *command],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    assert "Traceback" not in completed.stderr
    assert completed.returncode == 4, completed.stdout + completed.stderr
    assert completed.stderr.startswith(
        "error: the docs define a malformed runbook; fix these and run again:\n"
    ), completed.stderr
    expected = next(w for w in case.warnings if w.endswith("]") and "[runbook." in w)
    message = re.sub(r"^.*?: WARNING: ", "", expected)
    assert message in completed.stderr


def test_a_dropped_step_still_fails_a_build_that_reads_nothing(tmp_path: Path) -> None:
    """The finding lives in the environment: an incremental build fails again, and says why."""
    case = next(case for case in CASES if case.name == "duplicate-option")
    srcdir = make_case(case, tmp_path)
    doctrees = tmp_path / "doctrees"
    first = sphinx_build(srcdir, "html", doctrees=doctrees)
    second = sphinx_build(srcdir, "html", doctrees=doctrees)
    assert first.status == second.status == 1
    assert "0 added, 0 changed, 0 removed" in second.stdout
    assert second.warnings == [case.warnings[-1]]  # docutils does not speak again; we do


def test_steps_hidden_from_html_are_not_collected_by_any_builder(tmp_path: Path) -> None:
    """The same runbook whatever the builder: a hidden step is an error, and never a step."""
    case = next(case for case in CASES if case.name == "step-inside-only-latex")
    srcdir = make_case(case, tmp_path)
    for builder in ("html", "text", "runbook"):
        result = sphinx_build(srcdir, builder)
        assert result.status == 1, builder
        assert result.warnings == list(case.warnings), builder
    data = json.loads((srcdir / "_build" / "runbook" / "runbook.json").read_text("utf-8"))
    assert data["runbooks"][0]["steps"] == []
