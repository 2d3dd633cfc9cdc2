# Two commands do all set-up on a fresh machine (Python >= 3.10 and make):
#   make lab    create .venv, install jacviz with its app extras, open JupyterLab on the tour
#   make test   create/update .venv, then lint and run the whole test suite
# Options: make lab LAB_ARGS="--no-browser --port=8890"   (handed to JupyterLab)
#          make app IP=0.0.0.0 PORT=8866 APP_ARGS="--max-kernels 60"   (see jacviz app --help)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.jacviz-installed
LAB_ARGS ?=
IP ?= 127.0.0.1
PORT ?= 8866
APP_ARGS ?=

.PHONY: lab test lint format bench app clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[app,server,hub,test]'
	touch $(STAMP)

# jacviz lab adds --allow-root when run as root (JupyterLab refuses root without it)
lab: $(STAMP)
	$(BIN)/jacviz lab notebooks $(LAB_ARGS)

app: $(STAMP)
	$(BIN)/jacviz app --ip=$(IP) --port=$(PORT) $(APP_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-output
