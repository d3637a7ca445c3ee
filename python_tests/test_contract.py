"""The landing contract has one home (macros/staging/landing_contract.sql); everything that
describes the same facts elsewhere must agree with it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import yaml

from hotline.contract import ENTITIES, ENTITY_BY_NAME, parse_contract, render_markdown
from hotline.settings import PROJECT_DIR


def test_dbt_sources_declare_exactly_the_contract_tables():
    declared: dict[str, set[str]] = {}
    for path in (PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            declared.setdefault(source["name"], set()).update(t["name"] for t in source["tables"])
    for entity in ENTITIES:
        assert entity.name in declared.get(entity.source, set()), entity.name
    for source in {entity.source for entity in ENTITIES}:
        assert declared[source] == {e.name for e in ENTITIES if e.source == source}


def test_contract_models_exist_where_their_source_is():
    for entity in ENTITIES:
        folder = PROJECT_DIR / "models" / "staging" / entity.source
        assert (folder / "base" / f"{entity.base_model}.sql").is_file(), entity.base_model
        assert (folder / f"{entity.staging_model}.sql").is_file(), entity.staging_model


def test_generated_docs_match_the_contract():
    text = (PROJECT_DIR / "docs" / "landing-contract.md").read_text(encoding="utf-8")
    assert text == render_markdown(), "run: hotline contract > docs/landing-contract.md"


def test_contract_rules_are_consistent():
    for entity in ENTITIES:
        names = entity.columns
        assert len(names) == len(set(names)), entity.name
        assert set(entity.keys) <= set(entity.required), entity.name
        for column in entity.contract_columns:
            assert column.type in {"text", "timestamp", "date", "number", "enum"}
            assert bool(column.values) == (column.type == "enum"), (entity.name, column.name)
            assert column.pii in {None, "mask", "free_text"}
            assert all(value == value.strip().lower() for value in column.values)


def test_parse_contract_reads_meta():
    entities = parse_contract("""
x:
  source: s
  landing_folder: s/x
  base_model: base_s__x
  staging_model: stg_s__x
  key: [id]
  columns:
    id: {required: true}
    kind: {type: enum, values: [a, b]}
    amount: {type: number, min: 0, max: 1}
    note: {pii: free_text, multiline: true}
""")
    (entity,) = entities
    assert entity.required == ("id",) and entity.multiline == ("note",)
    assert entity.column("kind").values == ("a", "b")
    assert (entity.column("amount").minimum, entity.column("amount").maximum) == (0, 1)


def test_sample_generator_writes_the_contract(tmp_path):
    """Headers are the contract's columns and every enum value the generator writes (clean
    mode) is allowed, so the generator cannot drift from the contract."""
    from hotline.devtools.generator import generate

    generate(landing_dir=tmp_path, start_date=date(2026, 3, 2), days=2, contacts_per_day=150,
             seed=1, dirty=False)
    for entity in ENTITIES:
        files = sorted((tmp_path / entity.folder).glob("*.csv"))
        assert files, entity.folder
        enums = {c.name: set(c.values) for c in entity.contract_columns if c.values}
        for path in files:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                assert set(reader.fieldnames or ()) == set(entity.columns), path.name
                for row in reader:
                    for column, allowed in enums.items():
                        value = (row[column] or "").strip().lower()
                        assert value == "" or value in allowed, (path.name, column, value)


def test_readme_names_every_landing_folder():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    for entity in ENTITIES:
        parent, name = entity.folder.rsplit("/", 1)
        assert name in readme and parent in readme, entity.folder



def test_entity_lookup():
    assert ENTITY_BY_NAME["contacts"].folder == "telephony/contacts"
    assert Path(ENTITY_BY_NAME["agents"].folder).name == "agents"
