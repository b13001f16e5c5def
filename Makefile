# make run  — create .venv, install the pinned requirements, start the app
# make test — same install, then the whole test suite (browser tests need Debian's chromium)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: install run test chromium bench screenshots clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Debian's chromium for the browser tests (never a downloaded browser). Installs only as root.
chromium:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "chromium is missing and I am not root: install it with 'sudo apt-get install chromium'"; fi

test: install chromium
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/rerun_ratio.py
	$(PY) benchmarks/bootstrap_bench.py
	$(PY) benchmarks/pipeline_bench.py --generate
	$(PY) benchmarks/large_file_bench.py
	$(PY) benchmarks/browser_timing.py
	$(PY) benchmarks/concurrent_sessions.py

screenshots: install chromium
	$(PY) tests/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache artifacts
