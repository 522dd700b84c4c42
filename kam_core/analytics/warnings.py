"""Early warnings per account (domain §8 step 5: guard against relationship change).

Each rule has its thresholds in settings (``warnings.*``), a sentence in both languages that
names the figures, a severity (high / medium / low) and the figures themselves. Data rules
compare the last complete months with the same months a year earlier and only when the
comparison is honest (kam_core.coverage: every month of both windows holds data and none is
partial) — no warning from a partial prior window. A partial latest month is left out of
"the last N months". Plan rules (objectives, actions, stakeholders, stage, staleness) read
the account plans; they join through :data:`PLAN_RULES` so the plan package owns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote_plus, urlencode

import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core import settings
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import add_months, month_range
from kam_core.i18n import t

SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Warning_:
    """One warning: which account, which rule, how severe, the figures, and the sentence's key."""

    account: str
    rule: str
    severity: str
    key: str  # catalog key of the sentence
    figures: dict[str, object] = field(default_factory=dict)
    # where a reader goes next: the account's plan (/plans?…) or the change breakdown (/explain?…)
    link: str | None = field(default=None, compare=False)
    # figures that are codes, shown as their catalog label: figure name → key prefix ("plans.stage.")
    coded: dict[str, str] = field(default_factory=dict, compare=False)

    def message(self, lang: str = "en") -> str:
        values = {k: t(self.coded[k] + str(v), lang) if k in self.coded else _fmt(v) for k, v in self.figures.items()}
        return t(self.key, lang, **values)

    def to_dict(self, lang: str = "en") -> dict:
        return {"account": self.account, "rule": self.rule, "severity": self.severity,
                "message": self.message(lang), "figures": dict(self.figures)}  # fmt: skip


# A plan rule: (db, as_of, tracked) → warnings. Registered by kam_core.plans (kept out of this module
# so warnings do not import the plan package and the plan package owns its rules). ``tracked``: plan
# trackings a caller already computed, {(account, version): PlanTracking}, or None (the rule tracks).
PLAN_RULES: list[Callable[[Database, date, Mapping | None], Iterable[Warning_]]] = []


def explain_link(account: str, metric: str, months: list[date]) -> str:
    """The change breakdown of one account by SKU over ``months`` against the same months a year earlier."""
    q = {"metric": metric, "by": "sku", "from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}", "vs": "yoy",
         "account": account}  # fmt: skip
    return "/explain?" + urlencode(q)


def plan_link(account: str, year: int) -> str:
    """The plan editor opened on ``account``'s plan for ``year``: ``/plans?`` + urlencode of both, written
    out (urlencode costs seconds for the ~100 000 warnings of 100 000 accounts)."""
    return f"/plans?account={quote_plus(str(account))}&year={quote_plus(str(year))}"


def _fmt(v: object) -> object:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}".rstrip("0").rstrip(".")
    return v


# -- windows -----------------------------------------------------------------------------------
def last_complete_months(db: Database, n: int, dm: cv.DataMonths | None = None) -> list[date]:
    """The last ``n`` months up to the latest month with complete data (a partial latest month left out)."""
    dm = dm or cv.data_months(db)
    if not dm.have:
        return []
    end = max(dm.have)
    if dm.partial(end) is not None:
        end = add_months(end, -1)
    return month_range(add_months(end, -(n - 1)), end)


# -- data rules --------------------------------------------------------------------------------
# From the summary cube (kam_core.summary): the same sums as over the lines, to the last digit.
_MONTHLY_SQL = """
SELECT account, period, sum(revenue)::DOUBLE AS revenue, sum(gross_profit)::DOUBLE AS gross_profit
FROM sales_cube WHERE period IN (SELECT unnest(?::DATE[])) {acc}
GROUP BY account, period
"""


def _monthly(db: Database, months: list[date], account: str | None) -> pd.DataFrame:
    acc, params = ("AND account = ?", [account]) if account else ("", [])
    df = db.df(_MONTHLY_SQL.format(acc=acc), [months, *params])
    df["period"] = pd.to_datetime(df["period"]).dt.date
    return df


