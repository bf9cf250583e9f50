# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bench-quick train clean browser-deps pg-deps vendor

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/eventwatch demo --db out/demo.db --out out

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

test: $(STAMP) lint browser-deps pg-deps
	$(VENV)/bin/pytest

# The dashboard's browser tests and benchmark drive Debian's chromium through npm's playwright-core (never a
# downloaded browser). Best effort: where apt or npm cannot run, those tests skip and say why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium not installed: the dashboard's browser tests will skip"
	@[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error || \
		echo "npm ci failed: the dashboard's browser tests will skip"

# The PostgreSQL backend's tests and benchmark start a throw-away server (initdb + pg_ctl on a private socket; as
# root it runs as the postgres account) from Debian's postgresql binaries. Best effort, without the package's default
# cluster: where none can be installed those tests skip and say why, except under CI, where they must run.
pg-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
		export DEBIAN_FRONTEND=noninteractive; mkdir -p /etc/postgresql-common/createcluster.d && \
		echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/eventwatch.conf; \
		apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } || \
		echo "postgresql not installed: the PostgreSQL backend's tests will skip"

# Refresh the dashboard's vendored front-end files from the versions pinned in package.json (after npm ci).
vendor:
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css src/eventwatch/serve/static/vendor/
	cp node_modules/leaflet/dist/images/*.png src/eventwatch/serve/static/vendor/images/
	cp node_modules/topojson-client/dist/topojson-client.min.js src/eventwatch/serve/static/vendor/
	cp node_modules/world-atlas/countries-50m.json src/eventwatch/serve/static/vendor/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css src/eventwatch/serve/static/vendor/

bench: $(STAMP) browser-deps pg-deps
	$(PY) benchmarks/run.py

# Rebuild the shipped event model (src/eventwatch/data/event_model.npz + .json) from ../shared/train/; deterministic.
train: $(STAMP)
	$(PY) scripts/train_event_model.py

# The accuracy tables on a representative subset of every gold set (under 5 minutes on 2 cores).
bench-quick: $(STAMP)
	$(PY) benchmarks/run.py --quick

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
