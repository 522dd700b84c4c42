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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote_plus

import pandas as pd

from kam_core.analytics import warnings as wr
from kam_core.coverage import months_with_data
from kam_core.db import Database
from kam_core.i18n import t
from kam_core.memo import Memo, data_key
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
    # every warning, most severe first (kam_core.analytics.warnings.frame: sentences and links are made for
    # the rows shown, by warnings_frame) — quick to take from the page cache, where ~100 000 objects take seconds
    warnings: pd.DataFrame


def as_of_for(year: int, today: date) -> date:
    if year == today.year:
        return today
    return date(year, 12, 31) if year < today.year else date(year, 1, 1)


def plan_years(db: Database, today: date | None = None) -> list[int]:
    """Years that hold a plan, and the current year; newest first."""
    today = today or date.today()
    years = {int(r[0]) for r in db.rows("SELECT DISTINCT year FROM account_plans")} | {today.year}
    return sorted(years, reverse=True)


# account → main KAM of every account, per data version, in the file too (kam_core.derived: warmed by the writers);
# looking up a few accounts on the cube itself costs as much as all of them (its account column is read whole).
_KAMS_MEMO = Memo(2, persist="portfolio.account_kams")


def account_kams(db: Database, accounts: Iterable[str] | None = None) -> dict[str, str]:
    """account → the KAM with the most revenue in its sales lines (summed on the summary cube, the same
    sums as over the lines). ``accounts``: only these (default: every account)."""
    every = _KAMS_MEMO.get(data_key(db), lambda: _account_kams(db), db)
    if accounts is None:
        return dict(every)
    return {a: every[a] for a in accounts if a in every}


def _account_kams(db: Database) -> dict[str, str]:
    rows = db.rows(
        """SELECT account, arg_max(kam, rev) FROM (
               SELECT account, kam, sum(revenue) AS rev FROM sales_cube WHERE kam IS NOT NULL
               GROUP BY account, kam)
           GROUP BY account"""
    )
    return {str(a): str(k) for a, k in rows}


def _keys(db: Database) -> pd.DataFrame:
    from kam_core.analytics.scoring import key_accounts

    if db.scalar("SELECT count(*) FROM sales") == 0:
        return pd.DataFrame(columns=["account", "score", "rank", "key"])
    return key_accounts(db)


def _tiers(db: Database, accounts: set[str]) -> dict[str, str]:
    """account → tier of ``accounts`` (those with a row in the portfolio), from the stored classification:
    a dict of the few rows shown, not of every account."""
    from kam_core.analytics.tiers import account_tiers

    if not accounts or db.scalar("SELECT count(*) FROM sales") == 0:
        return {}
    df = account_tiers(db)
    df = df[df["account"].isin(list(accounts))]
    return dict(zip(df["account"].tolist(), df["tier"].tolist(), strict=True))


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
    ws = wr.frame(db, as_of=as_of, tracked=tracked)  # as_of lies in ``year``: the plan rules read these plans
    planned = {v.account for v in versions}
    mine = ws[ws["account"].isin(planned)]  # the plans' warnings (a few per plan) as objects need nothing made
    by_account: dict[str, list[tuple[str, str]]] = {}
    for a, sev, rule in zip(mine["account"].tolist(), mine["severity"].tolist(), mine["rule"].tolist(), strict=True):
        by_account.setdefault(a, []).append((sev, rule))
    all_keys = _keys(db)  # one row per account: only the planned and the key accounts are looked at
    key_rows = all_keys[all_keys["key"].astype(bool)].sort_values("rank") if len(all_keys) else all_keys
    key_rows = key_rows[~key_rows["account"].isin(planned)].reset_index(drop=True)
    keys = all_keys[all_keys["account"].isin(planned)].set_index("account")
    shown = planned | set(key_rows["account"].tolist())
    tiers, kams = _tiers(db, shown), account_kams(db, shown)
    out = []
    for v in versions:
        tr = tracked[(v.account, v.version)]
        found = by_account.get(v.account, [])
        n = {s: sum(sev == s for sev, _ in found) for s in wr.SEVERITIES}
        k = keys.loc[v.account] if v.account in keys.index else None
        statuses = [o.status for o in tr.objectives]
        out.append({
            "account": v.account, "tier": tiers.get(v.account), "score": None if k is None else float(k["score"]),
            "rank": None if k is None else int(k["rank"]), "key": bool(k is not None and k["key"]),
            "kam": kams.get(v.account), "stage": v.doc.relationship.stage,
            "target_stage": v.doc.relationship.target_stage, "completeness": completeness(v.doc).share,
            **{s: statuses.count(s) for s in ("on_track", "at_risk", "off_track", "no_data")},
            "actions_overdue": len(tr.actions_overdue), "warn_high": n["high"], "warn_medium": n["medium"],
            "warn_low": n["low"], "rules": tuple(sorted({rule for _, rule in found})), "version": v.version,
            "saved_by": v.saved_by, "saved_at": v.saved_at, "link": wr.plan_link(v.account, year),
        })  # fmt: skip
    rows = sort_by_risk(pd.DataFrame(out, columns=list(COLUMNS)))
    missing = pd.DataFrame(
        [{"account": r.account, "rank": int(r.rank), "score": float(r.score), "tier": tiers.get(r.account),
          "kam": kams.get(r.account), "link": wr.plan_link(r.account, year)}
         for r in key_rows.itertuples(index=False)],
        columns=list(MISSING_COLUMNS),
    )  # fmt: skip
    return Portfolio(year, as_of, rows, missing, ws)


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


WARNING_COLUMNS = ("severity", "account", "rule", "message", "plan", "explain")


def warnings_frame(ws: pd.DataFrame, year: int, lang: str = "en", code: str | None = None) -> pd.DataFrame:
    """WARNING_COLUMNS of the rows of ``ws`` (kam_core.analytics.warnings.frame, e.g. the rows a page shows):
    severity, account, rule (labels in ``lang``), message, plan (link to the account's plan of ``year``),
    explain (link to the change breakdown, for the revenue and margin rules; else None) — in the rows' order.
    Amounts in the currency ``code``."""
    sev = {s: t(f"warn.severity.{s}", lang) for s in wr.SEVERITIES}
    rule = {r: t(f"warn.rule.{r}", lang) for r in dict.fromkeys(ws["rule"].tolist())}
    head, tail = wr.plan_link_parts(year)
    accounts = ws["account"].tolist()
    return pd.DataFrame(
        {"severity": [sev[s] for s in ws["severity"].tolist()], "account": accounts,
         "rule": [rule[r] for r in ws["rule"].tolist()], "message": wr.messages(ws, lang, code=code),
         "plan": [head + quote_plus(a) + tail for a in accounts],
         "explain": [lk if lk.startswith("/explain?") else None for lk in wr.links(ws)]},
        columns=list(WARNING_COLUMNS),
    )  # fmt: skip
