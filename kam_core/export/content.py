"""The content of a plan export and of the portfolio export, built once and resolved to one language.

Every writer (PowerPoint, PDF, Markdown) lays out the same :class:`PlanContent` /
:class:`PortfolioContent`, so the three formats cannot disagree. All text here is plain text
from data or the catalog; each writer makes it safe for its own format (Markdown escapes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kam_core import currency
from kam_core.analytics import warnings as warn
from kam_core.db import Database
from kam_core.i18n import t
from kam_core.plans import store
from kam_core.plans.model import ATTITUDES, QUADRANTS, PlanDoc
from kam_core.plans.profile import Profile, profile
from kam_core.plans.tracking import ObjectiveTracking, PlanTracking, track

MONEY_METRICS = frozenset({"revenue", "gross_profit", "overdue_receivables"})
PCT_METRICS = frozenset({"gross_margin_pct", "trade_spend_pct"})
STATUS_COLORS = {"on_track": "#27ae60", "at_risk": "#f5b041", "off_track": "#e74c3c", "no_data": "#7f8c8d"}
SWOT_COLORS = {"strengths": "#27ae60", "weaknesses": "#e74c3c", "opportunities": "#2e86c1", "threats": "#f5b041"}
SEVERITY_COLORS = {"high": "#e74c3c", "medium": "#f5b041", "low": "#7f8c8d"}
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def has_cjk(text: str) -> bool:
    """Text holding Chinese (or other CJK) characters: it needs the East-Asian font and character wrapping."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class ObjectiveRow:
    id: str
    label: str  # metric (+ category / SKU / province)
    due: str
    baseline: str
    actual: str
    projected: str
    target: str
    achieved_pct: float | None
    achieved: str
    status: str  # kam_core.plans.tracking.STATUSES
    status_label: str
    note: str


@dataclass(frozen=True)
class Trend:
    title: str
    months: list[str]  # YYYY-MM of the plan year
    revenue: list[float | None]
    year_before: list[float | None]
    labels: tuple[str, str, str]  # month, this year, year before
    symbol: str

    def rows(self, lang: str, code: str) -> list[list[str]]:
        return [[m, currency.money(a, lang, code), currency.money(b, lang, code)]
                for m, a, b in zip(self.months, self.revenue, self.year_before, strict=True)]  # fmt: skip

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.revenue + self.year_before)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class PlanContent:
    lang: str
    currency: str
    account: str
    name_zh: str | None
    year: int
    title: str  # "Carrefour 家乐福" (the Chinese name when there is one)
    subtitle: str
    version_line: str
    figures: list[Figure]
    trend: Trend
    vision: str
    strategy: str
    stage: str
    target_stage: str
    stage_desc: str
    target_desc: str
    justification: str
    swot: list[tuple[str, str, list[str]]]  # (quadrant code, title, items "text — note")
    competitors: Table
    own_company: list[tuple[str, str]]
    stakeholders: Table
    grid: Table  # influence (rows: high, medium, low) × attitude (columns): names
    objectives: list[ObjectiveRow]
    actions: Table
    actions_overdue: int
    warnings: list[tuple[str, str, str]]  # (severity code, severity label, message)
    sections: dict[str, str] = field(default_factory=dict)  # section key → translated heading

    def l(self, key: str, /, **fmt: object) -> str:  # noqa: E743 - short on purpose: every writer calls it a lot
        return t(key, self.lang, **fmt)


def display_name(account: str, name_zh: str | None, lang: str) -> str:
    if name_zh and name_zh.strip() and name_zh.strip() != account:
        return f"{name_zh.strip()} {account}" if lang == "zh" else f"{account} ({name_zh.strip()})"
    return account


def fmt_value(metric: str, v: float | None, lang: str, code: str) -> str:
    if v is None:
        return "–"
    if metric in MONEY_METRICS:
        return currency.money(v, lang, code)
    if metric in PCT_METRICS:
        return f"{v:.1f}%"
    return f"{v:,.0f}"


