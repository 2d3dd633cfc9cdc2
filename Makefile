# Two commands do all set-up on a fresh machine (Python >= 3.10 and make):
#   make lab    create .venv, install jacviz with its app extras, open JupyterLab on the tour
#   make test   create/update .venv, then lint and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.jacviz-installed

.PHONY: lab test lint format bench app clean

# kernel messages reach the browser without Nagle's 40 ms wait (jacviz/server.py)
NO_DELAY := kernel_websocket_connection_class=jacviz.server.NoDelayConnection

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[app,test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.$(NO_DELAY) notebooks/01_batch_jacobian_tour.ipynb

app: $(STAMP)
	$(BIN)/voila --Voila.$(NO_DELAY) notebooks/explorer_app.ipynb

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
