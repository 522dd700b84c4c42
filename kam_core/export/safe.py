"""Formula-safe CSV / XLSX exports (spec §3, §10): data is written as data, never as a formula.

A text cell starting with = + - @ tab or CR is prefixed with an apostrophe in CSV (the
OWASP advice; spreadsheet apps then show it as text). XLSX cells are written with explicit
types, so a string stays a string and nothing is turned into a formula, URL or number.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(v: object) -> object:
    """A text cell made safe for a spreadsheet; other values unchanged."""
    if isinstance(v, str) and v.startswith(DANGEROUS):
        return "'" + v
    return v


def to_csv_bytes(df: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """CSV with a BOM (Excel then reads Chinese correctly) and every text cell neutralised."""
    safe = df.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(neutralise)
    return safe.to_csv(index=False).encode(encoding)


def to_xlsx_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per frame; strings written as strings, numbers as numbers."""
    import xlsxwriter

    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, df in sheets.items():
        ws = wb.add_worksheet(str(name)[:31])
        for j, col in enumerate(df.columns):
            ws.write_string(0, j, str(col), bold)
        for i, row in enumerate(df.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                _write(ws, i, j, v, date_fmt)
    wb.close()
    return buf.getvalue()


def _write(ws, i: int, j: int, v: object, date_fmt) -> None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        ws.write_blank(i, j, None)
    elif isinstance(v, bool):
        ws.write_boolean(i, j, v)
    elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        ws.write_number(i, j, float(v))
    elif isinstance(v, (datetime, date, pd.Timestamp)):
        ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), date_fmt)
    else:
        ws.write_string(i, j, str(v))
