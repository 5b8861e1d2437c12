# Two commands for a new user: `make run` (app on demo data) and `make test` (all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test setup chromium postgresql demo benchmark lint

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/python -m lagebild demo --if-empty

run: demo
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

# The browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Chromium fehlt für die Browsertests: installiere das Debian-Paket chromium ..."; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The store tests also run on PostgreSQL: they start a throwaway cluster from Debian's server binaries.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "PostgreSQL fehlt für die Datenbanktests: installiere das Debian-Paket postgresql ..."; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

test: setup chromium postgresql
	$(BIN)/python -m pytest

benchmark: setup chromium
	$(BIN)/python tests/benchmark.py

lint: setup
	$(BIN)/ruff check lagebild pages app.py tests geo data
	$(BIN)/mypy lagebild pages app.py
