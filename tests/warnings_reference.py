"""The early warnings as they were built before the frame path (commit 8f05647): one object per warning,
sentence and link made for every warning. Kept as a reference.

tests/test_warnings_frame.py asserts that :func:`kam_core.analytics.warnings.frame` and what is made from it
(:func:`~kam_core.analytics.warnings.to_warnings`, messages, links, the portfolio's table) give exactly what
this gives. The rules' code is verbatim; what changed: the links are built with ``urlencode`` (as
``explain_link`` / ``plan_link`` define them, not the quoted-once shortcut) and the sentences by
:func:`message` here, so neither is taken from the module under test. The per-plan rules (objectives,
actions, contacts, stage, staleness: one plan at a time, few rows) are the plan package's own and are reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core import currency, settings
from kam_core.analytics.warnings import SEVERITIES, SEVERITY_RANK, Warning_, last_complete_months
from kam_core.db import Database
from kam_core.filters import add_months
from kam_core.i18n import t
from kam_core.plans import store
from kam_core.plans.tracking import track
from kam_core.plans.warning_rules import action_rules, contact_rules, objective_rules, stage_rules, stale_rules


def explain_link(account: str, metric: str, months: list[date]) -> str:
    q = {"metric": metric, "by": "sku", "from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}", "vs": "yoy",
         "account": account}  # fmt: skip
    return "/explain?" + urlencode(q)


def plan_link(account: str, year: int) -> str:
    return "/plans?" + urlencode({"account": account, "year": year})


def _fmt(v: object) -> object:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}".rstrip("0").rstrip(".")
    return v


def _money_figures(w: Warning_) -> set[str]:
    """The figures that are amounts: the 90-day overdue amount; an objective's projection and target when its
    metric is revenue, gross profit or overdue receivables."""
    if w.rule == "overdue_90":
        return {"amount"}
    if w.rule == "objective_off_track" and w.figures.get("metric") in (
        "revenue",
        "gross_profit",
        "overdue_receivables",
    ):
        return {"projected", "target"}
    return set()


def message(w: Warning_, lang: str = "en") -> str:
    money = _money_figures(w)
    values = {k: t(w.coded[k] + str(v), lang) if k in w.coded
              else currency.money(float(v), lang, currency.DEFAULT) if k in money
              else _fmt(v) for k, v in w.figures.items()}  # fmt: skip
    return t(w.key, lang, **values)


def to_dict(w: Warning_, lang: str = "en") -> dict:
    return {"account": w.account, "rule": w.rule, "severity": w.severity, "message": message(w, lang),
            "figures": dict(w.figures)}  # fmt: skip


_MONTHLY_SQL = """
SELECT account, period, sum(revenue)::DOUBLE AS revenue,
       -- a month whose lines do not all carry a gross profit has no known margin (NULL: not a 0%)
       CASE WHEN sum(gp_lines) = sum(lines) THEN sum(gross_profit)::DOUBLE END AS gross_profit
