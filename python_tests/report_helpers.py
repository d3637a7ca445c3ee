"""One published demo-like warehouse shared by the report, semantic-layer, docs and query tests.

Built once per test session (the first module that asks builds it): `hotline generate` (four
weeks, 500 legs a day, the planted intervention) and `hotline nightly --report` in
Asia/Shanghai, as real processes with their own dbt target and log paths, as `make demo` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

START = date(2026, 10, 5)
DAYS = 28
LEGS_PER_DAY = 500
ZONE = "Asia/Shanghai"
VARS = "{reporting_timezone: Asia/Shanghai}"

_BUILT: dict[str, Demo] = {}


@dataclass(frozen=True)
class Demo:
    root: Path
    landing: Path
    warehouse: Path
    target: Path
    env: dict
    nightly_output: str
    report: Path

    @property
    def serving(self) -> Path:
        return self.warehouse / "serving.duckdb"

    @property
    def manifest(self) -> Path:
        return self.target / "manifest.json"


def hotline(*args: str, env: dict, timeout: float = 1200) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hotline.cli", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=timeout)


def demo_warehouse(tmp_path_factory) -> Demo:
    if "demo" in _BUILT:
        return _BUILT["demo"]
    root = tmp_path_factory.mktemp("report_demo")
    env = {**os.environ, "HOTLINE_PII_SALT": "test-salt", "GX_ANALYTICS_ENABLED": "false",
           "DBT_TARGET_PATH": str(root / "target"), "DBT_LOG_PATH": str(root / "logs")}
    for name in ("HOTLINE_WAREHOUSE_DIR", "HOTLINE_CONFIG_DIR", "HOTLINE_GATE_CONFIG"):
        env.pop(name, None)
    generated = hotline("generate", "--landing-dir", str(root / "landing"), "--start-date",
                        START.isoformat(), "--days", str(DAYS), "--contacts-per-day",
                        str(LEGS_PER_DAY), "--seed", "13", "--plant-intervention", env=env)
    assert generated.returncode == 0, generated.stderr
    nightly = hotline("nightly", "--landing-dir", str(root / "landing"), "--warehouse-dir",
                      str(root / "warehouse"), "--vars", VARS, "--report", env=env)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    reports = [line.split(": ", 1)[1] for line in nightly.stdout.splitlines()
               if line.startswith("report (")]
    assert len(reports) == 1, nightly.stdout
    demo = Demo(root=root, landing=root / "landing", warehouse=root / "warehouse",
                target=root / "target", env=env, nightly_output=nightly.stdout,
                report=Path(reports[0]))
    _BUILT["demo"] = demo
    return demo
