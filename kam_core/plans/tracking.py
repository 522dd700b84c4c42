"""Objectives tracked from the uploaded data: baseline → actual to date → projection → target.

Pure functions of the database and a document, so a new upload changes the figures at once.

**Metrics** (one SQL aggregate over the account's sales, narrowed by the objective's optional
category / SKU / province; receivables for overdue; the summary cube ``sales_cube`` — the same
sums — where neither SKUs, stores nor a category are needed): revenue, gross_profit, volume (sums);
gross_margin_pct, trade_spend_pct (percent of revenue over the window); skus_sold, stores_buying
(distinct SKUs / stores with revenue in the window); overdue_receivables (the overdue balance at
the latest snapshot in the window). Lower is better for trade_spend_pct and overdue_receivables.

**Window**: the objective's ``window_start`` (default January of the plan year) to the month of its
due date. ``actual`` = the metric over the window's months that hold data so far (a month holds
data when any sales line of it is stored, kam_core.coverage). **Baseline** (data) = the same
months a year earlier, only when every one of those months holds data.

**Projection to the due date** (rule ``plans.track.rule``): for sums, projected = actual +
Σ(last year's values of the remaining months) × (actual ÷ the same elapsed months last year) — last
year's seasonal pattern scaled by this year's growth; without a complete last year, a run rate
(actual ÷ elapsed months × window months). Ratios, counts and balances project as their current
value. **Status**: on_track when the projection meets the target, at_risk when it misses by at most
10% of the target, else off_track; no_data before the window holds any data.
**Achieved %**: 100 × actual ÷ target when higher is better; 100 × target ÷ actual when lower is
better (100 when the actual is 0).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from kam_core.coverage import months_with_data, window_coverage
from kam_core.db import Database
from kam_core.filters import add_months, month_range
from kam_core.geo import normalize_province
from kam_core.plans.model import ADDITIVE_METRICS, LOWER_IS_BETTER, STOCK_METRICS, Objective, PlanDoc

AT_RISK_TOLERANCE = 0.10  # a projection missing the target by at most 10% of it → at_risk
STATUSES = ("on_track", "at_risk", "off_track", "no_data")

# The metric expressions (fixed code, never user input).
_EXPR = {
    "revenue": "coalesce(sum(revenue), 0)",
    "gross_profit": (
        "CASE WHEN count(*) > 0 AND count(gross_profit) = 0 THEN NULL ELSE coalesce(sum(gross_profit), 0) END"
    ),
    "volume": "CASE WHEN count(*) > 0 AND count(volume) = 0 THEN NULL ELSE coalesce(sum(volume), 0) END",
    "gross_margin_pct": "100 * sum(gross_profit) / nullif(sum(revenue), 0)",
    "trade_spend_pct": "100 * sum(trade_spend) / nullif(sum(revenue), 0)",
    "skus_sold": "count(DISTINCT sku) FILTER (WHERE revenue > 0 AND sku IS NOT NULL)",
    "stores_buying": "count(DISTINCT store) FILTER (WHERE revenue > 0 AND store IS NOT NULL)",
}
# The same metrics on the summary cube (kam_core.summary), for objectives narrowed by province at most:
# count(*) of the lines = sum(lines), count(gross_profit) = sum(gp_lines), and every sum is the sum
# over the lines, to the last digit. A cube row exists only for lines, so "no row" = "no line".
_CUBE_EXPR = {
    "revenue": _EXPR["revenue"],
    "gross_profit": (
        "CASE WHEN coalesce(sum(lines), 0) > 0 AND sum(gp_lines) = 0 THEN NULL ELSE coalesce(sum(gross_profit), 0) END"
    ),
    "volume": "CASE WHEN coalesce(sum(lines), 0) > 0 AND sum(volume_lines) = 0 THEN NULL "
    "ELSE coalesce(sum(volume), 0) END",
    "gross_margin_pct": _EXPR["gross_margin_pct"],
    "trade_spend_pct": _EXPR["trade_spend_pct"],
}
_OVERDUE = ("coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0) + coalesce(overdue_61_90, 0) "
            "+ coalesce(overdue_90_plus, 0)")  # fmt: skip


def _province_names(db: Database, account: str, province: str) -> list[str]:
    """The raw province spellings in this account's sales that mean ``province``."""
    want = normalize_province(province) or province.strip()
    sql = "SELECT DISTINCT province FROM sales_cube WHERE account = ? AND province IS NOT NULL"  # as in the lines
    raw = [r[0] for r in db.rows(sql, [account])]
    return [r for r in raw if (normalize_province(r) or r.strip()) == want]


def metric_value(db: Database, account: str, obj: Objective, months: list[date]) -> float | None:
    """The objective's metric for ``account`` over ``months`` (first days); None when it cannot be measured."""
    if not months:
        return None
    if obj.metric in STOCK_METRICS:
        lo, hi = min(months), add_months(max(months), 1)
        v = db.scalar(
            f"""SELECT sum({_OVERDUE}) FROM receivables WHERE account = ? AND as_of = (
                    SELECT max(as_of) FROM receivables WHERE account = ? AND as_of >= ? AND as_of < ?)""",  # noqa: S608
            [account, account, lo, hi],
        )
        return None if v is None else float(v)
    conds, params = ["account = ?", f"period IN ({', '.join('?' * len(months))})"], [account, *months]
    if obj.category:
        conds.append("category = ?")
        params.append(obj.category)
    if obj.sku:
        conds.append("sku = ?")
        params.append(obj.sku)
    if obj.province:
        names = _province_names(db, account, obj.province)
        conds.append(f"province IN ({', '.join('?' * len(names))})" if names else "FALSE")
        params.extend(names)
    # SKUs, stores, categories are not in the summary cube: those read the lines
    cube = obj.metric in _CUBE_EXPR and not obj.category and not obj.sku
    expr, table = (_CUBE_EXPR[obj.metric], "sales_cube") if cube else (_EXPR[obj.metric], "sales")
    v = db.scalar(f"SELECT {expr} FROM {table} WHERE {' AND '.join(conds)}", params)  # noqa: S608
    return None if v is None else float(v)


