# digigov: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: run test install install-dev migrate demo static serve lint bench-intake messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/digigov migrate --noinput

demo: migrate
	$(BIN)/digigov demo --if-empty

static: install
	$(BIN)/digigov collectstatic --noinput --verbosity 0

serve:
	$(BIN)/gunicorn digigov.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--threads 4 --access-logfile - --forwarded-allow-ips='127.0.0.1'

## Install, migrate, load the demo data if the database is empty, serve on http://127.0.0.1:8000
run: demo static serve

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise)
test: install-dev
	DIGIGOV_TESTING=1 $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench-intake: install-dev
	$(BIN)/python bench/intake/run.py

## Update the en and id catalogs from the Vietnamese source strings, then compile them
messages: install-dev
	cd src/digigov && ../../$(BIN)/digigov makemessages -l en -l id --no-obsolete -e html,txt,py
	cd src/digigov && ../../$(BIN)/digigov compilemessages -l en -l id

clean:
	rm -rf $(VENV) var/static .pytest_cache
