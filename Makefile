# One task runner for people and CI. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A stamp per install flavour, redone whenever pyproject.toml changes.
RUN_STAMP := $(VENV)/.stamp-run
DEV_STAMP := $(VENV)/.stamp-dev
# The dev install has the pose extra too, so the pose model's tests run for real.
DEV_EXTRAS := dev,pose

.PHONY: run test lint fmt bench clean help

help:
	@echo "make run    set up .venv and start hipflex"
	@echo "make test   set up .venv with dev extras, lint, then run the whole suite"
	@echo "make lint   ruff, ruff format --check, mypy --strict, import-linter"
	@echo "make fmt    format and auto-fix with ruff"
	@echo "make bench  run the benchmarks in bench/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[$(DEV_EXTRAS)]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/hipflex serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(DEV_STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: lint
	$(BIN)/python -m pytest

bench: $(DEV_STAMP)
	$(BIN)/python -m pytest bench --benchmark-only -p no:cacheprovider -q
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/pictures_bench.py
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/page_bench.py
	$(BIN)/python bench/remind_bench.py
	$(BIN)/python bench/measure_bench.py
	$(BIN)/python bench/team_bench.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
