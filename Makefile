# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEMO_ENV := DJANGO_DEBUG=true

.PHONY: install run test lint format migrate seed css clean

install: $(VENV)/.installed node_modules/.installed build/static/css/main.css

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/main.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npx sass --quiet --no-source-map --load-path=node_modules/govuk-frontend/dist \
		--load-path=node_modules static/scss/main.scss $@

css: build/static/css/main.css

migrate: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input

seed: migrate
	$(DEMO_ENV) $(PY) manage.py seed_demo

run: seed
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules build staticfiles
