# Chuangkou: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-fast lint check messages clean

## Serve the demo site on http://127.0.0.1:8000 (sets everything up first), with the
## background worker beside it; Ctrl-C stops both.
run: setup
	$(PY) manage.py worker & worker=$$!; trap 'kill $$worker' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Virtualenv, dependencies, database and demo content, without serving.
setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty

## The whole test suite (SQLite; PostgreSQL when DATABASE_URL is set), spread over
## TEST_WORKERS processes (pytest-xdist; each has its own database and Redis db).
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## The suite without the real-browser tests.
test-fast: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

## Translation catalogs in locale/ (LOCALE_PATHS, ahead of the apps' own). The source
## strings are Chinese, so only en is extracted; locale/zh_Hans holds, by hand, the
## Wagtail strings that Wagtail's own zh_Hans catalogs lack and is never regenerated
## (no makemessages -l zh_Hans). Both are compiled, and the .mo files are committed.
## Templates overriding Wagtail's keep Wagtail's English msgids, translated by Wagtail.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=static_collected \
		--ignore=templates/wagtailadmin/workflows
	$(PY) manage.py compilemessages --ignore=.venv

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media private_media static_collected
