# Two commands do everything on a fresh machine with only Python and make:
#   make demo   creates .venv, installs litkit, ingests corpora/ and prints the evidence tables
#   make test   creates .venv with the test extras and runs the whole suite on every core (and ruff, mypy)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
GOLD   ?= ../shared/gold/dev
GOLD_GENERAL ?= ../shared/gold/dev-general

.PHONY: demo test test-full-size lint eval eval-ci eval-ci-general bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: an editable install leaves litkit uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set every process (an ingest and each of its workers) compiled it again (~0.1 s each).
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q litkit
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q litkit
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/litkit ingest corpora/
	@echo
	$(BIN)/litkit stats
	@echo
	$(BIN)/litkit query AINS --limit 8
	@echo
	$(BIN)/litkit summarize --treatment nsaids

# -n auto --dist loadfile (pytest-xdist): one worker per core, each test module on one worker so
# a module's shared fixtures (the hostile corpus, ingested databases) are built once.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto --dist loadfile
	$(BIN)/ruff check litkit tests benchmarks
	$(BIN)/mypy

# Inputs that are big only to be big, at full size (a 5 MB line without punctuation); CI runs it.
test-full-size: $(VENV)/.installed-test
	$(BIN)/python -m pytest --full-size tests/test_hostile.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check litkit tests benchmarks
	$(BIN)/ruff format --check litkit tests benchmarks

eval: $(VENV)/.installed
	$(BIN)/litkit eval $(GOLD)

# Quality floors: the figures reached on the dev set minus a small margin (see issue notes).
eval-ci: $(VENV)/.installed
	$(BIN)/litkit eval $(GOLD) --min-language-accuracy 0.99 --min-segmentation 0.94 \
		--min-macro-f1 0.90 --min-treatment-f1 0.91 --min-negation-f1 0.83 \
		--min-direction-accuracy 0.90

# Documents outside CNO (issue 13): the same stages must hold on diseases nobody tuned for.
eval-ci-general: $(VENV)/.installed
	$(BIN)/litkit eval $(GOLD_GENERAL) --min-language-accuracy 0.99 --min-segmentation 0.95 \
		--min-macro-f1 0.89 --min-treatment-f1 0.89 --min-negation-f1 0.88 \
		--min-direction-accuracy 0.82

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/ingest_throughput.py

clean:
	rm -rf $(VENV) litkit.db litkit.db-wal litkit.db-shm build *.egg-info