def revenue_rules(db: Database, account: str | None = None, dm: cv.DataMonths | None = None) -> list[Warning_]:
    """Revenue below last year in N of the last M months; the last 3 months X % below last year;
    gross margin of the last 3 months down by X points against the same months a year earlier."""
    dm = dm or cv.data_months(db)
    n_down, m = settings.get(db, "warnings.revenue_down_months"), settings.get(db, "warnings.revenue_window_months")
    drop_pct, margin_pts = settings.get(db, "warnings.revenue_drop_pct"), settings.get(db, "warnings.margin_drop_pts")
    window = last_complete_months(db, max(m, 3), dm)
    if not window:
        return []
    prior = [add_months(x, -12) for x in window]
    comp = cv.compare(db, window, prior, "prior_year", dm=dm)
    if not comp.ok:  # no warning from a partial or missing prior window
        return []
    df = _monthly(db, window + prior, account)
    if df.empty:
        return []
    rev = df.pivot_table(index="account", columns="period", values="revenue", aggfunc="sum").reindex(
        columns=window + prior
    )
    gp = df.pivot_table(index="account", columns="period", values="gross_profit", aggfunc="sum").reindex(
        index=rev.index, columns=window + prior
    )  # row for row with rev (an account without any gross profit: a row of NaN)
    out: list[Warning_] = []
    last_m, last_m_prior = window[-m:], [add_months(x, -12) for x in window[-m:]]
    cur_m = rev[last_m].fillna(0.0).to_numpy()
    pri_m = rev[last_m_prior].fillna(0.0).to_numpy()
    # an account that did not sell a year earlier has nothing to fall from
    down = ((cur_m < pri_m) & (pri_m > 0)).sum(axis=1)
    l3, l3p = window[-3:], [add_months(x, -12) for x in window[-3:]]
    cur3, pri3 = rev[l3].fillna(0.0).sum(axis=1).to_numpy(), rev[l3p].fillna(0.0).sum(axis=1).to_numpy()
    sum_m, sum_mp = rev[last_m].fillna(0.0).sum(axis=1).to_numpy(), rev[last_m_prior].fillna(0.0).sum(axis=1).to_numpy()
    g3, g3p = gp[l3].sum(axis=1, min_count=1).to_numpy(), gp[l3p].sum(axis=1, min_count=1).to_numpy()
    # Every test on whole columns at once (100 000 accounts); warnings built only for the accounts flagged.
    with np.errstate(divide="ignore", invalid="ignore"):
        change_m = np.where(sum_mp > 0, (sum_m - sum_mp) / sum_mp, np.nan)
        change3 = np.where(pri3 > 0, (cur3 - pri3) / pri3, np.nan)
        margin_ok = ~np.isnan(g3) & ~np.isnan(g3p) & (cur3 > 0) & (pri3 > 0)
        pts = np.where(margin_ok, (g3 / cur3 - g3p / pri3) * 100, np.nan)
    flag_m = (down >= n_down) & (sum_mp > 0) & (change_m < 0)
    flag_3 = (pri3 > 0) & (change3 <= -drop_pct)
    flag_g = margin_ok & (pts <= -margin_pts)
    accounts = rev.index.tolist()  # a list: indexing an (arrow-backed) Index one by one is slow
    # explain_link(acc, …) = the same query string with the account last: quoted once per rule, not per account
    link_m, link_3, link_g = (explain_link("", x, ms) for x, ms in (("revenue", last_m), ("revenue", l3),
                                                                    ("gross_profit", l3)))  # fmt: skip
    for i in np.flatnonzero(flag_m | flag_3 | flag_g).tolist():
        acc = str(accounts[i])
        if flag_m[i]:
            out.append(Warning_(acc, "revenue_down_months", "medium", "warn.revenue_down_months",
                                {"down": int(down[i]), "of": m, "change_pct": round(change_m[i] * 100, 1),
                                 "from": f"{last_m[0]:%Y-%m}", "to": f"{last_m[-1]:%Y-%m}"},
                                link_m + quote_plus(acc)))  # fmt: skip
        if flag_3[i]:
            out.append(Warning_(acc, "revenue_drop", "high", "warn.revenue_drop",
                                {"change_pct": round(change3[i] * 100, 1), "threshold_pct": round(drop_pct * 100, 1),
                                 "revenue": round(float(cur3[i]), 2), "revenue_last_year": round(float(pri3[i]), 2)},
                                link_3 + quote_plus(acc)))  # fmt: skip
        if flag_g[i]:
            out.append(Warning_(acc, "margin_down", "medium", "warn.margin_down",
                                {"points": round(float(pts[i]), 1),
                                 "margin_pct": round(float(g3[i] / cur3[i] * 100), 1),
                                 "margin_last_year_pct": round(float(g3p[i] / pri3[i] * 100), 1),
                                 "threshold_pts": margin_pts},
                                link_g + quote_plus(acc)))  # fmt: skip
    return out


