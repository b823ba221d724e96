# Pathway: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

SASS_SOURCES := $(wildcard static/src/*.scss) static/src/favicon.svg
MANIFEST := static/dist/manifest.json

.PHONY: run serve install assets db demo test test-postgres lint chromium pdf-libs clean help bench lighthouse loadtest

help:
	@echo "make run            set up everything and serve the demo on http://127.0.0.1:8000"
	@echo "make test           run the whole test suite (SQLite; TEST_DATABASE_URL for PostgreSQL)"
	@echo "make test-postgres  run the suite against PostgreSQL"
	@echo "make lint           ruff"
	@echo "make bench          benchmark suite: queries, server time, bytes per page at council (and region) size"
	@echo "make lighthouse     Lighthouse (mobile) scores for My plan, My offer and the worklist (needs Chromium)"
	@echo "make loadtest       50 users for 60 s against gunicorn (production settings), SQLite then PostgreSQL"

# --- set-up ---------------------------------------------------------------

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(MANIFEST): node_modules/.installed $(SASS_SOURCES) pathway/assets.py $(VENV)/.runtime
	mkdir -p static/build
	npx --no-install sass --pkg-importer=node --style=compressed --no-source-map static/src/app.scss static/build/app.css
	$(BIN)/python -m pathway.assets

install: $(VENV)/.runtime
assets: $(MANIFEST)

instance:
	mkdir -p instance

db: $(VENV)/.runtime instance
	PATHWAY_ENV=development $(BIN)/flask db upgrade

demo: db
	PATHWAY_ENV=development $(BIN)/flask pathway demo

# --- run ------------------------------------------------------------------

run: assets pdf-libs demo
	@echo ""
	@echo "Pathway is running on http://127.0.0.1:8000 (Ctrl+C to stop)"
	PATHWAY_ENV=development $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:8000 wsgi:app

# --- test -----------------------------------------------------------------

# Browser tests need Chromium. Install Debian's package when we can (root + apt).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)); \
	  else \
	    echo "*** Chromium is not installed and this user cannot install it: browser tests will be SKIPPED ***"; \
	  fi; \
	fi

# WeasyPrint (PDFs) needs pango and harfbuzz's subsetter; without the subsetter it warns at import,
# which the test run treats as an error. Install Debian's packages when we can (root + apt).
PDF_LIBS = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@if ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing the libraries WeasyPrint needs for PDFs..."; \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null 2>&1 || \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null)); \
	  else \
	    echo "*** libharfbuzz-subset0 is missing and this user cannot install it: install $(PDF_LIBS) ***"; \
	  fi; \
	fi

test: $(VENV)/.test assets chromium pdf-libs
	$(BIN)/ruff check pathway tests config.py wsgi.py migrations benchmarks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.test assets chromium pdf-libs
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

# --- benchmarks (not part of the test run) ------------------------------------

# The suite (benchmarks/suite.py): a council (BENCH_COUNCIL_SIZE, default 2,000, SQLite in a temporary folder) and,
# when BENCH_DATABASE_URL is set, a region (BENCH_REGION_SIZE, default 100,000) on that empty or generated database.
# Writes benchmarks/results/latest.md. Informative: exits 1 when a target FAILs (listed last), 2 on a refused database.
# The older single-page benchmarks (plan.py, offer.py, worklist.py, manager.py) still run on their own.
bench: $(VENV)/.runtime assets pdf-libs
	$(BIN)/python benchmarks/suite.py

# Lighthouse comes from package.json (npm ci, run by `assets`); Chromium from Debian (`chromium`).
lighthouse: $(VENV)/.runtime assets chromium
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python benchmarks/lighthouse.py $(LIGHTHOUSE_ARGS)

# 50 simulated users for 60 s on SQLite then PostgreSQL (LOADTEST_POSTGRES_URL; LOADTEST_DATABASES=sqlite
# for SQLite alone). Other settings: see the docstring of benchmarks/loadtest.py.
loadtest: $(VENV)/.runtime assets
	$(BIN)/python benchmarks/loadtest.py

lint: $(VENV)/.test
	$(BIN)/ruff check pathway tests config.py wsgi.py migrations benchmarks

clean:
	rm -rf static/build static/dist .pytest_cache
