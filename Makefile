# YSI: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_KEY = SECRET_KEY="$$(cat var/secret_key)" DEBUG=1
CHECK_ENV = SECRET_KEY=checks-only DEBUG=1 DATABASE_URL=sqlite://:memory:

.PHONY: run test security lint check migrations-check system-deps install install-dev clean prod-like prod-like-stop prod-like-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# A self-signed key and certificate for signing PDFs in development, made once (never in git: var/).
var/signing/cert.pem: | var/secret_key
	$(DEV_KEY) $(BIN)/python manage.py create_signing_key

run: install var/secret_key var/signing/cert.pem
	$(DEV_KEY) $(BIN)/python manage.py migrate --noinput
	$(DEV_KEY) $(BIN)/python manage.py seed_demo
	@echo "Serving YSI on http://127.0.0.1:8000 (Ctrl-C to stop)."
	$(DEV_KEY) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Chromium drives the browser tests; pdfsig (poppler-utils) checks PDF signatures.
system-deps:
	@if [ -x /usr/bin/chromium ] && command -v pdfsig >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils >/dev/null); \
	else \
		echo "!!! Not root: cannot install Debian's chromium and poppler-utils. Browser tests will be SKIPPED."; \
	fi

test: install-dev system-deps security
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Static analysis: bandit, and the project's own semgrep rules (local file only: no registry, no
# metrics, no network). Each accepted finding is marked on its line with the reason (SECURITY.md).
security: install-dev
	$(BIN)/bandit -c pyproject.toml -r incidents ysi -q
	$(BIN)/semgrep scan --metrics=off --disable-version-check --quiet --error \
		--config semgrep/ysi-rules.yml incidents ysi templates

lint: install-dev
	$(BIN)/ruff check .

check: install-dev
	$(CHECK_ENV) $(BIN)/python manage.py check

migrations-check: install-dev
	$(CHECK_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# A production-like YSI on loopback (see README, "Production-like deployment"): its own PostgreSQL,
# two gunicorn instances and the outbox worker behind Debian's nginx, then a smoke test through nginx.
prod-like: install prod-like-deps
	deploy/prod-like start

prod-like-stop:
	deploy/prod-like stop

prod-like-deps:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then \
		if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light postgresql >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light postgresql >/dev/null); \
	else \
		echo "!!! Not root: install Debian's nginx-light and postgresql first."; exit 1; \
	fi

clean:
	rm -rf $(VENV) var/staticfiles
