"""Paths and environment shared by the CLI, the build and the publish step."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

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


MEMORY_LIMIT_ENV = "HOTLINE_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "HOTLINE_DUCKDB_THREADS"
_MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


class SettingError(ValueError):
    """A setting from the environment that Hotline will not pass on to DuckDB."""


def duckdb_limits() -> dict[str, str]:
    """Memory and thread limits for every DuckDB connection the Python side opens.

    The same environment variables and defaults as profiles/profiles.yml, so landing, the
    audit and the publish step stay inside the budget dbt gets (DuckDB's own default is 80 %
    of RAM, which a nightly sharing a laptop must not take). Both values are checked here,
    because they end up in a SET statement: a memory size ("4GB", "512 MiB") and a positive
    whole number of threads.
    """
    memory_limit = os.environ.get(MEMORY_LIMIT_ENV, "4GB").strip()
    threads = os.environ.get(THREADS_ENV, "2").strip()
    if not _MEMORY_LIMIT.fullmatch(memory_limit):
        raise SettingError(f"{MEMORY_LIMIT_ENV}={memory_limit!r} is not a memory size "
                           "such as 4GB or 512MiB")
    if not threads.isdigit() or int(threads) < 1:
        raise SettingError(f"{THREADS_ENV}={threads!r} is not a positive whole number")
    return {"memory_limit": memory_limit, "threads": threads}


def apply_duckdb_limits(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Set the profile's limits on an open connection (SET, not connect-time config: a process
    that already holds the file, like dbt in the nightly, refuses a second configuration)."""
    for setting, value in duckdb_limits().items():
        con.execute(f"set {setting} = '{value}'")  # values checked by duckdb_limits
    return con


@dataclass(frozen=True)
class Warehouse:
    """One warehouse directory and everything the Python side opens in it.

    The working file (`hotline.duckdb`: raw, staging, intermediate, marts, ops) is what
    landing and dbt write; the serving file (`serving.duckdb`) is what BI tools read and only
    the publish step replaces. Every connection opened through this object gets the
    profile's memory and thread limits. Build one with `Warehouse.of(path)`; functions that
    take a warehouse accept a path too and convert it with the same call.
    """

    directory: Path

    def __fspath__(self) -> str:  # a Warehouse is where it lives: Path(warehouse) works
        return str(self.directory)

    def __str__(self) -> str:
        return str(self.directory)

    @classmethod
    def of(cls, where: Warehouse | str | os.PathLike) -> Warehouse:
        if isinstance(where, Warehouse):
            return where
        return cls(Path(where).resolve())

    @property
    def working(self) -> Path:
        return self.directory / WORKING_DB_NAME

    @property
    def serving(self) -> Path:
        return self.directory / SERVING_DB_NAME

    @property
    def data_docs_dir(self) -> Path:
        return self.directory / "gx" / "data_docs"

    def prepare(self) -> Warehouse:
        """Create the directory and point dbt's profile at it. (DuckDB spills to its default
        directory beside each file, e.g. hotline.duckdb.tmp/.)"""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.environ["HOTLINE_WAREHOUSE_DIR"] = str(self.directory)
        return self

    def connect(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """The working file, inside the profile's limits."""
        return self.connect_file(self.working, read_only=read_only)

    def connect_serving(self) -> duckdb.DuckDBPyConnection:
        """The published file, read-only (a reader never takes the writer's lock)."""
        return self.connect_file(self.serving, read_only=True)

    @staticmethod
    def connect_file(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """Any DuckDB file of the warehouse (e.g. the publish step's temporary file)."""
        return apply_duckdb_limits(duckdb.connect(str(path), read_only=read_only))


def warn_if_dev_salt() -> None:
    if not os.environ.get("HOTLINE_PII_SALT"):
        print(DEV_SALT_WARNING, file=sys.stderr)


def parse_vars(text: str | None) -> dict:
    """Parse --vars (JSON or YAML) and validate every key and value against the declared
    schema (macros/vars.sql); raises ValueError (a VarError) with one line naming the var."""
    from hotline.var_schema import parse_vars as parse_and_validate

    return parse_and_validate(text)
