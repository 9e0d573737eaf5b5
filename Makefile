# docgen — the README's commands. `make demo` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The tests start a few hundred interpreters: they read docgen's compiled modules instead of compiling
# its ~140 modules each time (some shells set this, and an editable install has no compiled copies)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup setup-test demo test check bench lint clean messages catalogs language

## setup: Debian packages (fonts, Pango, HarfBuzz subsetter) and a .venv with docgen
setup: system-runtime $(VENV)/.installed

## setup-test: setup, plus LibreOffice and poppler-utils the tests use to measure output, and Chromium
## (Debian's, driven by Playwright) for the `docgen serve` page tests; the test extra includes the web extra
setup-test: system-test $(VENV)/.installed

.PHONY: system-runtime system-test system-bench
system-runtime:
	@scripts/install-system.sh runtime
system-test:
	@scripts/install-system.sh test
system-bench:
	@scripts/install-system.sh bench

# .venv-uno: Debian's Python (it has LibreOffice's `uno` from python3-uno) with unoserver, to run the
# unoserver servers of benchmarks/batch_notices.py; the client side is in .venv (the bench extra)
.venv-uno/.installed: | system-bench
	@test -x .venv-uno/bin/python || /usr/bin/python3 -m venv --system-site-packages .venv-uno
	@.venv-uno/bin/python -m pip install -q --disable-pip-version-check 'unoserver>=3'
	@touch $@

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

## demo: render the example campaign's mobilization speech into out/
demo: setup
	@$(BIN)/docgen render examples/wadian --speech cxzy-mobilization --format docx,pdf -o out

## test: the whole suite (it opens the produced DOCX and PDF files and measures them); CI runs this
test: setup-test
	@$(BIN)/python -m pytest -q

## check: the fast loop while developing: every test that needs no LibreOffice, Chromium or Dask cluster
## and whose point is not a size or a bound (pytest markers: pyproject.toml, tests/conftest.py), one
## process per core (pytest-xdist), each `docgen` command forked from a warm process (tests/cli.py);
## `make test` runs them all, every command a cold interpreter
check: setup
	@DOCGEN_TEST_CLI=warm $(BIN)/python -m pytest -q -n auto -m "not libreoffice and not browser and not cluster and not slow"

## bench: speed measurements against peers (never part of the tests); numbers go to benchmarks/RESULTS.md
bench: setup-test system-bench .venv-uno/.installed
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[bench]'
	@$(BIN)/python benchmarks/render_speech.py
	@$(BIN)/python benchmarks/render_kinds.py
	@$(BIN)/python benchmarks/batch_notices.py
	@$(BIN)/python benchmarks/serve_preview.py
	@$(BIN)/python benchmarks/word_template.py
	@$(BIN)/python benchmarks/cluster.py

lint: setup
	@$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf out $(VENV) .venv-uno build dist .pytest_cache

## messages: extract every message from the code into the catalog template and merge it into each
## language's .po (then translate the new entries and `make catalogs`); README "Adding a language"
LOCALE := src/docgen/locale
messages:
	@$(BIN)/pybabel -q extract -F babel.cfg -o $(LOCALE)/docgen.pot --no-location --sort-output \
		--project docgen --version 0.1.0 --add-comments "click:" .
	@$(BIN)/pybabel -q update -i $(LOCALE)/docgen.pot -d $(LOCALE) -D docgen --no-fuzzy-matching \
		--ignore-obsolete --width 120

## language: start the catalogs of a new language, e.g. `make language NEW=zh_TW` (then translate its .po files)
language:
	@test -n "$(NEW)" || { echo "usage: make language NEW=zh_TW"; exit 2; }
	@$(BIN)/pybabel -q init -i $(LOCALE)/docgen.pot -d $(LOCALE) -D docgen -l $(NEW) --width 120
	@$(BIN)/pybabel -q init -i $(LOCALE)/click.pot -d $(LOCALE) -D click -l $(NEW) --width 120

## catalogs: compile each .po into the .mo docgen reads (committed; tests/test_i18n.py checks they match)
catalogs:
	@$(BIN)/pybabel -q compile -d $(LOCALE) -D docgen
	@$(BIN)/pybabel -q compile -d $(LOCALE) -D click
