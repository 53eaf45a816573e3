# The kit's commands. Each one creates or reuses the project's own environment (.venv);
# nothing needs to be activated first.
#   make lab    set up (first time) and open JupyterLab on the learner notebooks
#   make test   set up (first time) and run the whole test suite

PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
export MPLBACKEND ?= Agg

.PHONY: setup lab test test-fast notebooks data bench clean-env

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; you have " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $$(test -f notebooks/00_start_here/00_start_here.ipynb && echo notebooks/00_start_here/00_start_here.ipynb || echo notebooks)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(PY) -m pytest -m "not pipeline"

notebooks: $(STAMP)
	$(BIN)/rotation-kit build

data: $(STAMP)
	$(BIN)/rotation-kit data

bench: $(STAMP)
	$(PY) benchmarks/notebook_speed.py

clean-env:
	rm -rf $(VENV)
