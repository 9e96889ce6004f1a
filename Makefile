# One target per job; CI calls `make test`, as a person does.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser run test lint typecheck bench fuzz screenshots clean

install: $(STAMP) browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser tests drive Debian's chromium (never a browser Playwright downloads). Where apt-get runs
# as root it is installed here; elsewhere this says what to install, and the browser tests skip.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "browser tests: install Debian's chromium (apt-get install chromium) or put a chromium on PATH; until then they skip"; \
	fi

run: install
	$(BIN)/apiframe-mock serve --host $(HOST) --port $(PORT)

lint: typecheck
	$(BIN)/ruff check mockserver tests contract_tests bench
	$(BIN)/ruff format --check mockserver tests contract_tests bench

typecheck: install
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=term
	$(BIN)/pytest contract_tests

# The long fuzz run: over 10,000 hostile requests and Schemathesis cases against a real mock.
fuzz: install
	APIFRAME_MOCK_FUZZ=long $(BIN)/pytest tests/test_fuzz.py

# Retakes docs/dashboard.png and docs/drift-report.png with the browser tests' own browser.
screenshots: install
	APIFRAME_MOCK_SCREENSHOTS=docs $(BIN)/pytest -q -p no:cacheprovider tests/test_dashboard_page.py tests/test_report_pages.py -k screenshot

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
