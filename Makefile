# painlab: two commands for a newcomer.
#   make lab    set up (once) and open the lessons in JupyterLab on 127.0.0.1
#   make test   set up (once) and run lint, unit tests, notebooks (nbval) and browser tests
# Each creates or reuses the local virtual environment .venv on its own.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.painlab-setup
PORT   ?= 8888
VOILA_TEMPLATE := $(VENV)/share/jupyter/voila/templates/painlab
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True,)

.PHONY: setup lab present test lint unit notebooks-test browser-test benchmarks \
        execute-notebooks handout figures lecture-kit book fit cross-validation clean

setup: $(STAMP) $(VOILA_TEMPLATE)

$(STAMP): pyproject.toml jupyter/overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,export]"
	@# Lab settings every user gets: no news feed, no update check (no internet needed).
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

# The Voila template `make present` uses (--template=painlab), found by Voila in the
# environment's Jupyter data dir. Linked, not copied: edits under src/ take effect at once.
$(VOILA_TEMPLATE): | $(STAMP)
	@mkdir -p $(dir $(VOILA_TEMPLATE))
	ln -sfn $(CURDIR)/src/painlab/templates/voila/painlab $(VOILA_TEMPLATE)

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb $(ROOT_FLAG)

# The lecturer's dashboard as a standalone app (no code on screen, works offline).
present: setup
	$(BIN)/voila notebooks/10_lecture.ipynb --Voila.ip=127.0.0.1 --port=$(PORT) \
	  --template=painlab --theme=light

test: setup
	$(BIN)/python scripts/check_browser.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --timeout=900 tests notebooks

unit: setup
	$(BIN)/python -m pytest tests -m "not browser"

notebooks-test: setup
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

browser-test: setup
	$(BIN)/python -m pytest tests -m browser

benchmarks: setup
	$(BIN)/python benchmarks/run_all.py

# Fit the dose-response model to data/acute_arms.csv and write data/model_fit/ (about 2 min;
# needs PyMC, installed here on first use). Run it after any change to the evidence: a test
# checks that the shipped draws match the data's checksum.
fit: setup
	$(BIN)/python -m pip install --quiet -e ".[fit]"
	$(BIN)/python scripts/fit_model.py

# Leave-one-study-out cross-validation, with the hand-shaped model of 4e60240 beside it
# (about 20 min on 2 cores): benchmarks/results/cross_validation.json.
cross-validation: setup
	$(BIN)/python -m pip install --quiet -e ".[fit]"
	$(BIN)/python benchmarks/cross_validation.py

# Re-run every lesson and keep its outputs (minus the large widget state), for nbval.
execute-notebooks: setup
	$(BIN)/python scripts/execute_notebooks.py

handout: setup
	$(BIN)/python -c "import painlab as pl; print(pl.export_handout('painlab-handout.html'))"

# The lecture kit in lecture-kit/: run sheet (speaker notes with timings), one-page K0-K18
# summary with references (both print-ready HTML) and every segment's figures (PNG, SVG).
lecture-kit: setup
	$(BIN)/python -c "import painlab.lecture as L; print(*L.export_kit('lecture-kit'), sep='\n')"

# The course as a static website in build/book/html (open index.html; works offline).
book: setup
	$(BIN)/python scripts/build_book.py

figures: setup
	$(BIN)/python -c "import painlab as pl; print(pl.export_figures('slides'))"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts build lecture-kit
