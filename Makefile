# Two commands for a new user: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: run test check fix install

$(PIP_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(PIP_STAMP) $(NPM_STAMP)

## Serve the demo authority on http://127.0.0.1:8000 (SQLite, Celery tasks in-process).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Sign in at http://127.0.0.1:8000 as sw1, iro1, cps1, chair1, tm1, hos1 or admin; password: demo-password"
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite unless DATABASE_URL is set; CI sets PostgreSQL).
test: install
	$(PY) -m pytest

## The checks CI makes besides the tests.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
