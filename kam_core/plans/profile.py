"""The computed part of an account plan: the account's profile and performance, from the data (aggregates in SQL).

The **analysis window** of a plan year (shared with the suggestions): January of the plan year to
the latest month with data in it; when the year holds no data yet (a plan written ahead), the 12
months ending at the latest month with data before it. Comparisons use the same months a year
earlier, and are only given when kam_core.coverage says both windows are complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kam_core.coverage import compare, months_with_data, window_coverage
from kam_core.db import Database
from kam_core.filters import add_months, month_range


@dataclass(frozen=True)
class Window:
    current: list[date]
    prior: list[date]
    comparable: bool  # both windows hold data for every month (no partial month)
    complete: bool  # the current window holds data for every month
    note: str | None = None  # catalog key of why not comparable (kam_core.coverage)
    note_values: dict = field(default_factory=dict)


def plan_window(db: Database, year: int) -> Window | None:
    """The plan year's analysis window and its year-before window; None when there is no data up to that year."""
    last = db.scalar("SELECT max(period) FROM sales WHERE period <= ?", [date(year, 12, 1)])
    if last is None:
        return None
    start = date(year, 1, 1) if last.year == year else add_months(last, -11)
    cur = month_range(start, last)
    prior = [add_months(m, -12) for m in cur]
    cmp = compare(db, cur, prior, "prior_year")
    return Window(cur, prior, cmp.ok, window_coverage(db, cur).complete, cmp.reason, dict(cmp.values))


def _in(months: list[date]) -> str:
    return f"period IN ({', '.join('?' * len(months))})"


@dataclass(frozen=True)
class Profile:
    account: str
    year: int
    window: Window | None
    monthly: list[dict]  # 24 months (the year before and the plan year): month, revenue, revenue_year_before
    # (None for a month without any data)
    revenue: float
    revenue_prior: float | None  # None when the prior window is incomplete
    share_of_total: float | None  # of our revenue in the window, 0–1
    rank: int | None  # by revenue among all accounts in the window
    tier: str | None
    tier_reason: str | None
    provinces: list[str]
    stores: int
    categories: list[dict]  # category, revenue, share
    skus: list[dict]  # top SKUs: sku, category, revenue, share
    skus_lost: list[str]  # sold in the prior window, not in the current one
    skus_new: list[str]
    gross_margin_pct: float | None
    trade_spend_pct: float | None
    receivables: dict | None  # latest snapshot: as_of, current, overdue buckets, overdue_share


