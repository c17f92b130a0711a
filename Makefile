# Compra Íntegra — the two set-up commands are `make run` and `make test` (README.md).
# DATABASE_URL=postgres://... switches either one to PostgreSQL; SQLite under var/ otherwise.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: run test install migrate demo messages lint format bench bench-mercado bench-componentes bench-carga check clean capturas

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' --verbosity 0

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py cargar_demo
	$(PY) manage.py cargar_demo_procesos
	$(PY) manage.py cargar_proveedores_demo
	$(PY) manage.py cargar_demo_seguimiento

run: messages demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "Compra Íntegra está en http://$(HOST):$(PORT)/  (administración: http://$(HOST):$(PORT)/admin/)"
	@echo "Cuentas de demostración: vea README.md (sección «Cuentas de demostración»)."
	@echo "Servidores falsos de la PDN (S1, S2, S3) en 127.0.0.1:8791-8795 y lista 69-B del SAT en 8796; bitácora en var/servidores_falsos.log"
	@echo "Tras sincronizar los registros se calculan los indicadores (alertas del OIC); resumen en var/indicadores.log"
	$(PY) manage.py servidores_falsos_pdn > var/servidores_falsos.log 2>&1 & \
	sleep 2; $(PY) manage.py sincronizar_registros --sin-progreso || true; \
	$(PY) manage.py importar_69b http://127.0.0.1:8796/Listado_Completo_69-B.csv --sin-progreso || true; \
	$(PY) manage.py calcular_indicadores --sin-progreso > var/indicadores.log 2>&1 || true; \
	PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

# axe-core for the browser tests' accessibility check, from package-lock.json (never a CDN).
# Without npm the accessibility tests are skipped (CI installs npm and requires them).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm no está instalado: se omitirá la revisión de accesibilidad (axe-core)."; fi

test: messages node_modules/axe-core/axe.min.js
	$(PY) -m pytest $(PYTEST_ARGS)

# Rewrites the manuals' screenshots (docs/img/) from the browser tests.
capturas: messages node_modules/axe-core/axe.min.js
	ACTUALIZAR_CAPTURAS=1 $(PY) -m pytest tests/browser -p no:xdist

check: install
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Scale benchmark (issue 10; not a test): `bench_escala` on PostgreSQL, against a persistent
# generated dataset <db>_escala_<BENCH_PROCESOS> that it creates once and reuses; it writes
# docs/benchmarks/escala-<N>.json and the table in docs/benchmarks.md (docs/benchmarks.md explains).
# DEBUG is off to measure what production runs; DEVTOOLS=1 still installs the benchmark (devtools/).
BENCH_DATABASE_URL := $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/compra_bench)
BENCH_PROCESOS ?= 10000
BENCH_ENTES ?= 1500
BENCH_SEMILLA ?= 1
BENCH_REPETICIONES ?= 30
BENCH_REPETICIONES_EXPORTACION ?= 3
BENCH_ARGS ?=

bench: install
	DEBUG=false DEVTOOLS=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_escala \
		--procesos $(BENCH_PROCESOS) --entes $(BENCH_ENTES) --semilla $(BENCH_SEMILLA) \
		--repeticiones $(BENCH_REPETICIONES) \
		--repeticiones-exportacion $(BENCH_REPETICIONES_EXPORTACION) $(BENCH_ARGS)

# The market research alone (issue 18), on a database whose price table is built (it writes only
# the statistics kept per CUCoP key, a cache): item search, price references (stored, and counted
# again as after a change) and candidate suppliers; writes docs/benchmarks/mercado-<N>.json
# (docs/benchmarks.md, «Investigación de mercado»). E.g. make bench-mercado
# DATABASE_URL=postgres://…/compra_bench_escala_100000 BENCH_PROCESOS=100000
bench-mercado: install
	DEBUG=false DEVTOOLS=1 DATABASE_URL=$(BENCH_DATABASE_URL) nice $(PY) manage.py bench_escala \
		--en-esta-base --solo-mercado --procesos $(BENCH_PROCESOS) \
		--repeticiones $(BENCH_REPETICIONES) --semilla $(BENCH_SEMILLA) $(BENCH_ARGS)

# Load (issue 21; not a test): BENCH_CLIENTES concurrent clients for BENCH_SEGUNDOS seconds against
# gunicorn (deploy/gunicorn.conf.py) on the published data of DATABASE_URL; set REDIS_URL for the
# shared cache. docs/benchmarks.md («Carga») explains how to prepare the data and read the output.
BENCH_CLIENTES ?= 50
BENCH_SEGUNDOS ?= 60
BENCH_WORKERS ?= 3

bench-carga: install
	DEBUG=false DEVTOOLS=1 $(PY) manage.py bench_carga --clientes $(BENCH_CLIENTES) \
		--segundos $(BENCH_SEGUNDOS) --workers $(BENCH_WORKERS) $(BENCH_ARGS)

# The component benchmarks: each builds its own throwaway database and prints its figures;
# docs/benchmarks.md keeps the results. Use DATABASE_URL=postgres://... for the figures that count.
bench-componentes: install
	$(PY) manage.py bench_ocds
	$(PY) manage.py bench_api

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .import_linter_cache