_RECEIVABLES_SQL = """
SELECT account, as_of,
       (coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0) + coalesce(overdue_61_90, 0)
        + coalesce(overdue_90_plus, 0))::DOUBLE AS overdue,
       coalesce(overdue_90_plus, 0)::DOUBLE AS over_90,
       (coalesce(current, 0) + coalesce(overdue_1_30, 0) + coalesce(overdue_31_60, 0)
        + coalesce(overdue_61_90, 0) + coalesce(overdue_90_plus, 0))::DOUBLE AS total
FROM (SELECT account, as_of, sum(current) AS current, sum(overdue_1_30) AS overdue_1_30,
             sum(overdue_31_60) AS overdue_31_60, sum(overdue_61_90) AS overdue_61_90,
             sum(overdue_90_plus) AS overdue_90_plus,
             max(as_of) OVER (PARTITION BY account) AS latest
      FROM receivables WHERE TRUE {acc} GROUP BY account, as_of)
WHERE as_of = latest
"""


def receivable_rules(db: Database, account: str | None = None) -> list[Warning_]:
    """Overdue receivables above X % of the account's receivables, or any amount over 90 days
    (latest ageing snapshot per account)."""
    limit, min_90 = settings.get(db, "warnings.overdue_pct"), settings.get(db, "warnings.overdue_90_min")
    acc, params = ("AND account = ?", [account]) if account else ("", [])
    df = db.df(_RECEIVABLES_SQL.format(acc=acc), params)
    out: list[Warning_] = []
    for r in df.itertuples(index=False):
        as_of = pd.Timestamp(r.as_of).date().isoformat()
        if r.over_90 > min_90:
            out.append(Warning_(str(r.account), "overdue_90", "high", "warn.overdue_90",
                                {"amount": round(r.over_90, 2), "as_of": as_of}))  # fmt: skip
        if r.total > 0 and r.overdue / r.total > limit:
            out.append(Warning_(str(r.account), "overdue_share", "medium", "warn.overdue_share",
                                {"overdue_pct": round(r.overdue / r.total * 100, 1),
                                 "threshold_pct": round(limit * 100, 1), "amount": round(r.overdue, 2),
                                 "as_of": as_of}))  # fmt: skip
    return out


# -- all rules ---------------------------------------------------------------------------------
def evaluate(db: Database, account: str | None = None, severity: str | None = None,
             as_of: date | None = None, tracked: Mapping | None = None) -> list[Warning_]:  # fmt: skip
    """Every warning, most severe first, then by account and rule.

    ``tracked``: {(account, plan version): PlanTracking} of the plans the caller has tracked already
    (the portfolio shows them too: tracked once, not twice)."""
    if severity is not None and severity not in SEVERITIES:
        raise UserError("warn.err.severity", severity=severity, known=", ".join(SEVERITIES))
    as_of = as_of or date.today()
    from kam_core.plans import warning_rules  # noqa: F401 - registers the plan rules (the plan package owns them)

    dm = cv.data_months(db)
    found = [*revenue_rules(db, account, dm), *receivable_rules(db, account)]
    for rule in PLAN_RULES:
        found.extend(w for w in rule(db, as_of, tracked) if account is None or w.account == account)
    # a warning with no better place to go opens the account's plan of the year
    found = [w if w.link else replace(w, link=plan_link(w.account, as_of.year)) for w in found]
    if severity:
        found = [w for w in found if w.severity == severity]
    found.sort(key=lambda w: (SEVERITY_RANK[w.severity], w.account, w.rule))
    return found


def severity_counts(db: Database, as_of: date | None = None) -> dict[str, int]:
    """How many warnings of each severity (what a page shows when it shows no list: small to cache)."""
    return counts(evaluate(db, as_of=as_of))


def counts(warnings: Iterable[Warning_]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for w in warnings:
        out[w.severity] += 1
    return out
