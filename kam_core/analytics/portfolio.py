"""The plan portfolio: every account plan of a year in one table, and the key accounts without one.

One row per plan (its newest version): account, tier, score / rank / key (active score model),
KAM (the KAM with the most revenue in the account's sales), stage → target stage, completeness
(kam_core.plans.completeness), objectives by status (kam_core.plans.tracking), overdue actions,
the account's warnings by severity (kam_core.analytics.warnings, data and plan rules) and who saved
the newest version when. **Risk order**: most high-severity warnings first, then most off-track
objectives, then most overdue actions, then by account.

Plans are judged as of ``as_of``: today for the current year, 31 December for a past year and
1 January for a future one (:func:`as_of_for`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from kam_core.analytics import warnings as wr
from kam_core.coverage import months_with_data
from kam_core.db import Database
from kam_core.i18n import t
from kam_core.plans import store
from kam_core.plans.completeness import completeness
from kam_core.plans.tracking import track

RISK_ORDER = ("warn_high", "off_track", "actions_overdue")
COLUMNS = (
    "account", "tier", "score", "rank", "key", "kam", "stage", "target_stage", "completeness", "on_track", "at_risk",
    "off_track", "no_data", "actions_overdue", "warn_high", "warn_medium", "warn_low", "rules", "version", "saved_by",
    "saved_at", "link",
)  # fmt: skip
MISSING_COLUMNS = ("account", "rank", "score", "tier", "kam", "link")


@dataclass(frozen=True)
class Portfolio:
    year: int
    as_of: date
    rows: pd.DataFrame  # COLUMNS, in risk order
    missing: pd.DataFrame  # MISSING_COLUMNS: key accounts without a plan for the year, by rank
    warnings: list[wr.Warning_] = field(default_factory=list)  # every warning, most severe first


def as_of_for(year: int, today: date) -> date:
    if year == today.year:
        return today
    return date(year, 12, 31) if year < today.year else date(year, 1, 1)


def plan_years(db: Database, today: date | None = None) -> list[int]:
    """Years that hold a plan, and the current year; newest first."""
    today = today or date.today()
    years = {int(r[0]) for r in db.rows("SELECT DISTINCT year FROM account_plans")} | {today.year}
    return sorted(years, reverse=True)


def account_kams(db: Database) -> dict[str, str]:
    """account → the KAM with the most revenue in its sales lines (summed on the summary cube, the same
    sums as over the lines)."""
    rows = db.rows(
        """SELECT account, arg_max(kam, rev) FROM (
               SELECT account, kam, sum(revenue) AS rev FROM sales_cube WHERE kam IS NOT NULL GROUP BY account, kam)
           GROUP BY account"""
    )
    return {str(a): str(k) for a, k in rows}


def _keys(db: Database) -> pd.DataFrame:
    from kam_core.analytics.scoring import key_accounts

    if db.scalar("SELECT count(*) FROM sales") == 0:
        return pd.DataFrame(columns=["account", "score", "rank", "key"])
    return key_accounts(db)


def _tiers(db: Database) -> dict[str, str]:
    from kam_core.analytics.tiers import account_tier_map

    if db.scalar("SELECT count(*) FROM sales") == 0:
        return {}
    return account_tier_map(db)


def sort_by_risk(rows: pd.DataFrame) -> pd.DataFrame:
    """High warnings, then off-track objectives, then overdue actions (each most first), then account."""
    return rows.sort_values([*RISK_ORDER, "account"], ascending=[False, False, False, True], kind="stable").reset_index(
        drop=True
    )


def portfolio(db: Database, year: int, today: date | None = None) -> Portfolio:
    as_of = as_of_for(year, today or date.today())
    versions = store.list_latest(db, year)
    have = months_with_data(db)
    # each plan tracked once: for its row here and for the plan warnings
    tracked = {(v.account, v.version): track(db, v.doc, as_of, have) for v in versions}
    ws = wr.evaluate(db, as_of=as_of, tracked=tracked)  # as_of lies in ``year``: the plan rules read these plans
    by_account: dict[str, list[wr.Warning_]] = {}
    for w in ws:
        by_account.setdefault(w.account, []).append(w)
    keys = _keys(db).set_index("account")
    tiers, kams = _tiers(db), account_kams(db)
    out = []
    for v in versions:
        tr = tracked[(v.account, v.version)]
        mine = by_account.get(v.account, [])
        n = wr.counts(mine)
        k = keys.loc[v.account] if v.account in keys.index else None
        statuses = [o.status for o in tr.objectives]
        out.append({
            "account": v.account, "tier": tiers.get(v.account), "score": None if k is None else float(k["score"]),
            "rank": None if k is None else int(k["rank"]), "key": bool(k is not None and k["key"]),
            "kam": kams.get(v.account), "stage": v.doc.relationship.stage,
            "target_stage": v.doc.relationship.target_stage, "completeness": completeness(v.doc).share,
            **{s: statuses.count(s) for s in ("on_track", "at_risk", "off_track", "no_data")},
            "actions_overdue": len(tr.actions_overdue), "warn_high": n["high"], "warn_medium": n["medium"],
            "warn_low": n["low"], "rules": tuple(sorted({w.rule for w in mine})), "version": v.version,
            "saved_by": v.saved_by, "saved_at": v.saved_at, "link": wr.plan_link(v.account, year),
        })  # fmt: skip
    rows = sort_by_risk(pd.DataFrame(out, columns=list(COLUMNS)))
    planned = {v.account for v in versions}
    key_rows = keys[keys["key"].astype(bool)].reset_index().sort_values("rank") if len(keys) else keys.reset_index()
    missing = pd.DataFrame(
        [{"account": r.account, "rank": int(r.rank), "score": float(r.score), "tier": tiers.get(r.account),
          "kam": kams.get(r.account), "link": wr.plan_link(r.account, year)}
         for r in key_rows.itertuples(index=False) if r.account not in planned],
        columns=list(MISSING_COLUMNS),
    )  # fmt: skip
    return Portfolio(year, as_of, rows, missing, ws)


@dataclass(frozen=True)
class PortfolioView:
    """What the portfolio page shows, in one language: :class:`Portfolio` with the warnings already a frame
    (:func:`warnings_frame` plus ``severity_code``). Small and quick to unpickle from the page cache, where
    ~100 000 warning objects take seconds."""

    year: int
    as_of: date
    rows: pd.DataFrame
    missing: pd.DataFrame
    warnings: pd.DataFrame  # WARNING_COLUMNS + severity_code, most severe first


WARNING_COLUMNS = ("severity", "account", "rule", "message", "plan", "explain")


def view(db: Database, year: int, today: date | None = None, lang: str = "en") -> PortfolioView:
    """The portfolio of ``year`` for the page, in ``lang``."""
    p = portfolio(db, year, today)
    frame = warnings_frame(p.warnings, year, lang)
    frame["severity_code"] = pd.Series([w.severity for w in p.warnings], index=frame.index, dtype="str")
    return PortfolioView(p.year, p.as_of, p.rows, p.missing, frame)


def filter_rows(rows: pd.DataFrame, kams: tuple[str, ...] = (), tiers: tuple[str, ...] = (),
                rules: tuple[str, ...] = ()) -> pd.DataFrame:  # fmt: skip
    """Rows of the chosen KAMs, tiers and with any of the chosen warning rules (empty = all)."""
    keep = pd.Series(True, index=rows.index)
    if kams:
        keep &= rows["kam"].isin(kams)
    if tiers:
        keep &= rows["tier"].isin(tiers)
    if rules:
        keep &= rows["rules"].map(lambda have: bool(set(have) & set(rules)))
    return rows[keep].reset_index(drop=True)


def warnings_frame(ws: list[wr.Warning_], year: int, lang: str = "en", severity: tuple[str, ...] = ()) -> pd.DataFrame:
    """severity, account, rule (label), message, plan (link to the account's plan of ``year``), explain (link to
    the change breakdown, for the revenue and margin rules; else None) — one row per warning, most severe first."""
    picked = [w for w in ws if not severity or w.severity in severity]
    sev = {s: t(f"warn.severity.{s}", lang) for s in wr.SEVERITIES}
    rule: dict[str, str] = {}
    return pd.DataFrame(
        [{"severity": sev[w.severity], "account": w.account,
          "rule": rule.get(w.rule) or rule.setdefault(w.rule, t(f"warn.rule.{w.rule}", lang)),
          "message": w.message(lang), "plan": wr.plan_link(w.account, year),
          "explain": w.link if (w.link or "").startswith("/explain?") else None} for w in picked],
        columns=list(WARNING_COLUMNS),
    )  # fmt: skip
