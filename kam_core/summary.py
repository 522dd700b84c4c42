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
only the months (cube, coverage) and accounts (footprint) the change touched are recomputed. An
upload does not even read ``sales``: :func:`apply_upload` updates all three from the file's own rows
and the rows it replaced (the stored sums + the new − the replaced; counts and DECIMAL sums add exactly).
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


def _coverage_select(clean: bool = False, sign: str = "") -> str:
    """The coverage aggregate over ``sales``. ``clean``: every text is its own trim and never blank (as the
    staging makes them), so having a value is being NOT NULL — the same test without a trim per cell.
    ``sign`` '-': every count and sum negated (rows that went out).

    In two steps: the lines are first grouped by the dimensions and which columns have a value (a file's
    columns are mostly all there or all missing, so few groups), then each column's count and revenue are
    summed over those groups — 11 tests per line instead of 22 filtered aggregates (0.20 → 0.13 s per
    1 M lines). Same numbers: counts and DECIMAL sums add exactly; a column no line has is 0 and NULL."""
    has = {c: f"{c} IS NOT NULL" if clean or c not in TEXT_COLUMNS else has_value(c) for c in COVERAGE_COLUMNS}
    flags = [f"h_{c}" for c in COVERAGE_COLUMNS]
    per_column = ", ".join(
        f"{sign}coalesce(sum(n) FILTER (WHERE h_{c}), 0)::BIGINT, {sign}sum(a) FILTER (WHERE h_{c})"
        for c in COVERAGE_COLUMNS
    )
    dims = ", ".join(COVERAGE_DIMS)
    return f"""
SELECT {dims}, {sign}sum(n)::BIGINT AS lines, {sign}sum(a) AS abs_revenue, {per_column}
FROM (SELECT {dims}, {", ".join(has[c] for c in COVERAGE_COLUMNS)}, count(*), sum(abs(revenue))
      FROM sales WHERE {{cond}} GROUP BY ALL) s({dims}, {", ".join(flags)}, n, a)
GROUP BY ALL ORDER BY period"""  # noqa: S608 - fixed column names


_COVERAGE_SELECT = _coverage_select()

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


