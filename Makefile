# Two entry points for a fresh machine with python3, pip and make: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= kg-store
OUT ?= out

.PHONY: setup demo test bench clean browser notebook

setup: $(STAMP)

# Debian/Ubuntu python3 refuses system-wide pip installs (PEP 668) and may lack ensurepip
# (python3-venv): fall back to a pip-less venv that the system pip installs into.
$(STAMP): pyproject.toml
	@$(PY) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV) && $(PY) -m venv --without-pip $(VENV) && $(PY) -m pip --python $(BIN)/python install -q pip; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# The main job on seeds/: claims to a CSV, the graph into the demo's own store (prints the
# agreements table), and the offline HTML view. The demo never touches ./kg-store, the
# default store of your own builds.
DEMO_STORE ?= $(OUT)/demo-store

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/kg extract seeds/ -o $(OUT)/claims.csv
	$(BIN)/kg build seeds/ --store $(DEMO_STORE)
	$(BIN)/kg render --store $(DEMO_STORE) -o $(OUT)/graph.html
	@echo
	@echo "kg is installed in $(VENV): run '. $(BIN)/activate' to put 'kg' on your PATH (or call $(BIN)/kg)."
	@echo "Try: kg query --store $(DEMO_STORE) partners --param party=JPN"

# JupyterLab on the example notebook (the notebook extra is installed first). It builds the
# seeds in memory; KG_STORE=kg-store make notebook reads a built store instead (read-only).
notebook: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[notebook]'
	$(BIN)/jupyter lab notebooks/explore.ipynb $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Debian's chromium for the browser test; installed when missing and we may use apt.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: run 'sudo apt-get install chromium' for the browser test"; }

# The gates: the tests and the docstrings' examples (pytest, see pyproject.toml; the wheel is
# built, installed in a fresh venv and run from another folder by tests/test_packaging.py),
# then ruff and mypy.
test: $(STAMP) browser
	$(BIN)/python -m pytest -q -rs
	$(BIN)/ruff check kg tests scripts benchmarks
	$(BIN)/mypy

# Every benchmark at the sizes the README reports (about 30 minutes on 2 cores); each prints
# its figures, and each runs alone too (see its --help). Run it on an idle machine.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py 1000
	$(BIN)/python benchmarks/bench_jobs.py 5000 --jobs 1 2
	$(BIN)/python benchmarks/bench_graph.py --sizes 1000 10000
	$(BIN)/python benchmarks/bench_memory.py --sizes 10000 100000
	$(BIN)/python benchmarks/bench_render.py --no-browser

clean:
	rm -rf $(VENV) $(STORE) $(OUT)
