"""Hostile files built in the tests (never committed as fixtures): huge declared sheets, zip bombs, odd text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["period", "account", "revenue"])
    ws.append(["2026-03", "Carrefour", 100])
    return wb


def far_cell_xlsx(path: Path) -> Path:
    """A ~5 KB workbook with one cell at XFD1048576: its range is 17 billion cells."""
    wb = _book()
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    return path


def lying_dimension_xlsx(path: Path) -> Path:
    """The far cell, but the sheet's <dimension> says A1:C2 (only the cells present tell)."""
    far_cell_xlsx(path)
    return _rewrite(path, lambda n, d: d.replace(b'ref="A1:XFD1048576"', b'ref="A1:C2"') if "worksheets" in n else d)


def zip_bomb_xlsx(path: Path, gigabytes: float = 1.0) -> Path:
    """A valid workbook whose sheet XML is padded to ``gigabytes`` of repeated bytes (~1 MB compressed)."""
    buf = io.BytesIO()
    _book().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.partition(b"</sheetData>")
                pad = b"<!--" + b" " * (64 * 1024 - 7) + b"-->"
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head)
                    for _ in range(int(gigabytes * 1024**3) // len(pad)):
                        fh.write(pad)
                    fh.write(b"</sheetData>" + tail)
            else:
                out.writestr(info.filename, data)
    return path


def _rewrite(path: Path, change: Callable[[str, bytes], bytes]) -> Path:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, change(info.filename, src.read(info)))
    return path
