"""Formula-safe CSV / XLSX bytes for the Pareto list.

A small local guard: kam_core/export_safe.py (shared safe writers) did not exist when
this was written. Text cells that a spreadsheet would run as a formula (starting with
= + - @, tab or carriage return) get a leading apostrophe; numbers stay numbers, and the
XLSX writer is told never to turn strings into formulas or links.
"""

from __future__ import annotations

import io

import pandas as pd

_RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise(v: object) -> object:
    if isinstance(v, str) and v.startswith(_RISKY):
        return "'" + v
    return v


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese text correctly."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "pareto") -> bytes:
    buf = io.BytesIO()
    opts = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": opts}) as xw:
        safe_frame(df).to_excel(xw, sheet_name=sheet, index=False)
    return buf.getvalue()
