# Pathway: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

SASS_SOURCES := $(wildcard static/src/*.scss) static/src/favicon.svg
MANIFEST := static/dist/manifest.json

.PHONY: run serve install assets db demo test test-postgres lint audit chromium pdf-libs clean help bench lighthouse loadtest

help:
	@echo "make run            set up everything and serve the demo on http://127.0.0.1:8000"
	@echo "make test           run the whole test suite (SQLite; TEST_DATABASE_URL for PostgreSQL)"
	@echo "make test-postgres  run the suite against PostgreSQL"
	@echo "make lint           ruff and bandit (both also run in make test and make test-postgres)"
	@echo "make audit          known vulnerabilities in the pinned dependencies: pip-audit and npm audit (needs network)"
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

test: $(VENV)/.test assets chromium pdf-libs lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.test assets chromium pdf-libs lint
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

# Static checks; any finding fails the run. bandit's settings (and how to mark a false positive) are in
# pyproject.toml.
lint: $(VENV)/.test
	$(BIN)/ruff check pathway tests config.py wsgi.py migrations benchmarks
	$(BIN)/bandit -c pyproject.toml --quiet -r pathway migrations config.py wsgi.py gunicorn.conf.py

# --- dependency audit (not part of the test run: it needs the vulnerability databases online) -------------

# pip-audit lives in its own venv, pinned in requirements-audit.txt, so it never changes the app's packages.
# It checks the pinned requirements as written (--no-deps: every package, direct and transitive, is listed)
# against PyPI's vulnerability data; --strict makes a package it could not check a failure, not a pass.
# npm audit checks the packages served to browsers (govuk-frontend, htmx.org); the build and test tools
# (devDependencies) never reach a user. Either finding anything, or being unable to check, fails the target.
AUDIT_VENV := .venv-audit
PIP_AUDIT_UNREACHABLE := could not be audited|ConnectionError|Max retries exceeded|NameResolutionError|Failed to resolve|timed out
NPM_AUDIT_UNREACHABLE := audit endpoint returned an error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET

$(AUDIT_VENV)/.installed: requirements-audit.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet -r requirements-audit.txt
	touch $@

audit: $(AUDIT_VENV)/.installed
	@status=0; log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	echo "=== pip-audit: requirements.txt and requirements-test.txt ==="; \
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
	  -r requirements.txt -r requirements-test.txt >"$$log" 2>&1; rc=$$?; \
	grep -v -e "users are encouraged to fully hash" -e "Consider using a tool like" "$$log"; \
	if [ "$$rc" -ne 0 ]; then status=1; \
	  if grep -qE "$(PIP_AUDIT_UNREACHABLE)" "$$log"; then \
	    echo "*** pip-audit could not get vulnerability data for every package from PyPI's JSON API (not reachable from this machine?): the Python dependencies were NOT audited ***"; \
	  else echo "*** pip-audit found known vulnerabilities (listed above) ***"; fi; fi; \
	echo "=== npm audit --omit=dev: package-lock.json ==="; \
	npm audit --omit=dev >"$$log" 2>&1; rc=$$?; \
	grep -v "Unknown user config" "$$log"; \
	if [ "$$rc" -ne 0 ]; then status=1; \
	  if grep -qE "$(NPM_AUDIT_UNREACHABLE)" "$$log"; then \
	    echo "*** npm audit could not reach the npm registry's audit service from this machine: the JavaScript dependencies were NOT audited ***"; \
	  else echo "*** npm audit found known vulnerabilities (listed above) ***"; fi; fi; \
	if [ "$$status" -eq 0 ]; then echo "No known vulnerabilities in the pinned dependencies."; fi; \
	exit $$status

clean:
	rm -rf static/build static/dist .pytest_cache