def profile(db: Database, account: str, year: int, lang: str = "en", top_skus: int = 10) -> Profile:
    from kam_core.analytics.tiers import account_tiers

    w = plan_window(db, year)
    months24 = month_range(date(year - 1, 1, 1), date(year, 12, 1))
    by_month = dict(
        db.rows(
            "SELECT period, sum(revenue) FROM sales_cube WHERE account = ? AND period BETWEEN ? AND ? GROUP BY period",
            [account, date(year - 2, 1, 1), date(year, 12, 1)],
        )
    )
    have = months_with_data(db)

    def rev(m: date) -> float | None:  # None: the month holds no data at all (not a zero)
        return float(by_month.get(m, 0)) if m in have else None

    monthly = [{"month": f"{m:%Y-%m}", "revenue": rev(m), "revenue_year_before": rev(add_months(m, -12))}
               for m in months24]  # fmt: skip
    tiers = account_tiers(db, lang).set_index("account")
    tier = tiers.loc[account] if account in tiers.index else None
    empty = Profile(account, year, w, monthly, 0.0, None, None, None, None if tier is None else tier["tier"],
                    None if tier is None else tier["reason"], [], 0, [], [], [], [], None, None, None)  # fmt: skip
    if w is None:
        return empty
    cur, prior = w.current, w.prior
    ranks = db.rows(
        f"""SELECT account, sum(revenue) AS r, rank() OVER (ORDER BY sum(revenue) DESC) FROM sales_cube
            WHERE {_in(cur)} GROUP BY account""",  # noqa: S608 - sums per account: the summary table's are exact
        cur,
    )
    total = sum(float(r[1]) for r in ranks)
    mine = next((r for r in ranks if r[0] == account), None)
    agg = db.rows(
        f"""SELECT coalesce(sum(revenue), 0), 100 * sum(gross_profit) / nullif(sum(revenue), 0),
                   100 * sum(trade_spend) / nullif(sum(revenue), 0), count(DISTINCT store) FILTER (WHERE revenue > 0),
                   list(DISTINCT province ORDER BY province) FILTER (WHERE province IS NOT NULL)
            FROM sales WHERE account = ? AND {_in(cur)}""",  # noqa: S608
        [account, *cur],
    )[0]
    prior_rev = db.scalar(f"SELECT coalesce(sum(revenue), 0) FROM sales_cube WHERE account = ? AND {_in(prior)}",  # noqa: S608
                          [account, *prior]) if w.comparable else None  # fmt: skip
    revenue = float(agg[0])
    cats = db.rows(
        f"""SELECT coalesce(category, ''), sum(revenue) FROM sales WHERE account = ? AND {_in(cur)}
            GROUP BY 1 ORDER BY 2 DESC""",  # noqa: S608
        [account, *cur],
    )
    skus = db.rows(
        f"""SELECT sku, any_value(category), sum(revenue) FROM sales WHERE account = ? AND sku IS NOT NULL
            AND {_in(cur)} GROUP BY sku ORDER BY 3 DESC, sku LIMIT ?""",  # noqa: S608
        [account, *cur, top_skus],
    )
    lost, new = products_before_vs_now(db, account, w) if w.comparable else ([], [])
    return Profile(
        account=account, year=year, window=w, monthly=monthly, revenue=revenue,
        revenue_prior=None if prior_rev is None else float(prior_rev),
        share_of_total=revenue / total if total else None, rank=int(mine[2]) if mine else None,
        tier=empty.tier, tier_reason=empty.tier_reason, provinces=list(agg[4] or []), stores=int(agg[3] or 0),
        categories=[{"category": c, "revenue": float(r), "share": float(r) / revenue if revenue else None}
                    for c, r in cats],
        skus=[{"sku": s, "category": c, "revenue": float(r), "share": float(r) / revenue if revenue else None}
              for s, c, r in skus],
        skus_lost=lost, skus_new=new,
        gross_margin_pct=None if agg[1] is None else float(agg[1]),
        trade_spend_pct=None if agg[2] is None else float(agg[2]),
        receivables=receivables_ageing(db, account),
    )  # fmt: skip


def products_before_vs_now(db: Database, account: str, w: Window) -> tuple[list[str], list[str]]:
    """SKUs sold in the prior window but not the current one, and SKUs new in the current one."""
    rows = db.rows(
        f"""SELECT sku, bool_or({_in(w.current)}) AS now, bool_or({_in(w.prior)}) AS before FROM sales
            WHERE account = ? AND sku IS NOT NULL AND revenue > 0 GROUP BY sku ORDER BY sku""",  # noqa: S608
        [*w.current, *w.prior, account],
    )
    return [s for s, now, before in rows if before and not now], [s for s, now, before in rows if now and not before]


def receivables_ageing(db: Database, account: str) -> dict | None:
    r = db.rows(
        """SELECT as_of, coalesce(current, 0), coalesce(overdue_1_30, 0), coalesce(overdue_31_60, 0),
                  coalesce(overdue_61_90, 0), coalesce(overdue_90_plus, 0)
           FROM receivables WHERE account = ? ORDER BY as_of DESC LIMIT 1""",
        [account],
    )
    if not r:
        return None
    as_of, *vals = r[0]
    cur, b1, b2, b3, b4 = (float(v) for v in vals)
    overdue, total = b1 + b2 + b3 + b4, cur + b1 + b2 + b3 + b4
    return {"as_of": as_of.isoformat(), "current": cur, "overdue_1_30": b1, "overdue_31_60": b2, "overdue_61_90": b3,
            "overdue_90_plus": b4, "overdue": overdue, "overdue_share": overdue / total if total else None}  # fmt: skip
