"""A center's own configuration CSVs laid over the shipped seeds (HOTLINE_CONFIG_DIR).

The seeds in `seeds/` are the project's defaults (opening hours, holidays, SLA policies,
targets, alert rules). A center keeps its own versions outside the code checkout, in a
directory named by HOTLINE_CONFIG_DIR: every `<seed>.csv` there replaces the shipped seed of
the same name, every other seed keeps its shipped content. Before dbt runs, the effective seed
directory is assembled under the project's `target/site_seeds/<content hash>/` and handed to
dbt through HOTLINE_SEEDS_DIR (read by `seed-paths` in dbt_project.yml). It has to be a path
inside the project: dbt writes the compiled SQL of the seeds' YAML tests under a path derived
from the YAML file's project-relative path. Content-addressed, so warehouses with different
configurations can build at the same time. Without HOTLINE_CONFIG_DIR nothing changes: dbt
reads `seeds/`.

Nothing from the files is pasted into SQL: they are seeds, loaded by `dbt seed` as data and
checked by the seeds' data tests (seeds/_calendars__seeds.yml, seeds/_seeds.yml, tests/).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from hotline.settings import PROJECT_DIR

CONFIG_DIR_ENV = "HOTLINE_CONFIG_DIR"
SEEDS_DIR_ENV = "HOTLINE_SEEDS_DIR"
EFFECTIVE_SEEDS_ROOT = Path("target") / "site_seeds"  # relative to the project directory


class SiteConfigError(ValueError):
    """HOTLINE_CONFIG_DIR is not a directory, or holds a file that is no seed of the project."""


def config_dir() -> Path | None:
    """The center's configuration directory, or None when HOTLINE_CONFIG_DIR is not set."""
    value = os.environ.get(CONFIG_DIR_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise SiteConfigError(f"{CONFIG_DIR_ENV}={value!r} is not a directory")
    return path


def shipped_seeds(project_dir: Path = PROJECT_DIR) -> dict[str, Path]:
    """Seed name -> shipped CSV file."""
    return {path.stem: path for path in sorted((project_dir / "seeds").rglob("*.csv"))}


def override_files(directory: Path, project_dir: Path = PROJECT_DIR) -> dict[str, Path]:
    """Seed name -> the center's CSV that replaces it. Unknown names are an error (a typo such
    as business_calender.csv would otherwise silently leave the shipped calendar in force)."""
    seeds = shipped_seeds(project_dir)
    files = {path.stem: path for path in sorted(directory.glob("*.csv"))}
    unknown = sorted(set(files) - set(seeds))
    if unknown:
        raise SiteConfigError(
            f"{CONFIG_DIR_ENV} {directory}: {', '.join(name + '.csv' for name in unknown)} "
            f"replace(s) no seed; known seeds: {', '.join(sorted(seeds))}")
    return files


def _tree_digest(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() if root in path.parents
                      else path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_seeds(project_dir: Path = PROJECT_DIR) -> Path | None:
    """Assemble the effective seeds and point dbt at them (HOTLINE_SEEDS_DIR).

    Returns the effective directory, or None (and leaves dbt on `seeds/`) when no
    configuration directory is set.
    """
    directory = config_dir()
    if directory is None:
        os.environ.pop(SEEDS_DIR_ENV, None)
        return None
    overrides = override_files(directory, project_dir)
    shipped_root = project_dir / "seeds"
    shipped = sorted(p for p in shipped_root.rglob("*") if p.is_file())
    digest = _tree_digest(shipped_root, shipped + list(overrides.values()))
    relative = EFFECTIVE_SEEDS_ROOT / digest
    target = project_dir / relative
    if not target.is_dir():
        staging = target.with_name(f"{digest}.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        # the whole shipped tree (CSV files and their property YAML), then the center's files
        shutil.copytree(shipped_root, staging)
        for name, source in overrides.items():
            destination = staging / shipped_seeds(project_dir)[name].relative_to(shipped_root)
            shutil.copyfile(source, destination)
        try:
            staging.rename(target)
        except OSError:  # another process assembled the same content first
            shutil.rmtree(staging, ignore_errors=True)
    os.environ[SEEDS_DIR_ENV] = relative.as_posix()
    return target


def check_config_dir(project_dir: Path = PROJECT_DIR) -> Path | None:
    """Validate HOTLINE_CONFIG_DIR up front (raises SiteConfigError): a usage error, not a
    failed build."""
    directory = config_dir()
    if directory is not None:
        override_files(directory, project_dir)
    return directory


def fingerprint_bytes() -> bytes:
    """The center's configuration files, for the incremental build's project fingerprint: a
    changed holiday or schedule re-decides history, so it must force a full rebuild."""
    directory = config_dir()
    if directory is None:
        return b""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest().encode()
