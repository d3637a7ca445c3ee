# One way to run everything: README, CI and developers call these targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

DEMO_DIR ?= demo
DEMO_DAYS ?= 14
DEMO_CONTACTS ?= 3000
DEMO_START ?= $(shell date -u -d '14 days ago' +%Y-%m-%d)
# The demo is a Beijing hotline: its dates, intervals and report are local to this zone.
DEMO_TZ ?= Asia/Shanghai
DEMO_VARS := {reporting_timezone: $(DEMO_TZ)}

.PHONY: setup setup-system java demo test lint test-dbt test-python test-spark docs bench bench-spark clean

setup: $(STAMP)  ## create .venv and install pinned requirements (fast when done)

$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup-system: java  ## Chromium and a CJK font for the report's browser test, Java for Spark (Debian, idempotent)
	sh scripts/setup-system.sh

# Spark 4 needs Java 17 or 21 (README "Running on Spark"); OpenJDK 17 from the OS packages
java:
	@major=$$(java -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1); \
	if [ -z "$$major" ] || [ "$$major" -lt 17 ]; then \
		echo "installing OpenJDK 17 for Spark (found: $${major:-no java})"; \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo "sudo -n"); export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless \
			|| { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }; \
	fi

demo: setup  ## generate sample data, run the nightly, print what was published, write the report
	rm -rf $(DEMO_DIR)
	$(BIN)/hotline generate --landing-dir $(DEMO_DIR)/landing --start-date $(DEMO_START) \
		--days $(DEMO_DAYS) --contacts-per-day $(DEMO_CONTACTS) --seed 7 --plant-intervention \
		--holiday-week --calendar-config-dir $(DEMO_DIR)/config
	# the demo centre's own hours, holidays and SLA schedules (README, "Business hours and holidays")
	HOTLINE_CONFIG_DIR=$(DEMO_DIR)/config \
		$(BIN)/hotline nightly --landing-dir $(DEMO_DIR)/landing --warehouse-dir $(DEMO_DIR)/warehouse \
		--vars '$(DEMO_VARS)'
	$(BIN)/hotline summary --warehouse-dir $(DEMO_DIR)/warehouse
	$(BIN)/hotline staffing --warehouse-dir $(DEMO_DIR)/warehouse --queue Q_BILLING
	$(BIN)/hotline evaluate --warehouse-dir $(DEMO_DIR)/warehouse
	# the morning report (README, "The report"): open the printed file in any browser
	$(BIN)/hotline report --warehouse-dir $(DEMO_DIR)/warehouse

lint: setup  ## ruff and sqlfluff
	$(BIN)/ruff check hotline python_tests scripts
	mkdir -p target/lint-warehouse
	HOTLINE_WAREHOUSE_DIR=$(CURDIR)/target/lint-warehouse $(BIN)/sqlfluff lint models tests analyses --processes 2

test-dbt: setup  ## dbt build (unit + data tests) on a small generated set
	rm -rf target/test-dbt
	$(BIN)/hotline generate --landing-dir target/test-dbt/landing --start-date 2026-03-02 \
		--days 3 --contacts-per-day 400 --seed 11 --dirty
	$(BIN)/hotline land --landing-dir target/test-dbt/landing --warehouse-dir target/test-dbt/warehouse
	$(BIN)/hotline build --warehouse-dir target/test-dbt/warehouse

test-python: setup  ## pytest (the Spark parity test is test-spark's)
	$(BIN)/pytest -q -m "not spark" -n 2 --dist loadfile --durations=15

test-spark: setup java  ## the same marts on Apache Spark as on DuckDB: full build + one incremental night
	$(BIN)/pytest -q -m spark python_tests/test_spark_parity.py

test: setup-system lint test-dbt test-python test-spark  ## everything CI runs

docs: setup  ## dbt docs of the demo warehouse (types, row counts) linking the GX Data Docs
	test -f $(DEMO_DIR)/warehouse/hotline.duckdb || $(MAKE) demo
	HOTLINE_WAREHOUSE_DIR=$(CURDIR)/$(DEMO_DIR)/warehouse $(BIN)/dbt docs generate --static \
		--profiles-dir profiles --vars '$(DEMO_VARS)'
	rm -rf target/gx_data_docs
	cp -r $(DEMO_DIR)/warehouse/gx/data_docs target/gx_data_docs
	@echo "dbt docs (opens from disk): $(CURDIR)/target/static_index.html"
	@echo "  or serve them: .venv/bin/dbt docs serve --profiles-dir profiles"
	@echo "Great Expectations Data Docs: $(CURDIR)/target/gx_data_docs/index.html"

bench: setup  ## benchmarks; results go to BENCHMARKS.md
	$(BIN)/python -m hotline.devtools.bench

bench-spark: setup java  ## Spark vs DuckDB build time of the parity test set; BENCHMARKS.md
	$(BIN)/python -m hotline.devtools.bench_spark

clean:
	rm -rf target logs demo warehouse .pytest_cache
