"""Summary tables of the sales lines, maintained inside every write transaction that changes sales.

The fact table ``sales`` holds every uploaded line (store × SKU × month, often millions). Most
pages only need sums by month, account and the filter dimensions, so three smaller tables hold
exactly those sums and the pages read them instead of scanning the lines:

``sales_cube``
    one row per (period, account, province, region, channel, kam) with the sums of revenue,
    volume, gross profit and trade spend and how many lines carried each (``lines``,
    ``volume_lines``, ``gp_lines``, ``ts_lines``). Sums are DECIMAL(38,4), the type DuckDB gives
    ``sum()`` of the fact table's DECIMAL(18,4): a sum over the cube is *the same number* as the sum
    over the lines, to the last digit, and NULL where every line was NULL. Inserted in period
    order, so a month filter reads only that month's row groups.
``sales_coverage``
    one row per (period, region, channel, kam): per optional column the lines with a value and
    their absolute revenue (:mod:`kam_core.analytics.dimensions`).
``account_stores``
    one row per (account, store) ever sold through (store may be NULL): the all-time store
    footprint the tier classifier counts (provinces come from the cube).

Who keeps them: every code path that changes ``sales`` calls :func:`refresh` on its transaction
cursor before the commit — an upload (:mod:`kam_core.ingest.load`), a rollback, the demo, the
province → region map, a restore and the migration that created them. Refreshing is incremental:
only the months (cube, coverage) and accounts (footprint) the change touched are recomputed.
:func:`differences` compares all three with the fact table (tests assert it is empty after every
write path).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

# The optional columns of the sales lines (period, account and revenue are always there).
TEXT_COLUMNS = ("store", "province", "city", "region", "channel", "sku", "category", "kam")
AMOUNT_COLUMNS = ("volume", "gross_profit", "trade_spend")
COVERAGE_COLUMNS = TEXT_COLUMNS + AMOUNT_COLUMNS
CUBE_DIMS = ("period", "account", "province", "region", "channel", "kam")
COVERAGE_DIMS = ("period", "region", "channel", "kam")
SUM = "DECIMAL(38,4)"


def has_value(col: str) -> str:
    """SQL: the line has a value in ``col`` (a text column: not blank)."""
    return f"nullif(trim({col}), '') IS NOT NULL" if col in TEXT_COLUMNS else f"{col} IS NOT NULL"


CREATE = [
    f"""CREATE TABLE IF NOT EXISTS sales_cube (
        period DATE NOT NULL, account VARCHAR NOT NULL,
        province VARCHAR, region VARCHAR, channel VARCHAR, kam VARCHAR,
        revenue {SUM} NOT NULL, volume {SUM}, gross_profit {SUM}, trade_spend {SUM},
        lines BIGINT NOT NULL, volume_lines BIGINT NOT NULL, gp_lines BIGINT NOT NULL, ts_lines BIGINT NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS sales_coverage (
        period DATE NOT NULL, region VARCHAR, channel VARCHAR, kam VARCHAR,
        lines BIGINT NOT NULL, abs_revenue {SUM} NOT NULL,
        {", ".join(f"{c}_lines BIGINT NOT NULL, {c}_abs_revenue {SUM}" for c in COVERAGE_COLUMNS)})""",
    f"""CREATE TABLE IF NOT EXISTS account_stores (
        account VARCHAR NOT NULL, store VARCHAR, lines BIGINT NOT NULL, revenue {SUM} NOT NULL)""",
]

_CUBE_SELECT = f"""
SELECT {", ".join(CUBE_DIMS)},
       sum(revenue) AS revenue, sum(volume) AS volume, sum(gross_profit) AS gross_profit,
       sum(trade_spend) AS trade_spend, count(*) AS lines, count(volume) AS volume_lines,
       count(gross_profit) AS gp_lines, count(trade_spend) AS ts_lines
FROM sales WHERE {{cond}} GROUP BY ALL ORDER BY period"""  # noqa: S608 - fixed column names

_COVERAGE_SELECT = f"""
SELECT {", ".join(COVERAGE_DIMS)}, count(*) AS lines, sum(abs(revenue)) AS abs_revenue,
       {
    ", ".join(
        f"count(*) FILTER (WHERE {has_value(c)}), sum(abs(revenue)) FILTER (WHERE {has_value(c)})"
        for c in COVERAGE_COLUMNS
    )
}
FROM sales WHERE {{cond}} GROUP BY ALL ORDER BY period"""  # noqa: S608 - fixed column names

_STORES_SELECT = """
SELECT account, store, count(*) AS lines, sum(revenue) AS revenue
FROM sales WHERE {cond} GROUP BY ALL"""

SELECTS = {"sales_cube": _CUBE_SELECT, "sales_coverage": _COVERAGE_SELECT, "account_stores": _STORES_SELECT}
# Building all three from the lines already loaded (the migration that created them).
BUILD = [f"INSERT INTO {t} {s.format(cond='TRUE')}" for t, s in SELECTS.items()]


def create(cur: Any) -> None:
    for stmt in CREATE:
        cur.execute(stmt)


def refresh(cur: Any, periods: Sequence[date] | None = None, accounts: Sequence[str] | None = None) -> None:
    """Recompute the summaries for ``periods`` (cube, coverage) and ``accounts`` (footprint) from
    ``sales``, on the caller's transaction cursor. None = everything (a full rebuild)."""
    for table, select, key, values in (
        ("sales_cube", _CUBE_SELECT, "period", periods),
        ("sales_coverage", _COVERAGE_SELECT, "period", periods),
        ("account_stores", _STORES_SELECT, "account", accounts),
    ):
        if values is None:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            cur.execute(f"INSERT INTO {table} {select.format(cond='TRUE')}")
            continue
        values = sorted(set(values))
        if not values:
            continue
        kind = "DATE" if key == "period" else "VARCHAR"
        cond = f"{key} IN (SELECT unnest(?::{kind}[]))"
        cur.execute(f"DELETE FROM {table} WHERE {cond}", [values])  # noqa: S608
        cur.execute(f"INSERT INTO {table} {select.format(cond=cond)}", [values])


def touched_by_upload(cur: Any, upload_id: int) -> tuple[list[date], list[str]]:
    """Months and accounts a sales upload's rows and the rows it replaced lie in (what a commit or
    a rollback of it changes)."""
    rows = cur.execute(
        """SELECT DISTINCT period, account FROM sales WHERE upload_id = ?
           UNION SELECT DISTINCT period, account FROM sales_replaced WHERE replaced_by = ?""",
        [upload_id, upload_id],
    ).fetchall()
    return sorted({r[0] for r in rows}), sorted({r[1] for r in rows})


# -- checking -----------------------------------------------------------------------------------------
def differences(db_or_cur: Any) -> dict[str, int]:
    """Rows on which each summary and the same aggregate over ``sales`` disagree (0 everywhere = exact)."""
    cur = db_or_cur.cursor() if hasattr(db_or_cur, "cursor") else db_or_cur
    out = {}
    try:
        for table, select in (
            ("sales_cube", _CUBE_SELECT),
            ("sales_coverage", _COVERAGE_SELECT),
            ("account_stores", _STORES_SELECT),
        ):
            fresh = select.format(cond="TRUE").rsplit("ORDER BY", 1)[0]
            n = cur.execute(
                f"""SELECT count(*) FROM ((SELECT * FROM {table} EXCEPT ALL {fresh})
                    UNION ALL ({fresh} EXCEPT ALL SELECT * FROM {table}))"""  # noqa: S608 - fixed names
            ).fetchone()[0]
            out[table] = int(n)
    finally:
        if cur is not db_or_cur:
            cur.close()
    return out
