# The README's two commands: `make run` and `make test`. Everything else is set up here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev demo lint fixture clean

# The app alone for `make run`; the test tools (pytest, Playwright, ruff, mypy…) only for
# `make test`.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@# WeasyPrint (the PDF documents) needs Pango from the system; install it when missing.
	@$(PY) -W error::DeprecationWarning -c "import weasyprint" 2>/dev/null || { \
	  echo "Installing Pango for WeasyPrint (Debian packages)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; }
	@$(PY) -c "import weasyprint"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Set up (SQLite), load the 2024 KPU Banyumas plan and demo accounts, and serve on $(HOST),
## with the job runner (huey: reminders at 07:00, the outbox every minute) in the
## background; stopping the server stops it too.
run: install demo
	@$(PY) manage.py run_huey --quiet & HUEY_PID=$$!; \
	trap 'kill $$HUEY_PID 2>/dev/null; wait $$HUEY_PID 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo

## Lint, type-check and the whole test suite (SQLite by default; set DATABASE_URL for
## PostgreSQL): the fast tier on every core, then the slow tier (gunicorn, faults, bench,
## browser) in its own step, then alone the test that restarts PostgreSQL (a restart ends
## every connection, so nothing else may run beside it).
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -n auto -m "not slow"
	$(PY) -m pytest -n auto --dist loadgroup -m "slow and not pg_restart"
	$(PY) -m pytest -m pg_restart

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/ruff format --check .

## Rebuild fixtures/banyumas_2024.json and banyumas_2024_lke.json from fixtures/source/.
fixture:
	$(PYTHON) fixtures/source/build_fixture.py
	$(PYTHON) fixtures/source/build_lke_fixture.py

clean:
	rm -rf $(VENV) var .pytest_cache
