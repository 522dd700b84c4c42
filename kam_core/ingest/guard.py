"""Untrusted files: cheap checks before reading, and the workbook read in a limited worker process.

An .xlsx is a zip of XML. Before any Excel library sees it, :func:`check_xlsx` reads only the zip
directory (declared sizes, compression ratios) and streams each sheet's XML once, looking at its
``<dimension ref=…>`` and at the cell references actually present: a 5 KB file with one cell at
``XFD1048576`` (17 billion cells, 512 GiB in the reader) or a 2 MB zip bomb is refused there.
Whatever slips through is read by :func:`read_workbook` in a separate process with an address-space
and a CPU-time limit (``xlsx_worker.py``): a crash or a limit becomes an IngestError, never a dead server.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from kam_core.ingest.errors import IngestError

# Limits of one workbook (module constants: tests lower them; the messages name them).
MAX_CELLS = 20_000_000  # rows × columns of a sheet's range (A1 to its last cell): ~1 GB in the reader
MAX_UNCOMPRESSED = 2 * 1024**3  # all entries of the zip together, as declared
MAX_RATIO = 100  # uncompressed / compressed size of one entry above RATIO_FROM bytes (XML rarely passes 20)
RATIO_FROM = 10 * 1024**2
MAX_ENTRIES = 10_000
READER_MEMORY = 3 * 1024**3  # address space of the reader process
READER_SECONDS = 300  # wall-clock time of the reader process (CPU time is limited to the same)
MAX_CELL_CHARS = 32_767  # Excel's own limit of one cell; text files are held to it too
MAX_LINE_BYTES = 1024**2  # one physical line of a text file

_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DIM = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{1,3})(\d+))?"')
_CELL_COL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})\d')
_CELL_ROW = re.compile(rb'<(?:\w+:)?(?:c|row)\b[^>]*?\sr="[A-Z]{0,3}(\d{1,9})"')
_SCAN_CHUNK = 8 * 1024**2


def _mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB" if n < 1024**3 else f"{n / 1024**3:,.1f} GB"


def col_number(letters: bytes | str) -> int:
    """A1-style column letters → 1-based number (XFD → 16 384)."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path: Path, name: str) -> None:
    """Refuse a workbook whose zip or sheets would take more than the limits to read (reads no cell value)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise IngestError("upload.err.corrupt", file=name, detail=str(e)[:200]) from e
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise IngestError("upload.err.zip_entries", file=name, n=f"{len(infos):,}", limit=f"{MAX_ENTRIES:,}")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise IngestError("upload.err.zip_size", file=name, size=_mb(total), limit=_mb(MAX_UNCOMPRESSED))
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > RATIO_FROM and ratio > MAX_RATIO:
                raise IngestError("upload.err.zip_ratio", file=name, entry=i.filename[:80], size=_mb(i.file_size),
                                  packed=_mb(i.compress_size), ratio=f"{ratio:,.0f}", limit=MAX_RATIO)  # fmt: skip
        titles = _sheet_titles(zf)
        for i in infos:
            if _SHEET.match(i.filename):
                _check_sheet(zf, i, name, titles.get(i.filename.lower()))


def _sheet_titles(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML part (lower case) → the sheet's name the user sees, from workbook.xml and its relations."""
    try:
        parts = {i.filename: i for i in zf.infolist()}
        wb, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
        if wb is None or rels is None or wb.file_size > 4 * 1024**2 or rels.file_size > 4 * 1024**2:
            return {}
        rel_xml = zf.read(rels)
        target: dict[bytes, bytes] = {}
        for m in re.finditer(rb"<Relationship\b[^>]*>", rel_xml):
            rid, tgt = re.search(rb'\bId="([^"]+)"', m[0]), re.search(rb'\bTarget="([^"]+)"', m[0])
            if rid and tgt:
                target[rid[1]] = tgt[1]
        out = {}
        for m in re.finditer(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"', zf.read(wb)):
            t = target.get(m[2], b"").decode("utf-8", "replace").lstrip("/")
            t = t if t.startswith("xl/") else "xl/" + t
            out[t.lower()] = m[1].decode("utf-8", "replace")
        return out
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return {}


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, title: str | None) -> None:
    """The declared dimension and the furthest cell present, streamed (never more than the declared size)."""
    sheet = title or info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    max_col = max_row = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            first = True
            while chunk := fh.read(_SCAN_CHUNK):
                data = tail + chunk
                if first:
                    first = False
                    if m := _DIM.search(data[: 64 * 1024]):
                        c1, r1, c2, r2 = m.groups()
                        c, r = (c2, r2) if c2 else (c1, r1)
                        _refuse_area(name, sheet, col_number(c or b"A"), int(r or 1), "upload.err.sheet_dimension")
                cols = set(_CELL_COL.findall(data))
                if cols:
                    max_col = max(max_col, max(col_number(c) for c in cols))
                rows = set(_CELL_ROW.findall(data))
                if rows:
                    max_row = max(max_row, max(int(r) for r in rows))
                _refuse_area(name, sheet, max_col or 1, max_row or 1, "upload.err.sheet_cells")
                cut = data.rfind(b"<")  # a tag cut at the chunk's end is read with the next chunk
                tail = data[cut:] if cut >= 0 and len(data) - cut < 4096 else b""
    except IngestError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:  # CRC error, truncated, bad compression
        raise IngestError("upload.err.corrupt", file=name, detail=str(e)[:200]) from e


