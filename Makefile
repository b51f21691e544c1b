# Every target creates the local virtual environment it needs on first use. Installing from this
# checkout needs npm once: the build fetches MathJax for the preview (hatch_build.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTING := $(VENV)/.test-installed

.PHONY: decks preview test lint bench screenshot clean

decks: $(RUNTIME)
	$(BIN)/notes2anki build notes -o build

preview: $(RUNTIME)
	$(BIN)/notes2anki preview notes -o build/preview

test: $(TESTING)
	$(BIN)/python -m pytest

lint: $(RUNTIME)
	$(BIN)/notes2anki lint notes

bench: $(RUNTIME)
	$(BIN)/python bench/run.py

# the README's picture of the preview (needs Chromium, as the tests do)
screenshot: $(TESTING)
	UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/test_preview.py -k screenshot

clean:
	rm -rf build/*.apkg build/.notes2anki* build/preview .notes2anki-cache bench/out $(VENV) .pytest_cache .hypothesis *.egg-info

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTING): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(RUNTIME) $@
