# One guide written twice: rst/index.rst and md/index.md.  A test picks one with
# confoverrides (root_doc and exclude_patterns) and compares the runbook.json entries.
project = "twins"
extensions = ["myst_parser", "sphinx_release_runbook"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
