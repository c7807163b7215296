project = "demo"
extensions = ["sphinx_release_runbook"]
exclude_patterns = ["_build"]
copyright = "2025, demo developers"
version = release = "0.3.0"
