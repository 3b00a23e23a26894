# Two commands for a new user: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: run test check fix install validate-903 bench bench-load bench-pages bench-exports graphs

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
## Quiet: a line or two a person reads, not a line per migration or task (README "Two commands").
run: install
	@echo "Preparing the database and loading the demo authority (about a minute the first time)..."
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@echo "Sign in at http://127.0.0.1:8000 as sw1, iro1, cps1, chair1, tm1, hos1 or admin; password: demo-password"
	@$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite unless DATABASE_URL is set; CI sets PostgreSQL), one worker
## per core, each with its own test database. `--dist load` keeps pytest-django's order on each
## worker: the tests that empty the database (live server, threads) after the others.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load

## The checks CI makes besides the tests.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## The plan's transition graphs in the README, drawn from the code (needs Debian's graphviz).
graphs: install
	$(PY) manage.py graph_transitions -o docs/plan-status.png permanence.Plan.status && rm -f docs/plan-status
	$(PY) manage.py graph_transitions -l circo -o docs/plan-route.png permanence.Plan.route && rm -f docs/plan-route

## Benchmarks that print figures (use PostgreSQL: DATABASE_URL=postgres://...). N children.
N ?= 10000
bench: install
	$(PY) manage.py bench_sweep --children $(N)
	$(PY) manage.py seed_scale --children $(N)
	$(PY) manage.py bench_tracker

## Fifty people of every role at once against nginx in front of gunicorn (4 workers for the pages,
## 2 for sign-in) on loopback ports, for DURATION seconds, on a PostgreSQL authority of CHILDREN
## children (built by seed_scale the first time): p50/p95/p99 per page and errors; fails on any
## error. Needs Debian's nginx (apt-get install nginx).
USERS ?= 50
DURATION ?= 60
CHILDREN ?= 10000
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/permanence_load
bench-load: install
	@createdb -h 127.0.0.1 -U postgres $(notdir $(LOAD_DATABASE_URL)) 2>/dev/null || true
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py bench_load --users $(USERS) \
		--duration $(DURATION) --children $(CHILDREN)

## Every page of the journeys, one person of each role at a time, against the page's own SQL
## time (EXPLAIN ANALYZE) and its query count, with production's settings, on the same database.
BENCH_REDIS ?= redis://127.0.0.1:6379/3
bench-pages: install
	@createdb -h 127.0.0.1 -U postgres $(notdir $(LOAD_DATABASE_URL)) 2>/dev/null || true
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	@test "$$(DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py shell -v0 -c 'from permanence.models import Child; print(Child.objects.count())' 2>/dev/null | tail -1)" != "0" \
		|| DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) manage.py seed_scale --children $(CHILDREN)
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_CACHE_URL=$(BENCH_REDIS) \
		DJANGO_SETTINGS_MODULE=permanence.settings.bench \
		DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(PY) manage.py bench_pages

## The deadlines and tracker CSVs through the whole stack, and export_deadlines, against their targets.
bench-exports: install
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_CACHE_URL=$(BENCH_REDIS) \
		DJANGO_SETTINGS_MODULE=permanence.settings.bench \
		DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(PY) manage.py bench_exports

## Check the demo authority's SSDA903 export against the DfE's own rules (csc-validator-be-903).
## The validator pins pandas < 2, so it lives in its own virtualenv, .venv-903, never in .venv.
VENV_903 := .venv-903
VALIDATOR_903 := csc-validator-be-903==0.1.17
OUT_903 := build/ssda903
# The demo's placements are in Shropshire (permanence/demo.py DEMO_LA_CODE).
LA_903 := E06000051
# The collection year now running, named by the year it ends (2027 for 2026-27).
YEAR_903 = $(shell date +'%Y %m' | awk '{print ($$2 >= 4) ? $$1 + 1 : $$1}')
DJANGO_903 := DATABASE_URL=sqlite:///$(CURDIR)/$(OUT_903)/demo.sqlite3 \
	EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend CELERY_BROKER_URL= REDIS_URL=

validate-903: install
	@test -x $(VENV_903)/bin/python || $(PYTHON) -m venv $(VENV_903)
	$(VENV_903)/bin/python -m pip install --quiet $(VALIDATOR_903)
	rm -rf $(OUT_903) && mkdir -p $(OUT_903)
	$(DJANGO_903) $(PY) manage.py migrate --noinput -v0
	$(DJANGO_903) $(PY) manage.py seed_demo
	$(DJANGO_903) $(PY) manage.py export_ssda903 --year $(YEAR_903) $(OUT_903)/this-year
	$(DJANGO_903) $(PY) manage.py export_ssda903 --year $$(( $(YEAR_903) - 1 )) $(OUT_903)/last-year
	$(VENV_903)/bin/python scripts/validate_903.py $(OUT_903)/this-year --year $(YEAR_903) \
		--la $(LA_903) --previous $(OUT_903)/last-year
	$(DJANGO_903) $(PY) manage.py export_ssda903 --year $$(( $(YEAR_903) - 2 )) $(OUT_903)/year-before
	$(VENV_903)/bin/python scripts/validate_903.py $(OUT_903)/last-year --year $$(( $(YEAR_903) - 1 )) \
		--la $(LA_903) --previous $(OUT_903)/year-before
