"""The overview, portfolio, warnings, coverage and tracking reads of the summary tables give exactly
what the same computation over the sales lines gives.

Each function that moved from ``sales`` to ``sales_cube`` / ``sales_coverage`` is run twice: as it
is, and against the fact table — either through :class:`FactTable` (the same SQL with the summary
table's name replaced by ``sales``: the cube's columns are named as the lines' and its sums are the
lines' sums) or, where the summary's columns differ (line counts, the KPI query's rewritten
window), by the former SQL over ``sales`` written out here. Results must be equal, not close:
frames with ``check_exact``, Decimals and floats with ``==``.

Databases: the demo, and a hand-made one with NULL gross profit, numeric account codes, blank and
padded names and a file without channels or provinces.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kam_core import coverage as cv
from kam_core import summary
from kam_core.analytics import dimensions as dims
from kam_core.analytics import overview as ov
from kam_core.analytics import portfolio as P
from kam_core.analytics import warnings as wr
from kam_core.db import Database
from kam_core.filters import Filters, add_months
from kam_core.geo import normalize_province
from kam_core.plans import store, tracking, warning_rules
from kam_core.plans.model import Objective
from kam_core.plans.tracking import track
from tests.helpers import insert_sales


class FactTable:
    """A database whose queries of the summary tables read the sales lines instead."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _sql(sql: str) -> str:
        # (the cube's line counts are counts over the lines: sum(lines) = count(*), sum(gp_lines) = count(gp))
        sql = sql.replace("sum(gp_lines)", "count(gross_profit)").replace("sum(lines)", "count(*)")
        return sql.replace("sales_cube", "sales").replace("sales_coverage", "sales")

    def df(self, sql, params=None):
        return self._db.df(self._sql(sql), params)

    def rows(self, sql, params=None):
        return self._db.rows(self._sql(sql), params)

    def scalar(self, sql, params=None):
        return self._db.scalar(self._sql(sql), params)

    def __getattr__(self, name):
        return getattr(self._db, name)


@pytest.fixture
def odd(empty_db: Database) -> Database:
    """Numeric account codes, NULL gross profit, blank / padded names; one file without channels or provinces."""
    with_dims = pd.DataFrame(
        [
            ("2025-10", "18102", "East", "hypermarket", "广东省", 500.0, None, "Li"),
            ("2025-10", "9", " East", "Supermarket ", "Guangdong", 300.0, 60.0, "Li"),
            ("2025-10", "120000", "South", "", "浙江省", -40.0, -4.0, None),
            ("2026-09", "18102", "East", "hypermarket", "广东省", 450.0, None, "Li"),
            ("2026-09", "9", "East", "traditional", "Zhejiang", 100.0, 20.0, "Wang"),
            ("2026-10", "18102", "East", "hypermarket", "广东省", 600.0, None, "Li"),
            ("2026-10", "18102", "East", "online", "广东省", 0.125, None, "Wang"),
        ],
        columns=["period", "account", "region", "channel", "province", "revenue", "gross_profit", "kam"],
    )
    insert_sales(empty_db, with_dims)
    no_dims = pd.DataFrame(  # a file with neither channel nor province nor gross profit
        [
            ("2026-10", "9", "North", 210.5, "Wang"),
            ("2026-10", "120000", "North", 90.0, "Wang"),
            ("2026-10", "0042", None, 12.0, None),
            ("2025-09", "0042", "North", 1.0, "Wang"),
        ],
        columns=["period", "account", "region", "revenue", "kam"],
    )
    insert_sales(empty_db, no_dims)
    assert summary.differences(empty_db) == {"sales_cube": 0, "sales_coverage": 0, "account_stores": 0}
    return empty_db


@pytest.fixture(params=["demo", "odd"])
def db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue("demo_db" if request.param == "demo" else "odd")


def selections(db: Database) -> list[Filters]:
    hi = db.scalar("SELECT max(period) FROM sales")
    lo = date(hi.year - 1, hi.month, 1)
    region = db.scalar("SELECT region FROM sales WHERE region IS NOT NULL ORDER BY revenue DESC LIMIT 1")
    channel = db.scalar("SELECT channel FROM sales WHERE channel IS NOT NULL ORDER BY revenue LIMIT 1")
    kam = db.scalar("SELECT kam FROM sales WHERE kam IS NOT NULL ORDER BY revenue DESC LIMIT 1")
    return [
        Filters(),
        Filters(start=lo, end=hi),
        Filters(start=hi, end=hi, regions=(region,)),
        Filters(start=lo, end=hi, channels=(channel,), kams=(kam,)),
        Filters(end=hi, regions=("no such region",)),
    ]