FROM sales_cube WHERE period IN (SELECT unnest(?::DATE[])) {acc}
GROUP BY account, period
"""


def _monthly(db: Database, months: list[date], account: str | None) -> pd.DataFrame:
    acc, params = ("AND account = ?", [account]) if account else ("", [])
    df = db.df(_MONTHLY_SQL.format(acc=acc), [months, *params])
    df["period"] = pd.to_datetime(df["period"]).dt.date
    return df


def revenue_rules(db: Database, account: str | None = None, dm: cv.DataMonths | None = None) -> list[Warning_]:
    dm = dm or cv.data_months(db)
    n_down, m = settings.get(db, "warnings.revenue_down_months"), settings.get(db, "warnings.revenue_window_months")
    drop_pct, margin_pts = settings.get(db, "warnings.revenue_drop_pct"), settings.get(db, "warnings.margin_drop_pts")
    window = last_complete_months(db, max(m, 3), dm)
    if not window:
        return []
    prior = [add_months(x, -12) for x in window]
    comp = cv.compare(db, window, prior, "prior_year", dm=dm)
    if not comp.ok:
        return []
    df = _monthly(db, window + prior, account)
    if df.empty:
        return []
    rev = df.pivot_table(index="account", columns="period", values="revenue", aggfunc="sum").reindex(
        columns=window + prior
    )
    gp = df.pivot_table(index="account", columns="period", values="gross_profit",
                        aggfunc=lambda s: s.sum(min_count=1), dropna=False).reindex(
        index=rev.index, columns=window + prior
    )  # fmt: skip
    gp = gp.where(rev.notna(), 0.0)  # no line in a month: nothing earned; lines without a known profit: NaN
    out: list[Warning_] = []
    last_m, last_m_prior = window[-m:], [add_months(x, -12) for x in window[-m:]]
    cur_m = rev[last_m].fillna(0.0).to_numpy()
    pri_m = rev[last_m_prior].fillna(0.0).to_numpy()
    down = ((cur_m < pri_m) & (pri_m > 0)).sum(axis=1)
    l3, l3p = window[-3:], [add_months(x, -12) for x in window[-3:]]
    cur3, pri3 = rev[l3].fillna(0.0).sum(axis=1).to_numpy(), rev[l3p].fillna(0.0).sum(axis=1).to_numpy()
    sum_m, sum_mp = rev[last_m].fillna(0.0).sum(axis=1).to_numpy(), rev[last_m_prior].fillna(0.0).sum(axis=1).to_numpy()
    g3, g3p = gp[l3].sum(axis=1, skipna=False).to_numpy(), gp[l3p].sum(axis=1, skipna=False).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        change_m = np.where(sum_mp > 0, (sum_m - sum_mp) / sum_mp, np.nan)
        change3 = np.where(pri3 > 0, (cur3 - pri3) / pri3, np.nan)
        margin_ok = ~np.isnan(g3) & ~np.isnan(g3p) & (cur3 > 0) & (pri3 > 0)
        pts = np.where(margin_ok, (g3 / cur3 - g3p / pri3) * 100, np.nan)
    flag_m = (down >= n_down) & (sum_mp > 0) & (change_m < 0)
    flag_3 = (pri3 > 0) & (change3 <= -drop_pct)
    flag_g = margin_ok & (pts <= -margin_pts)
    accounts = rev.index.tolist()
    for i in np.flatnonzero(flag_m | flag_3 | flag_g).tolist():
        acc = str(accounts[i])
        if flag_m[i]:
            out.append(Warning_(acc, "revenue_down_months", "medium", "warn.revenue_down_months",
                                {"down": int(down[i]), "of": m, "change_pct": round(change_m[i] * 100, 1),
                                 "from": f"{last_m[0]:%Y-%m}", "to": f"{last_m[-1]:%Y-%m}"},
                                explain_link(acc, "revenue", last_m)))  # fmt: skip
        if flag_3[i]:
            out.append(Warning_(acc, "revenue_drop", "high", "warn.revenue_drop",
                                {"change_pct": round(change3[i] * 100, 1), "threshold_pct": round(drop_pct * 100, 1),
                                 "revenue": round(float(cur3[i]), 2), "revenue_last_year": round(float(pri3[i]), 2)},
                                explain_link(acc, "revenue", l3)))  # fmt: skip
        if flag_g[i]:
            out.append(Warning_(acc, "margin_down", "medium", "warn.margin_down",
                                {"points": round(float(pts[i]), 1),
                                 "margin_pct": round(float(g3[i] / cur3[i] * 100), 1),
                                 "margin_last_year_pct": round(float(g3p[i] / pri3[i] * 100), 1),
                                 "threshold_pts": margin_pts},
                                explain_link(acc, "gross_profit", l3)))  # fmt: skip
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


def plan_warnings(db: Database, as_of: date, tracked: Mapping | None = None) -> list[Warning_]:
    contact_days, stale_days = settings.get(db, "warnings.contact_days"), settings.get(db, "warnings.plan_stale_days")
    out: list[Warning_] = []
    have: set[date] | None = None
    for v in store.list_latest(db, as_of.year):
        tr = (tracked or {}).get((v.account, v.version))
        if tr is None:
            have = cv.months_with_data(db) if have is None else have
            tr = track(db, v.doc, as_of, have)
        out += [*objective_rules(v, tr), *action_rules(v, tr), *contact_rules(v, as_of, contact_days),
                *stage_rules(v), *stale_rules(v, as_of, stale_days)]  # fmt: skip
    # the links as urlencode writes them (every plan listed is of as_of's year)
    return [replace(w, link=plan_link(w.account, as_of.year)) for w in out]


def missing_plan_warnings(db: Database, as_of: date) -> list[Warning_]:
    from kam_core.analytics.scoring import key_accounts

    if db.scalar("SELECT count(*) FROM sales") == 0:
        return []
    keys = key_accounts(db)
    keys = keys[keys["key"]]
    planned = {v.account for v in store.list_latest(db, as_of.year)}
    return [Warning_(str(r.account), "no_plan", "medium", "warn.no_plan",
                     {"year": as_of.year, "rank": int(r.rank), "score": round(float(r.score), 1)},
                     plan_link(str(r.account), as_of.year))
            for r in keys.itertuples(index=False) if r.account not in planned]  # fmt: skip


def evaluate(db: Database, account: str | None = None, severity: str | None = None,
             as_of: date | None = None) -> list[Warning_]:  # fmt: skip
    """Every warning, most severe first, then by account and rule."""
    assert severity is None or severity in SEVERITIES
    as_of = as_of or date.today()
    dm = cv.data_months(db)
    found = [*revenue_rules(db, account, dm), *receivable_rules(db, account)]
    for w in [*plan_warnings(db, as_of), *missing_plan_warnings(db, as_of)]:
        if account is None or w.account == account:
            found.append(w)
    found = [w if w.link else replace(w, link=plan_link(w.account, as_of.year)) for w in found]
    if severity:
        found = [w for w in found if w.severity == severity]
    found.sort(key=lambda w: (SEVERITY_RANK[w.severity], w.account, w.rule))
    return found


def warnings_frame(ws: list[Warning_], year: int, lang: str = "en", severity: tuple[str, ...] = ()) -> pd.DataFrame:
    """The portfolio's table of warnings as it was built (kam_core.analytics.portfolio.warnings_frame)."""
    picked = [w for w in ws if not severity or w.severity in severity]
    return pd.DataFrame(
        [{"severity": t(f"warn.severity.{w.severity}", lang), "account": w.account,
          "rule": t(f"warn.rule.{w.rule}", lang), "message": message(w, lang), "plan": plan_link(w.account, year),
          "explain": w.link if (w.link or "").startswith("/explain?") else None} for w in picked],
        columns=["severity", "account", "rule", "message", "plan", "explain"],
    )  # fmt: skip