def _shift(months: list[date], n: int) -> list[date]:
    return [add_months(m, n) for m in months]


def data_baseline(db: Database, account: str, obj: Objective, year: int, have: set[date] | None = None) -> float | None:
    """The metric over the objective's window a year earlier, when every month of it holds data."""
    start, end = obj.window(year)
    prior = _shift(month_range(start, end), -12)
    have = months_with_data(db) if have is None else have
    if not prior or any(m not in have for m in prior):
        return None
    return metric_value(db, account, obj, prior)


def fill_baselines(db: Database, doc: PlanDoc) -> PlanDoc:
    """The document with data baselines filled in where the objective asks for one and has none."""
    have = months_with_data(db)
    objs = [
        replace(o, baseline=data_baseline(db, doc.account, o, doc.year, have))
        if o.baseline_source == "data" and o.baseline is None
        else o
        for o in doc.objectives
    ]
    return replace(doc, objectives=objs)


@dataclass(frozen=True)
class ObjectiveTracking:
    objective_id: str
    metric: str
    direction: str  # "up" | "down"
    window_start: str  # YYYY-MM
    window_end: str
    months_total: int
    months_with_data: int
    baseline: float | None
    baseline_source: str
    actual: float | None
    projected: float | None
    projection: str  # "seasonal" | "run_rate" | "current" | "complete" | "none"
    target: float
    achieved_pct: float | None
    status: str  # STATUSES

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PlanTracking:
    objectives: list[ObjectiveTracking] = field(default_factory=list)
    actions_overdue: list[str] = field(default_factory=list)  # action keys (id, else description)

    @property
    def on_track(self) -> int:
        return sum(o.status == "on_track" for o in self.objectives)

    def by_id(self) -> dict[str, ObjectiveTracking]:
        return {o.objective_id: o for o in self.objectives}


def status_of(metric: str, projected: float | None, target: float) -> str:
    if projected is None:
        return "no_data"
    tol = AT_RISK_TOLERANCE * abs(target)
    if metric in LOWER_IS_BETTER:
        return "on_track" if projected <= target else "at_risk" if projected <= target + tol else "off_track"
    return "on_track" if projected >= target else "at_risk" if projected >= target - tol else "off_track"


def achieved_pct(metric: str, actual: float | None, target: float) -> float | None:
    if actual is None:
        return None
    if metric in LOWER_IS_BETTER:
        return 100.0 if actual == 0 else 100.0 * target / actual
    return None if target == 0 else 100.0 * actual / target


def track_objective(db: Database, account: str, year: int, obj: Objective,
                    have: set[date] | None = None) -> ObjectiveTracking:  # fmt: skip
    have = months_with_data(db) if have is None else have
    start, end = obj.window(year)
    window = month_range(start, end)
    elapsed = [m for m in window if m in have]
    baseline = obj.baseline
    if baseline is None and obj.baseline_source == "data":
        baseline = data_baseline(db, account, obj, year, have)
    actual = metric_value(db, account, obj, elapsed)
    projected, how = None, "none"
    if actual is not None:
        remaining = [m for m in window if m not in have and m > max(elapsed)]
        if not remaining:
            projected, how = actual, "complete"
        elif obj.metric not in ADDITIVE_METRICS:
            projected, how = actual, "current"
        else:
            ly_elapsed, ly_remaining = _shift(elapsed, -12), _shift(remaining, -12)
            cov = window_coverage(db, ly_elapsed + ly_remaining, have, {})
            base = metric_value(db, account, obj, ly_elapsed) if cov.n_with_data == cov.n else None
            if base:
                rest = metric_value(db, account, obj, ly_remaining) or 0.0
                projected, how = actual + rest * (actual / base), "seasonal"
            else:
                projected, how = actual / len(elapsed) * len(window), "run_rate"
    return ObjectiveTracking(
        objective_id=obj.id, metric=obj.metric, direction=obj.direction, window_start=f"{start:%Y-%m}",
        window_end=f"{end:%Y-%m}", months_total=len(window), months_with_data=len(elapsed), baseline=baseline,
        baseline_source=obj.baseline_source, actual=actual, projected=projected, projection=how, target=obj.target,
        achieved_pct=achieved_pct(obj.metric, actual, obj.target), status=status_of(obj.metric, projected, obj.target),
    )  # fmt: skip


def track(db: Database, doc: PlanDoc, today: date | None = None, have: set[date] | None = None) -> PlanTracking:
    """Every objective's figures and status, and the overdue actions (due before today, not done / dropped).

    ``have`` (``months_with_data``) lets a caller tracking many plans read the months once."""
    today = today or date.today()
    have = months_with_data(db) if have is None else have
    return PlanTracking(
        [track_objective(db, doc.account, doc.year, o, have) for o in doc.objectives],
        [a.key for a in doc.actions if a.overdue(today)],
    )
