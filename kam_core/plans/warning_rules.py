"""Early warnings from the account plans, registered into ``kam_core.analytics.warnings.PLAN_RULES``.

They read the newest version of every plan of the year of ``as_of`` (and the key accounts under
the active score model for the plan that is missing). Each warning names its figures, carries a
severity and links to the account's plan (``/plans?account=…&year=…``):

==========================  ========  ==========================================================
rule                        severity  when
==========================  ========  ==========================================================
objective_off_track         high      an objective's projection is off track (kam_core.plans.tracking)
actions_overdue             medium    actions due before ``as_of`` and not done / dropped
no_contact                  medium    the last contact with any stakeholder is ≥ warnings.contact_days
                                      days before ``as_of``, or no contact is recorded
detractor_decision_maker    high      a stakeholder in the decision_maker role is a detractor
no_decision_maker_contact   medium    no stakeholder is a decision maker, or none of them has a contact
stage_disintegrating        high      the stage or the target stage is "disintegrating"
stage_weakening             medium    the target stage is below the current stage
plan_stale                  low       the newest version is ≥ warnings.plan_stale_days days old
no_plan                     medium    a key account (active score model) has no plan for the year
==========================  ========  ==========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from kam_core import coverage as cv
from kam_core import settings
from kam_core.analytics import warnings as wr
from kam_core.analytics.warnings import Warning_, plan_link
from kam_core.db import Database
from kam_core.plans import store
from kam_core.plans.model import STAGES
from kam_core.plans.tracking import PlanTracking, track

RULES = (
    "objective_off_track", "actions_overdue", "no_contact", "detractor_decision_maker", "no_decision_maker_contact",
    "stage_disintegrating", "stage_weakening", "plan_stale", "no_plan",
)  # fmt: skip
LADDER = tuple(s for s in STAGES if s != "disintegrating")  # the stages in order of closeness
SHOWN_ACTIONS = 3  # overdue actions named in the sentence


def _w(v: store.PlanVersion, rule: str, severity: str, key: str, figures: dict, **coded: str) -> Warning_:
    return Warning_(v.account, rule, severity, key, figures, plan_link(v.account, v.year), coded)


def objective_rules(v: store.PlanVersion, tr: PlanTracking) -> list[Warning_]:
    out = []
    for o in tr.objectives:
        if o.status == "off_track":
            due = v.doc.objective(o.objective_id)
            out.append(_w(v, "objective_off_track", "high", "warn.objective_off_track",
                          {"objective": o.objective_id, "metric": o.metric, "projected": round(o.projected or 0.0, 2),
                           "target": o.target, "due": due.due.isoformat() if due else o.window_end},
                          metric="plans.metric."))  # fmt: skip
    return out


def action_rules(v: store.PlanVersion, tr: PlanTracking) -> list[Warning_]:
    late = set(tr.actions_overdue)
    names = [a.description for a in v.doc.actions if a.key in late]
    n = len(names)
    if not n:
        return []
    names = "; ".join(names[:SHOWN_ACTIONS]) + (" …" if n > SHOWN_ACTIONS else "")
    return [_w(v, "actions_overdue", "medium", "warn.actions_overdue", {"n": n, "actions": names})]


def contact_rules(v: store.PlanVersion, as_of: date, contact_days: int) -> list[Warning_]:
    out = []
    people = v.doc.stakeholders
    dates = [s.last_contact for s in people if s.last_contact is not None]
    if people and not dates:
        out.append(_w(v, "no_contact", "medium", "warn.no_contact_never",
                      {"stakeholders": len(people), "threshold": contact_days}))  # fmt: skip
    elif dates and (days := (as_of - max(dates)).days) >= contact_days:
        out.append(_w(v, "no_contact", "medium", "warn.no_contact",
                      {"days": days, "last_contact": max(dates).isoformat(), "threshold": contact_days}))  # fmt: skip
    dms = [s for s in people if s.role == "decision_maker"]
    for s in dms:
        if s.attitude == "detractor":
            out.append(_w(v, "detractor_decision_maker", "high", "warn.detractor_decision_maker",
                          {"name": s.name, "title": s.title or "–", "influence": s.influence}))  # fmt: skip
    if not dms:
        out.append(_w(v, "no_decision_maker_contact", "medium", "warn.no_decision_maker",
                      {"stakeholders": len(people)}))  # fmt: skip
    elif all(s.last_contact is None for s in dms):
        out.append(_w(v, "no_decision_maker_contact", "medium", "warn.decision_maker_not_contacted",
                      {"decision_makers": len(dms)}))  # fmt: skip
    return out


def stage_rules(v: store.PlanVersion) -> list[Warning_]:
    rel = v.doc.relationship
    figures = {"stage": rel.stage, "target_stage": rel.target_stage}
    coded = {"stage": "plans.stage.", "target_stage": "plans.stage."}
    if "disintegrating" in (rel.stage, rel.target_stage):
        return [_w(v, "stage_disintegrating", "high", "warn.stage_disintegrating", figures, **coded)]
    if LADDER.index(rel.target_stage) < LADDER.index(rel.stage):
        return [_w(v, "stage_weakening", "medium", "warn.stage_weakening", figures, **coded)]
    return []


def stale_rules(v: store.PlanVersion, as_of: date, stale_days: int) -> list[Warning_]:
    days = (as_of - v.saved_at.date()).days
    if days < stale_days:
        return []
    return [_w(v, "plan_stale", "low", "warn.plan_stale",
               {"days": days, "saved_at": v.saved_at.date().isoformat(), "saved_by": v.saved_by,
                "threshold": stale_days})]  # fmt: skip


def plan_warnings(db: Database, as_of: date, tracked: Mapping | None = None) -> list[Warning_]:
    """Every plan rule on the newest version of each plan of ``as_of``'s year.

    ``tracked``: {(account, version): PlanTracking as of ``as_of``} already computed (else tracked here)."""
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
    return out


def plan_frame(db: Database, as_of: date, tracked: Mapping | None = None) -> pd.DataFrame:
    """:func:`plan_warnings` as rows of the warnings frame (a few per plan: figures carried whole)."""
    return wr.frame_of(plan_warnings(db, as_of, tracked))


def missing_plan_frame(db: Database, as_of: date, tracked: Mapping | None = None) -> pd.DataFrame:
    """Key accounts (active score model, its default window) with no plan for ``as_of``'s year, as rows of the
    warnings frame. (``tracked``: the plan rules' common signature, not needed here.)"""
    from kam_core.analytics.scoring import key_accounts  # scoring is heavy; only when warnings run

    if db.scalar("SELECT count(*) FROM sales") == 0:
        return wr.frame_of([])
    keys = key_accounts(db)
    keys = keys[keys["key"]]
    planned = {v.account for v in store.list_latest(db, as_of.year)}
    keys = keys[~keys["account"].isin(planned)]
    head, tail = wr.plan_link_parts(as_of.year)
    return wr.block([str(a) for a in keys["account"].tolist()], "no_plan", "medium", "warn.no_plan",
                    link_head=head, link_tail=tail, year=as_of.year, rank=keys["rank"].to_numpy(),
                    score=keys["score"].to_numpy(dtype=float))  # fmt: skip


wr.FIGURES["no_plan"] = (("year", "year", int), ("rank", "rank", int), ("score", "score", wr.round1))


def missing_plan_warnings(db: Database, as_of: date, tracked: Mapping | None = None) -> list[Warning_]:
    """:func:`missing_plan_frame` as objects (by rank)."""
    return wr.to_warnings(missing_plan_frame(db, as_of, tracked))


for _rule in (plan_frame, missing_plan_frame):
    if _rule not in wr.PLAN_RULES:
        wr.PLAN_RULES.append(_rule)
