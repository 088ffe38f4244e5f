# Karabakh claims book. `make book` builds everything; `make test` builds (if needed) and tests.
SHELL := /bin/bash
VENV ?= .venv
# The interpreter the venv is made from: Debian's own python3 where it exists (the lock in
# requirements.txt is compiled for Debian 12's 3.11.2), else the first python3 on the PATH.
BASE_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
PY := $(VENV)/bin/python
# jupyter-book with Sphinx reading and writing pages on every core (scripts/build_book.py)
JB := $(PY) scripts/build_book.py
# Each notebook kernel records what it reads here (karabakh_book.deps); scripts/cache_guard.py
# re-runs only the notebooks whose inputs changed.
export KARABAKH_DEPS_DIR := _build/.deps
# Validated data (the registry, the bibliography, data files, map layers) made once per build and
# read by every other process of it (karabakh_book.memo).
export KARABAKH_MEMO_DIR := _build/.memo
# What the book is built from (as scripts/build_state.py INPUTS).
BOOK_INPUTS := chapters data src _ext _static _latex seeds references.bib _config.yml _toc.yml CITATION.cff requirements.txt
# Reproducible output: dates in the HTML (Sphinx) and the PDF (XeTeX, xdvipdfmx: creation date and
# document ID) come from the last commit, not the clock.
# (the last commit that changed an input, so a commit that changes none leaves the book as it was)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct -- $(BOOK_INPUTS) 2>/dev/null || echo 1700000000)
export SOURCE_DATE_EPOCH
export FORCE_SOURCE_DATE := 1
# -W: every Sphinx warning fails the build; -n: nitpicky references; --keep-going: report them all.
JBFLAGS := -W -n --keep-going


.PHONY: book deps system-deps venv html html-build pdf pdf-build test unit-test bench clean geodata chapter changelog lint format repro
book: html pdf

system-deps:
	@bash scripts/install_system_deps.sh

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

venv: $(VENV)/.installed
deps: system-deps venv

# When none of the book's inputs changed since the last HTML build (scripts/build_state.py keeps
# their fingerprint), the HTML is current and Sphinx does not start.
html: deps
	@if $(PY) scripts/build_state.py current html; then echo "HTML: _build/html is current"; else $(MAKE) --no-print-directory html-build; fi

html-build:
	$(PY) scripts/build_state.py begin html
	$(PY) scripts/execute_parallel.py --guard  # scripts/cache_guard.py first, then the stale notebooks in parallel
	$(JB) build . $(JBFLAGS) || { echo "HTML build failed: see the file and cell named above (the notebook's traceback is printed there)" >&2; exit 1; }
	$(PY) scripts/build_state.py done html

# The PDF is made from the same inputs as the HTML: when none changed since the last PDF, it is kept.
pdf: html
	@if $(PY) scripts/build_state.py current pdf; then echo "PDF: _build/latex/karabakh-claims.pdf is current"; else $(MAKE) --no-print-directory pdf-build; fi
	@cp _build/latex/karabakh-claims.pdf _build/html/karabakh-claims.pdf  # linked from every page's footer

pdf-build:
	$(PY) scripts/build_state.py begin pdf
	$(JB) build . --builder pdflatex $(JBFLAGS) || { echo "PDF build failed: see _build/latex/karabakh-claims.log" >&2; exit 1; }
	@grep -q "Missing character" _build/latex/karabakh-claims.log && { echo "ERROR: missing characters in the PDF:" >&2; grep "Missing character" _build/latex/karabakh-claims.log | sort -u >&2; exit 1; } || true
	@grep -q -E "There were undefined references|Hyper reference .* undefined" _build/latex/karabakh-claims.log && { echo "ERROR: undefined cross-references in the PDF (dead links):" >&2; grep -E "Hyper reference .* undefined" _build/latex/karabakh-claims.log | sort -u | head >&2; exit 1; } || true
	$(PY) scripts/build_state.py done pdf
	@echo "PDF: _build/latex/karabakh-claims.pdf"

unit-test: venv
	$(PY) -m pytest -q -m "not build"

test: book
	$(PY) -m pytest -q

# ruff on the package, scripts, tests, the Sphinx extension and the chapters' code cells
lint: venv
	$(VENV)/bin/ruff check src scripts tests _ext
	$(VENV)/bin/ruff format --check src scripts tests _ext
	$(PY) scripts/ruff_chapters.py

format: venv
	$(VENV)/bin/ruff check --fix src scripts tests _ext
	$(VENV)/bin/ruff format src scripts tests _ext
	$(PY) scripts/ruff_chapters.py --fix

clean:
	rm -rf _build

bench: deps
	$(PY) scripts/bench.py

# Two clean builds of the current commit, compared byte for byte (HTML and PDF); about 8 minutes.
repro: deps
	@bash scripts/repro_check.sh

# Re-derive data/geo/ from Natural Earth in Debian's qgis-common (maintainers only; the book
# builds from the committed files). Needs: apt-get install qgis-common
geodata: venv
	$(VENV)/bin/python scripts/build_geodata.py

# Re-run one chapter's code outside the book build: make chapter CH=11_point1_first_war_and_exodus
chapter: venv
	@test -n "$(CH)" -a -f chapters/$(CH).md || { echo "usage: make chapter CH=<file name in chapters/ without .md>" >&2; exit 2; }
	$(PY) scripts/run_chapter.py chapters/$(CH).md

# Regenerate CHANGELOG.md (every verdict change, from the registry's git history); commit it with the change.
changelog: venv
	$(PY) scripts/changelog.py
