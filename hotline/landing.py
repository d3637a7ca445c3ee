"""`hotline land`: load every new landing file into the `raw` schema of the working DuckDB.

DuckDB reads every file (read_csv / read_parquet); Python discovers files, checks the manifest,
reads the header line to match columns, counts what each file physically holds
(hotline/landing_scan.py) and orchestrates one transaction per file.

Raw tables keep every value as text (no cast can fail here), plus lineage columns. Lines the
CSV reader cannot parse go to `raw._rejected_lines` with their physical line number and their
complete text. A file is landed only when its control totals reconcile: every physical line is
the header, a blank line, a landed row or a rejected record (DECISIONS.md, "Landing").
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hotline.contract import ENTITIES, LINEAGE_COLUMNS, RAW_SCHEMA, Entity
from hotline.landing_scan import (
    EncodingPolicy,
    EncodingSettingError,
    PhysicalScan,
    ScanError,
    StrictResult,
    fetch_lines,
    file_checksum,
    is_gzip,
    open_text_bytes,
    scan_file,
    strict_records,
    transcode,
)
from hotline.settings import Warehouse

MANIFEST_TABLE = f"{RAW_SCHEMA}._manifest"
REJECTED_TABLE = f"{RAW_SCHEMA}._rejected_lines"
BATCHES_TABLE = f"{RAW_SCHEMA}._batches"
ENCODING_ENV = "HOTLINE_LANDING_ENCODING"

CSV_SUFFIXES = (".csv", ".csv.gz")
PARQUET_SUFFIXES = (".parquet",)
# Names an upload tool gives a file it is still writing: never load half a file.
INCOMPLETE_PREFIXES = (".", "~")
INCOMPLETE_SUFFIXES = (".tmp", ".part")
# Why a file in the landing dir was not loaded (manifest status 'skipped').
SKIP_INCOMPLETE = "incomplete_upload"
SKIP_FORMAT = "unsupported_format"
SKIP_FOLDER = "outside_entity_folders"
SKIP_REASONS = {
    SKIP_INCOMPLETE: "hidden or temporary name (.x, ~x, *.tmp, *.part): an upload in progress",
    SKIP_FORMAT: "not .csv, .csv.gz or .parquet",
    SKIP_FOLDER: "not in a landing-contract folder",
}
# Commits trigger DuckDB's automatic checkpoint once the WAL passes this size; the default
# (16 MB) made every file's commit a checkpoint. The connection checkpoints when it closes.
CHECKPOINT_THRESHOLD = "128MB"
# Clean CSV files of one entity land in groups of this size, one transaction per group.
GROUP_FILES = 16
GROUP_BYTES = 128 * 1024 * 1024
LANDING_WORKERS = 2

_LINEAGE_DDL = (
    '"_source_file" varchar',
    '"_source_row" bigint',
    '"_batch_id" varchar',
    '"_delivery_seq" bigint',
    '"_loaded_at" timestamp',
)
# Manifest columns: name -> type. Added to an older manifest with ALTER TABLE when missing.
MANIFEST_COLUMNS = {
    "delivery_seq": "bigint",  # null for skipped names
    "batch_id": "varchar",
    "entity": "varchar",  # null for files outside the entity folders
    "source_file": "varchar",
    "sha256": "varchar",
    "size_bytes": "bigint",
    "row_count": "bigint",  # rows landed
    "rejected_line_count": "bigint",  # records quarantined at landing (raw._rejected_lines)
    "status": "varchar",  # loaded | failed | skipped
    "message": "varchar",
    "extra_columns": "varchar",
    "loaded_at": "timestamp",
    # control totals: what the file physically holds (CSV; parquet: records_found only)
    "encoding": "varchar",
    "physical_lines": "bigint",
    "header_lines": "bigint",
    "blank_lines": "bigint",
    "records_found": "bigint",
    # the file's modification time when it landed: with source_file and size_bytes, how the
    # next run knows an already-landed file without reading it (DECISIONS.md, "Landing")
    "mtime_ns": "bigint",
}
_REJECTED_DDL = f"""
create table if not exists {REJECTED_TABLE} (
    entity varchar,
    _source_file varchar,
    _source_line bigint,
    _batch_id varchar,
    _delivery_seq bigint,
    _loaded_at timestamp,
    error varchar,
    raw_line varchar
)"""
BATCHES_COLUMNS = {
    "batch_id": "varchar",
    "started_at": "timestamp",
    "finished_at": "timestamp",
    "files_loaded": "bigint",
    "files_skipped": "bigint",  # already landed
    "files_failed": "bigint",
    "rows_loaded": "bigint",
    "rejected_lines": "bigint",
    "files_ignored": "bigint",  # skipped names (incomplete uploads, other formats, folders)
}


class LandingError(ValueError):
    """The landing run cannot start (bad configuration), as opposed to one bad file."""


class FileLoadError(Exception):
    """One file cannot be loaded; the message names the file and the reason."""


@dataclass
class LandingReport:
    """What one `hotline land` run did. File lists hold paths relative to the landing dir."""

    batch_id: str
    landing_dir: Path
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)  # already landed, same checksum
    files_failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    files_ignored: list[str] = field(default_factory=list)  # skipped names, never loaded
    ignored_reasons: dict[str, str] = field(default_factory=dict)  # path -> SKIP_* code
    rows_loaded: int = 0
    rejected_lines: int = 0
    rows_by_entity: dict[str, int] = field(default_factory=dict)
    rejected_by_file: dict[str, int] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)  # file -> extra names
    encodings: dict[str, str] = field(default_factory=dict)  # file -> encoding, when not UTF-8
    strict_pass: list[str] = field(default_factory=list)  # files the record pass re-read
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.files_failed

    def ignored_lines(self) -> list[str]:
        return [f"{path} ({self.ignored_reasons.get(path, SKIP_FORMAT)}: "
                f"{SKIP_REASONS[self.ignored_reasons.get(path, SKIP_FORMAT)]})"
                for path in self.files_ignored]

    def __str__(self) -> str:
        lines = [
            f"landing batch {self.batch_id} from {self.landing_dir} ({self.seconds:.1f} s)",
            f"  files loaded: {len(self.files_loaded)}, skipped (already landed): "
            f"{len(self.files_skipped)}, failed: {len(self.files_failed)}, "
            f"not loaded (skipped names): {len(self.files_ignored)}",
            f"  rows loaded: {self.rows_loaded}, rejected lines: {self.rejected_lines}",
        ]
        for entity in ENTITIES:
            rows = self.rows_by_entity.get(entity.name, 0)
            if rows:
                lines.append(f"    {entity.table}: {rows} rows")
        for name, rows in self.rows_by_entity.items():  # native exports (hotline/adapters)
            if rows and all(entity.name != name for entity in ENTITIES):
                lines.append(f"    {RAW_SCHEMA}.{name}: {rows} rows")
        for path, count in sorted(self.rejected_by_file.items()):
            lines.append(f"  rejected lines in {path}: {count} (see {REJECTED_TABLE})")
        for path, names in sorted(self.extra_columns.items()):
            lines.append(f"  extra columns kept from {path}: {', '.join(names)}")
        for path, encoding in sorted(self.encodings.items()):
            lines.append(f"  decoded as {encoding}: {path}")
        for text in self.ignored_lines():
            lines.append(f"  skipped, not loaded: {text}")
        for message in self.warnings:
            lines.append(f"  warning: {message}")
        for path, message in self.files_failed:
            lines.append(f"  FAILED {path}: {message.removeprefix(path + ': ')}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Delivery:
    entity: Entity
    path: Path
    rel: str  # posix path relative to the landing dir


# --------------------------------------------------------------------------------------------
# schema


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str,
                         columns: dict[str, str]) -> None:
    existing = _table_columns(con, table)
    for name, data_type in columns.items():
        if name not in existing:
            con.execute(f"alter table {RAW_SCHEMA}.{table} add column {_quote(name)} {data_type}")


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, one table per entity, the manifest, rejected lines and batches.

    Idempotent; also adds columns a newer contract (or manifest) introduced to existing tables.
    """
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for entity in ENTITIES:
        columns = [f"{_quote(name)} varchar" for name in entity.columns] + list(_LINEAGE_DDL)
        con.execute(f"create table if not exists {entity.table} ({', '.join(columns)})")
        _add_missing_columns(con, entity.name, dict.fromkeys(entity.columns, "varchar"))
    for table, columns in (("_manifest", MANIFEST_COLUMNS), ("_batches", BATCHES_COLUMNS)):
        ddl = ", ".join(f"{name} {data_type}" for name, data_type in columns.items())
        con.execute(f"create table if not exists {RAW_SCHEMA}.{table} ({ddl})")
        _add_missing_columns(con, table, columns)
    con.execute(_REJECTED_DDL)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, table],
    ).fetchall()
    return {row[0] for row in rows}


