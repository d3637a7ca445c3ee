"""The landing contract (../shared/spec/landing-contract.md), read from its one home.

The contract is declared once, as YAML inside the dbt macro file
`macros/staging/landing_contract.sql` (dbt renders the same text with `fromyaml`). This
module reads that text: which folder feeds which raw table, its columns in contract order,
which are required, enumerations, PII handling and multi-line fields. Landing, the gate and
the sample-data generator use it; python_tests/test_contract.py checks that the dbt sources
and the README agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from hotline.settings import PROJECT_DIR

RAW_SCHEMA = "raw"
# Lineage columns every raw table carries after the contract columns.
LINEAGE_COLUMNS = ("_source_file", "_source_row", "_batch_id", "_delivery_seq", "_loaded_at")
CONTRACT_FILE = Path("macros") / "staging" / "landing_contract.sql"
_BEGIN, _END = "# landing-contract:begin\n", "# landing-contract:end"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    type: str = "text"  # text | timestamp | date | number | enum
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    normalize: str | None = None
    pii: str | None = None  # mask | free_text
    multiline: bool = False
    description: str = ""


@dataclass(frozen=True)
class Entity:
    name: str  # raw table name, e.g. "contacts"
    source: str  # source system: telephony, ticketing, survey
    folder: str  # landing sub-folder, relative to the landing dir
    base_model: str
    staging_model: str
    keys: tuple[str, ...]  # natural key
    snapshot: bool
    contract_columns: tuple[Column, ...] = field(default=())
    description: str = ""

    @property
    def table(self) -> str:
        return f"{RAW_SCHEMA}.{self.name}"

    @property
    def columns(self) -> tuple[str, ...]:
        """Contract columns, in contract order."""
        return tuple(column.name for column in self.contract_columns)

    @property
    def required(self) -> tuple[str, ...]:
        """Required columns (a file without one fails to load)."""
        return tuple(column.name for column in self.contract_columns if column.required)

    @property
    def multiline(self) -> tuple[str, ...]:
        """Columns whose values may legitimately contain line breaks."""
        return tuple(column.name for column in self.contract_columns if column.multiline)

    def column(self, name: str) -> Column:
        return next(column for column in self.contract_columns if column.name == name)


def contract_text(project_dir: Path = PROJECT_DIR) -> str:
    """The YAML text of the contract, as it stands between the markers of its macro file."""
    path = project_dir / CONTRACT_FILE
    text = path.read_text(encoding="utf-8")
    try:
        return text.split(_BEGIN, 1)[1].split(_END, 1)[0]
    except IndexError:
        raise ValueError(f"{path}: landing-contract markers not found") from None


def _column(name: str, spec: dict) -> Column:
    return Column(
        name=name,
        required=bool(spec.get("required", False)),
        type=spec.get("type", "text"),
        values=tuple(str(value) for value in spec.get("values", ())),
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        normalize=spec.get("normalize"),
        pii=spec.get("pii"),
        multiline=bool(spec.get("multiline", False)),
        description=str(spec.get("description", "")),
    )


def parse_contract(text: str) -> tuple[Entity, ...]:
    data = yaml.safe_load(text)
    return tuple(
        Entity(
            name=name,
            source=spec["source"],
            folder=spec["landing_folder"],
            base_model=spec["base_model"],
            staging_model=spec["staging_model"],
            keys=tuple(spec["key"]),
            snapshot=bool(spec.get("snapshot", False)),
            contract_columns=tuple(_column(column, (options or {}))
                                   for column, options in spec["columns"].items()),
            description=" ".join(str(spec.get("description", "")).split()),
        )
        for name, spec in data.items()
    )


@cache
def load_entities(project_dir: Path = PROJECT_DIR) -> tuple[Entity, ...]:
    return parse_contract(contract_text(project_dir))


ENTITIES: tuple[Entity, ...] = load_entities()
ENTITY_BY_NAME = {entity.name: entity for entity in ENTITIES}


def render_markdown(entities: tuple[Entity, ...] | None = None) -> str:
    """The contract as Markdown tables (docs/landing-contract.md is this text)."""
    entities = entities or load_entities()
    lines = [
        "# Landing contract (generated)",
        "",
        "Generated from `macros/staging/landing_contract.sql` by `hotline contract`; do not edit",
        "by hand (python_tests/test_contract.py fails when the two differ). Every column lands as",
        "text; the base models type and validate it as below. A file without a required column",
        "fails to load; a row with an empty required value, an unparseable value, an unknown",
        "enum value or a number out of range is quarantined with the reason.",
        "",
    ]
    for entity in entities:
        key = ", ".join(entity.keys) + (" (per snapshot)" if entity.snapshot else "")
        lines += [f"## `{entity.folder}/` → raw.{entity.name}", "",
                  f"{entity.description} Key: {key}.", "",
                  "| column | type | required | allowed | PII | meaning |",
                  "|---|---|---|---|---|---|"]
        for column in entity.contract_columns:
            allowed = ", ".join(f"`{value}`" for value in column.values)
            if column.minimum is not None or column.maximum is not None:
                low = "" if column.minimum is None else f"{column.minimum:g}"
                high = "" if column.maximum is None else f"{column.maximum:g}"
                allowed = f"{low}–{high}" if high else f">= {low}"
            pii = {"mask": "masked", "free_text": "free text, masked"}.get(column.pii or "", "")
            lines.append(f"| {column.name} | {column.type} | {'yes' if column.required else ''}"
                         f" | {allowed} | {pii} | {column.description} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