# -- overview ------------------------------------------------------------------------------------------
def test_filter_options_and_months_are_the_lines(db: Database) -> None:
    assert ov.filter_options(db) == ov.filter_options(FactTable(db))
    assert cv.months_with_data(db) == {r[0] for r in db.rows("SELECT DISTINCT period FROM sales")}
    assert cv.data_months(db) == cv.data_months(FactTable(db))


def test_overview_figures_equal_the_fact_table(db: Database) -> None:
    fact = FactTable(db)
    for f in selections(db):
        assert ov.kpis(db, f) == ov.kpis(fact, f)
        pd.testing.assert_frame_equal(ov.trend(db, f), ov.trend(fact, f), check_exact=True)
        pd.testing.assert_frame_equal(ov.top_accounts(db, f), ov.top_accounts(fact, f), check_exact=True)
        pd.testing.assert_frame_equal(ov.channel_split(db, f), ov.channel_split(fact, f), check_exact=True)


# The KPI query as it was over the lines (one Window computing row_number and the positive count).
FACT_KPI_SQL = """
WITH by_channel AS (
    SELECT period, account, channel, sum(revenue) AS rev, sum(gross_profit) AS gp
    FROM sales WHERE period IN (?, ?, ?) AND {where}
    GROUP BY ALL),
base AS (
    SELECT period, account, sum(rev) AS rev, sum(gp) AS gp, sum(rev) FILTER (WHERE {mt}) AS mt
    FROM by_channel GROUP BY period, account),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY period ORDER BY rev DESC, account) AS rn,
           count(*) FILTER (WHERE rev > 0) OVER (PARTITION BY period) AS n_pos
    FROM base)
SELECT period, sum(rev) AS revenue, sum(gp) AS gross_profit, count(*) FILTER (WHERE rev > 0) AS active,
       sum(rev) FILTER (WHERE rev > 0 AND rn <= ceil(0.2 * n_pos))
           / nullif(sum(rev) FILTER (WHERE rev > 0), 0) AS top20,
       coalesce(sum(mt), 0) / nullif(sum(rev), 0) AS mt_share
FROM ranked GROUP BY period
"""


def _former_kpis(db: Database, months: list, where: str, params: list, table: str = "sales") -> pd.DataFrame:
    """The former KPI query over the lines (or over the cube: its sums are the lines')."""
    mt, mt_params = ov._modern_trade(db)
    sql = FACT_KPI_SQL.replace("FROM sales WHERE", f"FROM {table} WHERE")
    return db.df(sql.format(mt=mt, where=where), [*months, *params, *mt_params])