# --------------------------------------------------------------------------------------------
# discovery


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def is_incomplete_name(name: str) -> bool:
    """Hidden or temporary names: an upload that has not finished (or a tool's side file)."""
    lower = name.lower()
    return name.startswith(INCOMPLETE_PREFIXES) or lower.endswith(INCOMPLETE_SUFFIXES)


def _discover(landing_dir: Path, report: LandingReport) -> list[_Delivery]:
    """Every file under the landing dir: a delivery of its entity, or a skipped name.

    Deliveries come entity by entity, in relative-path order (sub-folders included), so dated
    file names deliver in date order. Hidden/temporary folders are not entered (listed once).
    """
    from hotline.adapters.landing import NATIVE_FOLDERS

    folders = {entity.folder: entity for entity in ENTITIES}
    found: dict[str, list[_Delivery]] = {entity.name: [] for entity in ENTITIES}
    ignored: dict[str, str] = {}
    for root, dirs, files in os.walk(landing_dir):
        base = Path(root)
        for name in sorted(dirs):
            if is_incomplete_name(name):
                ignored[(base / name).relative_to(landing_dir).as_posix() + "/"] = SKIP_INCOMPLETE
        dirs[:] = sorted(name for name in dirs if not is_incomplete_name(name))
        for name in files:
            path = base / name
            rel = path.relative_to(landing_dir).as_posix()
            entity = next((entity for folder, entity in folders.items()
                           if rel.startswith(folder + "/")), None)
            if is_incomplete_name(name):
                ignored[rel] = SKIP_INCOMPLETE
            elif entity is None and rel.startswith(tuple(f + "/" for f in NATIVE_FOLDERS)):
                continue  # a native export: landed by hotline/adapters/landing.py
            elif entity is None:
                ignored[rel] = SKIP_FOLDER
            elif _kind(path) is None:
                ignored[rel] = SKIP_FORMAT
            else:
                found[entity.name].append(_Delivery(entity, path, rel))
    for rel in sorted(ignored):
        report.files_ignored.append(rel)
        report.ignored_reasons[rel] = ignored[rel]
    deliveries: list[_Delivery] = []
    for entity in ENTITIES:
        deliveries += sorted(found[entity.name], key=lambda item: item.rel)
    return deliveries


