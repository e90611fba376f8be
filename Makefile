# Skalierungsroadmap – the commands in README.md.
# `make run` and `make test` work on a fresh machine; everything else is optional.

# Python may cache compiled modules (also pytest's assertion-rewritten tests): with
# PYTHONDONTWRITEBYTECODE set, every test process spends seconds rewriting the same files.
unexport PYTHONDONTWRITEBYTECODE

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run install setup test test-fast lint lock test-sqlite test-postgres test-packages check clean

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

install: $(STAMP) node_modules/.package-lock.json

# KERN UX design system, pinned in package-lock.json and served by Django's static files.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Exactly the versions and hashes in requirements.lock (`make lock` refreshes it from the ranges
# in pyproject.toml). The project runs from its folder, so it is not installed itself.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

UV_VERSION := 0.13.8
lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--custom-compile-command "make lock" --quiet -o requirements.lock

# Migrations and content; safe to repeat: load_content only adds missing entries and never
# changes an existing one (reset to the shipped text: manage.py load_content --overwrite).
# ensure_initial_revisions gives every entry its "Ausgangsfassung" in the history.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content
	$(PY) manage.py ensure_initial_revisions

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The deploy checklist runs with production settings: a fresh random key, a placeholder host and
# PostgreSQL URL (`check` never connects to the database without --database).
check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=roadmap.example.org \
	DATABASE_URL=postgres://roadmap:placeholder@db.example.org:5432/roadmap \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

test: lint check test-sqlite test-postgres

# The suite needs PostgreSQL, a real Redis (cache tests), Chromium (browser tests) and nginx
# (tests/test_nginx_cache.py);
# installs the Debian packages when missing, so `make test` works on a fresh machine.
test-packages:
	scripts/ensure-system-packages.sh postgresql redis-server chromium nginx

# The inner loop: SQLite, no browser, no extra servers, no slow checks, two processes
# (pytest-xdist), the fuzzers with a fifth of their addresses. `make test` runs everything.
test-fast: install
	env -u DATABASE_URL FUZZ_SCALE=0.2 $(PY) -m pytest -q -n 2 -m "not browser and not services and not slow"

test-sqlite: install test-packages
	env -u DATABASE_URL $(PY) -m pytest

# Uses DATABASE_URL when it points to PostgreSQL; otherwise starts a throw-away cluster.
test-postgres: install test-packages
	scripts/with-postgres.sh $(PY) -m pytest

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles

# --- Production-like serving, benchmark and failure drills (scripts/stack.py, deploy/) --------
# All three bind to 127.0.0.1 only and stop every server they started, also on errors and
# Ctrl-C. bench and drills always use throw-away PostgreSQL and Redis servers.
.PHONY: serve bench drills
CLEAN_ENV := env -u DATABASE_URL -u REDIS_URL -u DJANGO_CACHE_URL

# PostgreSQL keeps its data in .serve/ between runs; Redis starts empty. WEB_CONCURRENCY=n
# sets the number of gunicorn worker processes (default 2). nginx with its cache listens on PORT.
serve: install
	scripts/ensure-system-packages.sh postgresql redis-server nginx
	ROADMAP_PG_DIR=$(CURDIR)/.serve/postgres PORT=$(PORT) \
	scripts/with-postgres.sh scripts/with-redis.sh $(PY) scripts/stack.py serve

# A few minutes: wrk against gunicorn and nginx, with the content and with 10× synthetic content.
bench: install
	scripts/ensure-system-packages.sh postgresql redis-server nginx wrk
	$(CLEAN_ENV) scripts/with-postgres.sh scripts/with-redis.sh $(PY) scripts/bench.py

drills: install
	scripts/ensure-system-packages.sh postgresql redis-server nginx
	$(CLEAN_ENV) scripts/with-postgres.sh scripts/with-redis.sh $(PY) scripts/drills.py
