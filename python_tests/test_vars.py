"""Nothing a caller types reaches SQL (issue 10): validated dbt vars, and small exits.

The var schema is declared once in macros/vars.sql; the CLI validates --vars against it before
anything runs (exit 2, one line naming the var), and dbt validates the same rules wherever a
var reaches SQL, so `dbt build --vars ...` run directly fails to compile instead of running
injected SQL.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from hotline.cli import app
from hotline.landing import land
from hotline.lock import lock_path, nightly_lock
from hotline.settings import PROJECT_DIR
from hotline.var_schema import VarError, load_schema, parse_vars, problem

SCHEMA = load_schema()
INJECTIONS = (
    "' || (select 'Asia/' || 'Shanghai') || '",
    "read_csv('/etc/hostname')",
    "UTC'); drop table raw.contacts; --",
    "30) or (select count(*) from raw.contacts) > 0 or (1",
)


def test_schema_and_dbt_project_vars_agree():
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    defaults = project["vars"]
    assert set(defaults) == set(SCHEMA), (
        "every var in dbt_project.yml needs one line in macros/vars.sql and vice versa")
    for name, value in defaults.items():
        assert problem(SCHEMA[name], value) is None, (name, value)


def test_no_model_or_macro_renders_a_var_without_checking_it():
    """var() may only be called by macros/vars.sql; everything else uses checked_var() or
    timezone_literal(), which validate the value (comments may still mention var('x'))."""
    raw_var = re.compile(r"(?<![\w.])var\(")
    offenders = []
    for folder in ("models", "macros", "tests", "analyses"):
        for path in sorted((PROJECT_DIR / folder).rglob("*.sql")):
            if path == PROJECT_DIR / "macros" / "vars.sql":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("--", 1)[0]
                if raw_var.search(code) and ("{{" in code or "{%" in code):
                    offenders.append(f"{path.relative_to(PROJECT_DIR)}:{number}")
    assert offenders == []


@pytest.mark.parametrize("text, fragment", [
    ("{reporting_timzone: UTC}",
     "unknown var 'reporting_timzone' (did you mean reporting_timezone"),
    ("{interval_minutes: 7}", "interval_minutes must be one of 15, 30, 60, got 7"),
    ('{"interval_minutes": "30"}', "interval_minutes must be a whole number"),
    ("{reporting_timezone: Mars/Olympus}", "reporting_timezone must be an IANA time zone"),
    ("{source_timezone: 8}", "source_timezone must be an IANA time zone"),
    ("{service_level_formula: max}", "service_level_formula must be one of exclude_short"),
    ("{default_service_level_target: 80}", "default_service_level_target must be at most 1"),
    ("{short_abandon_seconds: -1}", "short_abandon_seconds must be at least 0"),
    ("{volume_alert_weeks: true}", "volume_alert_weeks must be a whole number"),
    ("{repeat_window_days: .nan}", "repeat_window_days must be a whole number"),
    ("{long_contact_seconds: .inf}", "long_contact_seconds must be a number"),
    ("{reporting_timezone: [UTC]}", "reporting_timezone must be an IANA time zone"),
    ("{interval_minutes: 30", "--vars is neither valid JSON nor YAML"),
    ('{"interval_minutes": 30} trailing', "--vars is neither valid JSON nor YAML"),
    ("[interval_minutes]", "--vars must be a mapping"),
    ("interval_minutes", "--vars must be a mapping"),
])
def test_invalid_vars_exit_2_with_one_line_naming_the_var(tmp_path, text, fragment):
    with pytest.raises(VarError, match=re.escape(fragment)):
        parse_vars(text)
    for command in (["build"], ["nightly", "--landing-dir", str(tmp_path)]):
        result = CliRunner().invoke(
            app, [*command, "--warehouse-dir", str(tmp_path / "wh"), "--vars", text])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines == [f"error: {lines[0].removeprefix('error: ')}"]
        assert fragment in lines[0] and "Traceback" not in result.output
        assert not (tmp_path / "wh").exists()


def test_valid_vars_pass():
    assert parse_vars("{reporting_timezone: Asia/Shanghai, interval_minutes: 15, "
                      "service_level_formula: all_offered, repeat_window_days: 3, "
                      "default_service_level_target: 0.9}") == {
        "reporting_timezone": "Asia/Shanghai", "interval_minutes": 15,
        "service_level_formula": "all_offered", "repeat_window_days": 3,
        "default_service_level_target": 0.9}
    assert parse_vars(None) == {} and parse_vars("  ") == {}


def _digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def landed(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("vars")
    landing_dir = root / "landing"
    contacts = landing_dir / "telephony/contacts"
    contacts.mkdir(parents=True)
    (contacts / "c.csv").write_text(
        "contact_id,channel,direction,initiated_at,ended_at,disconnect_reason\n"
        "c1,voice,inbound,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,system\n")
    land(landing_dir, root / "wh")
    return landing_dir, root / "wh"


@pytest.mark.parametrize("name", sorted(SCHEMA))
@pytest.mark.parametrize("injection", INJECTIONS)
def test_injection_in_any_var_exits_2_and_leaves_the_warehouse_untouched(landed, name,
                                                                          injection):
    landing_dir, warehouse = landed
    before = _digests(warehouse)
    for command in (["build"], ["nightly", "--landing-dir", str(landing_dir)]):
        for text in (yaml.safe_dump({name: injection}, default_flow_style=True),
                     json.dumps({name: injection})):
            result = CliRunner().invoke(
                app, [*command, "--warehouse-dir", str(warehouse), "--vars", text])
            assert result.exit_code == 2, (name, injection, result.output)
            assert name in result.output and "Traceback" not in result.output
    assert _digests(warehouse) == before


def test_dbt_run_directly_rejects_injected_and_unknown_vars(landed, tmp_path, monkeypatch):
    """`dbt build --vars` bypassing the CLI: the validating macros raise a compiler error
    naming the var before any SQL runs; the warehouse keeps only what landing wrote."""
    from hotline.build import run_dbt
    from hotline.nightly import release_dbt_connections

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    _, warehouse = landed
    cases = [
        ({"reporting_timezone": INJECTIONS[0]}, "reporting_timezone must be an IANA time zone"),
        ({"source_timezone": INJECTIONS[1]}, "source_timezone must be an IANA time zone"),
        ({"repeat_window_days": INJECTIONS[3]}, "repeat_window_days must be a whole number"),
        ({"interval_minutes": 7}, "interval_minutes must be one of 15, 30, 60"),
        ({"reporting_timzone": "UTC"}, "unknown dbt var 'reporting_timzone'"),
    ]
    for dbt_vars, fragment in cases:
        try:
            result = run_dbt(["build", "--select", "stg_telephony__contacts+"], warehouse,
                             dbt_vars)
        finally:
            release_dbt_connections()
        assert not result.success, dbt_vars
        assert fragment in " ".join(result.failures), (dbt_vars, result.failures)
        con = duckdb.connect(str(warehouse / "hotline.duckdb"), read_only=True)
        try:
            schemas = {row[0] for row in con.execute(
                "select distinct table_schema from information_schema.tables "
                "where table_catalog = current_database()").fetchall()}
        finally:
            con.close()
        assert schemas == {"raw"}, (dbt_vars, schemas)


# --- small exits a scheduler reads -----------------------------------------------------------


def test_status_and_summary_on_a_missing_warehouse_exit_non_zero(tmp_path):
    runner = CliRunner()
    for command in ("status", "summary"):
        result = runner.invoke(app, [command, "--warehouse-dir", str(tmp_path / "none")])
        assert result.exit_code == 1, result.output
        assert "error:" in result.output


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.match(r"hotline \d+\.\d+\.\d+ \(dbt-core ", result.output)


def test_lock_file_reads_free_after_a_clean_run(tmp_path):
    with nightly_lock(tmp_path):
        assert lock_path(tmp_path).read_text().startswith("pid ")
    assert lock_path(tmp_path).read_text().startswith("free; last held by pid ")
