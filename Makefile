# Every target bootstraps its own virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test soak lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The demo runs against the embedded lab with the obviously fake values of secrets.example.yaml.
DEMO_SECRETS ?= secrets.example.yaml

demo: $(STAMP)
	$(PY) runbooks/deploy.py --tenant event42 --lab --secrets $(DEMO_SECRETS)
	$(PY) runbooks/verify.py --tenant event42 --lab --secrets $(DEMO_SECRETS) \
		--json reports/verify-event42.json --junit reports/verify-event42.xml

test: $(STAMP)
	$(PY) -m pytest -q

# Generated inventories (tests/generated): random seeds and many more examples than `make test`
# (about 30 lab runs each: tens of minutes). GENERATED_LAB_EXAMPLES=N changes the lab count.
soak: $(STAMP)
	HYPOTHESIS_PROFILE=soak $(PY) -m pytest -q -p no:cacheprovider --timeout 0 tests/generated

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tasks lab

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .lab reports .pytest_cache .mypy_cache .ruff_cache
