# Every target creates the local virtual environment it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTING := $(VENV)/.test-installed

.PHONY: decks test lint bench clean

decks: $(RUNTIME)
	$(BIN)/notes2anki build notes -o build

test: $(TESTING)
	$(BIN)/python -m pytest

lint: $(RUNTIME)
	$(BIN)/notes2anki lint notes

bench: $(RUNTIME)
	$(BIN)/python bench/run.py

clean:
	rm -rf build/*.apkg build/.notes2anki* .notes2anki-cache bench/out $(VENV) .pytest_cache .hypothesis *.egg-info

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTING): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(RUNTIME) $@
