# Two commands: `make run` (install + serve on SQLite with demo data) and `make test` (install + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# one test worker per CPU, at most 4 (each worker has its own PostgreSQL databases and connections)
PYTEST_ARGS ?= -n $(shell $(PYTHON) -c "import os; print(max(2, min(4, os.cpu_count() or 2)))")
export FLASK_APP := wsgi

.PHONY: run test install install-dev chromium libreoffice i18n clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	CASEWORK_ENV=development $(BIN)/flask --app wsgi casework serve

chromium:
	@bash scripts/ensure-chromium.sh

libreoffice:
	@bash scripts/ensure-libreoffice.sh

# SQLite always; PostgreSQL too when CASEWORK_TEST_POSTGRES_URL is set (CI sets it and requires it).
test: $(VENV)/.installed-dev chromium libreoffice
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$CASEWORK_TEST_POSTGRES_URL" ]; then \
		echo "=== the same suite on PostgreSQL ==="; \
		CASEWORK_TEST_DB=postgresql $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

# Extract the UI strings and update the catalogs; then translate translations/*/LC_MESSAGES/messages.po
# and run `make i18n` again to compile them.
i18n: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o translations/messages.pot . >/dev/null
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations >/dev/null
	$(BIN)/pybabel compile -d translations --statistics

# Benchmarks that print figures (never timed unit tests): the small and city tiers on SQLite, and on PostgreSQL
# when CASEWORK_BENCH_POSTGRES_URL is set (that database is WIPED); the load test runs on PostgreSQL.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV)
