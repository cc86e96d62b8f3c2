# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEMO_ENV := DJANGO_DEBUG=true

.PHONY: install run test lint format migrate seed css clean serve serve-seed loadtest loadtest-data bench backup restore

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

# `make run PORT=8010` for another port; 8000 unless PORT is given (serve's default is 8001).
RUN_PORT = $(if $(filter command line environment,$(origin PORT)),$(PORT),8000)

run: seed
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(RUN_PORT)

# The suite on every core (pytest-xdist); a test database per worker.
test: install
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules build staticfiles

# --- Production setup, locally (README § Operations) -------------------------------------
# PostgreSQL (database created if missing), DEBUG off, hashed and compressed static files,
# gunicorn on 127.0.0.1:$(PORT). No TLS here, so no HTTPS redirect: in production the load
# balancer terminates TLS. Set DJANGO_SECRET_KEY for anything but a local trial.
PORT ?= 8001
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rrn_register
SERVE_ENV := DJANGO_DEBUG=false DATABASE_URL=$(SERVE_DATABASE_URL) PORT=$(PORT) \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-only-not-secret-$$(hostname)-rrn-register} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false}

serve: install
	$(SERVE_ENV) $(PY) manage.py create_database
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi

# The demo data in the database `make serve` uses (run once, before `make loadtest`).
serve-seed: install
	$(SERVE_ENV) $(PY) manage.py create_database
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	$(SERVE_ENV) $(PY) manage.py seed_demo

# Fallback data for the load test (bench/loadtest_data.py) when seed_demo is not there.
loadtest-data: install
	$(SERVE_ENV) $(PY) manage.py create_database
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	$(SERVE_ENV) $(PY) bench/loadtest_data.py

# 50 users for 60 s against `make serve` (loopback only); results in bench/results/.
LOADTEST_HOST ?= http://127.0.0.1:$(PORT)
loadtest: install
	mkdir -p bench/results
	$(BIN)/locust -f bench/locustfile.py --headless --host $(LOADTEST_HOST) \
		--users 50 --spawn-rate 10 --run-time 60s --stop-timeout 10 \
		--csv bench/results/loadtest --only-summary

# Throughput and p50/p99 latency of the register's pages at 2,000 and 20,000 providers, as
# ratios to /healthz, against issue 8's targets (bench/README.md § Benchmark). Needs PostgreSQL
# (BENCH_DATABASE_URL, else DATABASE_URL, else the local `bench` database for the largest
# size and `bench_<size>` beside it for the others, each dropped and made again) and wrk.
# A quick run:
# `make bench BENCH_DURATION=2 BENCH_ROUNDS=1`.
bench: install
	$(PY) bench/run.py

# Backups of the database DATABASE_URL names (SQLite by default; README § Backups).
BACKUP_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

backup: install
	$(BACKUP_ENV) $(PY) manage.py backup_database

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<file>"; exit 2; }
	$(BACKUP_ENV) $(PY) manage.py restore_database "$(BACKUP)"
