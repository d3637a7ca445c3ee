"""Every SQL block of docs/queries.md runs on the published demo file and returns rows."""

from __future__ import annotations

import re

import duckdb
import pytest
from report_helpers import demo_warehouse

from hotline.settings import PROJECT_DIR

pytestmark = pytest.mark.slow

QUERIES = re.findall(r"```sql\n(.*?)```",
                     (PROJECT_DIR / "docs" / "queries.md").read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    demo = demo_warehouse(tmp_path_factory)
    con = duckdb.connect(str(demo.serving), read_only=True)
    yield con
    con.close()


def test_the_doc_has_the_queries_the_issue_asks_for():
    text = " ".join(QUERIES)
    assert len(QUERIES) >= 6
    for needle in ("service_level_target", "aht_seconds", "backlog_end_of_day",
                   "date_trunc('week', report_date)", "service_level_numerator"):
        assert needle in text


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query{i + 1}" for i in range(len(QUERIES))])
def test_query_runs_and_returns_rows(serving, sql):
    cursor = serving.execute(sql)
    rows = cursor.fetchall()
    assert rows, sql
    # no column comes back entirely null (a misspelt join or filter would do that)
    columns = [column[0] for column in cursor.description]
    for index, name in enumerate(columns):
        assert any(row[index] is not None for row in rows), (name, sql)


def test_the_week_query_pools_and_differs_from_averaging(serving):
    week = next(sql for sql in QUERIES if "averaged_daily_rates_wrong" in sql)
    rows = serving.execute(week).fetchall()
    assert any(abs(row[3] - row[8]) > 1e-6 for row in rows if row[3] is not None)
