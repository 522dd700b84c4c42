"""What the plan editor needs besides the model: table rows ↔ editor frames, the account picker, carry-over.

Pure functions (pandas and the database, no widgets). A page keeps its draft in the JSON form
(``model.to_dict``); the table sections are edited as frames whose columns are listed in
:data:`COLUMNS`. ``frame_rows(section, frame_of(section, rows)) == rows`` for any valid rows, so an
untouched editor leaves the draft equal to the saved version (no false "unsaved changes").
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pandas as pd

from kam_core.db import Database
from kam_core.plans.model import (
    CLOSED_STATUSES,
    QUADRANTS,
    Action,
    PlanDoc,
    Problem,
    SwotItem,
    from_json,
)

# editor columns per table section (JSON field names; competitors' share is edited as a percentage)
COLUMNS: dict[str, tuple[str, ...]] = {
    "swot": ("text", "note", "source"),
    "competitors": ("name", "share_pct", "strengths", "recent_moves"),
    "stakeholders": ("name", "title", "role", "attitude", "influence", "owner", "last_contact", "note"),
    "objectives": (
        "id",
        "metric",
        "category",
        "sku",
        "province",
        "window_start",
        "due",
        "baseline",
        "baseline_source",
        "target",
        "note",
    ),
    "actions": ("id", "type", "description", "owner", "start", "due", "budget", "status", "objective_id"),
}
DATE_FIELDS = frozenset({"last_contact", "due", "start"})
NUMBER_FIELDS = frozenset({"share_pct", "influence", "baseline", "target", "budget"})
INTEGER_FIELDS = frozenset({"influence"})
# text fields that may be null in the JSON form (the others are "" when empty)
NULLABLE = {
    "swot": frozenset({"source"}),
    "competitors": frozenset(),
    "stakeholders": frozenset(),
    "objectives": frozenset({"category", "sku", "province", "window_start"}),
    "actions": frozenset({"id", "objective_id"}),
}
# defaults of a row added in the editor (a blank cell of a code column)
DEFAULTS = {
    "stakeholders": {"role": "influencer", "attitude": "neutral", "influence": 3},
    "objectives": {"baseline_source": "data"},
    "actions": {"type": "other", "status": "planned"},
}


def _blank(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and not v.strip():
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _date_text(v: Any) -> Any:
    if _blank(v):
        return None
    if isinstance(v, pd.Timestamp | datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    s = str(v).strip()
    return s[:10] if len(s) > 10 and s[10] in "T " else s  # "2026-03-12T00:00:00" from the grid


def _number(v: Any, integer: bool) -> Any:
    if _blank(v):
        return None
    if isinstance(v, str):
        try:
            v = float(v.replace(",", ""))
        except ValueError:
            return v  # validation names it
    v = float(v)
    return int(v) if integer and v == int(v) else v


def frame_of(section: str, rows: list[dict]) -> pd.DataFrame:
    """The editor's frame of a table section (``section`` "swot" for any quadrant)."""
    cols = COLUMNS[section]
    out = []
    for r in rows:
        row = {c: r.get(c) for c in cols}
        if section == "competitors":
            row["share_pct"] = None if r.get("share") is None else round(float(r["share"]) * 100, 6)
        for c in DATE_FIELDS & set(cols):
            row[c] = date.fromisoformat(r[c]) if isinstance(r.get(c), str) and len(r[c]) == 10 else None
        out.append(row)
    frame = pd.DataFrame(out, columns=list(cols))
    for c in cols:
        if c in NUMBER_FIELDS:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
        elif c in DATE_FIELDS:  # datetime64: an empty date is NaT, which the grid shows as a blank cell
            frame[c] = pd.to_datetime(frame[c], errors="coerce")
        else:
            frame[c] = frame[c].astype("object")
    return frame


def frame_rows(section: str, frame: pd.DataFrame) -> list[dict]:
    """The JSON rows of an edited frame; rows left entirely blank (a row added and never filled) are dropped."""
    cols = COLUMNS[section]
    nullable = NULLABLE[section]
    out: list[dict] = []
    for rec in pd.DataFrame(frame).to_dict("records"):
        if all(_blank(rec.get(c)) for c in cols if c != "source"):
            continue
        row: dict[str, Any] = {}
        for c in cols:
            v = rec.get(c)
            if c in DATE_FIELDS:
                row[c] = _date_text(v)
            elif c in NUMBER_FIELDS:
                row[c] = _number(v, c in INTEGER_FIELDS)
            elif _blank(v):
                row[c] = None if c in nullable else ""
            else:
                row[c] = v if isinstance(v, str) else str(v)
        for k, d in DEFAULTS.get(section, {}).items():
            if row.get(k) is None or row.get(k) == "":
                row[k] = d
        if section == "competitors":
            pct = row.pop("share_pct")
            row["share"] = round(pct / 100, 8) if isinstance(pct, float | int) else pct
        out.append(row)
    return out


# -- problems as the editor names them ---------------------------------------------------------------
def problem_text(p: Problem, lang: str = "en") -> str:
    """Section · quadrant · row · the column's label: reason (labels from kam_core/locales/plans_page.py)."""
    from kam_core.i18n import t

    where = t(f"plans.section.{p.section.split('.')[0]}", lang)
    if "." in p.section:
        where += " · " + t(f"plans.quadrant.{p.section.split('.', 1)[1]}", lang)
    if p.row is not None:
        where += " · " + t("plans.v.row", lang, row=p.row)
    if p.field:
        fld = "share_pct" if p.section == "competitors" and p.field == "share" else p.field
        try:
            where += " · " + t(f"plp.field.{fld}", lang)
        except KeyError:
            where += f" · {p.field}"
    return where + ("：" if lang == "zh" else ": ") + t(p.reason, lang, **p.values)


