"""Executive overview: KPI cards with MoM / YoY deltas, trend, top accounts, channel split.

Everything is aggregated in DuckDB from the summary cube ``sales_cube`` (kam_core.summary: sums per
month × account × province × region × channel × KAM, the same numbers as the sums over the lines);
results are a handful of rows. A delta is given only when
both months (or windows) hold data for every month and none is partial (:mod:`kam_core.coverage`);
otherwise it is None and the comparison says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kam_core import coverage as cv
from kam_core import vocab
from kam_core.db import Database
from kam_core.filters import Filters, add_months


def _modern_trade(db: Database) -> tuple[str, list]:
    """SQL condition 'the line's channel is modern trade' (normalised through the one vocabulary,
    with the tier rules' modern-trade formats, so the overview's share and the tiers agree)."""
    cmap = vocab.channel_map(db)
    return vocab.code_in_sql("channel", cmap, vocab.modern_trade_codes(db, cmap))


@dataclass(frozen=True)
class FilterOptions:
    first: date | None
    last: date | None
    regions: list[str]
    channels: list[str]
    kams: list[str]


def filter_options(db: Database) -> FilterOptions:
    """First and last month, and the regions, channels and KAMs written in the sales lines.

    Read from ``sales_coverage`` (kam_core.summary): one row per month × region × channel × KAM that
    holds a line, so the same months and names as the lines, from a few hundred rows."""
    lo, hi = db.rows("SELECT min(period), max(period) FROM sales_coverage")[0]

    def distinct(col: str) -> list[str]:
        sql = f"SELECT DISTINCT {col} FROM sales_coverage WHERE {col} IS NOT NULL ORDER BY 1"  # noqa: S608 - fixed names
        return [r[0] for r in db.rows(sql)]

    return FilterOptions(lo, hi, distinct("region"), distinct("channel"), distinct("kam"))


@dataclass(frozen=True)
class Kpi:
    value: float | None
    mom: float | None  # relative change vs previous month (share KPIs: difference in points)
    yoy: float | None


@dataclass(frozen=True)
class Kpis:
    """The month's KPIs. ``mom_note`` / ``yoy_note``: the comparison behind every KPI's MoM / YoY
    (when not ``ok``, all of them are None and ``.message(lang)`` says why). ``data_through``: the
    last date of the month's data when the month is partial, else None."""

    month: date
    revenue: Kpi
    gross_profit: Kpi
    active_accounts: Kpi
    top20_share: Kpi
    modern_trade_share: Kpi
    mom_note: cv.Comparison | None = None
    yoy_note: cv.Comparison | None = None
    data_through: date | None = None

    @property
    def partial(self) -> bool:
        return self.data_through is not None


# On the summary cube (kam_core.summary): its sums are the sums over the lines, to the last digit.
# The month totals and the modern-trade share need no account: they are summed per month × channel
# (a few dozen groups; the channel test runs on those). Only the revenue is summed per account, for
# the active accounts and the top-20% share; the top 20% is the head of each month's positive
# revenues sorted in a list (tied revenues are equal, so which of them is taken leaves the sum as
# it is). A Window operator ranking the accounts took most of this query's time at 10 M lines.
_KPI_SQL = """
WITH per_channel AS (
    SELECT period, channel, sum(revenue) AS rev, sum(gross_profit) AS gp
    FROM sales_cube WHERE period IN (?, ?, ?) AND {where} GROUP BY period, channel),
totals AS (
    SELECT period, sum(rev) AS revenue, sum(gp) AS gross_profit,
           coalesce(sum(rev) FILTER (WHERE {mt}), 0) / nullif(sum(rev), 0) AS mt_share
    FROM per_channel GROUP BY period),
base AS (
    SELECT period, account, sum(revenue) AS rev
    FROM sales_cube WHERE period IN (?, ?, ?) AND {where} GROUP BY period, account),
positive AS (
    SELECT period, count(*) AS n_pos, sum(rev) AS pos_rev, list(rev ORDER BY rev DESC) AS revs
    FROM base WHERE rev > 0 GROUP BY period)
SELECT t.period, t.revenue, t.gross_profit, coalesce(p.n_pos, 0) AS active,
       list_sum(p.revs[1:ceil(0.2 * p.n_pos)::BIGINT]) / nullif(p.pos_rev, 0) AS top20, t.mt_share
FROM totals t LEFT JOIN positive p ON p.period = t.period
"""


def _kpi_frame(db: Database, months: list[date], where: str, params: list) -> pd.DataFrame:
    """Per month of the three ``months`` that holds lines in the selection ``where``: revenue,
    gross_profit, active (accounts above zero), top20 (the revenue of the top 20% of those accounts,
    by count, as a share of theirs) and mt_share (modern trade's share of the revenue)."""
    mt, mt_params = _modern_trade(db)
    return db.df(_KPI_SQL.format(mt=mt, where=where), [*months, *params, *mt_params, *months, *params])


def _rel(cur: float | None, prev: float | None) -> float | None:
    if cur is None or prev is None or prev == 0:
        return None
    return (cur - prev) / abs(prev)


def _diff(cur: float | None, prev: float | None) -> float | None:
    return None if cur is None or prev is None else cur - prev


