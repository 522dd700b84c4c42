"""Reads a workbook in its own process, under memory and CPU limits, and writes its rows as JSON files.

Run as a script by :func:`kam_core.ingest.guard.read_workbook` (``python -I xlsx_worker.py …``), never
imported by the app for reading: a hostile workbook can make the Excel library ask for hundreds of GiB
and abort, and that must end this process, not the server. Only the standard library and
python-calamine are imported here (a small address space, so the limit can be tight).

Arguments: workbook path, output folder, address-space limit in bytes (0 = none), CPU seconds
(0 = none), then the sheets to read (none = every sheet). Writes ``meta.json`` (sheet names) and
``sheet_<i>.json`` (rows of cell texts, for the i-th sheet read); on a readable error ``error.json``
and exit code 2.
"""

from __future__ import annotations

import json
import math
import os
import sys
from datetime import date, datetime, time, timedelta


def cell(v: object) -> str:
    """An Excel cell as the text the user sees (whole numbers without .0, dates as ISO)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    return str(v).strip()


def _limit(mem: int, cpu: int) -> None:
    import resource

    if mem > 0:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    if cpu > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def main(argv: list[str]) -> int:
    path, out, mem, cpu, wanted = argv[0], argv[1], int(argv[2]), int(argv[3]), argv[4:]
    _limit(mem, cpu)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(path)
        names = list(book.sheet_names)
        _write(os.path.join(out, "meta.json"), {"sheets": names})
        for i, name in enumerate(wanted or names):
            if name not in names:
                continue
            raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[cell(v) for v in r] for r in raw]
            del raw
            _write(os.path.join(out, f"sheet_{i}.json"), rows)
            del rows
    except MemoryError:
        return 3
    except Exception as e:  # not a workbook, or damaged: a readable reason for the user
        _write(os.path.join(out, "error.json"), {"detail": str(e)[:200]})
        return 2
    return 0


def _write(path: str, obj: object) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