def _refuse_area(name: str, sheet: str, cols: int, rows: int, key: str) -> None:
    if cols * rows > MAX_CELLS:
        last = _letters(cols) + str(rows)
        raise IngestError(key, file=name, sheet=sheet, last=last, cells=f"{cols * rows:,}", limit=f"{MAX_CELLS:,}")


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def read_workbook(path: Path, name: str, sheets: list[str] | None, workdir: Path) -> tuple[list[str], list]:
    """(sheet names, [rows of each requested sheet or of every sheet]) read by the worker process.

    The rows of one sheet are lists of cell texts (see ``xlsx_worker.cell``); yields them one sheet at a
    time (a generator in the second item) so only one sheet's rows are held at once.
    """
    out = workdir / "book"
    out.mkdir(mode=0o700, exist_ok=True)
    worker = Path(__file__).with_name("xlsx_worker.py")
    cmd = [sys.executable, "-I", str(worker), str(path), str(out), str(READER_MEMORY), str(READER_SECONDS),
           *(sheets or [])]  # fmt: skip
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=READER_SECONDS, check=False)
    except subprocess.TimeoutExpired as e:
        shutil.rmtree(out, ignore_errors=True)
        raise IngestError("upload.err.reader_time", file=name, seconds=READER_SECONDS) from e
    if proc.returncode == 2 and (out / "error.json").exists():
        detail = json.loads((out / "error.json").read_text(encoding="utf-8"))["detail"]
        shutil.rmtree(out, ignore_errors=True)
        raise IngestError("upload.err.corrupt", file=name, detail=detail)
    if proc.returncode != 0:  # killed by a limit (memory → abort, CPU → SIGXCPU) or crashed
        shutil.rmtree(out, ignore_errors=True)
        raise IngestError("upload.err.reader_limit", file=name, memory=_mb(READER_MEMORY), seconds=READER_SECONDS,
                          code=proc.returncode)  # fmt: skip
    names = json.loads((out / "meta.json").read_text(encoding="utf-8"))["sheets"]
    wanted = sheets or names

    def _rows():
        try:
            for i, s in enumerate(wanted):
                f = out / f"sheet_{i}.json"
                if f.exists():
                    rows = json.loads(f.read_text(encoding="utf-8"))
                    f.unlink()
                    yield s, rows
        finally:
            shutil.rmtree(out, ignore_errors=True)

    return names, _rows()  # type: ignore[return-value]
