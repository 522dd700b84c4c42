"""Test data for the Pareto tests: sales lines with every column the Pareto dimensions use."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kam_core.db import Database

LINE_COLS = ["period", "account", "store", "province", "region", "channel", "sku", "category", "revenue", "volume",
             "gross_profit", "trade_spend", "kam"]  # fmt: skip


def add_lines(db: Database, lines: list[dict], user: str = "tester") -> None:
    """lines: dicts with 'period' ('YYYY-MM'), 'account', 'revenue' and any other sales column."""
    df = pd.DataFrame(lines).reindex(columns=LINE_COLS)
    df["period"] = [date(int(p[:4]), int(p[5:7]), 1) for p in df["period"]]
    for c in ("revenue", "volume", "gross_profit", "trade_spend"):
        df[c] = df[c].astype("float64")
    for c in ("account", "store", "province", "region", "channel", "sku", "category", "kam"):
        df[c] = df[c].astype("object")
    with db.transaction(user, "test") as cur:
        uid = cur.execute(
            "INSERT INTO uploads (kind, file_name, sha256, user_name, created_at) VALUES ('sales', 't', 'x', ?, now()) "
            "RETURNING id",
            [user],
        ).fetchone()[0]
        cur.register("lines_in", df)
        cols = ", ".join(LINE_COLS)
        cur.execute(f"INSERT INTO sales ({cols}, upload_id) SELECT {cols}, ? FROM lines_in", [uid])
        cur.unregister("lines_in")


def totals(db: Database, values: dict[str, float], period: str = "2026-01", **cols: object) -> None:
    """One line per entity (account) with the given revenue."""
    add_lines(db, [{"period": period, "account": k, "revenue": v, **cols} for k, v in values.items()])
