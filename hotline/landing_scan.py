"""What a landing CSV physically holds, independently of the CSV reader that loads it.

Three small passes over the bytes of one file (DECISIONS.md, "Landing: control totals"):

* `scan_file` (every file, streaming): SHA-256, size, physical lines, blank lines, whether a
  carriage return stands alone, and whether the bytes are valid UTF-8. Cheap: byte counting
  and one incremental UTF-8 decode, no per-line Python.
* `strict_records` (only when DuckDB's row and reject counts do not account for every physical
  line, or DuckDB gave up on the file): an RFC 4180 record pass with Python's csv module in
  strict mode. A line that opens a quoted value it does not close is quarantined on its own and
  reading resumes at the next line, unless the entity has a multi-line text field and the
  following lines complete a plausible record (at most MAX_RECORD_LINES lines and
  MAX_RECORD_BYTES, the right number of fields, line breaks only inside the multi-line
  fields). The kept records are written to a sanitised copy that DuckDB then reads, so a
  stray quote costs one line, never the rest of the file.
* `fetch_lines`: the complete text of given physical lines (quarantine keeps whole records;
  DuckDB's own reject text stops at 10,000 characters).

Also the encoding setting (`--encoding` / HOTLINE_LANDING_ENCODING): per file, valid UTF-8 is
UTF-8 (BOM or not); otherwise the configured fallback (GB18030 by default), per folder if
configured.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import re
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 8 << 20
# A quoted value may span lines only in an entity's multi-line text fields, and only this far:
# a longer "record" is a stray quote swallowing good lines (DECISIONS.md).
MAX_RECORD_LINES = 50
MAX_RECORD_BYTES = 64 * 1024

AUTO = "auto"
UTF8 = "utf-8"
DEFAULT_FALLBACK = "gb18030"
_BLANK_LINE = re.compile(rb"(?m)^\r?\n")
_LONE_CR = re.compile(rb"\r(?!\n)")


class ScanError(Exception):
    """The file cannot be read as a whole (corrupt gzip, not in any accepted encoding)."""


class EncodingSettingError(ValueError):
    """The encoding setting names an unknown codec or folder."""


# --- encoding setting ---------------------------------------------------------------------


def _codec(name: str, where: str) -> str:
    name = name.strip().lower()
    if name == AUTO:
        return AUTO
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise EncodingSettingError(
            f"unknown landing encoding {name!r}{where} (use auto, utf-8 or gb18030)"
        ) from None
    if info.name in {"utf-8", "utf-8-sig"} or info.name.replace("_", "-") == "utf-8":
        return UTF8
    # The physical pass counts newline, quote and comma bytes: the encoding must keep them.
    if '\n,"\r'.encode(info.name, errors="replace") != b'\n,"\r':
        raise EncodingSettingError(
            f"landing encoding {name!r}{where} is not ASCII-compatible (CSV needs one byte "
            "per newline, quote and comma)"
        )
    return info.name


@dataclass(frozen=True)
class EncodingPolicy:
    """How CSV bytes are decoded: a default and per-folder overrides.

    Values: `auto` (valid UTF-8 is UTF-8, anything else GB18030), `utf-8` (UTF-8 only: a file
    that is not valid UTF-8 fails to load), or a codec such as `gb18030`/`gbk` (valid UTF-8 is
    still UTF-8; any other file is decoded with that codec).
    """

    default: str = AUTO
    folders: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str | None, known_folders: tuple[str, ...] = ()) -> EncodingPolicy:
        """`auto`, `utf-8`, `gb18030`, or items like `gb18030,telephony/agents=utf-8`."""
        default = AUTO
        folders: list[tuple[str, str]] = []
        for item in (text or "").split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                folder, value = (part.strip() for part in item.split("=", 1))
                folder = folder.strip("/")
                if known_folders and folder not in known_folders:
                    raise EncodingSettingError(
                        f"landing encoding names an unknown folder {folder!r} "
                        f"(one of: {', '.join(known_folders)})"
                    )
                folders.append((folder, _codec(value, f" for {folder}")))
            else:
                default = _codec(item, "")
        return cls(default, tuple(folders))

    def for_folder(self, folder: str) -> str:
        for name, value in self.folders:
            if folder == name:
                return value
        return self.default

    @staticmethod
    def fallback(setting: str) -> str | None:
        """The codec for files that are not valid UTF-8 (None: such files fail)."""
        if setting == AUTO:
            return DEFAULT_FALLBACK
        if setting == UTF8:
            return None
        return setting


# --- physical scan ------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Reads a file, feeding every byte to a hash (the manifest checksum is of the file)."""

    def __init__(self, path: Path, digest) -> None:
        self._handle = path.open("rb")
        self._digest = digest
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._handle.readinto(buffer)
        if count:
            self.size += count
            if self._digest is not None:
                self._digest.update(memoryview(buffer)[:count])
        return count or 0

    def close(self) -> None:
        self._handle.close()
        super().close()


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_text_bytes(path: Path) -> io.BufferedIOBase:
    """The file's content (decompressed when .gz) as a binary stream."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


@dataclass
class LineStats:
    """Physical line counts of a byte stream, fed chunk by chunk."""

    newlines: int = 0
    blank_lines: int = 0
    lone_cr: bool = False
    ends_with_newline: bool = True
    _carry: bytes = b""
    _bytes: int = 0

    def feed(self, chunk: bytes) -> None:
        self._bytes += len(chunk)
        buf = self._carry + chunk if self._carry else chunk
        cut = buf.rfind(b"\n") + 1  # end of the complete lines in buf
        if cut == 0:
            self._carry = buf
            return
        self.newlines += buf.count(b"\n", 0, cut)
        if (buf.startswith((b"\n", b"\r\n")) or buf.find(b"\n\n", 0, cut) >= 0
                or buf.find(b"\n\r\n", 0, cut) >= 0):
            self.blank_lines += sum(1 for _ in _BLANK_LINE.finditer(buf, 0, cut))
        if not self.lone_cr and buf.find(b"\r", 0, cut) >= 0:
            self.lone_cr = _LONE_CR.search(buf, 0, cut) is not None
        self._carry = buf[cut:]

    def finish(self) -> None:
        tail = self._carry
        self.ends_with_newline = not tail
        if tail:
            if tail == b"\r":
                self.blank_lines += 1
            elif _LONE_CR.search(tail.removesuffix(b"\r")):
                self.lone_cr = True
        self._carry = b""

    @property
    def physical_lines(self) -> int:
        return self.newlines + (0 if self.ends_with_newline else 1)

    @property
    def empty(self) -> bool:
        return self._bytes == 0


@dataclass
class PhysicalScan:
    sha256: str
    size_bytes: int
    lines: LineStats
    utf8_error_line: int | None  # first line that is not valid UTF-8; None: valid
    has_bom: bool


def _chunks(path: Path, raw: _HashingReader) -> Iterator[bytes]:
    """The decompressed content in chunks; every byte of the file passes through `raw`."""
    stream: io.BufferedIOBase
    stream = gzip.GzipFile(fileobj=raw, mode="rb") if is_gzip(path) else raw  # type: ignore
    try:
        while True:
            try:
                chunk = stream.read(CHUNK)
            except (OSError, EOFError) as exc:
                # DuckDB reads a truncated .gz without complaint; a cut delivery must fail.
                raise ScanError(f"truncated or corrupt gzip file ({exc})") from None
            if not chunk:
                break
            yield chunk
        if is_gzip(path):
            while raw.read(CHUNK):  # hash any trailing bytes gzip did not need
                pass
    finally:
        stream.close()
        raw.close()


def file_checksum(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of the file as delivered."""
    digest = hashlib.sha256()
    reader = _HashingReader(path, digest)
    try:
        while reader.read(CHUNK):
            pass
    finally:
        reader.close()
    return digest.hexdigest(), reader.size


