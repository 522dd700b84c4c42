"""Small helpers for hand-made test data."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kam_core.db import Database

COLS = ["period", "account", "region", "channel", "revenue", "gross_profit", "kam"]


def add_sales(db: Database, rows: list[tuple], user: str = "tester") -> None:
    """rows: (period 'YYYY-MM', account, region, channel, revenue, gross_profit, kam)."""
    df = pd.DataFrame(rows, columns=COLS)
    df["period"] = [date(int(p[:4]), int(p[5:7]), 1) for p in df["period"]]
    with db.transaction(user, "test") as cur:
        uid = cur.execute(
            "INSERT INTO uploads (kind, file_name, sha256, user_name, created_at) VALUES ('sales', 't', 'x', ?, now()) "
            "RETURNING id",
            [user],
        ).fetchone()[0]
        cur.register("rows_in", df)
        cur.execute(
            """INSERT INTO sales (period, account, region, channel, revenue, gross_profit, kam, upload_id)
               SELECT period, account, region, channel, revenue, gross_profit, kam, ? FROM rows_in""",
            [uid],
        )
        cur.unregister("rows_in")
