"""Make Great Expectations' SQL engine work on DuckDB (one small, isolated workaround).

GX 1.x reaches DuckDB through SQLAlchemy (`duckdb:///path`, driver duckdb-engine). As
shipped, every expectation fails with `MetricResolutionError: list index out of range`:
GX fetches a query's rows after handing the connection back to the pool, and the DuckDB
driver's rollback-on-return discards the pending result. Upstream:
  https://github.com/great-expectations/great_expectations/issues/10738
  https://github.com/great-expectations/great_expectations/issues/11579
GX already keeps ONE persistent connection (StaticPool + a held `Connection`) for dialects
such as SQLite, listed in `_PERSISTED_CONNECTION_DIALECTS`. We add `duckdb` to that list,
which keeps validation inside the database (SQL push-down) with no row leaving DuckDB.
Remove this module once upstream handles DuckDB (re-check on every GX pin change).
"""

from __future__ import annotations

import os

DIALECT = "duckdb"


class _DialectName(str):
    """Shaped like GX's `GXSqlDialect` members: compares as a string and has `.value`."""

    @property
    def value(self) -> str:
        return str(self)


def disable_gx_analytics() -> None:
    """GX sends usage analytics unless told not to; a warehouse job must not phone home."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"


def enable_duckdb_persisted_connection() -> bool:
    """Add `duckdb` to GX's persisted-connection dialects. Idempotent; True when it patched."""
    disable_gx_analytics()
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    current = engine_module._PERSISTED_CONNECTION_DIALECTS
    if any(str(getattr(name, "value", name)).lower() == DIALECT for name in current):
        return False
    engine_module._PERSISTED_CONNECTION_DIALECTS = (*current, _DialectName(DIALECT))
    return True


def is_patched() -> bool:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    return any(
        str(getattr(name, "value", name)).lower() == DIALECT
        for name in engine_module._PERSISTED_CONNECTION_DIALECTS
    )
