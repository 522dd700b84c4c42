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
import pyarrow as pa
import pyarrow.compute as pc

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
    last = db.scalar("SELECT max(period) FROM sales_cube")  # the summary table: the lines' months
    return None if last is None else int(last.year)


def plan_years(db: Database) -> list[int]:
    """Years a plan can be opened for: every year with sales or plans, and the year after the data."""
    years = {int(r[0]) for r in db.rows("SELECT DISTINCT year(period) FROM sales_cube")}  # the lines' months
    years |= {int(r[0]) for r in db.rows("SELECT DISTINCT year FROM account_plans")}
    if (y := data_year(db)) is not None:
        years.add(y + 1)
    return sorted(years)


# Every account with sales (account_stores: one row per account and store ever sold through, so exactly the
# accounts of sales_cube, in five times fewer rows) or a plan of the year, its revenue of the last 12 months
# with data (sales_cube: the lines' sums, to the last digit) and its plan's version. The revenue goes to
# DOUBLE through its text: the correctly rounded double, as Python's float(Decimal) gives it. The cut-off is
# a DATE (not the TIMESTAMP date - interval gives) so the scan reads only the last 12 months' row groups.
_CHOICES = """
WITH last AS (SELECT (max(period) - INTERVAL 12 MONTH)::DATE AS p FROM sales_cube),
rev AS (SELECT account, sum(revenue) AS revenue FROM sales_cube WHERE period > (SELECT p FROM last) GROUP BY account),
sold AS (SELECT DISTINCT account FROM account_stores),
plans AS (SELECT account, max(version) AS version FROM account_plans WHERE year = ? GROUP BY account)
SELECT coalesce(sold.account, plans.account) AS account,
       coalesce(rev.revenue, 0)::VARCHAR::DOUBLE AS revenue,
       coalesce(plans.version, 0)::BIGINT AS version
FROM sold LEFT JOIN rev USING (account) FULL JOIN plans USING (account)
"""


def account_choices(db: Database, year: int) -> pd.DataFrame:
    """account, revenue (the last 12 months with data), key, version (of ``year``'s plan, 0 = none).

    Ordered for the picker: accounts with a plan first, then key accounts, then by revenue, then by account.
    Whole columns (pyarrow) from the query to the frame: no Python object per account.
    """
    from kam_core.analytics.scoring import key_accounts

    table = db.arrow(_CHOICES, [year])
    if table.num_rows == 0:  # no sales and no plan: the empty frame (and its dtypes) the picker always got
        return pd.DataFrame({"account": pd.Series([], dtype=object), "revenue": pd.Series([], dtype="float64"),
                             "key": pd.Series([], dtype=bool), "version": pd.Series([], dtype="float64")})  # fmt: skip
    keys = key_accounts(db)
    key_names = pa.array(keys.loc[keys["key"].astype(bool), "account"], pa.string())
    table = table.append_column("key", pc.is_in(table["account"], value_set=key_names))
    table = table.append_column("plan", pc.greater(table["version"], 0))
    order = pc.sort_indices(table, sort_keys=[("plan", "descending"), ("key", "descending"),
                                              ("revenue", "descending"), ("account", "ascending")])  # fmt: skip
    table = table.take(order)
    return table.select(["account", "revenue", "key", "version"]).to_pandas()


def choice_labels(choices: pd.DataFrame, lang: str = "en") -> pa.Array:
    """What the picker shows for each row of :func:`account_choices`: "★ " before a key account, the plan's
    version after an account with a plan (plp.pick_with_plan). Built as columns: only the accounts with a
    plan (a few) are formatted one by one."""
    from kam_core.i18n import t

    accounts = pa.array(choices["account"], pa.string())
    key = pa.array(choices["key"], pa.bool_())
    names = pc.if_else(key, pc.binary_join_element_wise("★ ", accounts, ""), accounts)
    versions = choices["version"].to_numpy()
    planned = versions > 0
    if not planned.any():
        return names
    mask = pa.array(planned)
    with_plan = [t("plp.pick_with_plan", lang, name=n, v=int(v))
                 for n, v in zip(names.filter(mask).to_pylist(), versions[planned], strict=True)]  # fmt: skip
    return pc.replace_with_mask(names, mask, pa.array(with_plan, pa.string()))


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