def apply_upload(
    cur: Any,
    upload_id: int,
    new: str,
    scope: str,
    pairs: str,
    periods: Sequence[date],
    accounts: Sequence[str],
    *,
    clean: bool = False,
) -> None:
    """Bring the summaries up to date after a sales upload, from its own rows: no pass over ``sales``.

    On the upload's transaction cursor, once its rows are in ``sales`` and the rows it replaced are in
    ``sales_replaced`` (tagged ``replaced_by = upload_id``). ``new``: a relation holding exactly the rows it
    inserted (the columns of ``sales``). ``scope``: ``pairs`` — every (period, account) pair of ``new``
    (``pairs``, a relation of them) now holds just its rows of ``new``; ``months`` — every month of ``new``
    does. ``periods``: the months of ``new``; ``accounts``: the accounts of ``new`` and of the replaced rows.
    ``clean``: the texts of ``new`` are their own trim and never blank (staged rows are), see _coverage_select.

    The cube (by account) of the replaced pairs or months is the aggregate of ``new`` alone. The coverage
    (months, all accounts) and the footprint (accounts, all months) are the stored rows plus the sums of
    ``new`` minus those of the replaced rows: counts and DECIMAL sums add exactly, a group left with no
    line goes, and a sum over no line with a value is NULL, as the aggregate over ``sales`` gives. Where
    nothing is stored or replaced (a first upload, new accounts) that is the aggregate of ``new`` alone.
    """
    periods, accounts = sorted(set(periods)), sorted(set(accounts))
    replaced = f"(SELECT * FROM sales_replaced WHERE replaced_by = {int(upload_id)})"  # noqa: S608 - an int
    months = "period IN (SELECT unnest(?::DATE[]))"
    if scope == "months":
        cur.execute(f"DELETE FROM sales_cube WHERE {months}", [periods])  # noqa: S608
    else:
        cur.execute(f"DELETE FROM sales_cube USING {pairs} p "  # noqa: S608
                    "WHERE sales_cube.period = p.period AND sales_cube.account = p.account")  # fmt: skip
    # in period order (a month filter reads only its row groups); a file of one month is in order as it is
    cur.execute(f"INSERT INTO sales_cube {_over(_CUBE_SELECT, new, ordered=len(periods) > 1)}")
    gone = cur.execute(f"SELECT count(*) FROM {replaced}").fetchone()[0]  # noqa: S608
    # coverage: the months' stored rows (none stay under ``months``) + new − replaced
    merge = []
    if scope != "months":
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _kam_coverage_old AS SELECT * FROM sales_coverage WHERE {months}",  # noqa: S608
                    [periods])  # fmt: skip
        if gone or cur.execute("SELECT count(*) FROM _kam_coverage_old").fetchone()[0]:
            merge = ["SELECT * FROM _kam_coverage_old", _over(_coverage_select(sign="-"), replaced)]
    cur.execute(f"DELETE FROM sales_coverage WHERE {months}", [periods])  # noqa: S608
    fresh = _over(_coverage_select(clean), new, ordered=not merge)
    cur.execute(
        f"INSERT INTO sales_coverage {_merged_coverage(' UNION ALL '.join([fresh, *merge])) if merge else fresh}"
    )
    # footprint: the accounts' stored rows + new − replaced (new alone: accounts with nothing stored or replaced)
    cond = "account IN (SELECT unnest(?::VARCHAR[]))"
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _kam_stores_old AS SELECT * FROM account_stores WHERE {cond}",  # noqa: S608
                [accounts])  # fmt: skip
    if gone or cur.execute("SELECT count(*) FROM _kam_stores_old").fetchone()[0]:
        cur.execute(f"DELETE FROM account_stores WHERE {cond}", [accounts])  # noqa: S608
        cur.execute(
            f"""INSERT INTO account_stores SELECT account, store, sum(lines)::BIGINT, sum(revenue) FROM (
                    SELECT * FROM _kam_stores_old UNION ALL SELECT account, store, 1, revenue FROM {new}
                    UNION ALL SELECT account, store, -1, -revenue FROM {replaced}) s(account, store, lines, revenue)
                GROUP BY ALL HAVING sum(lines) > 0"""  # noqa: S608
        )
    else:
        cur.execute(f"INSERT INTO account_stores {_over(_STORES_SELECT, new)}")
    cur.execute("DROP TABLE IF EXISTS _kam_coverage_old")
    cur.execute("DROP TABLE _kam_stores_old")


def _over(select: str, source: str, *, ordered: bool = False) -> str:
    """One of the aggregates of ``sales`` (all its lines) over the relation ``source`` instead."""
    sql = select.format(cond="TRUE").replace("FROM sales", f"FROM {source}", 1)
    return sql if ordered else sql.rsplit("ORDER BY", 1)[0]


def _merged_coverage(rows: str) -> str:
    """Coverage rows summed over ``rows`` (partial coverage rows, some negated) by its key: a group with no
    line left goes; a sum whose count is 0 is NULL (the sum of an empty set, as over ``sales``)."""
    names = ["lines", "abs_revenue", *(f"{c}_{x}" for c in COVERAGE_COLUMNS for x in ("lines", "abs_revenue"))]
    sums = ", ".join(
        f"sum({c}_lines)::BIGINT, CASE WHEN sum({c}_lines) > 0 THEN sum({c}_abs_revenue) END" for c in COVERAGE_COLUMNS
    )
    return f"""SELECT {", ".join(COVERAGE_DIMS)}, sum(lines)::BIGINT, sum(abs_revenue), {sums}
               FROM ({rows}) s({", ".join([*COVERAGE_DIMS, *names])})
               GROUP BY ALL HAVING sum(lines) > 0 ORDER BY period"""  # noqa: S608 - fixed names


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
