# Homeward: `make demo` runs the demo, `make test` runs the whole test suite.
# Both install what they need first (a virtualenv in .venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: install demo test lint typecheck pytest audit-deps system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

demo: system-deps install
	$(BIN)/homeward demo

lint: install
	$(BIN)/ruff check
	$(BIN)/ruff format --check

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

# Known vulnerabilities in the installed dependencies (pip-audit); an unexplained
# one fails, vulnerability data that cannot be reached is reported, not hidden.
audit-deps: install
	$(BIN)/python scripts/audit-deps.py

test: system-deps install lint typecheck audit-deps pytest

# The benchmarks also need the reference tools they are measured against.
bench: system-deps install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_names.py
	$(BIN)/python bench/bench_link.py --speed-records 200000
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_review.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_lists.py
	$(BIN)/python bench/bench_web.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
