# Two commands for a new user: `make run` (app on demo data) and `make test` (all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test setup chromium postgresql haproxy demo benchmark lint cluster loadtest

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/python -m lagebild demo --if-empty

run: demo
	$(BIN)/python -m lagebild serve --server.port $(PORT)

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

# The replica tests put two app processes behind HAProxy, as `make cluster` does.
haproxy:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
		echo "HAProxy fehlt für die Replikat-Tests: installiere das Debian-Paket haproxy ..."; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq haproxy; }

test: setup chromium postgresql haproxy
	$(BIN)/python -m pytest

benchmark: setup chromium
	$(BIN)/python tests/bench/benchmark.py

lint: setup
	$(BIN)/ruff check lagebild pages app.py tests geo data deploy
	$(BIN)/ruff format --check lagebild pages app.py tests geo data deploy
	$(BIN)/mypy lagebild pages app.py deploy

# Several app replicas behind HAProxy on one (throwaway) PostgreSQL with the demo data: http://127.0.0.1:8500/
REPLICAS ?= 2
cluster: setup postgresql haproxy
	$(BIN)/python -m deploy.cluster --replicas $(REPLICAS) --port 8500

# N concurrent browser sessions through the proxy (not in CI; minutes): SESSIONS=1,10,20,50
SESSIONS ?= 1,10,20,50
loadtest: setup chromium postgresql haproxy
	$(BIN)/python tests/bench/loadtest.py --replicas $(REPLICAS) --sessions $(SESSIONS)
