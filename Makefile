# One target per job; CI calls `make test`, as a person does.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=
DIST ?= dist

.PHONY: install parts run dashboard dist test lint typecheck bench fuzz screenshots clean

install: $(STAMP) parts

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The real parts the tests drive beside Python's: Debian's redis-server, chromium (never a browser
# Playwright downloads), openssl (a TLS certificate) and nodejs (the official v2 Node client, which the
# tests find in ../shared/ or at $APIFRAME_SDK_NODE). Installed where apt-get runs as root; elsewhere named, and the tests that need one skip (or fail, under CI=true). `make run` needs none.
parts:
	@missing=""; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "missing:$$missing; install them (Debian: apt-get install$$missing; macOS: brew install redis chromium node)"; \
	fi

# The command tells the CLI how it was started, so a busy port's hint names PORT=, not --port.
run: $(STAMP)
	APIFRAME_MOCK_STARTED_BY="make run" $(BIN)/apiframe-mock serve --host $(HOST) --port $(PORT) $(ARGS)

# `make run` with the control API on: the dashboard's URL and a generated token are printed at start.
dashboard: $(STAMP)
	APIFRAME_MOCK_STARTED_BY="make dashboard" $(BIN)/apiframe-mock serve --host $(HOST) --port $(PORT) --control $(ARGS)

# The wheel and the sdist a user can `pip install`, built as a package index would get them.
dist: $(STAMP)
	$(BIN)/python -m build --outdir $(DIST) .

lint: typecheck
	$(BIN)/ruff check mockserver tests contract_tests bench scripts
	$(BIN)/ruff format --check mockserver tests contract_tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint parts
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=term
	$(BIN)/pytest contract_tests --api both

# The long fuzz run: over 10,000 hostile requests and Schemathesis cases against a real mock.
fuzz: $(STAMP)
	APIFRAME_MOCK_FUZZ=long $(BIN)/pytest tests/test_fuzz.py

# Retakes docs/dashboard.png and docs/drift-report.png with the browser tests' own browser.
screenshots: install
	APIFRAME_MOCK_SCREENSHOTS=docs $(BIN)/pytest -q -p no:cacheprovider tests/test_dashboard_page.py tests/test_report_pages.py -k screenshot

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
