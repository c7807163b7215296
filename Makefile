# The commands of the README. Each installs the project with its test, docs,
# rehearse and bench extras first, so a fresh machine with Python >= 3.11 needs nothing else.

PYTHON ?= python
# The suite spreads over every core (pytest-xdist); PYTEST_ARGS="-n0" runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: install rehearse docs test

install:
	$(PYTHON) -m pip install -e '.[test,docs,rehearse,bench]'

## rehearse: the main command. Release the example project end to end, offline:
## a clone with a local origin, a local package index, the gh stand-in, every step for real.
rehearse: install
	cd examples/arshai && $(PYTHON) -m runbook rehearse --version 0.4.0

## docs: build this project's docs with warnings as errors (the build
## fails on drift), then use the example project's guide the three ways: list its
## steps, check it against its code, and dry-run its next release (nothing is written).
docs: install
	$(PYTHON) -m sphinx -W --keep-going -c . docs docs/_build/html
	cd examples/arshai && $(PYTHON) -m runbook list
	cd examples/arshai && $(PYTHON) -m runbook check
	cd examples/arshai && $(PYTHON) -m runbook run --version minor --dry-run

## test: run the test suite; "no tests collected" (pytest exit code 5) is a failure
test: install
	@$(PYTHON) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "error: pytest collected no tests (exit code 5); the suite is missing or deselected, which is a failure" >&2; \
		exit 1; \
	fi; \
	exit $$status
