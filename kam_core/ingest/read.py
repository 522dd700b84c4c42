"""Readers: recognise the file, its encoding, delimiter, sheet and header row; stage it in DuckDB.

Text files are never held in memory: they are hashed and (when not UTF-8) transcoded in
chunks, then read by DuckDB's CSV reader as text columns. Excel workbooks are read with
python-calamine (fast, .xlsx and legacy .xls).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import shutil
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
from charset_normalizer import from_bytes

from kam_core.i18n import t
from kam_core.ingest import guard, scratch
from kam_core.ingest.errors import IngestError
from kam_core.ingest.mapping import header_hits
from kam_core.ingest.xlsx_worker import cell as _cell  # noqa: F401 - the one place of that rule

SAMPLE_BYTES = 256 * 1024
CHUNK = 4 * 1024 * 1024
DELIMITERS = [",", "\t", ";", "|"]
HEADER_SCAN_ROWS = 30
Progress = Callable[[float, str], None]

_MAGIC = [
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"), (b"%PDF", "PDF document"),
    (b"BM", None), (b"\x1f\x8b", "gzip archive"), (b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7-Zip archive"),
    (b"RIFF", "media file"), (b"ID3", "MP3 audio"), (b"\x00\x00\x00", None),
]  # fmt: skip


@dataclass
class Source:
    """What the reader found out about a file."""

    path: Path
    file_name: str
    size: int
    fmt: str  # text | xlsx | xls
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_line: int = 1  # 1-based line (text) or row (Excel) of the header, as the user sees it
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    sha256: str = ""
    blank_lines: list[int] = field(default_factory=list)  # physical blank lines below the header (text)
    line_base: int | None = None  # text without blank lines: row number = rowid + line_base
    _rows: list[list[str]] | None = field(default=None, repr=False)  # Excel: data rows under the header
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # a header named twice → its column numbers
    # text: False once the reader saw the whole staged text and it holds no NUL (the cell check then skips it)
    may_hold_nul: bool = field(default=True, repr=False)

    @property
    def format_label(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """'text · gb18030 · comma' / '文本 · gb18030 · 逗号', or 'xlsx · Sheet1', in the user's language."""
        if self.fmt == "text":
            names = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}
            d = self.delimiter or ""
            delim = t(f"upload.delim.{names[d]}", lang) if d in names else d
            return f"{t('upload.fmt.text', lang)} · {self.encoding} · {delim}"
        return f"{self.fmt} · {self.sheet}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


# -- format and encoding ------------------------------------------------------------------


def detect_format(head: bytes, name: str) -> str:
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError("upload.err.empty", file=name)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    for magic, what in _MAGIC:
        if what and head.startswith(magic):
            raise IngestError("upload.err.not_table", file=name, what=what)
    return "text"


