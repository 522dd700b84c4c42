"""The channels, regions, pareto, explain and plans queries that read the summary tables give exactly
what the same queries give over the sales lines.

Each function runs twice on the same data: on the database as it is (reading ``sales_cube`` and
``account_stores``), and on a copy where ``sales_cube`` is a view of the lines themselves — one row
per line with ``lines`` = 1, so every ``sum`` is the old sum over ``sales`` and ``sum(lines)`` the old
``count(*)`` — and ``account_stores`` the same GROUP BY over ``sales`` that the summary holds. The
results must be equal to the last digit (Decimals compared as Decimals, frames exactly). Two data
sets: the demo, and a small hand-made one with NULL gross profit (whole cube rows and mixed ones),
numeric account codes, no channels and no provinces, negative lines.
The explain breakdown and its account list are also checked against their former SQL, verbatim.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kam_core import summary
from kam_core.analytics import channels as ch
from kam_core.analytics import explain as ex
from kam_core.analytics import pareto as pa
from kam_core.analytics import regions as rg
from kam_core.analytics import scoring, tiers
from kam_core.db import Database
from kam_core.filters import Filters
from kam_core.plans import edit, profile
from tests.helpers import insert_sales

LINE_VIEWS = [
    "DROP TABLE sales_cube",
    """CREATE VIEW sales_cube AS
       SELECT period, account, province, region, channel, kam, revenue, volume, gross_profit, trade_spend,
              1::BIGINT AS lines, (volume IS NOT NULL)::BIGINT AS volume_lines,
              (gross_profit IS NOT NULL)::BIGINT AS gp_lines, (trade_spend IS NOT NULL)::BIGINT AS ts_lines
       FROM sales""",
    "DROP TABLE account_stores",
    """CREATE VIEW account_stores AS
       SELECT account, store, province, count(*) AS lines, sum(revenue) AS revenue FROM sales GROUP BY ALL""",
]


def with_line_views(path: Path) -> Database:
    """The database at ``path`` with its summary tables replaced by views of the sales lines."""
    out = Database(path)
    cur = out.cursor()
    try:
        for stmt in LINE_VIEWS:
            cur.execute(stmt)
    finally:
        cur.close()
    return out


def hand_made(db: Database) -> Database:
    """Numeric account codes, no channel / province on most lines, NULL gross profit (all or some lines of
    a cube row), a negative line, two years of months."""
    rows = []
    for period in ("2024-01", "2024-02", "2024-03", "2025-01", "2025-02", "2025-03"):
        y = int(period[:4]) - 2024
        rows += [
            (period, "001", None, None, None, 100.1 + y, None, None, "s1", "10", "Snacks"),  # no GP at all
            (period, "001", None, None, None, 50.25, 5.5, 1.0, "s2", "11", None),
            (period, "1", "East", None, "Shanghai", 80.0 - 30 * y, None, 2.0, "s3", "10", "Snacks"),  # mixed GP
            (period, "1", "East", None, "Shanghai", 20.0, 4.0, None, "s3", "12", "Dairy"),
            (period, "10", None, "hypermarket", None, -7.5, -1.0, None, None, None, None),  # negative, no store
            (period, "2042", "South", "online", "Guangdong", 300.0 * (1 + y), 30.0 + y, 9.0, "s9", "13", "Dairy"),
        ]
    # an account only in the later year, one only in the earlier
    rows.append(("2025-02", "77", None, None, None, 12.0, None, None, "s7", "10", "Snacks"))
    rows.append(("2024-02", "88", "North", None, None, 9.0, 1.0, None, "s8", "10", "Snacks"))
    frame = pd.DataFrame(
        rows,
        columns=["period", "account", "region", "channel", "province", "revenue", "gross_profit", "trade_spend",
                 "store", "sku", "category"],
    )  # fmt: skip
    frame["volume"] = [None if i % 4 == 0 else float(i % 7) for i in range(len(frame))]
    insert_sales(db, frame)
    assert summary.differences(db) == {"sales_cube": 0, "sales_coverage": 0, "account_stores": 0}
    return db


@pytest.fixture(params=["demo", "hand_made"])
def pair(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    """(database reading the summaries, the same data with the summaries as views of the lines, filters)."""
    src = tmp_path / "summaries.duckdb"
    if request.param == "demo":
        shutil.copy(request.getfixturevalue("demo_path"), src)
        db = Database(src)
        windows = [Filters(start=date(2026, 1, 1), end=date(2026, 6, 1)),
                   Filters(start=date(2025, 11, 1), end=date(2026, 10, 1), regions=("East", "South")),
                   Filters(start=date(2026, 3, 1), end=date(2026, 3, 1), channels=("hypermarket",))]  # fmt: skip
    else:
        db = hand_made(Database(src))
        windows = [Filters(start=date(2025, 1, 1), end=date(2025, 3, 1)),
                   Filters(start=date(2025, 2, 1), end=date(2025, 3, 1), regions=("East",)),
                   Filters(start=date(2025, 3, 1), end=date(2025, 3, 1))]  # fmt: skip
    # The key-account tiers and scores come from sibling features: the same frames for both runs.
    tier_frame = tiers.account_tiers(db)
    keys = scoring.key_accounts(db)
    monkeypatch.setattr(tiers, "account_tiers", lambda _db, *a, **k: tier_frame.copy())
    monkeypatch.setattr(scoring, "key_accounts", lambda _db, *a, **k: keys.copy())
    db.close()
    shutil.copy(src, tmp_path / "lines.duckdb")
    db, lines = Database(src), with_line_views(tmp_path / "lines.duckdb")
    rg._TIERS_MEMO.clear()
    yield db, lines, windows
    lines.close()
    db.close()


def same(fn: Callable[..., Any], db: Database, lines: Database, *args: Any, **kw: Any) -> Any:
    """``fn`` on the summaries equals ``fn`` on the lines, exactly; returns the result."""
    rg._TIERS_MEMO.clear()
    a = fn(db, *args, **kw)
    rg._TIERS_MEMO.clear()
    b = fn(lines, *args, **kw)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        assert a.attrs == b.attrs
    elif dataclasses.is_dataclass(a):
        for fa, fb in zip(dataclasses.astuple(a), dataclasses.astuple(b), strict=True):
            if isinstance(fa, pd.DataFrame):
                pd.testing.assert_frame_equal(fa, fb, check_exact=True)
            else:
                assert fa == fb
    else:
        assert a == b
    return a


def test_regions(pair: tuple) -> None:
    db, lines, windows = pair
    accounts = sorted(db.rows("SELECT DISTINCT account FROM sales"))[:3]
    for f in windows:
        m = same(rg.account_region_matrix, db, lines, f, top=None)
        same(rg.account_region_matrix, db, lines, f, top=2, accounts=[a for (a,) in accounts])
        assert len(m) > 0
        for (a,) in accounts:
            same(rg.account_provinces, db, lines, f, a)
            same(rg.account_trend, db, lines, f, a)


def test_channels(pair: tuple) -> None:
    db, lines, windows = pair
    same(ch.channel_names, db, lines)
    segments = tiers.account_tiers(db)[["account", "tier"]]
    for f in windows:
        for grain in ch.GRAINS:
            same(ch.share_over_time, db, lines, f, grain)
        same(ch.share_over_time, db, lines, f, "quarter", "segment", segments)
        same(ch.share_by_region, db, lines, f)
        same(ch.share_by_region, db, lines, f, "segment", segments)
        same(ch.growth, db, lines, f)
        same(ch.growth, db, lines, f, "segment", segments)
        w = f.window()
        same(ch.two_windows, db, lines, f, ch.preceding(w), w)


def test_explain(pair: tuple) -> None:
    db, lines, windows = pair
    assert same(ex.accounts, db, lines) == [str(r[0]) for r in db.rows(
        "SELECT DISTINCT account FROM sales WHERE account IS NOT NULL ORDER BY 1")]  # fmt: skip
    account = ex.accounts(db)[0]
    for f in windows:
        for by in ("account", "region", "province", "channel", "kam", "sku"):
            for metric in pa.METRICS:
                for vs in ex.BASES:
                    b = same(ex.breakdown, db, lines, f, by, metric, vs)
                    if metric == "revenue" and vs == "yoy":
                        assert b.members == old_breakdown(db, f, by, metric, vs)
            same(ex.breakdown, db, lines, f, by, "gross_profit", "yoy", account)


def old_breakdown(db: Database, f: Filters, by: str, metric: str, vs: str) -> list[ex.Member]:
    """The breakdown's members as its former SQL over the lines computed them."""
    base = ex.base_window(f, vs)
    col, val = pa.DIMENSIONS[by], pa.METRICS[metric]
    where, params = f.without_period().where("s")
    lo, hi = min(base.start, f.start), max(base.end, f.end)
    rows = db.rows(
        f"""SELECT s.{col} AS member,
                   coalesce(sum(s.{val}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS before,
                   coalesce(sum(s.{val}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS after,
                   count(*) FILTER (WHERE s.period BETWEEN ? AND ?) AS n_before,
                   count(*) FILTER (WHERE s.period BETWEEN ? AND ?) AS n_after
            FROM sales s
            WHERE s.period BETWEEN ? AND ? AND {where}
              AND (s.period BETWEEN ? AND ? OR s.period BETWEEN ? AND ?)
            GROUP BY 1""",
        [base.start, base.end, f.start, f.end, base.start, base.end, f.start, f.end, lo, hi, *params,
         base.start, base.end, f.start, f.end],
    )  # fmt: skip
    members = [ex.Member(None if m is None else str(m), b, a, "new" if nb == 0 else "lost" if na == 0 else "continuing")
               for m, b, a, nb, na in rows]  # fmt: skip
    order = {s: i for i, s in enumerate(ex.STATUSES)}
    return sorted(members, key=lambda m: (order[m.status], -abs(m.change), m.member is None, m.member or ""))


def test_pareto(pair: tuple) -> None:
    db, lines, windows = pair
    for f in windows:
        for by in ("account", "region", "province", "channel", "kam", "store"):
            for metric in pa.METRICS:
                same(pa.analyse, db, lines, f, by, metric)
                same(pa.summary, db, lines, f, by, metric, top_n=2)
            same(pa.trend, db, lines, f, by, "gross_profit", "quarter")
            for measure in pa.PROFIT_MEASURES:
                same(pa.whale, db, lines, f, by, measure)
            before, after = pa.migration_windows(f, date(2024, 1, 1))
            same(pa.migration, db, lines, f, by, "revenue", before, after)
            top = pa.analyse(db, f, by).table["entity"].head(2).tolist()
            same(pa.what_if, db, lines, f, by, top)
        same(pa.profit_columns, db, lines, f)


def test_plans(pair: tuple) -> None:
    db, lines, _ = pair
    years = same(edit.plan_years, db, lines)
    for year in years:
        choices = same(edit.account_choices, db, lines, year)
        for a in choices["account"].head(3):
            same(profile.profile, db, lines, a, year)