def _pct(x: float | None, digits: int = 1, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.{digits}f}%" if signed else f"{x:.{digits}f}%"


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


def _objective_label(o, lang: str) -> str:
    parts = [t(f"plans.metric.{o.metric}", lang)]
    parts += [x for x in (o.category, o.sku, o.province) if x]
    return " · ".join(parts)


def objective_rows(doc: PlanDoc, tr: PlanTracking, lang: str, code: str) -> list[ObjectiveRow]:
    by_id = tr.by_id()
    out = []
    for o in doc.objectives:
        ot: ObjectiveTracking | None = by_id.get(o.id)
        status = ot.status if ot else "no_data"
        ach = ot.achieved_pct if ot else None
        out.append(ObjectiveRow(
            id=o.id, label=_objective_label(o, lang), due=_d(o.due),
            baseline=fmt_value(o.metric, ot.baseline if ot else o.baseline, lang, code),
            actual=fmt_value(o.metric, ot.actual if ot else None, lang, code),
            projected=fmt_value(o.metric, ot.projected if ot else None, lang, code),
            target=fmt_value(o.metric, o.target, lang, code), achieved_pct=ach, achieved=_pct(ach, 0),
            status=status, status_label=t(f"plans.track.{status}", lang), note=o.note,
        ))  # fmt: skip
    return out


def _figures(db: Database, p: Profile, lang: str, code: str) -> list[Figure]:
    from kam_core.analytics.scoring import key_accounts

    w = p.window
    window = f"{w.current[0]:%Y-%m}–{w.current[-1]:%Y-%m}" if w else ""
    growth = ""
    if p.revenue_prior:
        growth = t("export.fig.vs_prior", lang, pct=_pct((p.revenue / p.revenue_prior - 1) * 100, 1, signed=True))
    figs = [Figure(t("export.fig.revenue", lang, window=window).strip(),
                   currency.money(p.revenue, lang, code) if w else t("export.fig.no_data", lang, year=p.year),
                   growth)]  # fmt: skip
    figs.append(Figure(t("export.fig.share", lang), _pct(None if p.share_of_total is None else p.share_of_total * 100)))
    figs.append(Figure(t("export.fig.rank", lang), f"#{p.rank}" if p.rank else "–"))
    figs.append(Figure(t("export.fig.tier", lang), t(f"tiers.tier.{p.tier}", lang) if p.tier else "–",
                       p.tier_reason or ""))  # fmt: skip
    ka = key_accounts(db)
    row = ka[ka["account"] == p.account]
    if row.empty:
        figs.append(Figure(t("export.fig.score", lang), "–"))
    else:
        r = row.iloc[0]
        key = t("export.fig.key_yes" if bool(r["key"]) else "export.fig.key_no", lang)
        figs.append(Figure(t("export.fig.score", lang), f"{float(r['score']):.1f} · {key}", f"#{int(r['rank'])}"))
    figs.append(Figure(t("export.fig.margin", lang), _pct(p.gross_margin_pct)))
    figs.append(Figure(t("export.fig.trade_spend", lang), _pct(p.trade_spend_pct)))
    return figs


def _trend(p: Profile, lang: str, code: str) -> Trend:
    months = [m for m in p.monthly if m["month"].startswith(str(p.year))]
    return Trend(
        title=t("export.trend", lang, year=p.year), months=[m["month"] for m in months],
        revenue=[m["revenue"] for m in months], year_before=[m["revenue_year_before"] for m in months],
        labels=(t("export.trend.month", lang), t("export.trend.this_year", lang), t("export.trend.year_before", lang)),
        symbol=currency.symbol(code),
    )  # fmt: skip


def _grid(doc: PlanDoc, lang: str) -> Table:
    levels = (("high", (4, 5)), ("medium", (3,)), ("low", (1, 2)))
    header = [t("export.grid.influence", lang), *(t(f"plans.attitude.{a}", lang) for a in ATTITUDES)]
    rows = []
    for level, values in levels:
        cells = [", ".join(s.name for s in doc.stakeholders if s.influence in values and s.attitude == a)
                 for a in ATTITUDES]  # fmt: skip
        rows.append([t(f"export.grid.{level}", lang), *cells])
    return Table(header, rows)


