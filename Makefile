# The kit's commands. Each one creates or reuses the project's own environment (.venv);
# nothing needs to be activated first.
#   make lab    set up (first time), make or update your copies in my_work/, open JupyterLab on them
#   make test   set up (first time, adding the test tools) and run the whole test suite
#   make lock   refresh constraints.txt, the versions every install uses (commit the result)

PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
# Every install takes its versions from constraints.txt, so thirty laptops in a workshop get the same ones.
# CONSTRAINTS= (empty) installs the newest versions pyproject.toml allows instead.
CONSTRAINTS ?= constraints.txt
PIP_INSTALL := $(PY) -m pip install --quiet $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
LAB_STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
export PATH := $(BIN):$(PATH)
export MPLBACKEND ?= Agg

.PHONY: setup lab test test-fast lock notebooks data bench clean-env check slides reset hub-proxy hub-setup hub-test-setup hub-load

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; you have " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# What learners need: the kit, JupyterLab and nbgrader; no test tools.
$(LAB_STAMP): pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP_INSTALL) -e .
	@touch $(LAB_STAMP)

# The kit's own bytecode, compiled ahead (only what changed): an editable install leaves it to the first import,
# and where PYTHONDONTWRITEBYTECODE is set (many container images) every kernel would compile the kit again.
# Only a speed-up: a folder the learner cannot write to (a shared, read-only copy) must not stop `make lab`.
COMPILE_KIT := $(PY) -m compileall -q src >/dev/null 2>&1 || true

# What the tests need on top (pytest, xdist, playwright, deptry, filelock: the `test` extra).
$(TEST_STAMP): $(LAB_STAMP)
	$(PIP_INSTALL) -e ".[test]"
	@touch $(TEST_STAMP)

setup: $(TEST_STAMP)

# `rotation-kit lab` makes or updates my_work/ and starts JupyterLab (as root too, with a warning).
lab: $(LAB_STAMP)
	@$(COMPILE_KIT)
	env -u MPLBACKEND $(BIN)/rotation-kit lab --kit "$(CURDIR)"

test: $(TEST_STAMP)
	@$(COMPILE_KIT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

test-fast: $(TEST_STAMP)
	$(PY) -m pytest -m "not pipeline and not install"

check: $(LAB_STAMP)
	@test -n "$(NB)" || { echo "usage: make check NB=03 (your copy in my_work/), or NB=path/to/a_notebook.ipynb"; exit 2; }
	$(BIN)/rotation-kit check "$(NB)"

slides: $(LAB_STAMP)
	@test -n "$(MODULE)" || { echo "usage: make slides MODULE=03_where_to_rotate"; exit 2; }
	$(BIN)/rotation-kit slides "$(MODULE)"

reset: $(LAB_STAMP)
	$(BIN)/rotation-kit reset

notebooks: $(LAB_STAMP)
	$(BIN)/rotation-kit build

data: $(LAB_STAMP)
	$(BIN)/rotation-kit data

bench: $(LAB_STAMP)
	@$(COMPILE_KIT)
	$(PY) benchmarks/notebook_speed.py

# The versions of everything pyproject.toml asks for (with the test and hub extras), for Linux, macOS and
# Windows and every Python from 3.11: one file, refreshed on purpose (then `make lab` reinstalls from it).
lock: | $(PY)
	$(PY) -m pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra hub --universal --python-version 3.11 \
		--upgrade --quiet --custom-compile-command "make lock" -o constraints.txt

clean-env:
	rm -rf $(VENV)

# --- Running the kit for a cohort on JupyterHub (hub/README.md) -----------------------------
# hub-setup (as root): the kit and its own environment (with JupyterHub) under HUB_PREFIX,
# made with a system Python every user can run; the proxy comes from npm into hub/node_modules.
# From the roster (HUB_ROSTER, default HUB_PREFIX/roster.csv) it makes the instructors' Unix group
# HUB_GROUP, closes solutions/ and grading/ to everyone else, and prepares the shared course
# directory and the course's exchange folder for that group (hub/install.py, hub/README.md).
# hub-test-setup: the same under HUB_TEST_PREFIX, for tests/test_hub.py and benchmarks/hub_load.py
# (.ci/run calls it); they set the group's members for their own accounts.
# hub-load: the load benchmark (benchmarks/hub_load.py; LEARNERS=30 by default).
HUB_PREFIX ?= /opt/rotation-kit
HUB_TEST_PREFIX ?= /opt/rotation-kit-test
HUB_PYTHON ?= /usr/bin/python3
HUB_GROUP ?= rotation-kit-instructors
HUB_TEST_GROUP ?= rotation-kit-test-instructors
HUB_ROSTER ?=
HUB_COURSE_DIR ?=
HUB_EXCHANGE ?= /srv/nbgrader/exchange
HUB_ACCOUNT_PREFIX ?=
LEARNERS ?= 30
CHP := hub/node_modules/.bin/configurable-http-proxy

$(CHP): hub/package.json
	cd hub && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
	@touch $(CHP)

hub-proxy: $(CHP)

hub-setup: hub-proxy
	HUB_ROSTER="$(HUB_ROSTER)" HUB_COURSE_DIR="$(HUB_COURSE_DIR)" HUB_ACCOUNT_PREFIX="$(HUB_ACCOUNT_PREFIX)" \
	    $(HUB_PYTHON) hub/install.py --prefix "$(HUB_PREFIX)" --python "$(HUB_PYTHON)" --group "$(HUB_GROUP)" \
	    --exchange "$(HUB_EXCHANGE)"

hub-test-setup:
	$(MAKE) hub-setup HUB_PREFIX="$(HUB_TEST_PREFIX)" HUB_GROUP="$(HUB_TEST_GROUP)" \
	    HUB_COURSE_DIR="$(HUB_TEST_PREFIX)/course" HUB_EXCHANGE="$(HUB_TEST_PREFIX)/exchange"

hub-load: $(STAMP)
	$(PY) benchmarks/hub_load.py --learners "$(LEARNERS)"
