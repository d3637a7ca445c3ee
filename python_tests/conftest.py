"""Settings every test session shares.

`make test-python` runs pytest with two workers (pytest-xdist, `-n 2 --dist loadfile`): the
machine has two cores and most tests wait on one single-threaded dbt or DuckDB process. Each
worker gets its own dbt target and log directory, so two dbt runs never write the same
manifest or partial-parse file at once; a test that sets its own DBT_TARGET_PATH keeps it.
"""

import importlib.machinery
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# An xdist worker runs as `python -c`, so its __main__ has neither __file__ nor __spec__.
# pyspark (installed for the Spark target) takes exactly that for a doctest run and calls
# sys.exit(0) when Great Expectations imports it (pyspark.sql.connect.utils
# .check_dependencies). A spec named __main__ says "a real program"; multiprocessing's spawn
# skips re-importing a main module of that name, so nothing else changes.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    target = ROOT / "target" / f"pytest-{worker}"
    target.mkdir(parents=True, exist_ok=True)
    # Tests that read the last build's manifest (the publish tests) find the one
    # `make test-dbt` left in target/.
    shared = ROOT / "target" / "manifest.json"
    if shared.is_file():
        shutil.copy2(shared, target / "manifest.json")
    os.environ.setdefault("DBT_TARGET_PATH", str(target))
    os.environ.setdefault("DBT_LOG_PATH", str(target / "logs"))