def _swot_item(text: str, note: str) -> str:
    return f"{text} — {note}" if note else text


def plan_content(db: Database, account: str, year: int, lang: str = "en", today: date | None = None,
                 warnings: Iterable[warn.Warning_] | None = None) -> PlanContent:  # fmt: skip
    """The content of ``account``'s latest plan for ``year``; UserError for an unknown account or no plan.

    ``warnings``: the account's warnings when the caller already has them (the portfolio evaluates once).
    """
    today = today or date.today()
    account = store.check_account(db, account)
    v = store.latest_or_error(db, account, store.check_year(year))
    doc = v.doc
    code = currency.current(db)
    name_zh = db.scalar("SELECT name_zh FROM accounts WHERE account = ?", [account])
    p = profile(db, account, year, lang)
    tr = track(db, doc, today)
    ws = list(warnings) if warnings is not None else warn.evaluate(db, account=account, as_of=today)
    overdue = set(tr.actions_overdue)
    title = display_name(account, name_zh, lang)
    rel = doc.relationship

    def L(key: str, **fmt: object) -> str:
        return t(key, lang, **fmt)

    sections = {k: L(f"plans.section.{k}") for k in ("swot", "stakeholders", "objectives", "actions")}
    sections |= {k: L(f"export.{k}") for k in ("snapshot", "vision_strategy", "competition", "relationship_map",
                                                "warnings")}  # fmt: skip
    return PlanContent(
        lang=lang, currency=code, account=account, name_zh=name_zh, year=year, title=title,
        subtitle=L("export.plan_title", year=year),
        version_line=L("export.version_line", version=v.version, user=v.saved_by,
                       at=v.saved_at.strftime("%Y-%m-%d %H:%M"), today=today.isoformat()),
        figures=_figures(db, p, lang, code), trend=_trend(p, lang, code),
        vision=doc.vision, strategy=doc.strategy,
        stage=L(f"plans.stage.{rel.stage}"), target_stage=L(f"plans.stage.{rel.target_stage}"),
        stage_desc=L(f"plans.stage_desc.{rel.stage}"), target_desc=L(f"plans.stage_desc.{rel.target_stage}"),
        justification=rel.justification,
        swot=[(q, L(f"plans.quadrant.{q}"), [_swot_item(s.text, s.note) for s in getattr(doc.swot, q)])
              for q in QUADRANTS],
        competitors=Table(
            [L("export.col.competitor"), L("export.col.comp_share"), L("export.col.comp_strengths"),
             L("export.col.comp_moves")],
            [[c.name, _pct(None if c.share is None else c.share * 100, 0), c.strengths, c.recent_moves]
             for c in doc.competitors],
        ),
        own_company=[(L(f"export.own.{k}"), getattr(doc.own_company, k))
                     for k in ("supplied_now", "supplied_before", "service_issues")],
        stakeholders=Table(
            [L("export.col.name"), L("export.col.title"), L("export.col.role"), L("export.col.attitude"),
             L("export.col.influence"), L("export.col.owner"), L("export.col.last_contact")],
            [[s.name, s.title, L(f"plans.role.{s.role}"), L(f"plans.attitude.{s.attitude}"), str(s.influence),
              s.owner, _d(s.last_contact)] for s in doc.stakeholders],
        ),
        grid=_grid(doc, lang),
        objectives=objective_rows(doc, tr, lang, code),
        actions=Table(
            [L("export.col.id"), L("export.col.action"), L("export.col.type"), L("export.col.owner"),
             L("export.col.start"), L("export.col.due"), L("export.col.budget"), L("export.col.status")],
            [[a.id or "", a.description, L(f"plans.action.{a.type}"), a.owner, _d(a.start), _d(a.due),
              currency.money(a.budget, lang, code) if a.budget is not None else "",
              L(f"plans.action_status.{a.status}") + (f" · {L('export.overdue')}" if a.key in overdue else "")]
             for a in doc.actions],
        ),
        actions_overdue=len(overdue),
        warnings=[(w.severity, L(f"warn.severity.{w.severity}"), w.message(lang, code)) for w in ws],
        sections=sections,
    )  # fmt: skip


