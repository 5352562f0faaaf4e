# Two commands do all the set-up on a fresh clone (see README):
#   make run    install into .venv, train with configs/default.yaml, score the demo article
#   make test   install into .venv (with test extras), run the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The seed article when ../shared is present, else the project's own demo article.
DEMO := $(firstword $(wildcard ../shared/seed/azerbaijan_nato_sv.txt) data/demo/demo_article_en.txt)

.PHONY: install run ensemble test test-all lint clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev,ray,onnx,harvest,parquet,plots]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) train.py --config configs/default.yaml
	$(PY) predict.py $(DEMO) --model runs/latest --out runs/latest/demo_predictions.jsonl
	$(PY) -m geostance.report show runs/latest/demo_predictions.jsonl

# A slower, more accurate model (README "Ensembles", reports/ensemble.md): the cached recipe
# with the previous sentence as context and with the title too, averaged at prediction;
# about twice make run's training on this CPU and twice the scoring time.
ensemble: install
	$(PY) train.py --config configs/default.yaml --train.output_dir runs/members/prev
	$(PY) train.py --config configs/default.yaml --model.context title_prev --train.output_dir runs/members/title_prev
	$(PY) -m geostance.train.ensemble runs/members/prev/latest runs/members/title_prev/latest --out runs/ensemble --overwrite
	$(PY) predict.py $(DEMO) --model runs/ensemble --out runs/ensemble/demo_predictions.jsonl --overwrite
	$(PY) -m geostance.report show runs/ensemble/demo_predictions.jsonl

# The Ray engine's equivalence tests and the end-to-end sweep test are marked slow (about
# a minute each) but belong to CI, so they run here explicitly (the sweep test, left out
# of CI, had been failing unnoticed until 2026-12-04).
# One pytest worker per core, at most 4 (each builds the tiny model and loads the
# tokenizer, about 1 GB): most tests wait on a subprocess or run on one core, so on a
# 2-core AVX2 machine two workers took 7 min 18 s where one took 11 min 5 s.
test: install
	$(PY) -m pytest -n auto --maxprocesses 4
	$(PY) -m pytest -m slow tests/predict/test_ray_engine.py tests/evaluation/test_sweep.py

# Also the tests marked slow (torchrun with two processes, ...).
test-all: install
	GEOSTANCE_INSTALL_CHROMIUM=1 $(PY) -m pytest -m ""

lint: install
	$(VENV)/bin/ruff check src tests reports/*.py train.py predict.py

clean:
	rm -rf $(VENV) .pytest_cache
