"""Landing of the native exports (../shared/spec/source-adapters.md).

    asterisk/queue_log/                          -> raw.asterisk_queue_log   one row per line
    amazon_connect/ctr/                          -> raw.amazon_connect_ctr   one row per record
    zendesk/{tickets,ticket_events,users}/       -> raw.zendesk_<entity>     one row per record

Everything about contract landing holds here too and is reused from hotline.landing: the
manifest (path + SHA-256, so a re-delivered file is a no-op and a changed file is a new
delivery), the landing batch, delivery_seq, one transaction per file (rows + manifest row),
`.gz` accepted. What differs is the reader: these exports are not CSV with a header, so Python
splits the file into records and DuckDB stores them as text; nothing is parsed away.

Every physical line (queue_log) or every record (JSON) becomes exactly one raw row, including
lines that cannot be split and JSON that does not parse: validation and quarantine happen in
dbt (base_asterisk__queue_log, base_amazon_connect__ctr, base_zendesk__*), so the reconciliation
can account for every delivered line: mapped, superseded (a re-delivered copy), ignored
(NONE/REALTIME or unlisted events, skipped channels), pending (a call whose outcome is not
delivered yet) or quarantined.
"""

from __future__ import annotations

import bisect
import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from hotline.contract import LINEAGE_COLUMNS, RAW_SCHEMA

QUEUE_LOG_FIELDS = ("time", "callid", "queuename", "agent", "event",
                    "data1", "data2", "data3", "data4", "data5")
# raw column names (`time` is a reserved word in several dialects)
QUEUE_LOG_COLUMNS = ("time_text", *QUEUE_LOG_FIELDS[1:], "field_count", "raw_line")
JSON_COLUMNS = ("record", "source_line")


@dataclass(frozen=True)
class NativeEntity:
    name: str  # raw table and manifest entity, e.g. asterisk_queue_log
    source: str  # asterisk, amazon_connect, zendesk
    folder: str  # landing sub-folder
    kind: str  # "queue_log" or "json"
    page_key: str | None = None  # key of the record list in an API page, e.g. "tickets"
    record_key: str | None = None  # a key every record has (resynchronise after bad JSON)

    @property
    def table(self) -> str:
        return f"{RAW_SCHEMA}.{self.name}"

    @property
    def columns(self) -> tuple[str, ...]:
        return QUEUE_LOG_COLUMNS if self.kind == "queue_log" else JSON_COLUMNS


NATIVE_ENTITIES: tuple[NativeEntity, ...] = (
    NativeEntity("asterisk_queue_log", "asterisk", "asterisk/queue_log", "queue_log"),
    NativeEntity("amazon_connect_ctr", "amazon_connect", "amazon_connect/ctr", "json",
                 record_key="ContactId"),
    NativeEntity("zendesk_tickets", "zendesk", "zendesk/tickets", "json", "tickets"),
    NativeEntity("zendesk_ticket_events", "zendesk", "zendesk/ticket_events", "json",
                 "ticket_events"),
    NativeEntity("zendesk_users", "zendesk", "zendesk/users", "json", "users"),
)
NATIVE_BY_NAME = {entity.name: entity for entity in NATIVE_ENTITIES}
NATIVE_FOLDERS = tuple(entity.folder for entity in NATIVE_ENTITIES)


def ensure_native_schema(con: duckdb.DuckDBPyConnection) -> None:
    """One raw table per native entity: text columns, then the lineage columns."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    lineage = ('"_source_file" varchar', '"_source_row" bigint', '"_batch_id" varchar',
               '"_delivery_seq" bigint', '"_loaded_at" timestamp')
    for entity in NATIVE_ENTITIES:
        columns = []
        for name in entity.columns:
            kind = "bigint" if name in {"field_count", "source_line"} else "varchar"
            columns.append(f'"{name}" {kind}')
        con.execute(f"create table if not exists {entity.table} "
                    f"({', '.join([*columns, *lineage])})")


# --------------------------------------------------------------------------------------------
# reading a file into records


def _read_text(path: Path, setting: str) -> tuple[str, int, str]:
    """The file as text (gunzipped when .gz), the undecodable bytes replaced, the encoding.

    The folder's landing encoding applies as for CSV files (hotline.landing_scan): valid
    UTF-8 is UTF-8; anything else is decoded with the fallback codec. Undecodable bytes become
    U+FFFD so the line still lands (and is counted); the landing report warns.
    """
    from hotline.landing_scan import EncodingPolicy, open_text_bytes

    with open_text_bytes(path) as handle:
        data = handle.read()
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        encoding = EncodingPolicy.fallback(setting) or "utf-8"
        text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    return text.removeprefix("\ufeff"), max(bad, 0), encoding


def _physical_lines(text: str) -> list[str]:
    """Lines as an editor counts them (\\n separated, a trailing \\r dropped)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file ends with a newline: no empty last line
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _queue_log_header(fields: list[str]) -> dict[str, int] | None:
    """Column positions when the line is a table-export header (time,callid,...), else None."""
    names = [name.strip().strip('"').lower() for name in fields]
    if names[:1] != ["time"] or not {"callid", "queuename", "agent", "event"} <= set(names):
        return None
    return {name: position for position, name in enumerate(names)}


