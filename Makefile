# Two entry points (see README): `make demo` and `make test`.
# Everything installs into .venv from PyPI/npm; tests themselves never use the network.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CACHE  := .cache

.PHONY: demo test install lint typecheck unit test-fixtures bench bench-mpak-venv clean

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

# The reference scanner for bench_scan.py: mpak-scanner needs Python 3.13, so it
# gets its own venv, with the same Bandit version as ours (fair CQ-03).
MPAK_VENV     := $(CACHE)/bench/mpak-venv
MPAK_STAMP    := $(MPAK_VENV)/.installed
MPAK_SCANNER  ?= mpak-scanner==0.2.9
# The interpreter itself, not a pyenv shim (a shim fails unless 3.13 is selected).
PYTHON313     ?= $(firstword $(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null) \
                   $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13))))

$(MPAK_STAMP): | $(STAMP)
	@test -n "$(PYTHON313)" || { echo "bench: mpak-scanner needs Python 3.13; set PYTHON313=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON313) -m venv $(MPAK_VENV)
	$(MPAK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MPAK_VENV)/bin/python -m pip install --quiet '$(MPAK_SCANNER)' \
	  "bandit==$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("bandit"))')"
	touch $@

bench-mpak-venv: $(MPAK_STAMP)

bench: install test-fixtures bench-mpak-venv
	$(BIN)/python bench/bench_build.py --cache $(CACHE)
	$(BIN)/python bench/bench_scan.py --cache $(CACHE) --mpak-venv $(MPAK_VENV)
	$(MPAK_VENV)/bin/python bench/mpak_cd03_corpus.py --corpus ../shared/corpus \
	  $(if $(wildcard tests/data/cd03_split.json),--split tests/data/cd03_split.json) \
	  --json-out dist/bench/mpak_cd03_corpus.json
	$(BIN)/python bench/mpak_controls.py --mpak-venv $(MPAK_VENV)

clean:
	rm -rf $(VENV) $(CACHE) dist build .pytest_cache .mypy_cache .ruff_cache
