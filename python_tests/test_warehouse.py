"""The Warehouse object (hotline/settings.py): one home for the paths, limits and connections."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from hotline.settings import SettingError, Warehouse, duckdb_limits

ROOT = Path(__file__).resolve().parent.parent


def test_paths_and_conversion(tmp_path):
    warehouse = Warehouse.of(tmp_path / "wh")
    assert warehouse.working == (tmp_path / "wh" / "hotline.duckdb").resolve()
    assert warehouse.serving == (tmp_path / "wh" / "serving.duckdb").resolve()
    assert Warehouse.of(warehouse) is warehouse
    assert Path(warehouse) == warehouse.directory  # a Warehouse is path-like
    assert str(warehouse) == str(warehouse.directory)


def test_prepare_creates_the_directory_and_points_dbt_at_it(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTLINE_WAREHOUSE_DIR", raising=False)
    warehouse = Warehouse.of(tmp_path / "new" / "wh").prepare()
    assert warehouse.directory.is_dir()
    import os

    assert os.environ["HOTLINE_WAREHOUSE_DIR"] == str(warehouse.directory)


def test_connections_carry_the_profile_limits(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("HOTLINE_DUCKDB_THREADS", "1")
    warehouse = Warehouse.of(tmp_path).prepare()
    con = warehouse.connect()
    try:
        con.execute("create table t as select 1 as x")
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        memory = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert int(threads) == 1
    assert memory.replace(" ", "").upper().startswith(("286", "300"))  # DuckDB shows MiB
    reader = Warehouse.connect_file(warehouse.working, read_only=True)
    try:
        with pytest.raises(duckdb.Error):
            reader.execute("create table u as select 1 as y")
    finally:
        reader.close()


@pytest.mark.parametrize("name,value", [
    ("HOTLINE_DUCKDB_MEMORY_LIMIT", "4GB'; drop table raw.contacts; --"),
    ("HOTLINE_DUCKDB_MEMORY_LIMIT", "lots"),
    ("HOTLINE_DUCKDB_THREADS", "0"),
    ("HOTLINE_DUCKDB_THREADS", "2; attach 'x'"),
])
def test_limits_from_the_environment_are_checked_before_reaching_sql(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=name):
        duckdb_limits()


def test_nightly_refuses_a_bad_limit_with_a_usage_error(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "HOTLINE_DUCKDB_MEMORY_LIMIT": "a lot", "HOTLINE_PII_SALT": "test"}
    result = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "nightly", "--landing-dir", str(landing),
         "--warehouse-dir", str(tmp_path / "wh")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "HOTLINE_DUCKDB_MEMORY_LIMIT" in result.stderr
    assert not (tmp_path / "wh" / "hotline.duckdb").exists()


def test_every_new_dbt_cursor_can_apply_the_profile_settings_after_a_spill(tmp_path):
    """dbt-duckdb runs the profile's `settings` as SETs on every new cursor. A setting DuckDB
    refuses to set twice once used (temp_directory after a spill) failed a year-sized
    nightly halfway; the profile must hold none. Checked with dbt-duckdb's own cursor
    initialisation after a query that spilled."""
    import duckdb
    import yaml
    from dbt.adapters.duckdb.environments import Environment

    from hotline.settings import PROFILES_DIR

    profile = yaml.safe_load((PROFILES_DIR / "profiles.yml").read_text(encoding="utf-8"))
    settings = profile["hotline"]["outputs"]["dev"]["settings"]
    rendered = {key: ("100MB" if key == "memory_limit" else "1" if key == "threads" else value)
                for key, value in settings.items() if "{{" not in str(value) or key in {
                    "memory_limit", "threads"}}
    assert set(rendered) == set(settings)  # every setting is checked below

    class Credentials:  # what initialize_cursor reads
        def __init__(self, values):
            self.settings, self.retries = values, None

    con = duckdb.connect(str(tmp_path / "spill.duckdb"))
    Environment.initialize_cursor(Credentials(rendered), con.cursor())
    con.execute("create table t as select range as i, md5(range::varchar) as s "
                "from range(3000000)")
    con.execute("select s, count(*) from t group by s order by s limit 1").fetchall()
    assert list((tmp_path / "spill.duckdb.tmp").glob("*")) or \
        (tmp_path / "spill.duckdb.tmp").is_dir()  # the query did spill
    Environment.initialize_cursor(Credentials(rendered), con.cursor())  # must not raise
    # the failure this guards against
    with pytest.raises(duckdb.Error, match="temporary directory"):
        con.cursor().execute(f"set temp_directory = '{tmp_path / 'spill.duckdb.tmp'}'")
    con.close()
