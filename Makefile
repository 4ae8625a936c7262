# Every target bootstraps its own virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test soak lint bench clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The demo runs against the embedded lab with the obviously fake values of secrets.example.yaml.
DEMO_SECRETS ?= secrets.example.yaml

demo: $(STAMP)
	$(PY) runbooks/baseline.py --all --lab --secrets $(DEMO_SECRETS)
	$(PY) runbooks/deploy.py --tenant event42 --lab --secrets $(DEMO_SECRETS)
	$(PY) runbooks/verify.py --tenant event42 --lab --secrets $(DEMO_SECRETS) \
		--json reports/verify-event42.json --junit reports/verify-event42.xml \
		--html reports/verify-event42.html

test: $(STAMP)
	$(PY) -m pytest -q

# Generated inventories (tests/generated): random seeds and many more examples than `make test`
# (about 30 lab runs each: tens of minutes). GENERATED_LAB_EXAMPLES=N changes the lab count.
soak: $(STAMP)
	HYPOTHESIS_PROFILE=soak $(PY) -m pytest -q -p no:cacheprovider --timeout 0 tests/generated tests/test_topology_lab.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tasks lab

# Headless Chromium from the distribution's packages, for the browser tests of the HTML pages
# (tests/test_html_browser.py fails without it). Needs root or sudo; nothing else is downloaded.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }
	@chromium --version

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .lab reports .pytest_cache .mypy_cache .ruff_cache
