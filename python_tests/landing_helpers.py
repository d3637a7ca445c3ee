"""An independent check that every physical line of every landed CSV is accounted for.

Written without the landing code's own counting: it reads each file itself and the
warehouse's raw tables and `raw._rejected_lines`, and asserts that

* every quarantined record's raw text is exactly the file's lines from its start line on,
* header + blank lines + the lines of the landed rows + the lines of quarantined records is
  the number of physical lines, and no line is claimed twice,
* for files whose records are single lines, the landed rows are, in order, the lines that were
  neither blank nor quarantined (compared on the first field).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import duckdb

from hotline.contract import ENTITY_BY_NAME


def file_lines(path: Path, encoding: str = "utf-8") -> list[str]:
    """Physical lines (no line terminator); a last line without one counts."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("gb18030" if encoding == "gb18030" else "utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def assert_every_line_accounted(landing_dir: Path, warehouse: Path) -> dict[str, dict]:
    """Check every loaded CSV of the manifest; returns {file: counts} for further asserts."""
    con = duckdb.connect(str(warehouse / "hotline.duckdb"), read_only=True)
    summary: dict[str, dict] = {}
    try:
        files = con.execute(
            "select delivery_seq, entity, source_file, encoding from raw._manifest "
            "where status = 'loaded' and source_file not like '%.parquet' order by delivery_seq"
        ).fetchall()
        for seq, entity_name, rel, encoding in files:
            entity = ENTITY_BY_NAME[entity_name]
            lines = file_lines(landing_dir / rel, encoding or "utf-8")
            header = next(csv.reader([lines[0]]))
            first_column = header[0].replace("\ufeff", "").strip().lower()
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name = ? and column_name not like '\\_%' escape '\\'",
                [entity.name]).fetchall()]
            spans = " + ".join(
                f"coalesce(length(\"{c}\") - length(replace(\"{c}\", chr(10), '')), 0)"
                for c in columns)
            rows = con.execute(
                f"select 1 + {spans}, \"{first_column}\" from raw.{entity.name} "
                "where _delivery_seq = ? order by _source_row", [seq]).fetchall()
            rejects = con.execute(
                "select _source_line, raw_line from raw._rejected_lines where _delivery_seq = ? "
                "order by _source_line", [seq]).fetchall()
            claimed: set[int] = {1}
            for start, raw_line in rejects:
                span = raw_line.count("\n") + 1
                expected = "\n".join(lines[start - 1:start - 1 + span])
                assert raw_line == expected, (rel, start, raw_line[:80], expected[:80])
                block = set(range(start, start + span))
                assert not block & claimed, (rel, start, "line claimed twice")
                claimed |= block
            blank = {number for number, line in enumerate(lines, start=1)
                     if number > 1 and line == ""}
            row_lines = sum(span for span, _ in rows)
            total = 1 + len(blank) + row_lines + sum(raw.count("\n") + 1 for _, raw in rejects)
            assert total == len(lines), (rel, total, len(lines))
            free = [number for number in range(2, len(lines) + 1)
                    if number not in claimed and number not in blank]
            if row_lines == len(rows):  # single-line records: rows line up with free lines
                assert len(free) == len(rows), (rel, len(free), len(rows))
                for number, (_, value) in zip(free, rows, strict=True):
                    field = next(csv.reader(io.StringIO(lines[number - 1], newline="")))[0]
                    assert (value or "") == field, (rel, number, value, field)
            summary[rel] = {"lines": len(lines), "rows": len(rows), "rejected": len(rejects),
                            "blank": len(blank), "reject_lines": [s for s, _ in rejects]}
    finally:
        con.close()
    return summary
