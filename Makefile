# One target per job; CI calls `make test`, as a person does.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install parts run test lint typecheck bench fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The real parts the tests drive beside Python's: Debian's redis-server. Installed where apt-get
# can (as root); elsewhere named, and the tests that need it skip (or fail, under CI=true).
parts:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && apt-get install -y -q redis-server; \
	  else \
	    echo "redis-server is missing: install it (Debian: apt-get install redis-server; macOS: brew install redis)"; \
	  fi; }

run: install
	$(BIN)/apiframe-mock serve --host $(HOST) --port $(PORT)

lint: typecheck
	$(BIN)/ruff check mockserver tests contract_tests bench
	$(BIN)/ruff format --check mockserver tests contract_tests bench

typecheck: install
	$(BIN)/mypy

test: lint parts
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=term
	$(BIN)/pytest contract_tests

# The long fuzz run: over 10,000 hostile requests and Schemathesis cases against a real mock.
fuzz: install
	APIFRAME_MOCK_FUZZ=long $(BIN)/pytest tests/test_fuzz.py

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
