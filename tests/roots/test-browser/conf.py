project = "browser"
extensions = ["sphinx_release_runbook"]
exclude_patterns = ["_build"]
