"""`hotline land`: load every new landing file into the `raw` schema of the working DuckDB.

DuckDB reads every file (read_csv / read_parquet); Python only discovers files, checks the
manifest, reads the header line to match columns, and orchestrates one transaction per file.

Raw tables keep every value as text (no cast can fail here), plus lineage columns. Lines the
CSV reader cannot parse go to `raw._rejected_lines` with their line number and text, so no
delivered record is ever dropped silently. See DECISIONS.md, "Landing" for the judgement calls.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hotline.contract import ENTITIES, LINEAGE_COLUMNS, RAW_SCHEMA, Entity
from hotline.settings import duckdb_limits, working_db

MANIFEST_TABLE = f"{RAW_SCHEMA}._manifest"
REJECTED_TABLE = f"{RAW_SCHEMA}._rejected_lines"
BATCHES_TABLE = f"{RAW_SCHEMA}._batches"

CSV_SUFFIXES = (".csv", ".csv.gz")
PARQUET_SUFFIXES = (".parquet",)
_UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"}
_CHUNK = 1 << 20

_LINEAGE_DDL = (
    '"_source_file" varchar',
    '"_source_row" bigint',
    '"_batch_id" varchar',
    '"_delivery_seq" bigint',
    '"_loaded_at" timestamp',
)
_MANIFEST_DDL = f"""
create table if not exists {MANIFEST_TABLE} (
    delivery_seq bigint,
    batch_id varchar,
    entity varchar,
    source_file varchar,
    sha256 varchar,
    size_bytes bigint,
    row_count bigint,
    rejected_line_count bigint,
    status varchar,
    message varchar,
    extra_columns varchar,
    loaded_at timestamp
)"""
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
_BATCHES_DDL = f"""
create table if not exists {BATCHES_TABLE} (
    batch_id varchar,
    started_at timestamp,
    finished_at timestamp,
    files_loaded bigint,
    files_skipped bigint,
    files_failed bigint,
    rows_loaded bigint,
    rejected_lines bigint
)"""


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
    files_ignored: list[str] = field(default_factory=list)  # not .csv/.csv.gz/.parquet
    rows_loaded: int = 0
    rejected_lines: int = 0
    rows_by_entity: dict[str, int] = field(default_factory=dict)
    rejected_by_file: dict[str, int] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)  # file -> extra names
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.files_failed

    def __str__(self) -> str:
        lines = [
            f"landing batch {self.batch_id} from {self.landing_dir} ({self.seconds:.1f} s)",
            f"  files loaded: {len(self.files_loaded)}, skipped (already landed): "
            f"{len(self.files_skipped)}, failed: {len(self.files_failed)}",
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
        for path in self.files_ignored:
            lines.append(f"  ignored (not .csv, .csv.gz or .parquet): {path}")
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


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, one table per entity, the manifest, rejected lines and batches.

    Idempotent; also adds contract columns a newer contract introduced to existing tables.
    """
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for entity in ENTITIES:
        columns = [f"{_quote(name)} varchar" for name in entity.columns] + list(_LINEAGE_DDL)
        con.execute(f"create table if not exists {entity.table} ({', '.join(columns)})")
        existing = _table_columns(con, entity.name)
        for name in entity.columns:
            if name not in existing:
                con.execute(f"alter table {entity.table} add column {_quote(name)} varchar")
    con.execute(_MANIFEST_DDL)
    con.execute(_REJECTED_DDL)
    con.execute(_BATCHES_DDL)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, table],
    ).fetchall()
    return {row[0] for row in rows}


