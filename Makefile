# Two commands set everything up on a fresh machine with Python 3.11+ and pip: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
# worksteal: a worker that runs out of tests takes queued ones from the other, so the slow subprocess and browser
# tests near the end of the run do not leave one core idle (measured: 25-30 s less on a slow part of the suite).
PYTEST_DIST ?= worksteal

.PHONY: run install demo test test-sqlite test-postgres lint format bench messages vendor clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (found %s)." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Compile the matching kernels into numba's cache now, so the first `ausbildung match` does not (#16).
	$(BIN)/ausbildung match --warm-up
	@touch $(STAMP)

install: $(STAMP)

# A secret key of this checkout, made once (production sets SECRET_KEY in the environment).
$(VENV)/secret_key: | $(STAMP)
	@$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(STAMP) $(VENV)/secret_key
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat $(VENV)/secret_key)}"; \
	$(BIN)/ausbildung migrate --no-input && \
	$(BIN)/ausbildung import-regulations && \
	$(BIN)/ausbildung demo --with-admin && \
	$(BIN)/ausbildung match --warm-up && \
	STAFF_TWO_FACTOR=$${STAFF_TWO_FACTOR:-optional} HOST=$(HOST) PORT=$(PORT) $(BIN)/ausbildung serve

demo: $(STAMP)
	$(BIN)/ausbildung demo --with-admin

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	AUSBILDUNG_TESTING=1 $(BIN)/mypy
	$(BIN)/lint-imports --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite on SQLite, then again on PostgreSQL when one is reachable at TEST_DATABASE_URL.
# The sweeps (marker `sweep`: every URL for every role, malformed input to every form, the API fuzzed from its
# schema) run once: on PostgreSQL, the production database and the stricter one about bad values, when it is
# reachable; otherwise in the SQLite pass.
test: lint
	@if $(BIN)/python scripts/db_reachable.py "$(TEST_DATABASE_URL)"; then \
		$(MAKE) --no-print-directory test-sqlite SQLITE_MARKERS="not sweep" && \
		$(MAKE) --no-print-directory test-postgres || exit 1; \
		echo "== Tests ran on: SQLite and PostgreSQL ($(TEST_DATABASE_URL); the sweeps on PostgreSQL)"; \
	else \
		$(MAKE) --no-print-directory test-sqlite || exit 1; \
		echo "== Tests ran on: SQLite only (no PostgreSQL reachable at $(TEST_DATABASE_URL); set TEST_DATABASE_URL)"; \
	fi

test-sqlite: $(STAMP)
	@echo "== Test suite on SQLite$(if $(SQLITE_MARKERS), ($(SQLITE_MARKERS)))"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) -q $(if $(SQLITE_MARKERS),-m "$(SQLITE_MARKERS)")

# The browser tests (marker `browser`) drive the same views through Chromium; they run once, in the SQLite
# pass, so that `make test` stays within its time budget. Every other test also runs on PostgreSQL.
test-postgres: $(STAMP)
	@echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)): every test that uses the database, browser tests excepted (they ran on SQLite)"
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) -q -m "not browser" --database-tests-only

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH)

# Refresh the German translations: extract strings, then compile (needs GNU gettext on the developer's machine).
messages: $(STAMP)
	cd src/ausbildung && ../../$(BIN)/ausbildung manage makemessages -l de --no-obsolete --no-location
	$(BIN)/python scripts/compile_messages.py

vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
