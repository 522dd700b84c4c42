"""Downloadable upload templates (CSV and XLSX, English or Chinese headers) with one example row."""

from __future__ import annotations

import pandas as pd

from kam_core.export_safe import to_csv_bytes, to_xlsx_bytes
from kam_core.i18n import t
from kam_core.ingest.mapping import FIELDS

EXAMPLE: dict[str, dict[str, object]] = {
    "sales": {"period": "2026-03", "account": "Carrefour", "revenue": 12345.67, "store": "00017",
              "province": "Shanghai", "city": "Shanghai", "region": "East", "channel": "hypermarket",
              "sku": "000123", "category": "Beverages", "volume": 100, "unit_price": 123.4567,
              "gross_profit": 3456.78, "trade_spend": 500, "kam": "Li Wei"},
    "accounts": {"account": "Carrefour", "name_zh": "家乐福", "international": "yes", "origin_country": "France",
                 "format": "hypermarket", "kam": "Li Wei", "strategic_fit": 4, "parent_group": "Carrefour Group"},
    "stores": {"store": "00017", "account": "Carrefour", "province": "Shanghai", "city": "Shanghai",
               "region": "East", "format": "hypermarket", "opened": "2015-06-01"},
    "receivables": {"account": "Carrefour", "as_of": "2026-03-31", "current": 100000, "overdue_1_30": 20000,
                    "overdue_31_60": 5000, "overdue_61_90": 0, "overdue_90_plus": 0},
}  # fmt: skip


def headers(kind: str, lang: str) -> list[str]:
    """Column names the mapping recognises: the field names (en) or their Chinese labels (zh)."""
    if lang == "zh":
        return [t(f"field.{f.name}", "zh").replace(" ", "") for f in FIELDS[kind]]
    return [f.name for f in FIELDS[kind]]


def frame(kind: str, lang: str) -> pd.DataFrame:
    row = [EXAMPLE[kind].get(f.name) for f in FIELDS[kind]]
    return pd.DataFrame([row], columns=headers(kind, lang))


def template_csv(kind: str, lang: str) -> bytes:
    return to_csv_bytes(frame(kind, lang))


def template_xlsx(kind: str, lang: str) -> bytes:
    return to_xlsx_bytes({kind: frame(kind, lang)})