def _entity_of(rel: str) -> str | None:
    return next((entity.name for entity in ENTITIES if rel.startswith(entity.folder + "/")), None)


# --------------------------------------------------------------------------------------------
# header and columns


def _read_csv_header(path: Path, rel: str) -> tuple[list[str], int]:
    """The header record (RFC 4180, UTF-8 here) and the number of physical lines it spans."""
    chunks: list[bytes] = []
    try:
        with open_text_bytes(path) as raw:
            # A quoted header name may span lines: read until the quotes balance.
            while len(chunks) < 100:
                line = raw.readline(1 << 20)
                if not line:
                    break
                chunks.append(line)
                if b"".join(chunks).count(b'"') % 2 == 0:
                    break
    except (OSError, EOFError) as exc:
        raise FileLoadError(f"{rel}: cannot read the file: {exc}") from None
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileLoadError(f"{rel}: header row is not valid UTF-8") from None
    if not text.strip():
        raise FileLoadError(f"{rel}: empty file or empty first line, a header row is required")
    try:
        return next(csv.reader(io.StringIO(text, newline=""))), len(chunks)
    except csv.Error as exc:
        raise FileLoadError(f"{rel}: cannot parse the header row: {exc}") from None


def _normalise(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


@dataclass
class _ColumnMap:
    contract: dict[str, int]  # contract column -> source column position
    extras: dict[str, int]  # extra column (normalised name) -> source position

    def target_at(self, position: int) -> str:
        for name, index in [*self.contract.items(), *self.extras.items()]:
            if index == position:
                return name
        raise KeyError(position)


def _match_columns(entity: Entity, header: list[str], rel: str) -> _ColumnMap:
    reserved = set(entity.columns) | set(LINEAGE_COLUMNS)
    contract: dict[str, int] = {}
    extras: dict[str, int] = {}
    seen: set[str] = set()
    for position, raw_name in enumerate(header):
        name = _normalise(raw_name) or f"unnamed_{position + 1}"
        if name in seen:
            raise FileLoadError(f"{rel}: column {name!r} appears more than once in the header")
        seen.add(name)
        if name in entity.columns:
            contract[name] = position
        else:
            # An extra column may not shadow a lineage column.
            target = name if name not in reserved else f"extra_{name}"
            extras[target] = position
    missing = [name for name in entity.required if name not in contract]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise FileLoadError(
            f"{rel}: missing required column{plural} {', '.join(missing)} "
            f"for {entity.folder} (header: {', '.join(header)})"
        )
    return _ColumnMap(contract, extras)


# --------------------------------------------------------------------------------------------
# loading one file


@dataclass
class _Pending:
    """A new file, checked and ready to load (header matched, transcoded if needed)."""

    delivery: _Delivery
    seq: int
    sha256: str
    size: int
    kind: str
    read_path: Path  # what DuckDB reads: the file itself, or its UTF-8 transcoding
    header: list[str]
    columns: _ColumnMap
    encoding: str | None = None  # utf-8 / utf-8-sig / the fallback codec; None for parquet
    scan: PhysicalScan | None = None  # of the content DuckDB reads (CSV only)
    header_lines: int = 0
    mtime_ns: int | None = None


@dataclass
class _Loaded:
    rows: int
    rejected: int
    extras: list[str]
    message: str
    records_found: int
    physical_lines: int | None = None
    blank_lines: int | None = None
    strict: bool = False  # the record pass had to re-read the file


class ControlTotalsError(FileLoadError):
    """DuckDB's rows and rejects do not account for every record the file holds."""


def _csv_reader_sql(path: Path, width: int, rejects: str, scans: str) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    compression = "gzip" if is_gzip(path) else "none"
    # The dialect is fixed (the contract says RFC 4180, comma) instead of sniffed: a sniffer
    # guesses differently on a damaged file and would then misread the good lines too.
    return (
        f"read_csv({_literal(str(path))}, columns = {{{columns}}}, header = true, "
        f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"compression = '{compression}', store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{scans}')"
    )


def _parquet_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    rows = con.execute(f"describe select * from read_parquet({_literal(str(path))})").fetchall()
    return [row[0] for row in rows]


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _add_extra_columns(con: duckdb.DuckDBPyConnection, entity: Entity, extras: list[str]) -> None:
    if not extras:
        return
    _add_missing_columns(con, entity.name, dict.fromkeys(extras, "varchar"))


def _insert_rows(con: duckdb.DuckDBPyConnection, item: _Pending, reader: str,
                 source_names: list[str], batch_id: str, loaded_at: datetime) -> int:
    """Insert one file's rows with lineage; returns the number of rows."""
    entity = item.delivery.entity
    targets: list[str] = []
    selects: list[str] = []
    for name, position in [*item.columns.contract.items(), *item.columns.extras.items()]:
        targets.append(_quote(name))
        selects.append(f"cast({_quote(source_names[position])} as varchar)")
    targets += [_quote(name) for name in LINEAGE_COLUMNS]
    # row_number() over () follows the reader's order (insertion order is preserved), which
    # we verified equals the record order of the file, also with parallel reading.
    selects += ["?", "_hotline_ordinal", "?", "?", "?"]
    inserted = con.execute(
        f"insert into {entity.table} ({', '.join(targets)}) "
        f"select {', '.join(selects)} "
        f"from (select *, row_number() over () as _hotline_ordinal from {reader})",
        [item.delivery.rel, batch_id, item.seq, loaded_at],
    ).fetchone()
    return int(inserted[0]) if inserted else 0


def _csv_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> list[tuple[int, str, bool]]:
    """(DuckDB line, first error, invalid encoding?) per rejected line, in line order.

    DuckDB may report several errors for one line (a short line: one per missing column).
    """
    return [(int(line), error, bool(bad)) for line, error, bad in con.execute(
        f"""
        select line,
            arg_min(cast(error_type as varchar) || ': ' || error_message,
                    coalesce(column_idx, 0)),
            bool_or(cast(error_type as varchar) = 'INVALID ENCODING')
        from {rejects}
        group by line
        order by line
        """
    ).fetchall()]


def _read_csv(con: duckdb.DuckDBPyConnection, item: _Pending, path: Path, batch_id: str,
              loaded_at: datetime) -> tuple[int, list[tuple[int, str, bool]]]:
    """Rows inserted and DuckDB's rejected lines for one read of `path` (the caller's
    transaction); the rejects tables are dropped afterwards."""
    tag = f"{item.seq}_{uuid.uuid4().hex[:6]}"
    rejects, scans = f"_hotline_rejects_{tag}", f"_hotline_scans_{tag}"
    width = len(item.header)
    try:
        rows = _insert_rows(con, item, _csv_reader_sql(path, width, rejects, scans),
                            [f"c{i}" for i in range(width)], batch_id, loaded_at)
        return rows, _csv_rejects(con, rejects)
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction drops them itself
            con.execute(f"drop table if exists {rejects}")
            con.execute(f"drop table if exists {scans}")


def _insert_rejected(con: duckdb.DuckDBPyConnection, item: _Pending, batch_id: str,
                     loaded_at: datetime, rejected: list[tuple[int, str, str]]) -> None:
    """One raw._rejected_lines row per (physical start line, error, complete text)."""
    if not rejected:
        return
    con.execute(
        f"""
        insert into {REJECTED_TABLE}
            (entity, _source_file, _source_line, _batch_id, _delivery_seq, _loaded_at, error,
             raw_line)
        select ?, ?, unnest(?::bigint[]), ?, ?, ?, unnest(?::varchar[]), unnest(?::varchar[])
        """,
        [item.delivery.entity.name, item.delivery.rel, [line for line, _, _ in rejected],
         batch_id, item.seq, loaded_at, [error for _, error, _ in rejected],
         [text for _, _, text in rejected]],
    )


def _load_csv_fast(con, item: _Pending, batch_id: str, loaded_at: datetime) -> _Loaded | None:
    """Read the file as it is; None when its lines are not all accounted for (or DuckDB
    stopped), so the caller rolls back and takes the record pass."""
    scan = item.scan
    assert scan is not None
    lines = scan.lines
    try:
        rows, rejects = _read_csv(con, item, item.read_path, batch_id, loaded_at)
    except duckdb.Error:
        return None
    expected = lines.physical_lines - item.header_lines - lines.blank_lines
    # Every unit DuckDB reports (a row or a rejected line) spans at least one line, so
    # units == non-blank lines means each unit is exactly one physical line: nothing was
    # swallowed by a stray quote and nothing dropped. A lone CR could split a line: re-check.
    if lines.lone_cr or rows + len(rejects) != expected:
        return None
    offset = item.header_lines - 1  # DuckDB numbers the header as line 1
    wanted = {line + offset: 1 for line, _, _ in rejects}
    texts = fetch_lines(item.read_path, wanted)
    rejected = [(line + offset, error, texts.get(line + offset, ""))
                for line, error, _ in rejects]
    _insert_rejected(con, item, batch_id, loaded_at, rejected)
    bad_encoding = sum(1 for _, _, bad in rejects if bad)
    return _Loaded(rows, len(rejects), list(item.columns.extras), _encoding_note(bad_encoding),
                   expected, lines.physical_lines, lines.blank_lines)


def _encoding_note(bad_lines: int) -> str:
    if not bad_lines:
        return ""
    return (f"{bad_lines} line(s) hold bytes valid neither in UTF-8 nor in the fallback "
            "encoding; they were quarantined (ask the source for a clean file)")


def _load_csv_strict(con, item: _Pending, batch_id: str, loaded_at: datetime,
                     scratch: Path) -> _Loaded:
    """The record pass: quarantine what a stray quote would swallow, load the rest."""
    entity = item.delivery.entity
    multiline = frozenset(position for name, position in item.columns.contract.items()
                          if name in entity.multiline)
    strict = strict_records(item.read_path, scratch / f"{item.seq}.strict.csv",
                            item.header_lines, len(item.header), multiline, entity.name)
    try:
        rows, rejects = _read_csv(con, item, strict.path, batch_id, loaded_at)
        _check_strict_totals(con, item, strict, rows, rejects)
        wanted = {}
        for line, _, _ in rejects:
            index = line - 2  # DuckDB's line 1 is the header; blank lines were removed
            wanted[strict.unit_lines[index]] = strict.unit_spans[index]
        texts = fetch_lines(item.read_path, wanted)
        rejected = [(strict.unit_lines[line - 2], error,
                     texts.get(strict.unit_lines[line - 2], ""))
                    for line, error, _ in rejects]
        rejected += [(q.line, q.error, q.text) for q in strict.quarantined]
        rejected.sort()
        _insert_rejected(con, item, batch_id, loaded_at, rejected)
    finally:
        strict.path.unlink(missing_ok=True)
    bad_encoding = sum(1 for _, _, bad in rejects if bad)
    return _Loaded(rows, len(rejected), list(item.columns.extras), _encoding_note(bad_encoding),
                   strict.records_found, strict.physical_lines, strict.blank_lines, strict=True)


def _check_strict_totals(con, item: _Pending, strict: StrictResult, rows: int,
                         rejects: list[tuple[int, str, bool]]) -> None:
    """Raise ControlTotalsError naming the lines when DuckDB's rows and rejects do not
    account for every kept record of the sanitised copy (or lines are missing)."""
    rel = item.delivery.rel
    physical = item.scan.lines.physical_lines if item.scan else strict.physical_lines
    spans = sum(strict.unit_spans) + sum(q.span for q in strict.quarantined)
    accounted = item.header_lines + strict.blank_lines + spans
    if accounted != physical:
        raise ControlTotalsError(
            f"{rel}: control totals do not reconcile: the file has {physical} physical lines "
            f"but the record pass accounts for {accounted}; the file was not landed"
        )
    if rows + len(rejects) == strict.kept_records and all(
            2 <= line <= strict.kept_records + 1 for line, _, _ in rejects):
        return
    # Locate the first record DuckDB did not return where expected (first value compared).
    first = _quote(item.columns.target_at(0))
    landed = [value for (value,) in con.execute(
        f"select {first} from {item.delivery.entity.table} where _delivery_seq = ? "
        "order by _source_row", [item.seq]).fetchall()]
    rejected_units = {line - 2 for line, _, _ in rejects}
    expected = [(strict.unit_lines[i], strict.first_fields[i])
                for i in range(strict.kept_records) if i not in rejected_units]
    first_bad = next((line for k, (line, value) in enumerate(expected)
                      if k >= len(landed) or (landed[k] or "") != value), None)
    if first_bad is None and expected:
        first_bad = expected[-1][0]
    missing = strict.kept_records - rows - len(rejects)
    where = f"from line {first_bad} on" if first_bad else "at the end of the file"
    raise ControlTotalsError(
        f"{rel}: control totals do not reconcile: {strict.kept_records} records found, "
        f"{rows} rows landed and {len(rejects)} rejected; {abs(missing)} record(s) "
        f"{'unaccounted' if missing > 0 else 'too many'} {where}; the file was not landed"
    )


def _load_parquet(con, item: _Pending, batch_id: str, loaded_at: datetime) -> _Loaded:
    reader = f"read_parquet({_literal(str(item.read_path))})"
    rows = _insert_rows(con, item, reader, item.header, batch_id, loaded_at)
    found = _parquet_rows(item.read_path)
    if rows != found:
        raise ControlTotalsError(
            f"{item.delivery.rel}: control totals do not reconcile: the parquet metadata "
            f"holds {found} rows, {rows} were read; the file was not landed"
        )
    return _Loaded(rows, 0, list(item.columns.extras), "", found)


def _record_manifest(con: duckdb.DuckDBPyConnection, values: dict) -> None:
    names = list(values)
    con.execute(
        f"insert into {MANIFEST_TABLE} ({', '.join(names)}) "
        f"values ({', '.join('?' for _ in names)})",
        list(values.values()),
    )


def _manifest_values(item: _Pending, batch_id: str, loaded: _Loaded | None, status: str,
                     message: str, loaded_at: datetime) -> dict:
    scan = item.scan
    return {
        "delivery_seq": item.seq, "batch_id": batch_id, "entity": item.delivery.entity.name,
        "source_file": item.delivery.rel, "sha256": item.sha256, "size_bytes": item.size,
        "row_count": loaded.rows if loaded else 0,
        "rejected_line_count": loaded.rejected if loaded else 0,
        "status": status, "message": message or None,
        "extra_columns": ",".join(loaded.extras) if loaded and loaded.extras else None,
        "loaded_at": loaded_at, "encoding": item.encoding,
        "physical_lines": (loaded.physical_lines if loaded and loaded.physical_lines is not None
                           else scan.lines.physical_lines if scan else None),
        "header_lines": item.header_lines if item.kind == "csv" else 0,
        "blank_lines": (loaded.blank_lines if loaded and loaded.blank_lines is not None
                        else scan.lines.blank_lines if scan else None),
        "records_found": loaded.records_found if loaded else None,
        "mtime_ns": item.mtime_ns,
    }


def _land_delivery(con: duckdb.DuckDBPyConnection, item: _Pending, batch_id: str,
                   scratch: Path) -> _Loaded:
    """Load one file as ONE transaction: its rows, rejected lines and manifest row.

    A crash or kill anywhere inside leaves nothing of it behind, and since the manifest row
    is part of the same commit the next run simply loads it again. ControlTotalsError (and
    DuckDB errors of the record pass) roll everything back: the caller records the failure.
    """
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    _add_extra_columns(con, item.delivery.entity, list(item.columns.extras))
    con.begin()
    try:
        if item.kind == "parquet":
            loaded = _load_parquet(con, item, batch_id, loaded_at)
        else:
            loaded = _load_csv_fast(con, item, batch_id, loaded_at)
            if loaded is None:
                con.rollback()
                con.begin()
                loaded = _load_csv_strict(con, item, batch_id, loaded_at, scratch)
        _record_manifest(con, _manifest_values(item, batch_id, loaded, "loaded",
                                               loaded.message, loaded_at))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return loaded


def _record_failure(con: duckdb.DuckDBPyConnection, values: dict) -> None:
    con.begin()
    _record_manifest(con, values)
    con.commit()


# --------------------------------------------------------------------------------------------
# the run


def encoding_policy(encoding: str | None) -> EncodingPolicy:
    """The encoding setting: the argument, else $HOTLINE_LANDING_ENCODING, else auto."""
    text = encoding if encoding is not None else os.environ.get(ENCODING_ENV)
    try:
        return EncodingPolicy.parse(text, tuple(entity.folder for entity in ENTITIES))
    except EncodingSettingError as exc:
        raise LandingError(str(exc)) from None


def _new_batch_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def _progress():
    """A rich progress bar on a terminal; disabled otherwise (CI logs, tests)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    return Progress(
        TextColumn("[bold]landing[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


class _Run:
    """State of one landing run: the connection, the report, the next delivery number."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: LandingReport,
                 policy: EncodingPolicy, scratch: Path) -> None:
        self.con = con
        self.report = report
        self.policy = policy
        self.scratch = scratch
        self.lock = threading.Lock()  # the report and the manifest bookkeeping
        self.landed = {
            (row[0], row[1])
            for row in con.execute(
                f"select source_file, sha256 from {MANIFEST_TABLE} where status = 'loaded'"
            ).fetchall()
        }
        # (file, size, mtime) of every landed file: such a file is skipped without reading it
        self.landed_stats = {
            (row[0], row[1], row[2])
            for row in con.execute(
                f"select source_file, size_bytes, mtime_ns from {MANIFEST_TABLE} "
                "where status = 'loaded' and mtime_ns is not null"
            ).fetchall()
        }
        self.last_seq = int(con.execute(
            f"select coalesce(max(delivery_seq), 0) from {MANIFEST_TABLE}"
        ).fetchone()[0])  # type: ignore[index]

    def fail(self, delivery: _Delivery, seq: int, sha256: str, size: int, message: str,
             scan: PhysicalScan | None = None, encoding: str | None = None) -> None:
        self.report.files_failed.append((delivery.rel, message))
        _record_failure(self.con, {
            "delivery_seq": seq, "batch_id": self.report.batch_id,
            "entity": delivery.entity.name, "source_file": delivery.rel, "sha256": sha256,
            "size_bytes": size, "row_count": 0, "rejected_line_count": 0, "status": "failed",
            "message": message, "loaded_at": datetime.now(UTC).replace(tzinfo=None),
            "encoding": encoding,
            "physical_lines": scan.lines.physical_lines if scan else None,
            "blank_lines": scan.lines.blank_lines if scan else None,
        })

    def fail_native(self, entity: str, rel: str, seq: int, sha256: str, size: int,
                    message: str) -> None:
        """A native export file that cannot be read: failed, retried on the next run."""
        self.report.files_failed.append((rel, message))
        _record_failure(self.con, {
            "delivery_seq": seq, "batch_id": self.report.batch_id, "entity": entity,
            "source_file": rel, "sha256": sha256, "size_bytes": size, "row_count": 0,
            "rejected_line_count": 0, "status": "failed", "message": message,
            "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        })

    def record_ignored(self, landing_dir: Path) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        for rel in self.report.files_ignored:
            path = landing_dir / rel
            try:
                size = path.stat().st_size if path.is_file() else None
            except OSError:
                size = None
            reason = self.report.ignored_reasons[rel]
            _record_failure(self.con, {
                "delivery_seq": None, "batch_id": self.report.batch_id,
                "entity": _entity_of(rel), "source_file": rel, "size_bytes": size,
                "status": "skipped", "message": f"{reason}: {SKIP_REASONS[reason]}",
                "loaded_at": now,
            })

    def prepare(self, delivery: _Delivery) -> _Pending | None:
        """Checksum and physical scan, skip check, encoding, header matching of one file."""
        rel = delivery.rel
        kind = _kind(delivery.path) or "csv"
        scan: PhysicalScan | None = None
        try:
            stat = delivery.path.stat()
        except OSError as exc:
            self.report.files_failed.append((rel, f"{rel}: cannot read file: {exc}"))
            return None
        if (rel, stat.st_size, stat.st_mtime_ns) in self.landed_stats:
            # Same name, size and modification time as a landed file: not read again (a
            # year of files would otherwise be hashed every night). A corrected file that is
            # re-delivered gets a new modification time and is checksummed as usual.
            self.report.files_skipped.append(rel)
            return None
        try:
            if kind == "csv":
                scan = scan_file(delivery.path)
                sha256, size = scan.sha256, scan.size_bytes
            else:
                sha256, size = file_checksum(delivery.path)
        except ScanError as exc:
            # a corrupt .gz is never landed (so never skipped): it is attempted every run
            self.last_seq += 1
            sha256, size = file_checksum(delivery.path)
            self.fail(delivery, self.last_seq, sha256, size, f"{rel}: {exc}")
            return None
        except OSError as exc:
            self.report.files_failed.append((rel, f"{rel}: cannot read file: {exc}"))
            return None
        if (rel, sha256) in self.landed:
            self.report.files_skipped.append(rel)
            return None
        self.last_seq += 1
        seq = self.last_seq
        read_path = delivery.path
        encoding: str | None = None
        try:
            if kind == "csv":
                assert scan is not None
                if scan.lines.empty:
                    raise FileLoadError(f"{rel}: empty file, a header row is required")
                read_path, encoding, scan = self._decode(delivery, seq, scan)
                header, header_lines = _read_csv_header(read_path, rel)
            else:
                header_lines = 0
                try:
                    header = _parquet_header(self.con, read_path)
                except duckdb.Error as exc:
                    raise FileLoadError(f"{rel}: not a readable parquet file: {exc}") from None
            columns = _match_columns(delivery.entity, header, rel)
        except FileLoadError as exc:
            self.fail(delivery, seq, sha256, size, str(exc), scan, encoding)
            return None
        except (OSError, UnicodeError, EOFError, ScanError) as exc:
            self.fail(delivery, seq, sha256, size, f"{rel}: {type(exc).__name__}: {exc}", scan,
                      encoding)
            return None
        return _Pending(delivery, seq, sha256, size, kind, read_path, header, columns, encoding,
                        scan, header_lines, stat.st_mtime_ns)

    def _decode(self, delivery: _Delivery, seq: int,
                scan: PhysicalScan) -> tuple[Path, str, PhysicalScan]:
        """(path DuckDB reads, encoding, its physical scan): UTF-8 as it is, else transcoded."""
        rel = delivery.rel
        if scan.utf8_error_line is None:
            return delivery.path, "utf-8-sig" if scan.has_bom else "utf-8", scan
        setting = self.policy.for_folder(delivery.entity.folder)
        fallback = EncodingPolicy.fallback(setting)
        if fallback is None:
            raise FileLoadError(
                f"{rel}: not valid UTF-8 (first invalid byte on line {scan.utf8_error_line}) "
                f"and the landing encoding for {delivery.entity.folder} is utf-8; if the file "
                "is GB18030/GBK, set --encoding gb18030 (or HOTLINE_LANDING_ENCODING) and "
                "run again"
            )
        target = self.scratch / f"{seq}.csv"
        bad_line = transcode(delivery.path, fallback, target)
        if bad_line is None:
            self.report.encodings[rel] = fallback
            return target, fallback, scan_file(target, checksum=False)
        # Valid in neither: read as UTF-8, the lines that are not valid are quarantined one by
        # one (DuckDB reports them as INVALID ENCODING).
        target.unlink(missing_ok=True)
        return delivery.path, "utf-8", scan

    def land(self, item: _Pending, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """Land one file in its own transaction (the record pass when it needs one)."""
        rel = item.delivery.rel
        try:
            loaded = _land_delivery(con or self.con, item, self.report.batch_id, self.scratch)
        except (FileLoadError, duckdb.Error, OSError) as exc:
            message = str(exc) if isinstance(exc, FileLoadError) \
                else f"{rel}: {type(exc).__name__}: {exc}"
            with self.lock:
                self.fail(item.delivery, item.seq, item.sha256, item.size, message, item.scan,
                          item.encoding)
            return
        finally:
            _drop_decoded_copy(item)
        self._count(item, loaded)

    def land_group(self, items: list[_Pending],
                   con: duckdb.DuckDBPyConnection | None = None) -> None:
        """Land several clean CSV files of one entity in ONE transaction.

        One commit per file cost more than reading the file (DuckDB writes and syncs at every
        commit): grouping files is the landing step's main saving. Each file is still read
        alone, so its control totals are its own (a multi-file read_csv dropped a file's
        broken last line, docs/landing.md). When any file of the group does not reconcile on
        the fast path, or DuckDB fails on it, the whole group rolls back and every file is
        landed alone (record pass and failure handling included): a kill at any point leaves
        whole files or nothing, as before.
        """
        con = con or self.con
        if len(items) == 1 or any(item.kind != "csv" for item in items):
            for item in items:
                self.land(item, con)
            return
        batch_id = self.report.batch_id
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        done: list[_Loaded] = []
        con.begin()
        try:
            for item in items:
                loaded = _load_csv_fast(con, item, batch_id, loaded_at)
                if loaded is None:
                    break
                _record_manifest(con, _manifest_values(item, batch_id, loaded, "loaded",
                                                       loaded.message, loaded_at))
                done.append(loaded)
        except (FileLoadError, duckdb.Error, OSError):
            done = []
        except BaseException:
            con.rollback()
            raise
        if len(done) == len(items):
            con.commit()
            for item, loaded in zip(items, done, strict=True):
                _drop_decoded_copy(item)
                self._count(item, loaded)
            return
        con.rollback()
        for item in items:
            self.land(item, con)

    def _count(self, item: _Pending, loaded: _Loaded) -> None:
        with self.lock:
            self._add_to_report(item, loaded)

    def _add_to_report(self, item: _Pending, loaded: _Loaded) -> None:
        report = self.report
        rel, name = item.delivery.rel, item.delivery.entity.name
        self.landed.add((rel, item.sha256))
        report.files_loaded.append(rel)
        report.rows_loaded += loaded.rows
        report.rejected_lines += loaded.rejected
        report.rows_by_entity[name] = report.rows_by_entity.get(name, 0) + loaded.rows
        if loaded.rejected:
            report.rejected_by_file[rel] = loaded.rejected
        if loaded.extras:
            report.extra_columns[rel] = loaded.extras
        if loaded.strict:
            report.strict_pass.append(rel)
        if loaded.message:
            report.warnings.append(f"{rel}: {loaded.message}")


def _land_groups(run: _Run, groups: Iterator[list[_Pending]], progress, task) -> None:
    """Land the groups on LANDING_WORKERS connections of the same database at once.

    One file's read runs mostly on one core (a small CSV is not split across threads), so
    two groups read side by side use both cores, and the scan of the next files (checksum,
    control totals, in this thread) overlaps their reads; appends of two transactions to one
    table do not conflict in DuckDB. A file's extra columns are added here, before its group
    is handed over: an ALTER TABLE beside an open insert into the same table would be a
    write-write conflict, so landing waits for the running groups first.
    """
    cursors = [run.con.cursor() for _ in range(LANDING_WORKERS)]
    free = list(cursors)

    def land_one(group: list[_Pending]) -> None:
        with run.lock:
            con = free.pop()
            progress.update(task, description=group[0].delivery.rel)
        try:
            run.land_group(group, con)
        finally:
            with run.lock:
                free.append(con)
                progress.advance(task, len(group))

    try:
        with ThreadPoolExecutor(max_workers=LANDING_WORKERS) as pool:
            running: list = []
            for group in groups:
                extras = [item for item in group if item.columns.extras]
                if extras:
                    for future in running:
                        future.result()
                    running = []
                    for item in extras:
                        _add_extra_columns(run.con, item.delivery.entity,
                                           list(item.columns.extras))
                for future in running:
                    if future.done():
                        future.result()  # a worker's unexpected error stops the run
                running = [future for future in running if not future.done()]
                running.append(pool.submit(land_one, group))
            for future in running:
                future.result()
    finally:
        for con in cursors:
            con.close()


def _drop_decoded_copy(item: _Pending) -> None:
    """A transcoded copy (scratch) is not needed once its file landed or failed."""
    if item.read_path != item.delivery.path:
        item.read_path.unlink(missing_ok=True)


def _groups(items: Iterable[_Pending]) -> Iterator[list[_Pending]]:
    """Consecutive files of one entity, at most GROUP_FILES files and GROUP_BYTES bytes;
    each group is yielded as soon as it is complete (the scan of the next files goes on)."""
    group: list[_Pending] = []
    size = 0
    for item in items:
        if group and (group[0].delivery.entity != item.delivery.entity
                      or len(group) >= GROUP_FILES or size + item.size > GROUP_BYTES):
            yield group
            group, size = [], 0
        group.append(item)
        size += item.size
    if group:
        yield group


def land(landing_dir: Path, warehouse: Warehouse | Path,
         encoding: str | None = None) -> LandingReport:
    """Load every new file under `landing_dir` into raw.* of the warehouse's working file."""
    started = time.monotonic()
    policy = encoding_policy(encoding)
    landing_dir = Path(landing_dir)
    if not landing_dir.is_dir():
        raise LandingError(f"landing directory {landing_dir} does not exist")
    warehouse = Warehouse.of(warehouse)
    warehouse.directory.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(UTC).replace(tzinfo=None)
    report = LandingReport(batch_id=_new_batch_id(started_at), landing_dir=landing_dir)
    deliveries = _discover(landing_dir, report)

    con = warehouse.connect()  # inside the profile's memory and thread limits
    scratch = Path(tempfile.mkdtemp(prefix="landing-", dir=warehouse.directory))
    try:
        # Typed parquet timestamps with a zone are rendered as text in UTC.
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        # Our own progress bar counts files; DuckDB's per-query bar would garble logs.
        con.execute("set enable_progress_bar = false")
        ensure_raw_schema(con)
        con.execute(
            f"insert into {BATCHES_TABLE} (batch_id, started_at, files_loaded, files_skipped, "
            "files_failed, rows_loaded, rejected_lines, files_ignored) "
            "values (?, ?, 0, 0, 0, 0, 0, 0)",
            [report.batch_id, started_at],
        )
        run = _Run(con, report, policy, scratch)
        run.record_ignored(landing_dir)
        with _progress() as progress:
            task = progress.add_task("", total=len(deliveries))


            def prepared() -> Iterator[_Pending]:
                for delivery in deliveries:
                    with run.lock:  # the main connection records a file that fails here
                        item = run.prepare(delivery)
                    if item is None:
                        with run.lock:
                            progress.advance(task)
                    else:
                        yield item

            _land_groups(run, _groups(prepared()), progress, task)
        # groups finish in any order: the report lists files in delivery order
        order = {delivery.rel: index for index, delivery in enumerate(deliveries)}
        report.files_loaded.sort(key=lambda rel: order.get(rel, len(order)))
        report.strict_pass.sort(key=lambda rel: order.get(rel, len(order)))
        report.files_failed.sort(key=lambda failed: order.get(failed[0], len(order)))
        report.warnings.sort(key=lambda text: order.get(text.split(": ", 1)[0], len(order)))
        # native exports (asterisk/, amazon_connect/, zendesk/): hotline/adapters/landing.py
        from hotline.adapters.landing import land_native_files

        land_native_files(run, landing_dir)
        con.execute(
            f"update {BATCHES_TABLE} set finished_at = ?, files_loaded = ?, files_skipped = ?, "
            "files_failed = ?, rows_loaded = ?, rejected_lines = ?, files_ignored = ? "
            "where batch_id = ?",
            [
                datetime.now(UTC).replace(tzinfo=None), len(report.files_loaded),
                len(report.files_skipped), len(report.files_failed), report.rows_loaded,
                report.rejected_lines, len(report.files_ignored), report.batch_id,
            ],
        )
        con.execute("checkpoint")
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report
