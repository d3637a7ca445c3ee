"""Run dbt in-process through dbtRunner against a warehouse directory."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from hotline.settings import PROFILES_DIR, PROJECT_DIR, Warehouse


@dataclass
class BuildResult:
    success: bool
    failures: list[str] = field(default_factory=list)
    node_count: int = 0


def run_dbt(args: list[str], warehouse: Warehouse | Path,
            dbt_vars: dict | None = None) -> BuildResult:
    """Invoke one dbt command in this process and summarise its node results."""
    from dbt.cli.main import dbtRunner

    Warehouse.of(warehouse).prepare()
    # a center's own configuration CSVs (HOTLINE_CONFIG_DIR) replace the shipped seeds
    from hotline.site_config import prepare_seeds

    prepare_seeds(PROJECT_DIR)
    cli_args = [
        *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROFILES_DIR),
    ]
    if dbt_vars:
        # Serialised with sorted keys so identical vars keep partial parsing warm.
        cli_args += ["--vars", json.dumps(dbt_vars, sort_keys=True)]
    result = dbtRunner().invoke(cli_args)
    failures: list[str] = []
    count = 0
    if result.result is not None and hasattr(result.result, "results"):
        for node_result in result.result.results:
            count += 1
            status = str(getattr(node_result, "status", "")).lower()
            if status in {"error", "fail", "runtime error"}:
                name = getattr(node_result.node, "unique_id", "?")
                message = (getattr(node_result, "message", "") or "").strip().splitlines()
                failures.append(f"{name}: {message[0] if message else status}")
    if result.exception is not None:
        failures.append(f"dbt: {result.exception}")
    return BuildResult(success=bool(result.success) and not failures, failures=failures,
                       node_count=count)


def run_build(
    warehouse: Warehouse | Path,
    dbt_vars: dict | None = None,
    full_refresh: bool = False,
    select: str | None = None,
) -> BuildResult:
    """`dbt build` (seeds, models, unit and data tests) into the working file."""
    args = ["build", "--quiet"]
    if full_refresh:
        args.append("--full-refresh")
    if select:
        args += ["--select", select]
    return run_dbt(args, warehouse, dbt_vars)


def list_nodes(selection: list[str], warehouse: Warehouse | Path,
               dbt_vars: dict | None = None) -> list[str]:
    """Names of the nodes `dbt ls <selection>` lists (e.g. state:modified+); raises on error."""
    from dbt.cli.main import dbtRunner

    Warehouse.of(warehouse).prepare()
    from hotline.site_config import prepare_seeds

    prepare_seeds(PROJECT_DIR)
    cli_args = ["ls", "--quiet", *selection, "--output", "name",
                "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROFILES_DIR)]
    if dbt_vars:
        cli_args += ["--vars", json.dumps(dbt_vars, sort_keys=True)]
    with contextlib.redirect_stdout(io.StringIO()):  # ls prints every name it lists
        result = dbtRunner().invoke(cli_args)
    if not result.success:
        raise RuntimeError(f"dbt ls {' '.join(selection)} failed: {result.exception}")
    return [str(name) for name in (result.result or [])]
