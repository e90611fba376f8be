# Skalierungsroadmap – the commands in README.md.
# `make run` and `make test` work on a fresh machine; everything else is optional.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run install setup test lint test-sqlite test-postgres check clean

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

install: $(STAMP) node_modules/.package-lock.json

# KERN UX design system, pinned in package-lock.json and served by Django's static files.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

# Migrations and content; safe to repeat (fixtures use natural keys, loading updates in place).
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint check test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

# Uses DATABASE_URL when it points to PostgreSQL; otherwise starts a throw-away cluster.
test-postgres: install
	scripts/with-postgres.sh $(PY) -m pytest

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