# -- the account picker -------------------------------------------------------------------------------
def data_year(db: Database) -> int | None:
    """The year of the latest sales month (the editor's default plan year)."""
    last = db.scalar("SELECT max(period) FROM sales")
    return None if last is None else int(last.year)


def plan_years(db: Database) -> list[int]:
    """Years a plan can be opened for: every year with sales or plans, and the year after the data."""
    years = {int(r[0]) for r in db.rows("SELECT DISTINCT year(period) FROM sales_cube")}  # the lines' months
    years |= {int(r[0]) for r in db.rows("SELECT DISTINCT year FROM account_plans")}
    if (y := data_year(db)) is not None:
        years.add(y + 1)
    return sorted(years)


def account_choices(db: Database, year: int) -> pd.DataFrame:
    """account, revenue (the last 12 months with data), key, version (of ``year``'s plan, 0 = none).

    Ordered for the picker: accounts with a plan first, then key accounts, then by revenue.
    """
    from kam_core.analytics.scoring import key_accounts

    frame = pd.DataFrame(
        db.rows(
            # the summary table sales_cube: the lines' sums per account and month, to the last digit
            """WITH last AS (SELECT max(period) AS p FROM sales_cube)
               SELECT account, coalesce(sum(revenue) FILTER (WHERE period > p - INTERVAL 12 MONTH), 0)
               FROM sales_cube, last GROUP BY account""",
        ),
        columns=["account", "revenue"],
    )
    plans = dict(db.rows("SELECT account, max(version) FROM account_plans WHERE year = ? GROUP BY account", [year]))
    known = set(frame["account"])
    for a in plans:
        if a not in known:
            frame.loc[len(frame)] = [a, 0.0]
    keys = key_accounts(db) if len(frame) else pd.DataFrame(columns=["account", "key"])
    key_set = set(keys.loc[keys["key"].astype(bool), "account"])
    frame["revenue"] = frame["revenue"].astype(float)
    frame["key"] = frame["account"].isin(key_set)
    frame["version"] = [int(plans.get(a, 0)) for a in frame["account"]]
    frame["_plan"] = frame["version"] > 0
    frame = frame.sort_values(["_plan", "key", "revenue", "account"], ascending=[False, False, False, True])
    return frame.drop(columns="_plan").reset_index(drop=True)


def key_account_row(db: Database, account: str) -> dict | None:
    """score, rank, key of ``account`` under the active scoring model (None when it is not scored)."""
    from kam_core.analytics.scoring import key_accounts

    ka = key_accounts(db)
    hit = ka[ka["account"] == account]
    if hit.empty:
        return None
    r = hit.iloc[0]
    score = None if pd.isna(r["score"]) else float(r["score"])
    return {"score": score, "rank": int(r["rank"]), "key": bool(r["key"])}


# -- drafts -------------------------------------------------------------------------------------------
def from_last_year(prev: PlanDoc, year: int) -> PlanDoc:
    """A new plan for ``year`` from last year's: every text section and the actions still open.

    Objectives are not carried (targets belong to a year), so the copied actions lose their link.
    """
    open_actions = [replace(a, objective_id=None) for a in prev.actions if a.status not in CLOSED_STATUSES]
    return replace(prev, year=year, objectives=[], actions=open_actions)


def accept(doc: dict, quadrant: str, text: str, source: str) -> dict:
    """The JSON draft with a suggestion added to ``quadrant`` as the KAM's own line (``source`` kept)."""
    if quadrant not in QUADRANTS:
        raise ValueError(quadrant)
    swot = {q: list(doc["swot"][q]) for q in QUADRANTS}
    if not any(item.get("source") == source for q in QUADRANTS for item in swot[q]):
        swot[quadrant].append(to_item(SwotItem(text, "", source)))
    return {**doc, "swot": swot}


def overdue(actions: list[dict], today: date) -> list[dict]:
    """The draft's actions that are overdue (model.Action.overdue: due before today, not done / dropped)."""
    out = []
    for a in actions:
        try:
            due = date.fromisoformat(a["due"]) if isinstance(a.get("due"), str) else None
        except ValueError:
            continue
        if Action(str(a.get("description") or ""), due=due, status=str(a.get("status"))).overdue(today):
            out.append(a)
    return out


def to_item(item: SwotItem) -> dict:
    return {"text": item.text, "note": item.note, "source": item.source}


def accepted_sources(doc: dict) -> set[str]:
    return {str(i["source"]) for q in QUADRANTS for i in doc["swot"][q] if i.get("source")}


def track_json(db: Database, doc_json: str, today: date):
    """``tracking.track`` of a document in its JSON text (hashable, for the page's cache)."""
    from kam_core.plans.tracking import track

    return track(db, from_json(doc_json), today)


def baseline_for(db: Database, account: str, year: int, metric: str, due: date, window_start: date | None,
                 category: str | None, sku: str | None, province: str | None) -> float | None:  # fmt: skip
    """The data baseline a new objective would get (the same window a year earlier), None when not complete."""
    from kam_core.plans.model import Objective
    from kam_core.plans.tracking import data_baseline

    obj = Objective("_", metric, 0.0, due, category, sku, province, window_start)
    return data_baseline(db, account, obj, year)


def dimension_values(db: Database, account: str) -> dict[str, list[str]]:
    """The account's categories, SKUs and provinces in the sales (the new-objective form's choices)."""
    out = {}
    for col in ("category", "sku", "province"):
        out[col] = [
            r[0]
            for r in db.rows(
                f"SELECT DISTINCT {col} FROM sales WHERE account = ? AND {col} IS NOT NULL ORDER BY 1",  # noqa: S608
                [account],
            )
        ]
    return out