def scan_file(path: Path, checksum: bool = True) -> PhysicalScan:
    """Checksum, physical line counts and UTF-8 validity, in one streaming read."""
    digest = hashlib.sha256() if checksum else None
    lines = LineStats()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    error_line: int | None = None
    first = b""
    raw = _HashingReader(path, digest)
    for chunk in _chunks(path, raw):
        if not first:
            first = chunk[:3]
        if error_line is None:
            held = len(decoder.getstate()[0])  # bytes of a sequence cut by the last chunk
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                # lines.newlines counts every line break before this chunk
                error_line = lines.newlines + chunk[: max(exc.start - held, 0)].count(b"\n") + 1
        lines.feed(chunk)
    if error_line is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            error_line = lines.newlines + 1
    lines.finish()
    return PhysicalScan(
        sha256=digest.hexdigest() if digest else "",
        size_bytes=raw.size,
        lines=lines,
        utf8_error_line=error_line,
        has_bom=first.startswith(codecs.BOM_UTF8),
    )


def transcode(path: Path, codec: str, target: Path) -> int | None:
    """Decode `path` (optionally gzipped) strictly with `codec` into a UTF-8 file.

    Returns None on success, else the first line that is not valid in `codec` (the target
    is then incomplete and must not be used).
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    newlines = 0
    with open_text_bytes(path) as source, target.open("wb") as sink:
        first = True
        while True:
            chunk = source.read(CHUNK)
            held = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return newlines + chunk[: max(exc.start - held, 0)].count(b"\n") + 1
            if first and text:
                text = text.removeprefix("\ufeff")
                first = False
            sink.write(text.encode("utf-8"))
            if not chunk:
                return None
            newlines += chunk.count(b"\n")


# --- strict record pass (slow path) -----------------------------------------------------------


@dataclass
class Quarantined:
    line: int  # physical line number (1-based, header = 1)
    span: int  # physical lines
    error: str
    text: str  # the complete raw text


@dataclass
class StrictResult:
    """Records of a file as an RFC 4180 pass finds them, and the sanitised copy to load."""

    path: Path  # header + kept records only (blank and quarantined lines removed)
    unit_lines: array = field(default_factory=lambda: array("q"))  # start line per kept record
    unit_spans: array = field(default_factory=lambda: array("l"))  # lines per kept record
    first_fields: list[str] = field(default_factory=list)  # first value per kept record
    quarantined: list[Quarantined] = field(default_factory=list)
    blank_lines: int = 0
    physical_lines: int = 0

    @property
    def records_found(self) -> int:
        return len(self.unit_lines) + len(self.quarantined)

    @property
    def kept_records(self) -> int:
        return len(self.unit_lines)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _parse(data: bytes) -> tuple[str, list[str], str]:
    """('ok' | 'open' | 'bad', fields, csv error) for the text of one candidate record."""
    text = data.decode("utf-8", errors="surrogateescape")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        message = str(exc)
        return ("open" if "unexpected end of data" in message else "bad"), [], message
    if len(rows) != 1:
        # a lone carriage return outside quotes ends a record early for every CSV reader
        return "bad", [], "carriage return (CR) inside an unquoted value"
    return "ok", rows[0], ""


def _strip_eol(line: bytes) -> bytes:
    line = line.removesuffix(b"\n")
    return line.removesuffix(b"\r")


def strict_records(
    source: Path,
    target: Path,
    header_lines: int,
    width: int,
    multiline_positions: frozenset[int],
    entity_label: str,
) -> StrictResult:
    """Split `source` (UTF-8, optionally gzipped) into records; write the kept ones to target.

    Every physical line ends in exactly one place: the header, a blank line, a kept record
    (one line, or several for a plausible multi-line value of a multi-line field), or a
    quarantined line (with its complete text).
    """
    result = StrictResult(path=target)
    pending: deque[tuple[int, bytes]] = deque()
    with open_text_bytes(source) as handle, target.open("wb") as out:
        numbered = enumerate(handle, start=1)

        def next_line() -> tuple[int, bytes] | None:
            if pending:
                return pending.popleft()
            return next(numbered, None)

        for _ in range(header_lines):
            item = next_line()
            if item is None:
                break
            result.physical_lines = item[0]
            out.write(item[1] if item[1].endswith(b"\n") else item[1] + b"\n")

        while (item := next_line()) is not None:
            number, line = item
            result.physical_lines = max(result.physical_lines, number)
            body = _strip_eol(line)
            if not body:
                result.blank_lines += 1
                continue
            status, fields, error = _parse(body)
            if status == "ok":
                _keep(result, out, number, [line], fields)
                continue
            if status == "open" and multiline_positions:
                parts = [line]
                size = len(line)
                accepted = False
                reason = (f"UNBALANCED QUOTE: the quoted value opened on this line does not "
                          f"close within {MAX_RECORD_LINES} lines")
                while len(parts) < MAX_RECORD_LINES and size <= MAX_RECORD_BYTES:
                    following = next_line()
                    if following is None:
                        reason = ("UNBALANCED QUOTE: the quoted value opened on this line is "
                                  "never closed")
                        break
                    result.physical_lines = max(result.physical_lines, following[0])
                    parts.append(following[1])
                    size += len(following[1])
                    status, fields, error = _parse(_strip_eol(b"".join(parts)))
                    if status == "open":
                        continue
                    bad_break = [i for i, value in enumerate(fields)
                                 if ("\n" in value or "\r" in value)
                                 and i not in multiline_positions]
                    if status == "ok" and len(fields) == width and not bad_break:
                        accepted = True
                    elif status == "ok" and len(fields) != width:
                        reason = (f"UNBALANCED QUOTE: closing the quoted value opened on this "
                                  f"line gives a record of {len(fields)} fields over "
                                  f"{len(parts)} lines, not {width}")
                    elif status == "ok":
                        reason = ("UNBALANCED QUOTE: closing the quoted value opened on this "
                                  "line puts a line break in a field that may not hold one")
                    else:
                        reason = f"UNBALANCED QUOTE: {error} after the quote opened here"
                    break
                else:
                    reason = (f"UNBALANCED QUOTE: the quoted value opened on this line runs past "
                              f"{MAX_RECORD_LINES} lines or {MAX_RECORD_BYTES // 1024} KiB")
                if accepted:
                    _keep(result, out, number, parts, fields)
                    continue
                # resynchronise: the lines after the opening line are read again on their own
                for later in reversed([(number + offset, part)
                                       for offset, part in enumerate(parts[1:], start=1)]):
                    pending.appendleft(later)
                result.quarantined.append(Quarantined(number, 1, reason, _decode(body)))
                continue
            if status == "open":
                reason = (f"UNBALANCED QUOTE: a quoted value opened on this line is not closed "
                          f"on it, and no {entity_label} field may span lines; the line is "
                          "quarantined on its own and reading resumes at the next line")
            else:
                reason = f"MALFORMED QUOTING: {error} (RFC 4180)"
            result.quarantined.append(Quarantined(number, 1, reason, _decode(body)))
    return result


def _keep(result: StrictResult, out, number: int, parts: list[bytes], fields: list[str]) -> None:
    result.unit_lines.append(number)
    result.unit_spans.append(len(parts))
    result.first_fields.append(fields[0] if fields else "")
    data = b"".join(parts)
    out.write(data if data.endswith(b"\n") else data + b"\n")


# --- complete text of given lines ---------------------------------------------------------------


def fetch_lines(path: Path, wanted: dict[int, int]) -> dict[int, str]:
    """{start line: text} for {start line: span}, from a UTF-8 file (optionally gzipped).

    The text is the record as delivered without its final line break; undecodable bytes show
    as U+FFFD.
    """
    texts: dict[int, str] = {}
    if not wanted:
        return texts
    last = max(start + span - 1 for start, span in wanted.items())
    collecting: dict[int, list[bytes]] = {}
    with open_text_bytes(path) as handle:
        for number, line in enumerate(handle, start=1):
            if number in wanted:
                collecting[number] = []
            for start in list(collecting):
                collecting[start].append(line)
                if number >= start + wanted[start] - 1:
                    texts[start] = _decode(_strip_eol(b"".join(collecting.pop(start))))
            if number >= last:
                break
    for start, parts in collecting.items():  # the file ended inside a record
        texts[start] = _decode(_strip_eol(b"".join(parts)))
    return texts