# -- the portfolio ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanSummary:
    account: str
    title: str
    tier: str
    stage: str  # "Cooperative → Interdependent"
    objectives: dict[str, int]  # status → count
    objectives_line: str
    actions_overdue: int
    actions_line: str
    warnings: list[tuple[str, str, str]]  # (severity, label, message)
    objective_rows: list[ObjectiveRow]


@dataclass(frozen=True)
class PortfolioContent:
    lang: str
    year: int
    title: str
    subtitle: str
    plans: list[PlanSummary]
    table: Table  # one row per plan

    def l(self, key: str, /, **fmt: object) -> str:  # noqa: E743
        return t(key, self.lang, **fmt)


def portfolio_content(db: Database, year: int, lang: str = "en", today: date | None = None) -> PortfolioContent:
    """One summary per account plan of ``year`` (the latest version of each); UserError when there is none."""
    from kam_core.analytics.tiers import account_tier_map
    from kam_core.errors import UserError

    today = today or date.today()
    year = store.check_year(year)
    versions = store.list_latest(db, year)
    if not versions:
        raise UserError("export.err.no_plans", year=year)
    code = currency.current(db)
    tiers = account_tier_map(db)
    names = dict(db.rows("SELECT account, name_zh FROM accounts WHERE name_zh IS NOT NULL"))
    by_account: dict[str, list[warn.Warning_]] = {}
    every = warn.frame(db, as_of=today)  # objects (sentences, links) only for the planned accounts' rows
    for w in warn.to_warnings(every[every["account"].isin([v.account for v in versions])]):
        by_account.setdefault(w.account, []).append(w)
    plans = []
    for v in versions:
        doc, tr = v.doc, track(db, v.doc, today)
        counts = {s: sum(o.status == s for o in tr.objectives) for s in ("on_track", "at_risk", "off_track", "no_data")}
        ws = by_account.get(v.account, [])
        tier = tiers.get(v.account)
        plans.append(PlanSummary(
            account=v.account, title=display_name(v.account, names.get(v.account), lang),
            tier=t(f"tiers.tier.{tier}", lang) if tier else "–",
            stage=f"{t(f'plans.stage.{doc.relationship.stage}', lang)} → "
                  f"{t(f'plans.stage.{doc.relationship.target_stage}', lang)}",
            objectives=counts,
            objectives_line=t("export.summary.objectives", lang, on=counts["on_track"], risk=counts["at_risk"],
                              off=counts["off_track"], none=counts["no_data"]),
            actions_overdue=len(tr.actions_overdue),
            actions_line=t("export.summary.actions", lang, overdue=len(tr.actions_overdue), n=len(doc.actions)),
            warnings=[(w.severity, t(f"warn.severity.{w.severity}", lang), w.message(lang, code)) for w in ws],
            objective_rows=objective_rows(doc, tr, lang, code),
        ))  # fmt: skip
    header = [t(f"export.col.{k}", lang) for k in ("account", "tier", "stage", "objectives", "actions_overdue",
                                                     "warnings")]  # fmt: skip
    rows = [[p.title, p.tier, p.stage, " / ".join(str(p.objectives[s]) for s in ("on_track", "at_risk", "off_track",
             "no_data")), str(p.actions_overdue), str(len(p.warnings))] for p in plans]  # fmt: skip
    return PortfolioContent(lang, year, t("export.portfolio_title", lang, year=year),
                            t("export.portfolio_sub", lang, n=len(plans), today=today.isoformat()), plans,
                            Table(header, rows))  # fmt: skip
