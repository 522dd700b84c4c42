"""Test data for the Pareto tests: sales lines with every column the Pareto dimensions use."""

from __future__ import annotations

import pandas as pd

from kam_core.db import Database
from tests.helpers import insert_sales

LINE_COLS = ["period", "account", "store", "province", "region", "channel", "sku", "category", "revenue", "volume",
             "gross_profit", "trade_spend", "kam"]  # fmt: skip


def add_lines(db: Database, lines: list[dict], user: str = "tester") -> None:
    """lines: dicts with 'period' ('YYYY-MM'), 'account', 'revenue' and any other sales column."""
    df = pd.DataFrame(lines).reindex(columns=LINE_COLS)
    for c in ("revenue", "volume", "gross_profit", "trade_spend"):
        df[c] = df[c].astype("float64")
    for c in ("account", "store", "province", "region", "channel", "sku", "category", "kam"):
        df[c] = df[c].astype("object")
    insert_sales(db, df, user)


def totals(db: Database, values: dict[str, float], period: str = "2026-01", **cols: object) -> None:
    """One line per entity (account) with the given revenue."""
    add_lines(db, [{"period": period, "account": k, "revenue": v, **cols} for k, v in values.items()])
