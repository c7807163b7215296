# The two set-up commands of the README. Each installs the project with its
# test and docs extras first, so a fresh machine with Python >= 3.11 needs nothing else.

PYTHON ?= python
PYTEST_ARGS ?=

.PHONY: install docs test

install:
	$(PYTHON) -m pip install -e '.[test,docs]'

## docs: the main job, build this project's docs with warnings as errors
docs: install
	$(PYTHON) -m sphinx -W --keep-going -c . docs docs/_build/html

## test: run the test suite; "no tests collected" (pytest exit code 5) is a failure
test: install
	@$(PYTHON) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "error: pytest collected no tests (exit code 5); the suite is missing or deselected, which is a failure" >&2; \
		exit 1; \
	fi; \
	exit $$status
