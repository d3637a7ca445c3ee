"""The package outside an editable install, and runtime apart from the development tools.

A wheel is built from a copy of the package (nothing written into the checkout), installed into
a scratch directory and imported from there: every module must import, and the installed CLI
must find the dbt project (HOTLINE_PROJECT_DIR, or the current directory).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hotline.settings import PROJECT_DIR

PACKAGE_DIR = PROJECT_DIR / "hotline"
DEVTOOLS = "hotline.devtools"


def _modules_in_tree() -> set[str]:
    names = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module]
    return []


def test_runtime_modules_never_import_the_devtools():
    """Only the CLI's `generate` command reaches the generator, and only inside the command."""
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        relative = path.relative_to(PROJECT_DIR).as_posix()
        if relative.startswith("hotline/devtools/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        for node in ast.walk(tree):
            for name in _imported_modules(node):
                if not name.startswith(DEVTOOLS):
                    continue
                if relative != "hotline/cli.py" or node in top_level:
                    offenders.append(f"{relative}:{node.lineno} imports {name}")
    assert offenders == []


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel from a copy of its sources and installed into a folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_DIR / name, source / name)
    shutil.copytree(PACKAGE_DIR, source / "hotline",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(dist), str(source)],
                   check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("hotline-*.whl")
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True, capture_output=True, text=True)
    return site


def _run_installed(site: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key != "HOTLINE_PROJECT_DIR"}
    environment.update({"PYTHONPATH": str(site), **env})
    # -P: the current directory is not put on sys.path, so a checkout never shadows the wheel
    return subprocess.run([sys.executable, "-P", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_wheel_holds_every_module(installed):
    (wheel,) = installed.parent.glob("dist/hotline-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                    for name in archive.namelist() if name.endswith(".py")}
    assert _modules_in_tree() - in_wheel == set()


def test_every_module_imports_from_the_installed_wheel(installed, tmp_path):
    script = (
        "import importlib, pkgutil, hotline\n"
        "print(hotline.__file__)\n"
        "for module in pkgutil.walk_packages(hotline.__path__, 'hotline.'):\n"
        "    importlib.import_module(module.name)\n"
        "    print(module.name)\n"
    )
    result = _run_installed(installed, tmp_path, "-c", script,
                            HOTLINE_PROJECT_DIR=str(PROJECT_DIR))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert Path(lines[0]).is_relative_to(installed)  # the wheel's copy, not the checkout's
    assert set(lines[1:]) == _modules_in_tree() - {"hotline"}


def test_installed_cli_finds_the_project_from_its_directory(installed):
    """Run from inside a clone (no HOTLINE_PROJECT_DIR), the installed CLI reads that clone's
    landing contract: the same Markdown the checkout renders."""
    result = _run_installed(installed, PROJECT_DIR, "-m", "hotline.cli", "contract")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (PROJECT_DIR / "docs" / "landing-contract.md").read_text(
        encoding="utf-8")