def detect_encoding(sample: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 (BOM, or NUL-interleaved), else charset-normalizer (GBK → GB18030)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    even, odd = sample[0:2000:2], sample[1:2000:2]
    if len(sample) >= 4 and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    if b"\x00" in sample:
        nul = sample.count(b"\x00")
        if nul <= max(2, len(sample) // 1000):  # a text file with a stray NUL: say where, not "binary"
            raise IngestError("upload.err.nul", file=name, line=sample[: sample.index(b"\x00")].count(b"\n") + 1)
        raise IngestError("upload.err.not_table", file=name, what="binary data")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    good, bad = _utf8_lines(sample)
    if good and bad:  # lines of Chinese in UTF-8 and lines that are not UTF-8: two files pasted together
        raise IngestError("upload.err.mixed_encoding", file=name, good=good, bad=bad)
    best = from_bytes(sample).best()
    if best is None:
        raise IngestError("upload.err.not_table", file=name, what="binary data")
    enc = best.encoding.lower().replace("_", "-")
    if enc in ("gb2312", "gbk", "gb18030", "hz", "cp936"):
        return "gb18030"  # the superset: never fails on a GBK byte the others miss
    if enc in _OTHER_CJK or enc not in _WESTERN:
        # Short GBK files are often guessed as Korean / Big5 / Shift-JIS (or a Cyrillic / Kazakh code
        # page); our users' exports are Simplified Chinese, so GB18030 wins whenever it decodes cleanly.
        try:
            codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
            return "gb18030"
        except UnicodeDecodeError:
            pass
    if enc not in _OTHER_CJK and enc not in _WESTERN:  # e.g. ptcp154 for a short file: garbled text, refused
        raise IngestError("upload.err.encoding", file=name, guess=enc)
    return enc


_OTHER_CJK = {"cp949", "euc-kr", "johab", "big5", "big5hkscs", "cp950", "shift-jis", "cp932", "euc-jp", "euc-jis-2004"}
# Encodings of Western exports (Excel "CSV" on a European / US Windows, old Mac): kept as detected.
_WESTERN = {"ascii", "utf-8", "cp1252", "latin-1", "iso8859-1", "iso-8859-1", "iso8859-15", "iso-8859-15",
            "cp1250", "iso8859-2", "mac-roman", "cp437", "cp850", "utf-16", "utf-16-le", "utf-16-be"}  # fmt: skip
_CJK = re.compile(r"[\u3400-\u9fff]")


def _utf8_lines(sample: bytes) -> tuple[int | None, int | None]:
    """(first line holding Chinese as valid UTF-8, first line that is not valid UTF-8), 1-based, or None."""
    good = bad = None
    lines = sample.split(b"\n")
    if len(sample) >= SAMPLE_BYTES:
        lines = lines[:-1]  # the last line may be cut inside a character
    for n, ln in enumerate(lines, 1):
        if ln.isascii():
            continue
        try:
            text = ln.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or n
            continue
        if good is None and len(_CJK.findall(text)) >= 2:
            good = n
        if good and bad:
            break
    return good, bad


# -- header row and delimiter ---------------------------------------------------------------


def find_header(rows: list[list[str]]) -> int:
    """Index of the header row: the row with most known header names; else the first full-width text row."""
    scan = rows[:HEADER_SCAN_ROWS]
    widths = [sum(1 for c in r if c.strip()) for r in scan]
    if not widths or max(widths) == 0:
        return 0
    hits = [header_hits([c.strip() for c in r]) if w >= 2 else 0 for r, w in zip(scan, widths, strict=True)]
    if max(hits) >= 2:
        return hits.index(max(hits))
    modal = Counter(w for w in widths if w >= 2).most_common(1)
    full = modal[0][0] if modal else max(widths)
    for i, (r, w) in enumerate(zip(scan, widths, strict=True)):
        if w >= max(2, 0.8 * full) and sum(1 for c in r if _is_number(c)) <= w // 2:
            return i
    return 0


def _is_number(c: str) -> bool:
    try:
        float(c.replace(",", ""))
        return True
    except ValueError:
        return False


def sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:100]
    best, best_score = ",", -1.0
    for d in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        except csv.Error:  # a field longer than the csv module takes: the header scan says which line
            continue
        if not counts:
            continue
        mode, n = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = mode * n / len(counts)
        if score > best_score:
            best, best_score = d, score
    return best


# -- sniffing ---------------------------------------------------------------------------


def sniff(path: str | Path, file_name: str | None = None, sheet: str | None = None) -> Source:
    """Recognise a file; raise IngestError with a plain reason when it is not a readable table."""
    path = Path(path)
    name = file_name or path.name
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    fmt = detect_format(head, name)
    src = Source(path=path, file_name=name, size=size, fmt=fmt)
    if fmt == "text":
        _sniff_text(src, head, size <= SAMPLE_BYTES)
    else:
        _sniff_excel(src, sheet)
    if not any(h.strip() for h in src.headers):
        raise IngestError("upload.err.no_header", file=name)
    return src


def _sniff_text(src: Source, head: bytes, whole: bool) -> None:
    enc = detect_encoding(head, src.file_name)
    src.encoding = enc
    text = codecs.getincrementaldecoder(enc)(errors="replace").decode(head, final=whole)
    if not text.strip():
        raise IngestError("upload.err.empty", file=src.file_name)
    src.delimiter = sniff_delimiter(text)
    if not whole:  # drop the last, possibly cut line
        text = text[: text.rfind("\n") + 1] if "\n" in text else text
    reader = csv.reader(io.StringIO(text), delimiter=src.delimiter)
    rows: list[tuple[int, list[str]]] = []  # (physical line where the record starts, cells)
    line = 1
    try:
        for rec in reader:
            if rec and any(c.strip() for c in rec):
                rows.append((line, rec))
            line = reader.line_num + 1
            if len(rows) > HEADER_SCAN_ROWS + 25:
                break
    except csv.Error as e:
        if "field larger" in str(e):
            raise IngestError("upload.err.cell_too_long", file=src.file_name, line=line, column="?",
                              n=f"> {csv.field_size_limit():,}", limit=f"{guard.MAX_CELL_CHARS:,}") from e  # fmt: skip
        raise IngestError("upload.err.not_table", file=src.file_name, what=str(e)) from e
    if not rows:
        raise IngestError("upload.err.empty", file=src.file_name)
    _check_cells(src, rows)
    i = find_header([r for _, r in rows])
    src.header_line = rows[i][0]
    src.headers = _dedupe([c.strip() for c in rows[i][1]], src)
    src.sample = [r for _, r in rows[i + 1 : i + 21]]
    if max(len(r) for _, r in rows) < 2:
        raise IngestError("upload.err.not_table", file=src.file_name, what="a single column of text")


def _sniff_excel(src: Source, sheet: str | None) -> None:
    """Checked first (zip sizes, sheet areas), then read by a limited worker process (kam_core.ingest.guard)."""
    if src.fmt == "xlsx":
        guard.check_xlsx(src.path, src.file_name)
    work = scratch.private_dir("kam_book_")
    try:
        src.sheets, sheets = guard.read_workbook(src.path, src.file_name, [sheet] if sheet else None, work)
        if not src.sheets:
            raise IngestError("upload.err.empty", file=src.file_name)
        if sheet is not None and sheet not in src.sheets:
            raise IngestError("upload.err.no_sheet", file=src.file_name, sheet=sheet, sheets=", ".join(src.sheets))
        best: tuple | None = None
        for name, rows in sheets:
            nonblank = [r for r in rows if any(c for c in r)]
            if not nonblank:
                continue
            i = find_header(rows)
            score = (header_hits(rows[i]), len(nonblank))
            if best is None or score > best[0]:
                best = (score, name, rows, i)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if best is None:
        raise IngestError("upload.err.empty", file=src.file_name)
    _, src.sheet, rows, i = best
    src.header_line = i + 1
    src.headers = _dedupe(rows[i], src)
    width = len(src.headers)
    src._rows = [(r + [""] * width)[:width] for r in rows[i + 1 :]]
    src.sample = [r for r in src._rows if any(r)][:20]
    _check_cells(src, ((src.header_line + 1 + k, r) for k, r in enumerate(src._rows)))


def _dedupe(headers: list[str], src: Source | None = None) -> list[str]:
    """Unique header names (blank → column_N, repeated → name_2) so a mapping can name each column.

    A name given twice is recorded in ``src.duplicates`` (name → column numbers): the preview says so,
    and the mapping offers both columns.
    """
    out: list[str] = []
    seen: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        h = h.strip() or f"column_{i + 1}"
        seen[h] += 1
        where.setdefault(h, []).append(i + 1)
        out.append(h if seen[h] == 1 else f"{h}_{seen[h]}")
    while out and out[-1].startswith("column_"):
        out.pop()  # trailing empty cells are not columns
    if src is not None:
        src.duplicates = {h: cols for h, cols in where.items() if len(cols) > 1 and not h.startswith("column_")}
    return out


def _check_cells(src: Source, rows: object) -> None:
    """Refuse a cell longer than Excel's own limit, or holding a NUL character, naming its line and column.

    ``rows``: (line as the user sees it, cells). A NUL is refused, not stripped: an exported table never
    has one, so the file is damaged, and a silently cleaned name could merge two accounts.
    """
    limit = guard.MAX_CELL_CHARS
    for line, r in rows:  # type: ignore[attr-defined]
        if not r:
            continue
        if max(map(len, r)) > limit or "\x00" in "\x01".join(r):
            for j, c in enumerate(r):
                col = src.headers[j] if j < len(src.headers) else f"#{j + 1}"
                if len(c) > limit:
                    raise IngestError("upload.err.cell_too_long", file=src.file_name, line=line, column=col,
                                      n=f"{len(c):,}", limit=f"{limit:,}")  # fmt: skip
                if "\x00" in c:
                    raise IngestError("upload.err.nul", file=src.file_name, line=line)


# -- staging --------------------------------------------------------------------------------


def stage_raw(con: duckdb.DuckDBPyConnection, src: Source, tmpdir: Path, progress: Progress | None = None) -> None:
    """Table ``raw`` (c0 … cN VARCHAR, _line BIGINT) in the staging connection; sets src.sha256."""
    n = len(src.headers)
    cols = [f"c{i}" for i in range(n)]
    if src.fmt != "text":
        src.sha256 = sha256_file(src.path)
        rows = src._rows or []
        data = {c: [r[i] if r[i] != "" else None for r in rows] for i, c in enumerate(cols)}
        data["_line"] = list(range(src.header_line + 1, src.header_line + 1 + len(rows)))
        con.register("raw_in", pa.table(data))
        blank = " AND ".join(f"{c} IS NULL" for c in cols)
        con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT * FROM raw_in WHERE NOT ({blank})")  # noqa: S608
        con.unregister("raw_in")
        return
    csv_path, finish = _utf8_copy(src, tmpdir, progress)
    rows = None
    try:
        _read_csv(con, src, csv_path, cols)
        rows = int(con.execute("SELECT count(*) FROM raw").fetchone()[0])
    finally:
        finish(rows)  # the hash ran alongside DuckDB's read: src.sha256 (and src.blank_lines) set from here on
    # Physical line of a row: header line + 1 + its position, plus the blank lines DuckDB skipped.
    # Without blank lines it is computed from rowid later (no 1M-row UPDATE).
    src.line_base = int(src.header_line) + 1
    if src.blank_lines:
        src.line_base = None
        con.execute("ALTER TABLE raw ADD COLUMN _line BIGINT")
        con.execute(f"UPDATE raw SET _line = rowid + {int(src.header_line) + 1}")  # noqa: S608
        # the j-th blank line b_j (1-based) shifts every row whose line without blanks is >= b_j - (j - 1)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE blanks AS
               SELECT b - (row_number() OVER (ORDER BY b) - 1) AS c FROM (SELECT unnest(?::BIGINT[]) AS b)""",
            [src.blank_lines],
        )
        con.execute(
            """UPDATE raw SET _line = _line + (SELECT count(*) FROM blanks WHERE c <= raw._line)
               WHERE _line >= (SELECT min(c) FROM blanks)"""
        )
    _check_raw(con, src, cols)


def _read_csv(con: duckdb.DuckDBPyConnection, src: Source, csv_path: Path, cols: list[str]) -> None:
    """Table ``raw``: the (UTF-8) text below the header, every column as text; refused with a plain reason."""
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
    base = f"""read_csv(?, delim = ?, header = false, skip = {int(src.header_line)}, columns = {spec},
        null_padding = true, auto_detect = false, quote = '"', escape = '"', ignore_errors = false,
        strict_mode = false, max_line_size = {int(guard.MAX_LINE_BYTES)}"""
    try:
        with _deadline(con, src):
            try:
                con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT * FROM {base})", [str(csv_path), src.delimiter])  # noqa: S608
            except duckdb.InterruptException:
                raise
            except duckdb.Error as e:
                if "parallel" not in str(e):
                    raise
                con.execute(
                    f"CREATE OR REPLACE TABLE raw AS SELECT * FROM {base}, parallel = false)",  # noqa: S608
                    [str(csv_path), src.delimiter],
                )
    except duckdb.InterruptException as e:
        raise IngestError("upload.err.reader_time", file=src.file_name, seconds=guard.READER_SECONDS) from e
    except duckdb.Error as e:
        msg = str(e)
        if "line size" in msg.lower():
            m = re.search(r"line (\d+)", msg[msg.find("Maximum") :]) or re.search(r"[Ll]ine:? (\d+)", msg)
            raise IngestError("upload.err.line_too_long", file=src.file_name, line=m.group(1) if m else "?",
                              limit=f"{guard.MAX_LINE_BYTES:,}") from e  # fmt: skip
        raise IngestError("upload.err.not_table", file=src.file_name, what=msg.splitlines()[0][:200]) from e


def _check_raw(con: duckdb.DuckDBPyConnection, src: Source, cols: list[str]) -> None:
    """The whole staged text file held to the cell rules of :func:`_check_cells` (one vectorised pass).

    ``strlen`` (bytes, constant time) ≥ ``length`` (characters): only a cell with more bytes than the limit is
    counted in characters. The NUL test is left out when the reader saw the whole text and it has no NUL.
    """
    n = int(guard.MAX_CELL_CHARS)
    nul = src.may_hold_nul
    cond = " OR ".join(f"(strlen({c}) > {n} AND length({c}) > {n})" + (f" OR contains({c}, chr(0))" if nul else "")
                       for c in cols)  # fmt: skip
    line = "_line" if src.line_base is None else f"rowid + {int(src.line_base)}"
    hit = con.execute(f"SELECT {line}, {', '.join(cols)} FROM raw WHERE {cond} ORDER BY 1 LIMIT 1").fetchone()  # noqa: S608
    if hit:
        _check_cells(src, [(int(hit[0]), [c or "" for c in hit[1:]])])


class _deadline:
    """Interrupt the staging query after guard.READER_SECONDS (a file that takes longer is refused)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, src: Source) -> None:
        self.timer = threading.Timer(guard.READER_SECONDS, con.interrupt)
        self.timer.daemon = True

    def __enter__(self) -> None:
        self.timer.start()

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def _utf8_copy(src: Source, tmpdir: Path, progress: Progress | None) -> tuple[Path, Callable[[], None]]:
    """Hash the file and find blank lines; write a UTF-8 copy only when needed.

    Returns the file DuckDB reads and a function to call once it has read it, with the number of rows read
    (None when the read failed): a UTF-8 file is hashed on a thread meanwhile, and that function waits for
    the hash (and raises what the thread raised).
    """
    if src.encoding in ("utf-8", "ascii", "utf-8-sig"):
        return src.path, _scan_utf8(src, progress)
    h = hashlib.sha256()
    transcode = True
    out_path = tmpdir / "utf8.csv"
    dec = codecs.getincrementaldecoder(src.encoding or "utf-8")(errors="replace")
    out = scratch.open_private(out_path, "w", encoding="utf-8", newline="") if transcode else None
    done, line, prev_nl, prev_cr, nul = 0, 1, True, False, False
    blanks: list[int] = []
    try:
        with open(src.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
                done += len(chunk)
                text = dec.decode(chunk) if transcode else None
                if text is not None and done == len(chunk):
                    text = text.lstrip("\ufeff")
                if out is not None and text is not None:
                    out.write(text)
                    nul = nul or "\x00" in text
                # blank lines below the header (rare; a short scan of "\n\n" only)
                data = text if text is not None else chunk
                if len(blanks) < 100_000 and data:
                    data, prev_cr = _join_crlf(data, prev_cr)
                    line, prev_nl = _scan_blanks(data, line, prev_nl, src.header_line, blanks)
                if progress:
                    progress(min(1.0, done / max(src.size, 1)), "read")
            if out is not None:
                rest = dec.decode(b"", final=True)
                out.write(rest)
                nul = nul or "\x00" in rest
    finally:
        if out is not None:
            out.close()
    src.sha256 = h.hexdigest()
    src.blank_lines = blanks
    src.may_hold_nul = nul
    return (out_path if transcode else src.path), lambda rows: None


def _scan_utf8(src: Source, progress: Progress | None) -> Callable[[int | None], None]:
    """Hash a UTF-8 file and count its lines and NUL bytes: sets src.may_hold_nul and, once the returned
    function is called with the number of rows DuckDB read, src.sha256 and src.blank_lines.

    The hash runs on a thread (hashlib releases the GIL, and so does DuckDB's read that follows) while this
    one counts line breaks (a fast one-byte count; a CR not followed by LF makes the count unsure). When
    every line below the header became a row, there is no blank line; otherwise (rare: blank lines, a
    quoted line break, CR-only breaks) the file is scanned again for the blank lines' numbers. The returned
    function waits for the hash and raises what its thread raised.
    """
    digest: list[str] = []
    failed: list[BaseException] = []

    def _hash() -> None:
        try:
            digest.append(sha256_file(src.path))
        except BaseException as e:  # re-raised on the caller's thread
            failed.append(e)

    hasher = threading.Thread(target=_hash, name="kam-ingest-sha256", daemon=True)
    hasher.start()
    lines: int | None = None

    def _finish(rows: int | None) -> None:
        hasher.join()
        if failed:
            raise failed[0]
        src.sha256 = digest[0]
        if rows is not None and (lines is None or lines - int(src.header_line) != rows):
            src.blank_lines = _blank_lines(src)

    try:
        nul, lf, cr, crlf, prev, done = False, 0, 0, 0, -1, 0
        with open(src.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                done += len(chunk)
                lf += chunk.count(b"\n")
                if b"\r" in chunk:
                    cr += chunk.count(b"\r")
                    crlf += chunk.count(b"\r\n")
                crlf += prev == 13 and chunk[0] == 10  # a CR LF across two chunks
                nul = nul or b"\x00" in chunk
                prev = chunk[-1]
                if progress:
                    progress(min(1.0, done / max(src.size, 1)), "read")
        if cr == crlf:  # every break is one LF (alone or after a CR): lines = breaks, + an unterminated last line
            lines = lf + (prev not in (-1, 10))
    except BaseException:
        _finish(None)
        raise
    src.blank_lines = []
    src.may_hold_nul = nul
    return _finish


def _blank_lines(src: Source) -> list[int]:
    """Physical line numbers of the blank lines below the header of a UTF-8 file (at most 100 000)."""
    blanks: list[int] = []
    line, prev_nl, prev_cr = 1, True, False
    with open(src.path, "rb") as fh:
        while (chunk := fh.read(CHUNK)) and len(blanks) < 100_000:
            chunk, prev_cr = _join_crlf(chunk, prev_cr)
            line, prev_nl = _scan_blanks(chunk, line, prev_nl, src.header_line, blanks)
    return blanks


def _join_crlf(data: str | bytes, prev_cr: bool) -> tuple[str | bytes, bool]:
    """Drop the LF of a CR LF split across two chunks (one line break, not two); returns (data, ends with CR)."""
    nl, cr = ("\n", "\r") if isinstance(data, str) else (b"\n", b"\r")
    if prev_cr and data.startswith(nl):
        data = data[1:]
    return data, data.endswith(cr)


def _scan_blanks(data: str | bytes, line: int, prev_nl: bool, header_line: int, blanks: list[int]) -> tuple[int, bool]:
    """Record physical line numbers (1-based) of empty lines after the header; returns (line, ended_on_newline).

    Works on text or on raw UTF-8 bytes (no decoding on the fast path).
    """
    if not data:  # e.g. only the LF of a split CR LF: nothing changes
        return line, prev_nl
    nl, cr = ("\n", "\r") if isinstance(data, str) else (b"\n", b"\r")
    if cr in data:
        data = data.replace(cr + nl, nl).replace(cr, nl)
    if prev_nl and data.startswith(nl) and line > header_line:
        blanks.append(line)
    last, last_line = 0, line
    pos = data.find(nl + nl)
    while pos != -1 and len(blanks) < 100_000:
        last_line += data.count(nl, last, pos + 1)
        last = pos + 1
        if last_line > header_line:
            blanks.append(last_line)
        pos = data.find(nl + nl, pos + 1)
    return line + data.count(nl), data.endswith(nl)
