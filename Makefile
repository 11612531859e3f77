# Two entry points (see README): `make demo` and `make test`.
# Everything installs into .venv from PyPI/npm; tests themselves never use the network.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CACHE  := .cache

.PHONY: demo test install lint typecheck unit test-fixtures bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled example server.
demo: install
	$(BIN)/mtf-attest validate examples/servers/python-units
	$(BIN)/mtf-attest build examples/servers/python-units --output-dir dist/demo

# Offline caches the tests vendor from (wheels, npm tarballs, the mcpb CLI).
test-fixtures: install
	$(BIN)/python tests/prepare_fixtures.py --cache $(CACHE)

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: install
	$(BIN)/mypy

unit: install test-fixtures
	$(BIN)/pytest

test: lint typecheck unit

bench: install test-fixtures
	$(BIN)/python bench/bench_build.py --cache $(CACHE)

clean:
	rm -rf $(VENV) $(CACHE) dist build .pytest_cache .mypy_cache .ruff_cache