def parse_queue_log(text: str) -> list[dict]:
    """One dict per physical line of a queue_log: its fields (raw text) and line number.

    Two layouts (spec): `epoch|callid|queuename|agent|event|data1..data5` (fewer data fields
    are fine; more are folded into data5), and a table export with a header row,
    comma-separated with RFC 4180 quoting (`time,callid,...`), read line by line so one
    broken quote cannot swallow the lines after it. A header row is not a record.
    """
    lines = _physical_lines(text)
    first_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    first = lines[first_index] if first_index is not None else ""
    delimiter = "," if first.count(",") > first.count("|") else "|"
    header = None
    if first:
        fields = next(csv.reader([first])) if delimiter == "," else first.split("|")
        header = _queue_log_header(fields)
    records: list[dict] = []
    for number, line in enumerate(lines, 1):
        if header is not None and number == first_index + 1:
            continue
        if not line.strip():
            fields = []
        elif delimiter == ",":
            try:
                fields = next(csv.reader([line], strict=True))
            except csv.Error:
                fields = None  # a broken quote: cannot be split
        else:
            fields = line.split("|")
        records.append(_queue_log_record(fields, header if delimiter == "," else None,
                                         line, number))
    return records


def _queue_log_record(fields: list[str] | None, header: dict[str, int] | None, raw: str,
                      line_no: int) -> dict:
    record = {name: None for name in QUEUE_LOG_COLUMNS}
    record["raw_line"] = raw
    record["source_line"] = line_no
    if fields is None:
        record["field_count"] = 0
        return record
    record["field_count"] = len(fields)
    if header is None:
        values = list(fields[:9]) + (["|".join(fields[9:])] if len(fields) > 9 else [])
        for name, value in zip(QUEUE_LOG_COLUMNS[:10], values, strict=False):
            record[name] = value
    else:
        for name, column in zip(QUEUE_LOG_FIELDS, QUEUE_LOG_COLUMNS[:10], strict=True):
            position = header.get(name)
            if position is not None and position < len(fields):
                record[column] = fields[position]
        # a short table row is as unsplittable as a short pipe line
        record["field_count"] = min(len(fields), len(header))
    return record


def _skip_separators(text: str, pos: int) -> int:
    """Whitespace, commas and array brackets between records (arrays and concatenation)."""
    n = len(text)
    while pos < n and (text[pos].isspace() or text[pos] in ",[]"):
        pos += 1
    return pos


def parse_json_records(text: str, page_key: str | None,
                       record_key: str | None = None) -> list[dict]:
    """Records of a JSON export: one per line, a JSON array, or concatenated objects (Kinesis
    Firehose writes records back to back), or API pages `{"<page_key>": [...]}`.

    A stretch that does not parse becomes one record (kept as delivered; dbt quarantines it).
    Reading resumes at the next object that has `record_key` (Firehose writes records back to
    back on one line, so a cut-off record must not take the rest of the file with it), else on
    the next line.
    """
    decoder = json.JSONDecoder()
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    records: list[dict] = []

    def line_of(position: int) -> int:
        return bisect.bisect_right(newlines, position - 1) + 1

    def resync(position: int) -> int:
        """Where the next record starts after a stretch that does not parse."""
        stop = text.find("\n", position)
        stop = len(text) if stop < 0 else stop
        if record_key:
            candidate = text.find("{", position + 1, stop)
            while candidate >= 0:
                try:
                    value, _ = decoder.raw_decode(text, candidate)
                except json.JSONDecodeError:
                    value = None
                if isinstance(value, dict) and record_key in value:
                    return candidate
                candidate = text.find("{", candidate + 1, stop)
        return stop

    pos = _skip_separators(text, 0)
    while pos < len(text):
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            stop = resync(pos)
            records.append({"record": text[pos:stop].rstrip("\r"), "source_line": line_of(pos)})
            pos = _skip_separators(text, stop)
            continue
        line = line_of(pos)
        if isinstance(value, dict) and page_key and isinstance(value.get(page_key), list):
            items = value[page_key]
        elif isinstance(value, list):
            items = value
        else:
            items = None
        if items is None:
            records.append({"record": text[pos:end], "source_line": line})
        else:
            records.extend({"record": json.dumps(item, ensure_ascii=False), "source_line": line}
                           for item in items)
        pos = _skip_separators(text, end)
    return records


