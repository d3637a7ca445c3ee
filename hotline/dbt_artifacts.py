"""What the dbt project defines, read from the manifest dbt writes on every build.

Python never keeps its own copy of a model list, a grain, a column list or an allowed value:
the publish step and the quality gate read them here, from `target/manifest.json` of the
last dbt invocation in this project (the nightly runs `dbt build` just before reading it).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from hotline.settings import PROJECT_DIR

PACKAGE = "hotline"
MARTS_FOLDER = "marts"


class ManifestError(RuntimeError):
    """The manifest is missing or does not describe what the caller needs."""


@dataclass(frozen=True)
class Model:
    """One dbt model as the manifest describes it."""

    node: dict

    @property
    def name(self) -> str:
        return self.node["name"]

    @property
    def schema(self) -> str:
        return self.node["schema"]

    @property
    def table(self) -> str:
        return self.node.get("alias") or self.name

    @property
    def folder(self) -> str:
        """Top-level folder under models/: staging, intermediate or marts."""
        return self.node["fqn"][1] if len(self.node["fqn"]) > 2 else ""

    @property
    def meta(self) -> dict:
        return self.node.get("config", {}).get("meta", {}) or self.node.get("meta", {}) or {}

    @property
    def columns(self) -> dict[str, dict]:
        return self.node.get("columns", {})

    @property
    def materialized(self) -> str:
        return self.node.get("config", {}).get("materialized", "")

    @property
    def contract_enforced(self) -> bool:
        return bool(self.node.get("config", {}).get("contract", {}).get("enforced"))


@dataclass(frozen=True)
class DataTest:
    """One generic data test attached to a model (unique, not_null, accepted_values, ...)."""

    name: str  # e.g. "unique", "not_null", "unique_combination", "accepted_contract_values"
    namespace: str | None
    model: str
    column: str | None
    kwargs: dict


class Manifest:
    def __init__(self, data: dict) -> None:
        self.data = data

    @staticmethod
    def path(project_dir: Path = PROJECT_DIR) -> Path:
        """target/manifest.json of the project (dbt's DBT_TARGET_PATH is honoured)."""
        target = Path(os.environ.get("DBT_TARGET_PATH", "target"))
        return (target if target.is_absolute() else Path(project_dir) / target) / "manifest.json"

    @classmethod
    def load(cls, project_dir: Path = PROJECT_DIR) -> Manifest:
        """The manifest of the last dbt invocation (dbt's DBT_TARGET_PATH is honoured)."""
        path = cls.path(project_dir)
        if not path.is_file():
            raise ManifestError(f"{path} not found: run a dbt build (hotline build) first")
        with path.open(encoding="utf-8") as handle:
            return cls(json.load(handle))

    @cached_property
    def models(self) -> dict[str, Model]:
        return {
            node["name"]: Model(node)
            for node in self.data["nodes"].values()
            if node["resource_type"] == "model" and node["package_name"] == PACKAGE
        }

    def model(self, name: str) -> Model:
        try:
            return self.models[name]
        except KeyError:
            raise ManifestError(f"model {name!r} is not in the dbt manifest") from None

    def published_models(self) -> list[Model]:
        """Every model of models/marts: the tables BI users read from serving.duckdb."""
        return sorted((m for m in self.models.values() if m.folder == MARTS_FOLDER),
                      key=lambda m: m.name)

    @cached_property
    def data_tests(self) -> list[DataTest]:
        tests = []
        for node in self.data["nodes"].values():
            if node["resource_type"] != "test" or node["package_name"] != PACKAGE:
                continue
            metadata = node.get("test_metadata")
            if not metadata:
                continue  # singular tests (tests/*.sql) carry their own SQL
            attached = node.get("attached_node") or ""
            model = attached.split(".")[-1] if attached.startswith("model.") else None
            if model is None:
                continue
            kwargs = dict(metadata.get("kwargs", {}))
            tests.append(DataTest(metadata["name"], metadata.get("namespace"), model,
                                  node.get("column_name"), kwargs))
        return tests

    def tests_of(self, model: str) -> list[DataTest]:
        return [test for test in self.data_tests if test.model == model]

    def publish_patches(self) -> dict[str, tuple[str, Model]]:
        """Published tables an incremental build patches: table -> (key, changed-keys model).

        Declared in each mart's YAML as `meta: {publish: {key: ..., changed_keys: ...}}`.
        """
        patches = {}
        for model in self.published_models():
            spec = model.meta.get("publish")
            if spec:
                patches[model.table] = (spec["key"], self.model(spec["changed_keys"]))
        return patches
