#!/usr/bin/env python3
"""Reproduce: DuckDB's multi-file read_csv silently drops an unterminated-quote last line.

Each CSV file is read alone and then all files are read in ONE read_csv([...]) call, with the
landing reader's settings (all VARCHAR columns, header, no sniffing, RFC 4180 quoting,
store_rejects). A file's last line `x,"broken,3` (quote never closed) must come back either as
a row or as a line in the rejects table. Read alone it lands in the rejects table; read
together with more than 2 x threads files it is neither returned nor rejected.

Cause (observed on duckdb 1.5.6): with more files than 2 x threads DuckDB switches the CSV
scan to "one thread per file" (the same path as parallel=false), and that path never reports
an unterminated quote that runs to end of file -- not in the rejects table, and without
store_rejects not as an error either. The script pins threads=2, so 6 files trigger it on any
machine. Stdlib + duckdb only; runs in about a second.

Usage: python scripts/repro_duckdb_multifile_csv.py   (exit 1 = reproduced, 0 = not)
"""
from __future__ import annotations

import os
import sys
import tempfile

import duckdb

THREADS = 2
BROKEN = 'x,"broken,3'
# name -> (good rows, last line, final newline after the last line)
CASES = {
    "f1_good.csv": (3, None, True),
    "f2_broken_nl.csv": (3, BROKEN, True),
    "f3_broken_no_nl.csv": (4, BROKEN, False),
    "f4_good.csv": (5, None, True),
    "f5_big_broken_nl.csv": (20_000, BROKEN, True),  # several hundred KB
    "f6_broken_no_nl.csv": (6, BROKEN, False),
}


def write_files(folder: str) -> list[str]:
    paths = []
    for name, (rows, last, newline) in CASES.items():
        path = os.path.join(folder, name)
        with open(path, "w", newline="", encoding="utf-8") as f:
            f.write("a,b,c\n")
            f.writelines(f'r{i},"v {i}",{i}\n' for i in range(rows))
            if last is not None:
                f.write(last + ("\n" if newline else ""))
        paths.append(path)
    return paths


def physical_lines(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        return len(f.read().splitlines()) - 1  # minus the header


def reader(paths: list[str], tag: str, parallel: bool = True, rejects: bool = True) -> str:
    listing = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    sql = (f"read_csv([{listing}], columns = {{'a': 'VARCHAR', 'b': 'VARCHAR', 'c': 'VARCHAR'}}, "
           f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
           f"filename = true, parallel = {str(parallel).lower()}")
    if rejects:
        sql += f", store_rejects = true, rejects_table = 'rj_{tag}', rejects_scan = 'rs_{tag}'"
    return sql + ")"


def read(con, paths: list[str], tag: str, parallel: bool = True) -> dict[str, tuple[int, int]]:
    """{file path: (rows returned, distinct rejected lines stored)}"""
    rows = dict(con.execute(
        f"select filename, count(*) from {reader(paths, tag, parallel)} group by all").fetchall())
    rejected = dict(con.execute(
        f"select s.file_path, count(distinct r.line) from rj_{tag} r "
        f"join rs_{tag} s using (scan_id, file_id) group by all").fetchall())
    return {p: (rows.get(p, 0), rejected.get(p, 0)) for p in paths}


def main() -> int:
    print(f"duckdb {duckdb.__version__}, threads={THREADS}, {len(CASES)} files")
    con = duckdb.connect()
    con.execute(f"set threads = {THREADS}")
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(folder)
        together = read(con, paths, "together")
        alone = {p: read(con, [p], f"alone{i}")[p] for i, p in enumerate(paths)}
        # Side checks on the same files: the one-thread-per-file path, read alone.
        serial = {p: read(con, [p], f"serial{i}", parallel=False)[p] for i, p in enumerate(paths)}
        try:  # no store_rejects: a broken line should raise an error
            got = con.execute(f"select * from {reader(paths, 'strict', rejects=False)}").fetchall()
            strict = f"no error, {len(got)} rows"
        except duckdb.Error as exc:
            strict = "error: " + str(exc).splitlines()[0]

        print(f"{'file':24} {'lines':>6} | {'alone rows/rej':>15} | {'together rows/rej':>17} |"
              f" {'parallel=false alone':>20}")
        lost = []
        for p in paths:
            name, n = os.path.basename(p), physical_lines(p)
            (ra, ja), (rt, jt), (rs, js) = alone[p], together[p], serial[p]
            flag = ""
            if rt + jt < ra + ja:
                lost.append(f"{name} ({ra + ja - rt - jt} line)")
                flag = "  <-- line lost"
            print(f"{name:24} {n:>6} | {ra:>7} / {ja:<5} | {rt:>9} / {jt:<5} "
                  f"| {rs:>12} / {js:<5}{flag}")
        print(f"all {len(paths)} files in one read_csv WITHOUT store_rejects: {strict}")

    if lost:
        print(f"REPRODUCED: {len(lost)} unterminated-quote last line(s) neither returned nor "
              f"rejected when {len(CASES)} files (> 2 x threads) are read together: "
              f"{', '.join(lost)}")
        return 1
    print("NOT REPRODUCED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
