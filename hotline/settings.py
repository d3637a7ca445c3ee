"""Paths and environment shared by the CLI, the build and the publish step."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_DIR_ENV = "HOTLINE_PROJECT_DIR"


def find_project_dir() -> Path:
    """The dbt project the CLI runs: $HOTLINE_PROJECT_DIR, else the checkout this package sits
    in (a clone or an editable install), else the current directory (an installed wheel run
    from inside a clone). The project is never inside the wheel: it is a dbt project, not data
    of the Python package."""
    configured = os.environ.get(PROJECT_DIR_ENV)
    if configured:
        return Path(configured).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "dbt_project.yml").is_file():
        return checkout
    return Path.cwd().resolve()


PROJECT_DIR = find_project_dir()
PROFILES_DIR = PROJECT_DIR / "profiles"
DEV_SALT_WARNING = (
    "warning: HOTLINE_PII_SALT is not set; customer keys use the development salt. "
    "Set a secret salt in production."
)

WORKING_DB_NAME = "hotline.duckdb"
SERVING_DB_NAME = "serving.duckdb"


def working_db(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / WORKING_DB_NAME


def serving_db(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / SERVING_DB_NAME


def use_warehouse(warehouse_dir: Path) -> Path:
    """Point dbt's profile at this warehouse directory and create it."""
    path = Path(warehouse_dir).resolve()
    path.mkdir(parents=True, exist_ok=True)
    (path / "duckdb_tmp").mkdir(exist_ok=True)
    os.environ["HOTLINE_WAREHOUSE_DIR"] = str(path)
    return path


def duckdb_limits() -> dict[str, str]:
    """Memory and thread limits for every DuckDB connection the Python side opens.

    The same environment variables and defaults as profiles/profiles.yml, so landing, the
    audit and the publish step stay inside the budget dbt gets (DuckDB's own default is 80 %
    of RAM, which a nightly sharing a laptop must not take).
    """
    return {
        "memory_limit": os.environ.get("HOTLINE_DUCKDB_MEMORY_LIMIT", "4GB"),
        "threads": os.environ.get("HOTLINE_DUCKDB_THREADS", "2"),
    }


def warn_if_dev_salt() -> None:
    if not os.environ.get("HOTLINE_PII_SALT"):
        print(DEV_SALT_WARNING, file=sys.stderr)


def parse_vars(text: str | None) -> dict:
    """Parse --vars (JSON or YAML) and validate every key and value against the declared
    schema (macros/vars.sql); raises ValueError (a VarError) with one line naming the var."""
    from hotline.var_schema import parse_vars as parse_and_validate

    return parse_and_validate(text)
