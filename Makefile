# Both targets create the virtual environment on first use, so a fresh checkout needs only
# `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := build/demo

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/cobolspec analyze samples/ --db $(DEMO)/cobolspec.duckdb --out $(DEMO)/specs

lint: $(STAMP)
	$(BIN)/ruff check cobolspec tests $(wildcard bench)
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/parse_speed.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
