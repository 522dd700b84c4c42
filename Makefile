# Quick start: `make run` (app on demo data) · `make test` (whole test suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/kam.duckdb
PORT ?= 8501

.PHONY: run test e2e lint fmt bench demo plotly-bundle clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(BIN)/python -m kam_core init --demo --db $(DB)

run: $(VENV)/.installed $(DB)
	KAM_DB=$(DB) $(BIN)/python serve.py --server.port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m "not e2e" -n 2

e2e: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m e2e

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py --rows 1000000

demo: $(VENV)/.installed
	$(BIN)/python -m kam_core init --demo --db $(DB)

# The charts' partial plotly.js (static/plotly-kam.js, committed): rebuild after changing frontend/plotly/entry.js.
plotly-bundle:
	frontend/plotly/build.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
