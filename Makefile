# seamsim — make targets used by the README and .ci/run.
#   make run    create the environment, install, open the dashboard
#   make test   create the environment, install, run every test
#   make bench  speed and memory benchmarks (printed, never asserted)
#   make lint   ruff
#   make fuzz   fuzz bad input (scenario files, --set, overrides) with thousands of cases
#   make docs   recompute the figures the docs quote (docs/generated/figures.json) and rewrite them

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv test run bench lint fuzz docs browser clean

venv: $(STAMP)

# Re-installs only when pyproject.toml changes (or the environment is new).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[dashboard,cluster,test]'
	@touch $@

# Debian's Chromium for the real-browser test (playwright's own browser download does not work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
	fi

test: venv browser
	$(BIN)/python -m pytest -q

run: venv
	$(BIN)/seamsim dashboard

bench: venv
	$(BIN)/python benchmarks/run_all.py

lint: venv
	$(BIN)/ruff check .

# The tests marked `fuzz` run a few hundred cases in `make test`; here thousands.
fuzz: venv
	SEAMSIM_FUZZ_PROFILE=seamsim-fuzz $(BIN)/python -m pytest -q -m fuzz

# Simulates every bundled scenario (30 replications, seed 2026), the before → after
# decomposition and the worked study of docs/researchers.md (tools/study_figures.py; about
# 1–2 min in all on 2 CPUs), then rewrites the blocks between <!-- BEGIN generated:… --> markers.
docs: venv
	$(BIN)/python tools/make_docs.py

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build dist