def _by_period(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("period").reset_index(drop=True)


def test_kpi_query_equals_the_former_query_over_the_lines(db: Database) -> None:
    hi = db.scalar("SELECT max(period) FROM sales")
    lo = db.scalar("SELECT min(period) FROM sales")
    # the page's three months; a month without lines; the first month (its month before holds nothing)
    month_sets = [[hi, add_months(hi, -1), add_months(hi, -12)], [hi, date(1999, 1, 1), add_months(hi, -12)],
                  [lo, add_months(lo, -1), add_months(lo, -12)]]  # fmt: skip
    for months in month_sets:
        for f in selections(db):
            where, params = f.without_period().where()
            ours = _by_period(ov._kpi_frame(db, months, where, params))
            fact = _by_period(_former_kpis(db, months, where, params))
            pd.testing.assert_frame_equal(ours, fact, check_exact=True)
            cube = _by_period(_former_kpis(db, months, where, params, table="sales_cube"))
            pd.testing.assert_frame_equal(ours, cube, check_exact=True)


@pytest.fixture
def ties(empty_db: Database) -> Database:
    """Tied revenues across the top-20% boundary, zero and negative accounts, a month of credit notes only."""
    rows = [  # (period, account, region, channel, revenue, gross_profit, kam)
        *[("2026-10", f"{i:05d}", "East", "hypermarket", 100.0, 10.0, "Li") for i in range(4)],  # 4 tied at 100
        ("2026-10", "00004", "East", "traditional", 50.0, None, "Li"),
        ("2026-10", "00004", "South", "hypermarket", 50.0, 5.0, "Wang"),  # 100 in total: a fifth tie
        *[("2026-10", f"1{i:04d}", "South", "traditional", 30.0, 3.0, "Wang") for i in range(14)],
        ("2026-10", "20000", "South", "traditional", 0.0, 0.0, "Wang"),  # zero: not active
        ("2026-10", "20001", "North", None, -25.5, -2.5, None),  # credit note
        ("2026-10", "20002", "North", "online", 10.0, 1.0, "Wang"),
        ("2026-10", "20002", "North", "online", -10.0, -1.0, "Wang"),  # nets to zero
        ("2026-09", "00000", "East", "hypermarket", -5.0, None, "Li"),  # only credit notes
        ("2026-09", "00001", "East", "traditional", -7.25, None, "Li"),
        ("2025-10", "00000", "East", "hypermarket", 1.0, 1.0, "Li"),
    ]
    from tests.helpers import add_sales

    add_sales(empty_db, rows)
    return empty_db


def test_kpis_with_ties_zeros_and_credit_notes_equal_the_former_query(ties: Database) -> None:
    months = [date(2026, 10, 1), date(2026, 9, 1), date(2025, 10, 1)]
    for f in [Filters(), Filters(regions=("South",)), Filters(regions=("East", "North")), Filters(kams=("Wang",)),
              Filters(channels=("hypermarket",)), Filters(regions=("nowhere",))]:  # fmt: skip
        where, params = f.where()
        ours, former = ov._kpi_frame(ties, months, where, params), _former_kpis(ties, months, where, params)
        pd.testing.assert_frame_equal(_by_period(ours), _by_period(former), check_exact=True)
    k = ov.kpis(ties, Filters(end=date(2026, 10, 1)))
    # October: 19 accounts above zero → the top ceil(3.8) = 4, four of the five tied at 100
    assert k.active_accounts.value == 19 and k.top20_share.value == 400 / 920
    assert k.revenue.value == 920 - 25.5 and k.modern_trade_share.value == 450 / 894.5
    # September holds only credit notes: no account is active, no top-20% share
    sept = ov.kpis(ties, Filters(end=date(2026, 9, 1)))
    assert sept.active_accounts.value == 0 and sept.top20_share.value is None and sept.revenue.value == -12.25
    assert sept.gross_profit.value is None and k.top20_share.mom is None


def test_kpis_of_a_partial_month_equal_the_fact_table(ties: Database) -> None:
    uid = ties.scalar("SELECT max(id) FROM uploads")
    with ties.transaction("tester", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, DATE '2026-10-01', DATE '2026-10-09')", [uid])
    for f in [Filters(end=date(2026, 10, 1)), Filters(end=date(2026, 10, 1), regions=("East",))]:
        k = ov.kpis(ties, f)
        assert k.data_through == date(2026, 10, 9) and k.revenue.mom is None and k.revenue.yoy is None
        assert k == ov.kpis(FactTable(ties), f)


def test_top20_ties_and_credit_notes_by_hand(odd: Database) -> None:
    k = ov.kpis(odd, Filters(end=date(2026, 10, 1)))
    # October 2026: 18102 600.125, 9 210.5, 120000 90, 0042 12 → 4 positive, top ceil(0.8) = 1 account
    assert k.revenue.value == 912.625 and k.active_accounts.value == 4
    assert k.top20_share.value == pytest.approx(600.125 / 912.625)
    assert k.gross_profit.value is None  # no line of the month carries a gross profit


# -- dimensions ----------------------------------------------------------------------------------------
def _fact_coverage(db: Database, f: Filters | None = None) -> dict[str, dims.Dimension]:
    """The former dims.coverage: counts and sums over the lines."""

    def has(c: str) -> str:
        return f"nullif(trim({c}), '') IS NOT NULL" if c in dims.TEXT_COLUMNS else f"{c} IS NOT NULL"

    where, params = (f or Filters()).where()
    parts = [f"count(*) FILTER (WHERE {has(c)}), sum(abs(revenue)) FILTER (WHERE {has(c)})" for c in dims.COLUMNS]
    row = db.rows(f"SELECT count(*), sum(abs(revenue)), {', '.join(parts)} FROM sales WHERE {where}", params)[0]
    n, total = int(row[0] or 0), float(row[1] or 0)
    out = {}
    for i, c in enumerate(dims.COLUMNS):
        lines, rev = int(row[2 + 2 * i] or 0), float(row[3 + 2 * i] or 0)
        out[c] = dims.Dimension(c, lines, lines / n if n else 0.0, rev / total if total else (1.0 if lines else 0.0))
    return out


def test_dimension_coverage_equals_the_lines(db: Database) -> None:
    for f in [None, *selections(db)]:
        assert dims.coverage(db, f) == _fact_coverage(db, f)


def test_dimension_coverage_of_a_file_without_channels(odd: Database) -> None:
    cov = dims.coverage(odd)
    assert cov["channel"].lines == 6 and cov["province"].lines == 7 and cov["gross_profit"].lines == 3
    assert not cov["store"].present and cov == _fact_coverage(odd)


# -- warnings and portfolio ----------------------------------------------------------------------------
def test_monthly_figures_of_the_warnings_equal_the_lines(db: Database) -> None:
    months = sorted(cv.months_with_data(db))
    for account in (None, db.scalar("SELECT account FROM sales ORDER BY revenue DESC LIMIT 1")):
        ours = wr._monthly(db, months, account).sort_values(["account", "period"]).reset_index(drop=True)
        fact = wr._monthly(FactTable(db), months, account).sort_values(["account", "period"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(ours, fact, check_exact=True)
    assert wr.revenue_rules(db) == wr.revenue_rules(FactTable(db))


def test_account_kams_equal_the_lines(db: Database) -> None:
    fact = db.rows(
        """SELECT account, kam, sum(revenue) AS rev FROM sales WHERE kam IS NOT NULL GROUP BY account, kam"""
    )
    best: dict[str, list] = {}
    for a, k, rev in fact:
        best.setdefault(a, []).append((rev, k))
    ours = P.account_kams(db)
    assert set(ours) == set(best)
    for a, pairs in best.items():
        top = max(r for r, _ in pairs)
        assert ours[a] in {k for r, k in pairs if r == top}  # the KAM with the most revenue (any of tied ones)


def test_account_kams_by_hand(odd: Database) -> None:
    assert P.account_kams(odd) == {"18102": "Li", "9": "Wang", "120000": "Wang", "0042": "Wang"}


def test_warnings_with_the_portfolio_trackings_equal_those_without(demo_db: Database) -> None:
    as_of = date(2026, 10, 15)
    versions = store.list_latest(demo_db, as_of.year)
    assert versions  # the demo holds plans
    tracked = {(v.account, v.version): track(demo_db, v.doc, as_of) for v in versions}
    assert wr.evaluate(demo_db, as_of=as_of, tracked=tracked) == wr.evaluate(demo_db, as_of=as_of)


def test_the_portfolio_tracks_each_plan_once(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(db, doc, today=None, have=None):
        calls.append(doc.account)
        return track(db, doc, today, have)

    monkeypatch.setattr(P, "track", counted)
    monkeypatch.setattr(warning_rules, "track", counted)
    p = P.portfolio(demo_db, 2026, date(2026, 10, 15))
    assert calls and sorted(calls) == sorted(p.rows["account"]) and len(calls) == len(set(calls))


# -- plan tracking -------------------------------------------------------------------------------------
def _fact_metric(db: Database, account: str, obj: Objective, months: list[date]) -> float | None:
    """The former tracking.metric_value over the lines (no category / SKU)."""
    conds, params = ["account = ?", f"period IN ({', '.join('?' * len(months))})"], [account, *months]
    if obj.province:
        want = normalize_province(obj.province) or obj.province.strip()
        raw = [r[0] for r in db.rows("SELECT DISTINCT province FROM sales WHERE account = ? AND province IS NOT NULL",
                                     [account])]  # fmt: skip
        names = [r for r in raw if (normalize_province(r) or r.strip()) == want]
        conds.append(f"province IN ({', '.join('?' * len(names))})" if names else "FALSE")
        params.extend(names)
    v = db.scalar(f"SELECT {tracking._EXPR[obj.metric]} FROM sales WHERE {' AND '.join(conds)}", params)
    return None if v is None else float(v)


def test_tracked_metrics_equal_the_lines(db: Database) -> None:
    months = sorted(cv.months_with_data(db))
    windows = [months[-12:], months[-3:], months[:1], [date(1999, 1, 1)]]
    accounts = [r[0] for r in db.rows("SELECT account FROM sales GROUP BY 1 ORDER BY sum(revenue) DESC LIMIT 6")]
    provinces = [None, "广东省", "Zhejiang", "Nowhere"]
    checked = 0
    for account in accounts:
        for metric in ("revenue", "gross_profit", "volume", "gross_margin_pct", "trade_spend_pct"):
            for province in provinces:
                obj = Objective("o", metric, 1.0, date(2026, 12, 31), province=province)
                for w in windows:
                    assert tracking.metric_value(db, account, obj, w) == _fact_metric(db, account, obj, w)
                    checked += 1
    assert checked == len(accounts) * 5 * len(provinces) * len(windows)


def test_tracked_gross_profit_without_any_is_unknown(odd: Database) -> None:
    oct26 = [date(2026, 10, 1)]
    gp = Objective("o", "gross_profit", 1.0, date(2026, 12, 31))
    assert tracking.metric_value(odd, "18102", gp, oct26) is None  # lines, none with a gross profit
    assert tracking.metric_value(odd, "18102", gp, [date(1999, 1, 1)]) == 0.0  # no line at all
    rev = Objective("o", "revenue", 1.0, date(2026, 12, 31), province="Guangdong")
    assert tracking.metric_value(odd, "18102", rev, oct26) == 600.125


def test_plan_links_are_urlencoded() -> None:
    from urllib.parse import urlencode

    for account in ("Acme", "18102", "华润 万家/Vanguard & Co", "a+b=c?d#e", " padded "):
        assert wr.plan_link(account, 2026) == "/plans?" + urlencode({"account": account, "year": 2026})