# --------------------------------------------------------------------------------------------
# discovery and file helpers


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def _discover(landing_dir: Path, report: LandingReport) -> list[_Delivery]:
    """Every file of every entity folder (recursively), entity by entity, in path order."""
    deliveries: list[_Delivery] = []
    for entity in ENTITIES:
        folder = landing_dir / entity.folder
        if not folder.is_dir():
            continue
        files = [
            path for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith((".", "_", "~"))
        ]
        for path in sorted(files, key=lambda p: p.relative_to(landing_dir).as_posix()):
            rel = path.relative_to(landing_dir).as_posix()
            if _kind(path) is None:
                report.files_ignored.append(rel)
            else:
                deliveries.append(_Delivery(entity, path, rel))
    return deliveries


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _transcode(path: Path, encoding: str, target: Path) -> None:
    """Stream a CSV (optionally gzipped) in `encoding` to a UTF-8 file DuckDB can read.

    Undecodable bytes are passed through unchanged (surrogateescape), so DuckDB rejects
    exactly the lines holding them as invalid encoding instead of us guessing characters.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    first = True
    with _open_binary(path) as source, target.open("wb") as sink:
        while True:
            chunk = source.read(_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if first and text:
                text = text.removeprefix("\ufeff")
                first = False
            sink.write(text.encode("utf-8", errors="surrogateescape"))
            if not chunk:
                break


def _check_gzip(path: Path, rel: str) -> None:
    """DuckDB reads a truncated .gz without complaint; a truncated delivery must fail."""
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(_CHUNK):
                pass
    except (OSError, EOFError) as exc:
        raise FileLoadError(f"{rel}: truncated or corrupt gzip file ({exc})") from None


def _read_csv_header(path: Path, rel: str) -> list[str]:
    """The header record, parsed with RFC 4180 rules (the file is UTF-8 here).

    Only the header's own bytes are decoded: a bad byte further down is DuckDB's to reject
    as one line, not a reason to fail the file.
    """
    chunks: list[bytes] = []
    try:
        with _open_binary(path) as raw:
            # A quoted header name may span lines: read until the quotes balance.
            while len(chunks) < 100:
                line = raw.readline(_CHUNK)
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
        raise FileLoadError(
            f"{rel}: header row is not valid UTF-8; if the file is GB18030/GBK, land "
            "with --encoding gb18030 (or HOTLINE_LANDING_ENCODING)"
        ) from None
    if not text.strip():
        raise FileLoadError(f"{rel}: empty file, a header row is required")
    try:
        return next(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileLoadError(f"{rel}: cannot parse the header row: {exc}") from None


def _normalise(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


@dataclass
class _ColumnMap:
    contract: dict[str, int]  # contract column -> source column position
    extras: dict[str, int]  # extra column (normalised name) -> source position


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

    @property
    def group_key(self) -> tuple:
        """Files with equal keys can be read by one read_csv call."""
        if self.kind != "csv":
            return ("single", self.delivery.rel)
        compressed = self.read_path.name.lower().endswith(".gz")
        return (self.delivery.entity.name, compressed, tuple(_normalise(h) for h in self.header))


@dataclass
class _Loaded:
    rows: int
    rejected: int
    extras: list[str]
    message: str


# Files of one entity with the same header could be loaded together, in one transaction, up to
# these limits (one commit per file costs more than the read for small daily files). Kept at
# one file: DuckDB 1.5's multi-file CSV reader silently drops an unterminated-quote last line
# of a file that is not read alone (neither loaded nor stored as a reject), and a landing step
# must never lose a line. test_landing.py::test_truncated_last_line_is_kept_in_a_batch_of_files
# guards this; raise the limit only when that test passes with it.
GROUP_MAX_FILES = 1
GROUP_MAX_BYTES = 256 << 20


def _case(column: str, mapping: dict[str, object]) -> str:
    whens = " ".join(
        f"when {_literal(key)} then {_literal(str(value)) if isinstance(value, str) else value}"
        for key, value in mapping.items()
    )
    return f"case {column} {whens} end"


def _source_sql(group: list[_Pending], rejects: str, scans: str) -> tuple[str, list[str]]:
    """The reader for a group and the names of its columns, in header order."""
    first = group[0]
    if first.kind == "parquet":
        reader = f"read_parquet({_literal(str(first.read_path))}, filename = '_hotline_file')"
        return reader, first.header
    width = len(first.header)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    compression = "gzip" if first.read_path.name.lower().endswith(".gz") else "none"
    paths = ", ".join(_literal(str(item.read_path)) for item in group)
    # The dialect is fixed (the contract says RFC 4180, comma) instead of sniffed: a sniffer
    # guesses differently on a damaged file and would then misread the good lines too.
    sql = (
        f"read_csv([{paths}], columns = {{{columns}}}, header = true, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', compression = '{compression}', "
        f"filename = '_hotline_file', store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{scans}')"
    )
    return sql, [f"c{i}" for i in range(width)]


def _parquet_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    rows = con.execute(f"describe select * from read_parquet({_literal(str(path))})").fetchall()
    return [row[0] for row in rows]


def _add_extra_columns(con: duckdb.DuckDBPyConnection, entity: Entity, extras: list[str]) -> None:
    if not extras:
        return
    existing = _table_columns(con, entity.name)
    for name in extras:
        if name not in existing:
            con.execute(f"alter table {entity.table} add column {_quote(name)} varchar")


def _insert_group(
    con: duckdb.DuckDBPyConnection, group: list[_Pending], batch_id: str, loaded_at: datetime
) -> dict[int, _Loaded]:
    """Insert the rows and rejected lines of a group; returns what landed per delivery_seq."""
    entity = group[0].delivery.entity
    columns = group[0].columns
    extras = list(columns.extras)
    _add_extra_columns(con, entity, extras)
    rejects, scans = f"_hotline_rejects_{group[0].seq}", f"_hotline_scans_{group[0].seq}"
    source_sql, source_names = _source_sql(group, rejects, scans)
    rel_by_path = {str(item.read_path): item.delivery.rel for item in group}
    seq_by_path = {str(item.read_path): item.seq for item in group}

    targets: list[str] = []
    selects: list[str] = []
    for name, position in [*columns.contract.items(), *columns.extras.items()]:
        targets.append(_quote(name))
        selects.append(f"cast({_quote(source_names[position])} as varchar)")
    targets += [_quote(name) for name in LINEAGE_COLUMNS]
    # row_number() over () follows the reader's order (insertion order is preserved), which
    # we verified equals the record order of the files, also with parallel reading; the
    # 1-based record number in a file is then its ordinal minus the file's first ordinal.
    selects += [
        _case("_hotline_file", rel_by_path),
        "_hotline_ordinal - min(_hotline_ordinal) over (partition by _hotline_file) + 1",
        "?",
        _case("_hotline_file", seq_by_path),
        "?",
    ]
    con.execute(
        f"insert into {entity.table} ({', '.join(targets)}) "
        f"select {', '.join(selects)} "
        f"from (select *, row_number() over () as _hotline_ordinal from {source_sql})",
        [batch_id, loaded_at],
    )
    seqs = [item.seq for item in group]
    counts = dict(con.execute(
        f"select _delivery_seq, count(*) from {entity.table} "
        f"where _delivery_seq between ? and ? group by 1",
        [min(seqs), max(seqs)],
    ).fetchall())

    rejected: dict[int, int] = {}
    encoding_errors: dict[int, int] = {}
    if group[0].kind == "csv":
        # DuckDB may report several errors for one line (a short line: one per missing
        # column); keep one row per line with its first error.
        con.execute(
            f"""
            insert into {REJECTED_TABLE}
            select ?, {_case("scans.file_path", rel_by_path)}, errors.line, ?,
                {_case("scans.file_path", seq_by_path)}, ?,
                arg_min(
                    cast(errors.error_type as varchar) || ': ' || errors.error_message,
                    coalesce(errors.column_idx, 0)
                ),
                trim(min(errors.csv_line), chr(13) || chr(10))
            from {rejects} as errors
            inner join {scans} as scans
                on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
            group by scans.file_path, errors.line
            """,
            [entity.name, batch_id, loaded_at],
        )
        for path, lines, bad_encoding in con.execute(
            f"""
            select scans.file_path, count(distinct errors.line),
                count(*) filter (where cast(errors.error_type as varchar) = 'INVALID ENCODING')
            from {rejects} as errors
            inner join {scans} as scans
                on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
            group by 1
            """
        ).fetchall():
            rejected[seq_by_path[path]] = int(lines)
            encoding_errors[seq_by_path[path]] = int(bad_encoding)
        con.execute(f"drop table if exists {rejects}")
        con.execute(f"drop table if exists {scans}")

    result: dict[int, _Loaded] = {}
    for item in group:
        message = ""
        if encoding_errors.get(item.seq):
            message = (
                f"{encoding_errors[item.seq]} line(s) are not valid in the expected encoding; "
                "if the file is GB18030/GBK, land with --encoding gb18030"
            )
        result[item.seq] = _Loaded(
            int(counts.get(item.seq, 0)), rejected.get(item.seq, 0), extras, message
        )
    return result


def _record_manifest(
    con: duckdb.DuckDBPyConnection,
    delivery: _Delivery,
    seq: int,
    batch_id: str,
    sha256: str,
    size: int,
    loaded: _Loaded | None,
    status: str,
    message: str,
    loaded_at: datetime,
) -> None:
    con.execute(
        f"insert into {MANIFEST_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            seq, batch_id, delivery.entity.name, delivery.rel, sha256, size,
            loaded.rows if loaded else 0,
            loaded.rejected if loaded else 0,
            status, message or None,
            ",".join(loaded.extras) if loaded and loaded.extras else None,
            loaded_at,
        ],
    )


def _land_group(
    con: duckdb.DuckDBPyConnection, group: list[_Pending], batch_id: str
) -> dict[int, _Loaded]:
    """Load a group of files as ONE transaction: their rows, rejected lines, manifest rows.

    A crash or kill anywhere inside leaves nothing of any of them behind, and since the
    manifest rows are part of the same commit the next run simply loads them again.
    """
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        result = _insert_group(con, group, batch_id, loaded_at)
        for item in group:
            loaded = result[item.seq]
            _record_manifest(con, item.delivery, item.seq, batch_id, item.sha256, item.size,
                             loaded, "loaded", loaded.message, loaded_at)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def _record_failure(
    con: duckdb.DuckDBPyConnection,
    delivery: _Delivery,
    seq: int,
    batch_id: str,
    sha256: str,
    size: int,
    message: str,
) -> None:
    con.begin()
    _record_manifest(con, delivery, seq, batch_id, sha256, size, None, "failed", message,
                     datetime.now(UTC).replace(tzinfo=None))
    con.commit()


# --------------------------------------------------------------------------------------------
# the run


def _check_encoding(encoding: str | None) -> str | None:
    """None when files are UTF-8 (DuckDB reads them directly), else a codec to transcode."""
    if encoding is None or not encoding.strip():
        return None
    try:
        info = codecs.lookup(encoding.strip())
    except LookupError:
        raise LandingError(f"unknown landing encoding {encoding!r} (try gb18030)") from None
    if info.name.replace("_", "-") in _UTF8_NAMES:
        return None
    return info.name


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
                 codec: str | None, scratch: Path) -> None:
        self.con = con
        self.report = report
        self.codec = codec
        self.scratch = scratch
        self.landed = {
            (row[0], row[1])
            for row in con.execute(
                f"select source_file, sha256 from {MANIFEST_TABLE} where status = 'loaded'"
            ).fetchall()
        }
        self.last_seq = int(con.execute(
            f"select coalesce(max(delivery_seq), 0) from {MANIFEST_TABLE}"
        ).fetchone()[0])  # type: ignore[index]
        self.group: list[_Pending] = []
        self.on_done = lambda files: None  # progress callback: number of files finished

    def fail(self, delivery: _Delivery, seq: int, sha256: str, size: int, message: str) -> None:
        self.report.files_failed.append((delivery.rel, message))
        _record_failure(self.con, delivery, seq, self.report.batch_id, sha256, size, message)

    def prepare(self, delivery: _Delivery) -> _Pending | None:
        """Checksum, skip check, transcoding and header matching of one file."""
        rel = delivery.rel
        try:
            sha256, size = _sha256(delivery.path)
        except OSError as exc:
            self.report.files_failed.append((rel, f"{rel}: cannot read file: {exc}"))
            return None
        if (rel, sha256) in self.landed:
            self.report.files_skipped.append(rel)
            return None
        self.last_seq += 1
        seq = self.last_seq
        kind = _kind(delivery.path) or "csv"
        read_path = delivery.path
        try:
            if kind == "csv":
                if delivery.path.name.lower().endswith(".gz"):
                    _check_gzip(delivery.path, rel)
                if self.codec is not None:
                    read_path = self.scratch / f"{seq}.csv"
                    _transcode(delivery.path, self.codec, read_path)
                header = _read_csv_header(read_path, rel)
            else:
                try:
                    header = _parquet_header(self.con, read_path)
                except duckdb.Error as exc:
                    raise FileLoadError(f"{rel}: not a readable parquet file: {exc}") from None
            columns = _match_columns(delivery.entity, header, rel)
        except FileLoadError as exc:
            self.fail(delivery, seq, sha256, size, str(exc))
            return None
        except (OSError, UnicodeError, EOFError) as exc:
            self.fail(delivery, seq, sha256, size, f"{rel}: {type(exc).__name__}: {exc}")
            return None
        return _Pending(delivery, seq, sha256, size, kind, read_path, header, columns)

    def add(self, pending: _Pending) -> None:
        group = self.group
        if group and (
            group[0].group_key != pending.group_key
            or len(group) >= GROUP_MAX_FILES
            or sum(item.size for item in group) + pending.size > GROUP_MAX_BYTES
        ):
            self.flush()
        self.group.append(pending)

    def flush(self) -> None:
        group, self.group = self.group, []
        if not group:
            return
        try:
            self._flush(group)
        finally:
            self.on_done(len(group))

    def _flush(self, group: list[_Pending]) -> None:
        try:
            result = _land_group(self.con, group, self.report.batch_id)
        except duckdb.Error as exc:
            if len(group) > 1:
                # Find the file at fault: the others still load, one transaction each.
                for item in group:
                    self._flush([item])
                return
            item = group[0]
            self.fail(item.delivery, item.seq, item.sha256, item.size,
                      f"{item.delivery.rel}: {type(exc).__name__}: {exc}")
            return
        finally:
            for item in group:
                if item.read_path != item.delivery.path:
                    item.read_path.unlink(missing_ok=True)
        report = self.report
        for item in group:
            loaded = result[item.seq]
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
            if loaded.message:
                report.warnings.append(f"{rel}: {loaded.message}")


def land(landing_dir: Path, warehouse_dir: Path, encoding: str | None = None) -> LandingReport:
    """Load every new file under `landing_dir` into raw.* of <warehouse_dir>/hotline.duckdb."""
    started = time.monotonic()
    codec = _check_encoding(encoding)
    landing_dir = Path(landing_dir)
    if not landing_dir.is_dir():
        raise LandingError(f"landing directory {landing_dir} does not exist")
    warehouse_dir = Path(warehouse_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(UTC).replace(tzinfo=None)
    report = LandingReport(batch_id=_new_batch_id(started_at), landing_dir=landing_dir)
    deliveries = _discover(landing_dir, report)

    con = duckdb.connect(str(working_db(warehouse_dir)))
    scratch = Path(tempfile.mkdtemp(prefix="landing-", dir=warehouse_dir))
    try:
        # Typed parquet timestamps with a zone are rendered as text in UTC.
        con.execute("set TimeZone = 'UTC'")
        # The profile's limits, set (not passed at connect: a process that already holds the
        # file open, like dbt in the nightly, would refuse a second configuration).
        for setting, value in duckdb_limits().items():
            con.execute(f"set {setting} = '{value}'")
        # Our own progress bar counts files; DuckDB's per-query bar would garble logs.
        con.execute("set enable_progress_bar = false")
        ensure_raw_schema(con)
        con.execute(
            f"insert into {BATCHES_TABLE} values (?, ?, null, 0, 0, 0, 0, 0)",
            [report.batch_id, started_at],
        )
        run = _Run(con, report, codec, scratch)
        with _progress() as progress:
            task = progress.add_task("", total=len(deliveries))
            run.on_done = lambda files: progress.advance(task, files)
            for delivery in deliveries:
                progress.update(task, description=delivery.rel)
                pending = run.prepare(delivery)
                if pending is None:
                    progress.advance(task)
                else:
                    run.add(pending)
            run.flush()
        # native exports (asterisk/, amazon_connect/, zendesk/): hotline/adapters/landing.py
        from hotline.adapters.landing import land_native_files

        land_native_files(run, landing_dir)
        con.execute(
            f"update {BATCHES_TABLE} set finished_at = ?, files_loaded = ?, files_skipped = ?, "
            "files_failed = ?, rows_loaded = ?, rejected_lines = ? where batch_id = ?",
            [
                datetime.now(UTC).replace(tzinfo=None), len(report.files_loaded),
                len(report.files_skipped), len(report.files_failed), report.rows_loaded,
                report.rejected_lines, report.batch_id,
            ],
        )
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report
