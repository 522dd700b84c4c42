"""Hand-made data for the account-plan tests: full sales lines (SKU, category, store, trade spend) and receivables."""

from __future__ import annotations

import pandas as pd

from kam_core.db import Database
from tests.helpers import insert_sales

SALES_COLS = ["period", "account", "store", "province", "sku", "category", "revenue", "gross_profit", "trade_spend"]


def add_lines(db: Database, rows: list[tuple], user: str = "tester") -> None:
    """rows: (period 'YYYY-MM', account, store, province, sku, category, revenue, gross_profit, trade_spend)."""
    insert_sales(db, pd.DataFrame(rows, columns=SALES_COLS), user, extra={"channel": "hypermarket"})


def add_receivables(db: Database, rows: list[tuple], user: str = "tester") -> None:
    """rows: (account, as_of 'YYYY-MM-DD', current, overdue_1_30, overdue_31_60, overdue_61_90, overdue_90_plus)."""
    with db.transaction(user, "test") as cur:
        for r in rows:
            cur.execute("INSERT INTO receivables VALUES (?, ?::DATE, ?, ?, ?, ?, ?, 0)", list(r))


def month(y: int, m: int) -> str:
    return f"{y}-{m:02d}"


def tracking_dataset(db: Database) -> None:
    """Acme: 2025 and Jan–Jun 2026.

    Snacks: 100 a month Jan–Jun 2025, 200 Jul–Dec 2025, 110 Jan–Jun 2026 (+10%).
    Dairy: 50 a month in 2025, 40 in 2026 (-20%). Gross margin 30%; trade spend 8% in 2025, 12% in 2026.
    Two stores (S1 Guangdong sells both, S2 Zhejiang sells Dairy in 2025 only); SKUs K1 (Snacks), D1 (Dairy).
    """
    rows = []
    for m in range(1, 13):
        snacks = 100.0 if m <= 6 else 200.0
        rows.append((month(2025, m), "Acme", "S1", "广东省", "K1", "Snacks", snacks, snacks * 0.3, snacks * 0.08))
        rows.append((month(2025, m), "Acme", "S2", "Zhejiang", "D1", "Dairy", 50.0, 15.0, 4.0))
    for m in range(1, 7):
        rows.append((month(2026, m), "Acme", "S1", "Guangdong", "K1", "Snacks", 110.0, 33.0, 13.2))
        rows.append((month(2026, m), "Acme", "S1", "Guangdong", "D1", "Dairy", 40.0, 12.0, 4.8))
    # another account, so totals and averages have something to compare with
    for y, n in ((2025, 12), (2026, 6)):
        for m in range(1, n + 1):
            rows.append((month(y, m), "Other", "O1", "Beijing", "K1", "Snacks", 1000.0, 250.0, 50.0))
    add_lines(db, rows)
    add_receivables(
        db,
        [
            ("Acme", "2025-12-31", 900, 200, 100, 0, 0),
            ("Acme", "2026-05-31", 1000, 60, 40, 0, 0),
            ("Acme", "2026-06-30", 1000, 50, 20, 10, 0),
        ],
    )
