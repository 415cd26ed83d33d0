# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   — create .venv, install, convert the bundled corpus and show the result
#   make test  — create .venv, install dev extras, run every test and the gold grading
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[analysis]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/policy-extract convert corpus --out $(OUT)/json -o $(OUT)/notices.jsonl \
		-o $(OUT)/tables.duckdb -o $(OUT)/parquet/
	$(BIN)/python scripts/show.py $(OUT)/json
	$(BIN)/policy-extract grade gold $(OUT)/json

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests scripts

bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