def kpis(db: Database, f: Filters) -> Kpis | None:
    """KPIs for the last month of the selection, compared with the month before and a year before."""
    where, params = f.without_period().where()
    month = f.end or db.scalar(f"SELECT max(period) FROM sales_cube WHERE {where}", params)  # noqa: S608
    if month is None:
        return None
    m = f.with_period(month, month)
    prev, last_year = m.preceding().start, m.year_before().start
    df = _kpi_frame(db, [month, prev, last_year], where, params)
    by = {pd.Timestamp(r.period).date(): r for r in df.itertuples(index=False)}
    dm = cv.data_months(db)
    mom_c = cv.compare_month_before(db, month, dm)
    yoy_c = cv.compare_year_before_month(db, month, dm)

    def get(m: date, col: str) -> float | None:
        r = by.get(m)
        v = getattr(r, col) if r is not None else None
        return None if v is None or pd.isna(v) else float(v)

    def kpi(col: str, share: bool = False) -> Kpi:
        cur = get(month, col)
        delta = _diff if share else _rel
        mom = delta(cur, get(prev, col)) if mom_c.ok else None
        yoy = delta(cur, get(last_year, col)) if yoy_c.ok else None
        return Kpi(cur, mom, yoy)

    return Kpis(month, kpi("revenue"), kpi("gross_profit"), kpi("active"), kpi("top20", True), kpi("mt_share", True),
                mom_c, yoy_c, dm.partial(month))  # fmt: skip


def trend(db: Database, f: Filters) -> pd.DataFrame:
    """Monthly revenue and gross profit in the selection, with the same month a year earlier.

    ``revenue_last_year`` is null where that month holds no data at all, 0 where it holds data
    but none in the selection (a real zero).
    """
    where, params = f.without_period().where()
    lo = f.year_before().start
    cond, p2 = ("period >= ?", [lo]) if lo else ("TRUE", [])
    df = db.df(
        f"""WITH m AS (SELECT period, sum(revenue) AS revenue, sum(gross_profit) AS gross_profit
                       FROM sales_cube WHERE {where} AND {cond} {"AND period <= ?" if f.end else ""} GROUP BY period)
            SELECT a.period, a.revenue, a.gross_profit, b.revenue AS revenue_last_year
            FROM m a LEFT JOIN m b ON b.period = a.period - INTERVAL 1 YEAR
            ORDER BY a.period""",  # noqa: S608 - conditions are built from fixed column names
        [*params, *p2, *([f.end] if f.end else [])],
    )
    if f.start:
        df = df[df["period"] >= pd.Timestamp(f.start)]
    df = df.reset_index(drop=True)
    if not df.empty and df["revenue_last_year"].isna().any():
        have = cv.months_with_data(db)
        covered = [add_months(pd.Timestamp(p).date(), -12) in have for p in df["period"]]
        df.loc[df["revenue_last_year"].isna() & pd.Series(covered, index=df.index), "revenue_last_year"] = 0
    return df


def top_accounts(db: Database, f: Filters, n: int = 10) -> pd.DataFrame:
    """Largest accounts in the selection: revenue, share of the total, growth vs a year earlier.

    ``yoy`` is None for every account unless both windows hold data for every month
    (``coverage.note(df, lang)`` says why); ``new``: no sales in a comparable year-earlier window.
    """
    where, params = f.where()
    comparison = cv.compare_year_before(db, f)
    # The same months a year earlier; no comparable window → nothing to compare with.
    pwhere, pparams = f.year_before().where() if comparison.ok else ("FALSE", [])
    df = db.df(
        f"""WITH cur AS (SELECT account, sum(revenue) AS revenue, sum(gross_profit) AS gross_profit
                         FROM sales_cube WHERE {where} GROUP BY account),
                 tot AS (SELECT sum(revenue) AS t FROM cur),
                 top AS (SELECT * FROM cur ORDER BY revenue DESC, account LIMIT ?),
                 pri AS (SELECT account, sum(revenue) AS revenue FROM sales_cube
                         WHERE {pwhere} AND account IN (SELECT account FROM top)
                         GROUP BY account)
            SELECT top.account, top.revenue, top.gross_profit, top.revenue / nullif(tot.t, 0) AS share,
                   (top.revenue - pri.revenue) / nullif(abs(pri.revenue), 0) AS yoy,
                   ? AND pri.account IS NULL AS new
            FROM top CROSS JOIN tot LEFT JOIN pri USING (account)
            ORDER BY top.revenue DESC, top.account""",  # noqa: S608
        [*params, n, *pparams, comparison.ok],
    )
    return cv.attach(df, comparison)


def channel_split(db: Database, f: Filters) -> pd.DataFrame:
    """Revenue per channel (as written) in the selection and its share; modern-trade flag per channel
    (from its normalised code)."""
    where, params = f.where()
    cmap = vocab.channel_map(db)
    mt = set(vocab.modern_trade_codes(db, cmap))
    df = db.df(
        f"""SELECT coalesce(channel, '') AS channel, sum(revenue) AS revenue
            FROM sales_cube WHERE {where} GROUP BY 1 ORDER BY revenue DESC, channel""",  # noqa: S608
        params,
    )
    total = df["revenue"].sum()
    df["share"] = df["revenue"].astype(float) / float(total) if total else 0.0
    df["modern_trade"] = [vocab.normalize(c, cmap) in mt for c in df["channel"]]
    return df
