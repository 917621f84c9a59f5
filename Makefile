# Every target bootstraps .venv on first use, so `make <target>` works on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SPEC ?= spec/openapi.yaml
OUT ?= generated

.PHONY: generate check breaking test test-fast lint format snapshots mypy bench corpus clean help
.DEFAULT_GOAL := help

help:
	@echo "make generate   regenerate $(OUT)/ from $(SPEC)"
	@echo "make check      fail with a diff if $(OUT)/ is out of date (drift check)"
	@echo "make breaking   list changes to the client's public surface since AGAINST (default git:HEAD)"
	@echo "make test       lint + drift check + mypy --strict + the whole test suite (what CI runs)"
	@echo "make test-fast  the tests not marked slow: the edit-run loop (under a minute)"
	@echo "make lint       ruff check and ruff format --check on generator/, tests/, bench/, examples/; ruff check on templates/static/"
	@echo "make format     ruff format and the safe ruff fixes, in place"
	@echo "make snapshots  regenerate, then update syrupy snapshots (review the diff!)"
	@echo "make bench      benchmark against peer generators (docs/benchmarks.md)"
	@echo "make corpus     run the generator and openapi-python-client over public specs (docs/corpus.md)"

# constraints.txt pins every transitive dependency, so CI and every machine resolve the same set.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

generate: $(STAMP)
	$(PY) -m generator generate --spec $(SPEC) --out $(OUT)

# --full: CI regenerates and compares every byte; without it, check answers from the manifest in
# _meta.py when the inputs are unchanged (generator/manifest.py says what that trusts).
check: $(STAMP)
	$(PY) -m generator check --full --spec $(SPEC) --out $(OUT)

AGAINST ?= git:HEAD
breaking: $(STAMP)
	$(PY) -m generator breaking --spec $(SPEC) --against $(AGAINST)

mypy: $(STAMP)
	$(PY) -m mypy --strict generator
	cd $(OUT) && ../$(PY) -m mypy --strict --config-file ../pyproject.toml --cache-dir ../.mypy_cache/generated .

LINTED := generator tests bench examples

lint: $(STAMP)
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)
	$(PY) -m ruff check --config templates/static/ruff.toml templates/static

format: $(STAMP)
	$(PY) -m ruff check --fix $(LINTED)
	$(PY) -m ruff format $(LINTED)

# Both cores: one test file per worker at a time (--dist loadfile keeps module fixtures shared).
PYTEST_PARALLEL := -n auto --dist loadfile

test: $(STAMP) node_modules/.installed lint check mypy
	$(PY) -m pytest $(PYTEST_PARALLEL)

test-fast: $(STAMP)
	$(PY) -m pytest $(PYTEST_PARALLEL) -m "not slow"

snapshots: $(STAMP) generate
	$(PY) -m pytest --snapshot-update

bench: $(STAMP)
	$(PY) bench/run.py

corpus: $(STAMP)
	$(PY) bench/corpus.py

clean:
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache
