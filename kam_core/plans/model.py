"""The account-plan document (one per account and year): typed sections, code lists, validation, JSON.

A plan is plain data (dataclasses); nothing here reads the database. ``validate`` returns every
problem at once as ``Problem(section, row, field, reason, values)`` — ``row`` is the 1-based
position in a table section (None outside tables) and ``reason`` a catalog key
(kam_core/locales/plans.py) — so a page can mark the field and the CLI can name it.

JSON: ``to_dict`` / ``from_dict`` (and ``to_json`` / ``from_json``) round-trip exactly:
``from_json(to_json(doc)) == doc``. Dates are ISO ``YYYY-MM-DD``, an objective's window start is
``YYYY-MM``; amounts are numbers in the data's currency; ``*_pct`` metrics are percentages
(28.5 = 28.5%); a competitor's share is a fraction 0–1. docs/plan_example.json is an example.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kam_core.errors import UserError

SCHEMA_VERSION = 1

# -- code lists (labels and descriptions in kam_core/locales/plans.py) ------------------------------
STAGES = ("exploratory", "basic", "cooperative", "interdependent", "integrated", "disintegrating")
BUYING_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")
ATTITUDES = ("champion", "supporter", "neutral", "detractor")
METRICS = (
    "revenue", "gross_profit", "volume", "gross_margin_pct", "skus_sold", "stores_buying", "trade_spend_pct",
    "overdue_receivables",
)  # fmt: skip
LOWER_IS_BETTER = frozenset({"trade_spend_pct", "overdue_receivables"})
ADDITIVE_METRICS = frozenset({"revenue", "gross_profit", "volume"})  # sum over months
RATIO_METRICS = frozenset({"gross_margin_pct", "trade_spend_pct"})  # percent of revenue
COUNT_METRICS = frozenset({"skus_sold", "stores_buying"})  # distinct count over the window
STOCK_METRICS = frozenset({"overdue_receivables"})  # a balance at the latest snapshot
ACTION_TYPES = (
    "new_product_launch", "promotion", "category_management", "expense", "collection", "relationship", "other",
)  # fmt: skip
ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
CLOSED_STATUSES = frozenset({"done", "dropped"})
BASELINE_SOURCES = ("data", "manual")
QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
SECTIONS = (
    "relationship", "vision", "strategy", "swot", "competitors", "own_company", "stakeholders", "objectives",
    "actions",
)  # fmt: skip
# Keys ``plan show --json`` adds around a document; accepted (and ignored) when a shown plan is saved back.
ENVELOPE_KEYS = frozenset(
    {"version", "tracking", "saved_by", "saved_at", "comment", "restored_from", "actions_overdue"}
)

MAX_LINE = 2_000  # one table cell / SWOT line
MAX_TEXT = 20_000  # vision, strategy, own-company texts
MIN_YEAR, MAX_YEAR = 2000, 2100


def direction(metric: str) -> str:
    """ "down" when lower is better (trade spend %, overdue receivables), else "up"."""
    return "down" if metric in LOWER_IS_BETTER else "up"


# -- the document ------------------------------------------------------------------------------------
@dataclass
class Relationship:
    stage: str = "basic"
    target_stage: str = "cooperative"
    justification: str = ""


@dataclass
class SwotItem:
    text: str
    note: str = ""
    source: str | None = None  # the suggestion id (kam_core.plans.suggest) it was accepted from


@dataclass
class Swot:
    strengths: list[SwotItem] = field(default_factory=list)
    weaknesses: list[SwotItem] = field(default_factory=list)
    opportunities: list[SwotItem] = field(default_factory=list)
    threats: list[SwotItem] = field(default_factory=list)


@dataclass
class Competitor:
    name: str
    share: float | None = None  # estimated share of the account's category sales, 0–1
    strengths: str = ""
    recent_moves: str = ""


@dataclass
class OwnCompany:
    supplied_now: str = ""
    supplied_before: str = ""
    service_issues: str = ""


@dataclass
class Stakeholder:
    name: str
    title: str = ""
    role: str = "influencer"  # BUYING_ROLES
    attitude: str = "neutral"  # ATTITUDES
    influence: int = 3  # 1–5
    owner: str = ""  # our contact owner
    last_contact: date | None = None
    note: str = ""


@dataclass
class Objective:
    id: str
    metric: str  # METRICS
    target: float
    due: date
    category: str | None = None
    sku: str | None = None
    province: str | None = None
    window_start: date | None = None  # first day of a month; None = January of the plan year
    baseline: float | None = None
    baseline_source: str = "data"  # "data" (the same window a year earlier) | "manual"
    note: str = ""

    @property
    def direction(self) -> str:
        return direction(self.metric)

    def window(self, year: int) -> tuple[date, date]:
        """First and last month (first days) of the objective's window."""
        start = self.window_start or date(year, 1, 1)
        return start, date(self.due.year, self.due.month, 1)


@dataclass
class Action:
    description: str
    type: str = "other"  # ACTION_TYPES
    id: str | None = None
    owner: str = ""
    start: date | None = None
    due: date | None = None
    budget: float | None = None
    status: str = "planned"  # ACTION_STATUSES
    objective_id: str | None = None

    @property
    def key(self) -> str:
        return self.id or self.description

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and self.status not in CLOSED_STATUSES


@dataclass
class PlanDoc:
    account: str
    year: int
    relationship: Relationship = field(default_factory=Relationship)
    vision: str = ""
    strategy: str = ""
    swot: Swot = field(default_factory=Swot)
    competitors: list[Competitor] = field(default_factory=list)
    own_company: OwnCompany = field(default_factory=OwnCompany)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)


def new_plan(account: str, year: int) -> PlanDoc:
    """An empty plan for a first save."""
    return PlanDoc(account=account, year=year)


# -- problems ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong in a document: where (section, 1-based row, field) and why (catalog key + values)."""

    section: str
    row: int | None
    field: str | None
    reason: str
    values: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        from kam_core.i18n import t

        where = t(f"plans.section.{self.section.split('.')[0]}", lang)
        if "." in self.section:
            where += " · " + t(f"plans.quadrant.{self.section.split('.', 1)[1]}", lang)
        if self.row is not None:
            where += " · " + t("plans.v.row", lang, row=self.row)
        if self.field:
            where += f" · {self.field}"
        return where + ("：" if lang == "zh" else ": ") + t(self.reason, lang, **self.values)

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "row": self.row, "field": self.field, "reason": self.reason,
                "values": dict(self.values), "message": self.message("en")}  # fmt: skip


class PlanInvalid(UserError):
    """A document with problems; ``problems`` lists every one (nothing was written)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("plans.err.invalid", n=len(self.problems))

    def message(self, lang: str = "en") -> str:
        from kam_core.i18n import t

        head = t("plans.err.invalid", lang, n=len(self.problems))
        return "\n".join([head, *(f"  - {p.message(lang)}" for p in self.problems)])


# -- validation (on the JSON form, so a file and a page's draft are checked the same way) ------------
class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, section: str, row: int | None, fld: str | None, reason: str, **values: Any) -> None:
        self.problems.append(Problem(section, row, fld, f"plans.v.{reason}", values))

    def obj(self, v: Any, section: str, row: int | None, fld: str | None, allowed: frozenset[str] | set[str]) -> bool:
        if not isinstance(v, dict):
            self.add(section, row, fld, "not_object")
            return False
        for k in v:
            if k not in allowed:
                self.add(section, row, str(k), "unknown_field")
        return True

    def lst(self, v: Any, section: str) -> list:
        if v is None:
            return []
        if not isinstance(v, list):
            self.add(section, None, None, "not_list")
            return []
        return v

    def text(self, d: dict, section: str, row: int | None, fld: str, *, required: bool = False,
             max_len: int = MAX_LINE, nullable: bool = False) -> None:  # fmt: skip
        v = d.get(fld)
        if v is None:
            if required:
                self.add(section, row, fld, "required")
            elif not nullable and fld in d:
                self.add(section, row, fld, "not_text")
            return
        if not isinstance(v, str):
            self.add(section, row, fld, "not_text")
        elif required and not v.strip():
            self.add(section, row, fld, "required")
        elif len(v) > max_len:
            self.add(section, row, fld, "too_long", max=max_len)

    def code(self, d: dict, section: str, row: int | None, fld: str, allowed: tuple[str, ...]) -> None:
        v = d.get(fld)
        if v is None:
            self.add(section, row, fld, "required")
        elif v not in allowed:
            self.add(section, row, fld, "code", value=v, allowed=", ".join(allowed))

    def number(self, d: dict, section: str, row: int | None, fld: str, *, required: bool = False,
               lo: float | None = None, hi: float | None = None, integer: bool = False) -> float | None:  # fmt: skip
        v = d.get(fld)
        if v is None:
            if required:
                self.add(section, row, fld, "required")
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            self.add(section, row, fld, "integer" if integer else "number", value=v)
            return None
        if integer and v != int(v):
            self.add(section, row, fld, "integer", value=v)
            return None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.add(section, row, fld, "range", value=v, min=_num_text(lo), max=_num_text(hi))
            return None
        return float(v)

    def iso_date(self, d: dict, section: str, row: int | None, fld: str, *, required: bool = False) -> date | None:
        v = d.get(fld)
        if v is None:
            if required:
                self.add(section, row, fld, "required")
            return None
        try:
            if not isinstance(v, str) or len(v) != 10:
                raise ValueError
            return date.fromisoformat(v)
        except ValueError:
            self.add(section, row, fld, "date", value=v)
            return None

    def month(self, d: dict, section: str, row: int | None, fld: str) -> date | None:
        v = d.get(fld)
        if v is None:
            return None
        try:
            if not isinstance(v, str) or len(v) != 7:
                raise ValueError
            return date.fromisoformat(v + "-01")
        except ValueError:
            self.add(section, row, fld, "month", value=v)
            return None


def _num_text(x: float | None) -> str:
    if x is None:
        return "…"
    return str(int(x)) if x == int(x) else str(x)


_TOP = frozenset({"schema_version", "account", "year", *SECTIONS})
_REL = frozenset({"stage", "target_stage", "justification"})
_SWOT_ITEM = frozenset({"text", "note", "source"})
_COMP = frozenset({"name", "share", "strengths", "recent_moves"})
_OWN = frozenset({"supplied_now", "supplied_before", "service_issues"})
_STAKE = frozenset({"name", "title", "role", "attitude", "influence", "owner", "last_contact", "note"})
_OBJ = frozenset({"id", "metric", "target", "due", "category", "sku", "province", "window_start", "baseline",
                  "baseline_source", "note"})  # fmt: skip
_ACT = frozenset({"id", "type", "description", "owner", "start", "due", "budget", "status", "objective_id"})

# target / baseline ranges per metric (None = open)
_METRIC_RANGE: dict[str, tuple[float | None, float | None]] = {
    "revenue": (0, None), "gross_profit": (None, None), "volume": (0, None), "gross_margin_pct": (-100, 100),
    "skus_sold": (0, None), "stores_buying": (0, None), "trade_spend_pct": (0, 100), "overdue_receivables": (0, None),
}  # fmt: skip
MAX_WINDOW_MONTHS = 24


def validate_dict(data: Any) -> list[Problem]:
    """Every problem of a plan in its JSON form (``to_dict`` output or a parsed file); [] when valid."""
    c = _Checker()
    if not c.obj(data, "document", None, None, _TOP | ENVELOPE_KEYS):
        return c.problems
    sv = data.get("schema_version", SCHEMA_VERSION)
    if sv != SCHEMA_VERSION:
        c.add("document", None, "schema_version", "schema_version", value=sv, expected=SCHEMA_VERSION)
    c.text(data, "document", None, "account", required=True, max_len=200)
    year = c.number(data, "document", None, "year", required=True, lo=MIN_YEAR, hi=MAX_YEAR, integer=True)

    rel = data.get("relationship", {})
    if c.obj(rel, "relationship", None, None, _REL):
        c.code(rel, "relationship", None, "stage", STAGES)
        c.code(rel, "relationship", None, "target_stage", STAGES)
        c.text(rel, "relationship", None, "justification", max_len=MAX_TEXT)
    c.text(data, "vision", None, "vision", max_len=MAX_TEXT)
    c.text(data, "strategy", None, "strategy", max_len=MAX_TEXT)

    swot = data.get("swot", {})
    if c.obj(swot, "swot", None, None, frozenset(QUADRANTS)):
        for q in QUADRANTS:
            sec = f"swot.{q}"
            seen: set[str] = set()
            for i, item in enumerate(c.lst(swot.get(q), sec), 1):
                if not c.obj(item, sec, i, None, _SWOT_ITEM):
                    continue
                c.text(item, sec, i, "text", required=True)
                c.text(item, sec, i, "note")
                c.text(item, sec, i, "source", max_len=200, nullable=True)
                key = str(item.get("text", "")).strip().casefold()
                if key and key in seen:
                    c.add(sec, i, "text", "duplicate", value=item.get("text"))
                seen.add(key)

    total_share, names = 0.0, set()
    for i, comp in enumerate(c.lst(data.get("competitors"), "competitors"), 1):
        if not c.obj(comp, "competitors", i, None, _COMP):
            continue
        c.text(comp, "competitors", i, "name", required=True, max_len=200)
        share = c.number(comp, "competitors", i, "share", lo=0, hi=1)
        total_share += share or 0.0
        c.text(comp, "competitors", i, "strengths")
        c.text(comp, "competitors", i, "recent_moves")
        _unique(c, "competitors", i, "name", comp.get("name"), names)
    if total_share > 1 + 1e-9:
        c.add("competitors", None, "share", "share_total", total=round(total_share, 4))

    own = data.get("own_company", {})
    if c.obj(own, "own_company", None, None, _OWN):
        for f in _OWN:
            c.text(own, "own_company", None, f, max_len=MAX_TEXT)

    names = set()
    for i, s in enumerate(c.lst(data.get("stakeholders"), "stakeholders"), 1):
        if not c.obj(s, "stakeholders", i, None, _STAKE):
            continue
        c.text(s, "stakeholders", i, "name", required=True, max_len=200)
        c.text(s, "stakeholders", i, "title", max_len=200)
        c.code(s, "stakeholders", i, "role", BUYING_ROLES)
        c.code(s, "stakeholders", i, "attitude", ATTITUDES)
        c.number(s, "stakeholders", i, "influence", required=True, lo=1, hi=5, integer=True)
        c.text(s, "stakeholders", i, "owner", max_len=200)
        c.iso_date(s, "stakeholders", i, "last_contact")
        c.text(s, "stakeholders", i, "note")
        _unique(c, "stakeholders", i, "name", s.get("name"), names)

    ids: set[str] = set()
    for i, o in enumerate(c.lst(data.get("objectives"), "objectives"), 1):
        if not c.obj(o, "objectives", i, None, _OBJ):
            continue
        c.text(o, "objectives", i, "id", required=True, max_len=50)
        _unique(c, "objectives", i, "id", o.get("id"), ids)
        c.code(o, "objectives", i, "metric", METRICS)
        lo, hi = _METRIC_RANGE.get(o.get("metric"), (None, None))
        c.number(o, "objectives", i, "target", required=True, lo=lo, hi=hi)
        c.number(o, "objectives", i, "baseline", lo=lo, hi=hi)
        for f in ("category", "sku", "province"):
            c.text(o, "objectives", i, f, max_len=200, nullable=True)
            if o.get("metric") in STOCK_METRICS and o.get(f):
                c.add("objectives", i, f, "no_restriction", metric=o.get("metric"))
        src = o.get("baseline_source", "data")
        if src not in BASELINE_SOURCES:
            c.add("objectives", i, "baseline_source", "code", value=src, allowed=", ".join(BASELINE_SOURCES))
        elif src == "manual" and o.get("baseline") is None:
            c.add("objectives", i, "baseline", "manual_baseline")
        due = c.iso_date(o, "objectives", i, "due", required=True)
        start = c.month(o, "objectives", i, "window_start")
        if due and year is not None:
            first = start or date(int(year), 1, 1)
            n = (due.year - first.year) * 12 + due.month - first.month + 1
            if n < 1:
                c.add("objectives", i, "due", "due_before_start", start=f"{first:%Y-%m}", due=due.isoformat())
            elif n > MAX_WINDOW_MONTHS:
                c.add("objectives", i, "due", "window_long", n=n, max=MAX_WINDOW_MONTHS)
        c.text(o, "objectives", i, "note")

    act_ids: set[str] = set()
    for i, a in enumerate(c.lst(data.get("actions"), "actions"), 1):
        if not c.obj(a, "actions", i, None, _ACT):
            continue
        c.text(a, "actions", i, "id", max_len=50, nullable=True)
        if a.get("id") is not None:
            _unique(c, "actions", i, "id", a.get("id"), act_ids)
        c.code(a, "actions", i, "type", ACTION_TYPES)
        c.text(a, "actions", i, "description", required=True)
        c.text(a, "actions", i, "owner", max_len=200)
        start = c.iso_date(a, "actions", i, "start")
        due = c.iso_date(a, "actions", i, "due")
        if start and due and due < start:
            c.add("actions", i, "due", "due_before_start", start=start.isoformat(), due=due.isoformat())
        c.number(a, "actions", i, "budget", lo=0)
        c.code(a, "actions", i, "status", ACTION_STATUSES)
        oid = a.get("objective_id")
        if oid is not None and oid not in ids:
            c.add("actions", i, "objective_id", "unknown_objective", value=oid)
    return c.problems


def _unique(c: _Checker, section: str, row: int, fld: str, value: Any, seen: set[str]) -> None:
    if not isinstance(value, str) or not value.strip():
        return
    key = value.strip().casefold()
    if key in seen:
        c.add(section, row, fld, "duplicate", value=value)
    seen.add(key)


def validate(doc: PlanDoc) -> list[Problem]:
    """Every problem of a typed document (the same rules as a file: it is checked in its JSON form)."""
    return validate_dict(to_dict(doc))


def check(doc: PlanDoc) -> PlanDoc:
    """The document, or PlanInvalid with every problem."""
    problems = validate(doc)
    if problems:
        raise PlanInvalid(problems)
    return doc


# -- JSON --------------------------------------------------------------------------------------------
def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _month(d: date | None) -> str | None:
    return f"{d:%Y-%m}" if d else None


def _f(v: float | None) -> float | None:
    return None if v is None else float(v)


def to_dict(doc: PlanDoc) -> dict[str, Any]:
    """The JSON form (plain dicts / lists / str / numbers / None), keys in a stable order."""
    return {
        "schema_version": doc.schema_version,
        "account": doc.account,
        "year": doc.year,
        "relationship": {
            "stage": doc.relationship.stage,
            "target_stage": doc.relationship.target_stage,
            "justification": doc.relationship.justification,
        },
        "vision": doc.vision,
        "strategy": doc.strategy,
        "swot": {
            q: [{"text": s.text, "note": s.note, "source": s.source} for s in getattr(doc.swot, q)] for q in QUADRANTS
        },
        "competitors": [
            {"name": x.name, "share": _f(x.share), "strengths": x.strengths, "recent_moves": x.recent_moves}
            for x in doc.competitors
        ],
        "own_company": {
            "supplied_now": doc.own_company.supplied_now,
            "supplied_before": doc.own_company.supplied_before,
            "service_issues": doc.own_company.service_issues,
        },
        "stakeholders": [
            {
                "name": s.name,
                "title": s.title,
                "role": s.role,
                "attitude": s.attitude,
                "influence": s.influence,
                "owner": s.owner,
                "last_contact": _iso(s.last_contact),
                "note": s.note,
            }
            for s in doc.stakeholders
        ],
        "objectives": [
            {
                "id": o.id,
                "metric": o.metric,
                "category": o.category,
                "sku": o.sku,
                "province": o.province,
                "window_start": _month(o.window_start),
                "due": _iso(o.due),
                "baseline": _f(o.baseline),
                "baseline_source": o.baseline_source,
                "target": _f(o.target),
                "note": o.note,
            }
            for o in doc.objectives
        ],
        "actions": [
            {
                "id": a.id,
                "type": a.type,
                "description": a.description,
                "owner": a.owner,
                "start": _iso(a.start),
                "due": _iso(a.due),
                "budget": _f(a.budget),
                "status": a.status,
                "objective_id": a.objective_id,
            }
            for a in doc.actions
        ],
    }


def _d(v: Any) -> date | None:
    return date.fromisoformat(v) if v else None


def from_dict(data: Any) -> PlanDoc:
    """A typed document from its JSON form; PlanInvalid (every problem) when it is not valid.

    The keys ``plan show --json`` adds (version, tracking, …) are ignored, so a shown plan can be
    saved back as it is.
    """
    problems = validate_dict(data)
    if problems:
        raise PlanInvalid(problems)
    rel = data.get("relationship") or {}
    swot = data.get("swot") or {}
    own = data.get("own_company") or {}
    return PlanDoc(
        schema_version=int(data.get("schema_version", SCHEMA_VERSION)),
        account=data["account"].strip(),
        year=int(data["year"]),
        relationship=Relationship(rel["stage"], rel["target_stage"], rel.get("justification", "")),
        vision=data.get("vision", ""),
        strategy=data.get("strategy", ""),
        swot=Swot(
            **{
                q: [SwotItem(s["text"], s.get("note", ""), s.get("source")) for s in swot.get(q) or []]
                for q in QUADRANTS
            }
        ),
        competitors=[
            Competitor(x["name"], _f(x.get("share")), x.get("strengths", ""), x.get("recent_moves", ""))
            for x in data.get("competitors") or []
        ],
        own_company=OwnCompany(
            own.get("supplied_now", ""), own.get("supplied_before", ""), own.get("service_issues", "")
        ),
        stakeholders=[
            Stakeholder(
                s["name"],
                s.get("title", ""),
                s["role"],
                s["attitude"],
                int(s["influence"]),
                s.get("owner", ""),
                _d(s.get("last_contact")),
                s.get("note", ""),
            )
            for s in data.get("stakeholders") or []
        ],
        objectives=[
            Objective(
                id=o["id"],
                metric=o["metric"],
                target=float(o["target"]),
                due=date.fromisoformat(o["due"]),
                category=o.get("category") or None,
                sku=o.get("sku") or None,
                province=o.get("province") or None,
                window_start=_d(o["window_start"] + "-01") if o.get("window_start") else None,
                baseline=_f(o.get("baseline")),
                baseline_source=o.get("baseline_source", "data"),
                note=o.get("note", ""),
            )
            for o in data.get("objectives") or []
        ],
        actions=[
            Action(
                description=a["description"],
                type=a["type"],
                id=a.get("id"),
                owner=a.get("owner", ""),
                start=_d(a.get("start")),
                due=_d(a.get("due")),
                budget=_f(a.get("budget")),
                status=a["status"],
                objective_id=a.get("objective_id"),
            )
            for a in data.get("actions") or []
        ],
    )


def to_json(doc: PlanDoc, indent: int | None = None) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=indent)


def from_json(text: str) -> PlanDoc:
    """Parse and validate; PlanInvalid for a document with problems, UserError for text that is not JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError("plans.err.not_json", line=e.lineno, column=e.colno, reason=e.msg) from None
    return from_dict(data)
