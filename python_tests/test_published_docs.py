"""Every published table and column explains itself: descriptions as comments in serving.duckdb.

dbt writes the YAML descriptions as comments into the working file (persist_docs), the nightly
comments the run history, and publish copies them onto the tables of the serving file, also
when it patches an incremental build. Counts are BIGINT (no HUGEINT reaches a BI driver).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from report_helpers import VARS, demo_warehouse

from hotline.dbt_artifacts import Manifest
from hotline.nightly import RUNS_COLUMN_DOCS, RUNS_TABLE_DOC, record_run
from hotline.publish import publish
from hotline.settings import PROFILES_DIR, PROJECT_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_warehouse(tmp_path_factory)


def _comments(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = dict(con.execute("select table_name, comment from duckdb_tables() "
                                  "where schema_name = 'main' and not internal").fetchall())
        columns = {(t, c): (comment, data_type) for t, c, comment, data_type in con.execute(
            "select table_name, column_name, comment, data_type from duckdb_columns() "
            "where schema_name = 'main' and not internal").fetchall()}
    finally:
        con.close()
    return tables, columns


def test_every_published_table_and_column_carries_its_description(demo):
    tables, columns = _comments(demo.serving)
    manifest = Manifest(json.loads(demo.manifest.read_text(encoding="utf-8")))
    published = {model.table: model for model in manifest.published_models()}
    assert set(tables) == set(published) | {"dq_runs"}
    assert len(columns) > 500
    undocumented = [key for key, (comment, _) in columns.items() if not (comment or "").strip()]
    assert undocumented == []
    for name, model in published.items():
        assert tables[name].strip() == model.node["description"].strip(), name
        for column, spec in model.columns.items():
            assert columns[(name, column)][0] == spec["description"], (name, column)
    assert tables["dq_runs"] == RUNS_TABLE_DOC
    for column, doc in RUNS_COLUMN_DOCS.items():
        assert columns[("dq_runs", column)][0] == doc
    # doc() blocks are rendered: the comment is the text, not the Jinja call
    assert columns[("kpi_queue_daily", "service_level")][0].startswith("服务水平 / service level")


def test_published_counts_are_bigint(demo):
    _, columns = _comments(demo.serving)
    wide = sorted(key for key, (_, data_type) in columns.items()
                  if data_type in ("HUGEINT", "UHUGEINT") or data_type.startswith("DECIMAL"))
    assert wide == []
    for column in ("offered", "answered", "service_level_numerator", "fcr_eligible",
                   "csat_responses"):
        assert columns[("kpi_queue_daily", column)][1] == "BIGINT", column
    assert columns[("kpi_ticket_daily", "backlog_end_of_day")][1] == "BIGINT"


def test_publish_copies_comments_every_time(tmp_path):
    """A republished (or patched) table gets its source's comment again, quotes and all."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    con = duckdb.connect(str(warehouse / "hotline.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.kpi_queue_daily (offered bigint, note varchar)")
    con.execute("comment on table marts.kpi_queue_daily is 'Queue x day; it''s pooled'")
    con.execute("comment on column marts.kpi_queue_daily.offered is '呼入量 / offered = legs'")
    con.close()
    record_run(warehouse, "run-1", status="running")
    for run in ("run-1", "run-2"):
        publish(warehouse, run)
        tables, columns = _comments(warehouse / "serving.duckdb")
        assert tables["kpi_queue_daily"] == "Queue x day; it's pooled"
        assert columns[("kpi_queue_daily", "offered")][0] == "呼入量 / offered = legs"
        assert columns[("kpi_queue_daily", "note")][0] in (None, "")
        assert columns[("dq_runs", "status")][0] == RUNS_COLUMN_DOCS["status"]


def test_dbt_docs_catalog_has_types_and_row_counts(demo):
    """`make docs` builds the catalog on a built warehouse: types, comments and row counts."""
    import subprocess
    import sys

    env = {**demo.env, "HOTLINE_WAREHOUSE_DIR": str(demo.warehouse)}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "docs", "generate", "--quiet",
         "--profiles-dir", str(PROFILES_DIR), "--project-dir", str(PROJECT_DIR),
         "--vars", VARS], capture_output=True, text=True, env=env, cwd=PROJECT_DIR,
        timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    catalog = json.loads((demo.target / "catalog.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(demo.serving), read_only=True)
    try:
        for name in ("fct_contacts", "kpi_queue_daily", "dq_build_settings"):
            node = catalog["nodes"][f"model.hotline.{name}"]
            rows = con.execute(f"select count(*) from {name}").fetchone()[0]
            assert node["stats"]["row_count"]["value"] == rows, name
            assert node["columns"]["report_date" if name != "dq_build_settings"
                                   else "as_of_date"]["type"] == "DATE"
            assert node["metadata"]["comment"]
    finally:
        con.close()