# --------------------------------------------------------------------------------------------
# landing


def _discover(landing_dir: Path) -> list[tuple[NativeEntity, Path, str]]:
    """Every file of the native folders, in path order; hidden and temporary names are left to
    hotline.landing, which lists them as skipped (incomplete uploads)."""
    from hotline.landing import is_incomplete_name

    found = []
    for entity in NATIVE_ENTITIES:
        folder = landing_dir / entity.folder
        if not folder.is_dir():
            continue
        files = [path for path in folder.rglob("*")
                 if path.is_file() and not any(is_incomplete_name(part) for part in
                                               path.relative_to(folder).parts)]
        for path in sorted(files, key=lambda p: p.relative_to(landing_dir).as_posix()):
            found.append((entity, path, path.relative_to(landing_dir).as_posix()))
    return found


def _insert(con: duckdb.DuckDBPyConnection, entity: NativeEntity, records: list[dict],
            rel: str, seq: int, batch_id: str, loaded_at: datetime) -> None:
    if not records:
        return
    columns = {name: [record.get(name) for record in records] for name in entity.columns}
    columns["_source_row"] = list(range(1, len(records) + 1))
    if entity.kind == "queue_log":
        # a line is its own record: the row number is the physical line number
        columns["_source_row"] = [record["source_line"] for record in records]
    integers = {"field_count", "source_line", "_source_row"}
    table = pa.table({
        name: pa.array(values, type=pa.int64() if name in integers else pa.string())
        for name, values in columns.items()
    })
    con.register("_hotline_native", table)
    try:
        names = ", ".join(f'"{name}"' for name in entity.columns)
        con.execute(
            f"insert into {entity.table} ({names}, {', '.join(LINEAGE_COLUMNS)}) "
            f"select {names}, ?, _source_row, ?, ?, ? from _hotline_native",
            [rel, batch_id, seq, loaded_at],
        )
    finally:
        con.unregister("_hotline_native")


def land_native_files(run, landing_dir: Path) -> None:
    """Land every new native export file; `run` is hotline.landing's _Run (connection,
    report, manifest of landed files, delivery_seq counter, encoding policy). One transaction
    per file: its raw rows and its manifest row. A native file's control totals are its
    records (one raw row per queue_log line or JSON record); dq_landed_files judges it on them."""
    from hotline.landing import FileLoadError, _record_manifest
    from hotline.landing_scan import file_checksum

    con, report = run.con, run.report
    ensure_native_schema(con)
    for entity, path, rel in _discover(Path(landing_dir)):
        try:
            sha256, size = file_checksum(path)
        except OSError as exc:
            report.files_failed.append((rel, f"{rel}: cannot read file: {exc}"))
            continue
        if (rel, sha256) in run.landed:
            report.files_skipped.append(rel)
            continue
        run.last_seq += 1
        seq = run.last_seq
        try:
            # a truncated or corrupt .gz raises while it is read (EOFError / OSError)
            text, replaced, encoding = _read_text(path, run.policy.for_folder(entity.folder))
        except (FileLoadError, OSError, EOFError, LookupError) as exc:
            message = str(exc) if isinstance(exc, FileLoadError) else f"{rel}: {exc}"
            run.fail_native(entity.name, rel, seq, sha256, size, message)
            continue
        if entity.kind == "queue_log":
            records = parse_queue_log(text)
        else:
            records = parse_json_records(text, entity.page_key, entity.record_key)
        message = (f"{replaced} byte(s) are not valid in the expected encoding (replaced); "
                   "land with --encoding if the export is GB18030/GBK") if replaced else ""
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        con.begin()
        try:
            _insert(con, entity, records, rel, seq, report.batch_id, loaded_at)
            _record_manifest(con, {
                "delivery_seq": seq, "batch_id": report.batch_id, "entity": entity.name,
                "source_file": rel, "sha256": sha256, "size_bytes": size,
                "row_count": len(records), "rejected_line_count": 0, "status": "loaded",
                "message": message or None, "loaded_at": loaded_at, "encoding": encoding,
                "header_lines": 0, "records_found": len(records),
            })
            con.commit()
        except BaseException:
            con.rollback()
            raise
        run.landed.add((rel, sha256))
        report.files_loaded.append(rel)
        report.rows_loaded += len(records)
        report.rows_by_entity[entity.name] = report.rows_by_entity.get(entity.name, 0) + len(
            records)
        if message:
            report.warnings.append(f"{rel}: {message}")
