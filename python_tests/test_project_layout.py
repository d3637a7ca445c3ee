"""The layout rules a contributor relies on, checked on the dbt manifest.

A subset of dbt Labs' dbt-project-evaluator rules (which cannot be installed here: no dbt
package hub), configured for this project's prefixes; every accepted exception is listed, with
its reason, in docs/evaluator_exceptions.csv (the evaluator's own exceptions-seed format).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hotline.settings import PROJECT_DIR

PREFIXES = {
    "staging": ("base_", "stg_"),
    "intermediate": ("int_", "chg_"),
    "marts": ("fct_", "dim_", "kpi_", "dq_", "analysis_"),
}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    """A fresh `dbt parse` of the project (nothing is built)."""
    import json
    import os

    from dbt.cli.main import dbtRunner

    target = tmp_path_factory.mktemp("parse-target")
    warehouse = tmp_path_factory.mktemp("parse-warehouse")
    env = {"DBT_TARGET_PATH": str(target), "HOTLINE_WAREHOUSE_DIR": str(warehouse)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(PROJECT_DIR),
                                     "--profiles-dir", str(PROJECT_DIR / "profiles")])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.success, result.exception
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def exceptions() -> dict[str, set[str]]:
    rules: dict[str, set[str]] = {}
    with (PROJECT_DIR / "docs" / "evaluator_exceptions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert row["comment"].strip(), f"exception without a reason: {row}"
            rules.setdefault(row["fct_name"], set()).add(row["id_to_exclude"])
    return rules


def _models(manifest: dict) -> list[dict]:
    return [n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["package_name"] == "hotline"]


def _layer(node: dict) -> str:
    return node["fqn"][1]


def _tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    tests: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node"):
            tests.setdefault(node["attached_node"], []).append(node)
    return tests


def test_every_model_is_documented(manifest):
    undocumented = [n["name"] for n in _models(manifest) if not n["description"].strip()]
    assert undocumented == []


def test_every_model_has_a_primary_key_test(manifest):
    tests = _tests_by_model(manifest)
    missing = []
    for node in _models(manifest):
        kinds: dict[str | None, set[str]] = {}
        combination = False
        for test in tests.get(node["unique_id"], []):
            name = (test.get("test_metadata") or {}).get("name")
            if name == "unique_combination":
                combination = True
            kinds.setdefault(test.get("column_name"), set()).add(name)
        if not combination and not any({"unique", "not_null"} <= names
                                        for column, names in kinds.items() if column):
            missing.append(node["name"])
    assert missing == []


def test_models_sit_in_the_layer_their_prefix_names(manifest):
    misplaced = [
        (n["name"], n["original_file_path"]) for n in _models(manifest)
        if not n["name"].startswith(PREFIXES.get(_layer(n), ("?",)))
        or (n["name"].startswith("base_") and n["fqn"][-2] != "base")
    ]
    assert misplaced == []


def test_sources_are_read_in_staging_only(manifest):
    readers = [n["name"] for n in _models(manifest)
               if n["depends_on"]["nodes"] and _layer(n) != "staging"
               and any(d.startswith("source.") for d in n["depends_on"]["nodes"])]
    assert readers == []


def test_layers_only_read_layers_below_them(manifest):
    order = {"staging": 0, "intermediate": 1, "marts": 2}
    by_id = {n["unique_id"]: n for n in _models(manifest)}
    upward = []
    for node in by_id.values():
        for parent in node["depends_on"]["nodes"]:
            if parent in by_id and order[_layer(by_id[parent])] > order[_layer(node)]:
                upward.append((node["name"], by_id[parent]["name"]))
    assert upward == []


def test_no_model_joins_a_source_and_a_model(manifest, exceptions):
    excepted = exceptions.get("fct_direct_join_to_source", set())
    by_id = {n["unique_id"]: n for n in _models(manifest)}
    mixed = [n["name"] for n in by_id.values()
             if any(d.startswith("source.") for d in n["depends_on"]["nodes"])
             and any(d in by_id for d in n["depends_on"]["nodes"])
             and n["name"] not in excepted]
    assert mixed == []


def test_published_marts_are_contracted_and_every_column_is_described(manifest):
    problems = []
    for node in _models(manifest):
        if _layer(node) != "marts":
            continue
        if not node["config"].get("contract", {}).get("enforced"):
            problems.append((node["name"], "contract not enforced"))
        for name, column in node["columns"].items():
            if not column.get("description", "").strip():
                problems.append((node["name"], name))
            if not column.get("data_type"):
                problems.append((node["name"], f"{name}: no data_type"))
    assert problems == []


def test_data_tests_live_beside_their_model(manifest, exceptions):
    by_id = {n["unique_id"]: n for n in _models(manifest)}
    stray = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        model = by_id.get(node.get("attached_node") or "")
        if model is None:
            continue
        if Path(node["original_file_path"]).parent != Path(model["original_file_path"]).parent:
            stray.append((node["name"], node["original_file_path"]))
    assert stray == []


def test_sources_have_freshness_unless_excepted(manifest, exceptions):
    excepted = exceptions.get("fct_sources_without_freshness", set())
    stale = []
    for source in manifest["sources"].values():
        freshness = source.get("freshness") or {}
        has = any((freshness.get(level) or {}).get("count") for level in ("warn_after",
                                                                        "error_after"))
        name = f"{source['source_name']}.{source['name']}"
        if not has and name not in excepted:
            stale.append(name)
    assert stale == []


def test_no_hidden_reads_of_relations_in_models():
    """State is read through ref() or a declared source, never behind dbt's back."""
    hidden = []
    for path in (PROJECT_DIR / "models").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"adapter\.get_relation|previous_relation|api\.Relation\.create", text):
            hidden.append(path.relative_to(PROJECT_DIR).as_posix())
    assert hidden == []


def test_no_project_file_is_git_ignored():
    """A fresh clone holds every model, macro, test and seed: an ignore pattern meant for
    generated data (landing/, target/) must not swallow a project folder of the same name."""
    import shutil
    import subprocess

    if shutil.which("git") is None or not (PROJECT_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    folders = ["models", "macros", "tests", "seeds", "analyses", "hotline", "python_tests",
               "profiles", "docs"]
    ignored = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--", *folders],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    ).stdout.split()
    ignored = [path for path in ignored
               if "__pycache__" not in path and not path.endswith(".pyc")]
    assert ignored == [], f"project files ignored by .gitignore: {ignored}"
