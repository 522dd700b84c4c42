"""Plan warning rules (kam_core.plans.warning_rules): each just below / at / above its boundary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kam_core import settings
from kam_core.analytics import warnings as wr
from kam_core.db import Database
from kam_core.plans import store
from kam_core.plans import warning_rules as pr
from kam_core.plans.model import Action, Objective, PlanDoc, Relationship, Stakeholder
from kam_core.plans.tracking import track
from tests.helpers import run_cli
from tests.plans_helpers import tracking_dataset

AS_OF = date(2026, 7, 15)


def version(doc: PlanDoc, saved: date = AS_OF) -> store.PlanVersion:
    return store.PlanVersion(doc.account, doc.year, 1, doc, "Ann", datetime(saved.year, saved.month, saved.day, 9))


def rules(ws: list[wr.Warning_]) -> list[str]:
    return [w.rule for w in ws]


@pytest.fixture
def acme(empty_db: Database) -> Database:
    tracking_dataset(empty_db)  # Acme revenue Jan–Jun 2026: 6 × (110 + 40) = 900
    return empty_db


@pytest.mark.parametrize(("target", "warns"), [(999.0, False), (1000.0, False), (1001.0, True)])
def test_objective_off_track_beyond_ten_percent(acme: Database, target: float, warns: bool) -> None:
    # projected 900 (the window is complete); at_risk down to 90% of the target, off track below
    doc = PlanDoc("Acme", 2026, objectives=[Objective("rev", "revenue", target, date(2026, 6, 30))])
    v = version(doc)
    ws = pr.objective_rules(v, track(acme, doc, AS_OF))
    assert rules(ws) == (["objective_off_track"] if warns else [])
    if warns:
        w = ws[0]
        assert w.severity == "high" and w.figures["projected"] == 900.0 and w.figures["target"] == 1001.0
        assert w.link == "/plans?account=Acme&year=2026"
        assert w.message("en") == (
            "objective “rev” (Revenue) is off track: projected ¥900 against a target of ¥1.0 K by 2026-06-30"
        )  # fmt: skip  (amounts with the currency)
        assert "预计 £900，目标 £1,001" in w.message("zh", "GBP")  # in the configured currency
        assert "销售额" in w.message("zh")


@pytest.mark.parametrize(("due", "status", "warns"), [
    (AS_OF - timedelta(days=1), "in_progress", True),
    (AS_OF, "planned", False),  # due today: not yet overdue
    (AS_OF + timedelta(days=1), "planned", False),
    (AS_OF - timedelta(days=1), "done", False),
    (AS_OF - timedelta(days=1), "dropped", False),
])  # fmt: skip
def test_actions_overdue(acme: Database, due: date, status: str, warns: bool) -> None:
    doc = PlanDoc("Acme", 2026, actions=[Action("Listing fee talks", id="A1", due=due, status=status)])
    ws = pr.action_rules(version(doc), track(acme, doc, AS_OF))
    assert rules(ws) == (["actions_overdue"] if warns else [])
    if warns:
        assert ws[0].figures == {"n": 1, "actions": "Listing fee talks"} and ws[0].severity == "medium"


@pytest.mark.parametrize(("days", "warns"), [(89, False), (90, True), (91, True)])
def test_no_contact_for_contact_days(days: int, warns: bool) -> None:
    people = [Stakeholder("Zhang", role="decision_maker", last_contact=AS_OF - timedelta(days=days)),
              Stakeholder("Chen", last_contact=AS_OF - timedelta(days=days + 30))]  # fmt: skip
    ws = pr.contact_rules(version(PlanDoc("Acme", 2026, stakeholders=people)), AS_OF, 90)
    assert rules(ws) == (["no_contact"] if warns else [])
    if warns:
        assert ws[0].figures == {"days": days, "last_contact": (AS_OF - timedelta(days=days)).isoformat(),
                                 "threshold": 90}  # fmt: skip


def test_contact_never_recorded_and_decision_makers() -> None:
    never = pr.contact_rules(version(PlanDoc("A", 2026, stakeholders=[Stakeholder("Zhang", role="decision_maker")])),
                             AS_OF, 90)  # fmt: skip
    assert sorted(rules(never)) == ["no_contact", "no_decision_maker_contact"]
    assert next(w for w in never if w.rule == "no_decision_maker_contact").key == "warn.decision_maker_not_contacted"
    seen = AS_OF - timedelta(days=10)
    no_dm = pr.contact_rules(version(PlanDoc("A", 2026, stakeholders=[Stakeholder("Chen", last_contact=seen)])),
                             AS_OF, 90)  # fmt: skip
    assert [(w.rule, w.key) for w in no_dm] == [("no_decision_maker_contact", "warn.no_decision_maker")]
    nobody = pr.contact_rules(version(PlanDoc("A", 2026)), AS_OF, 90)
    assert rules(nobody) == ["no_decision_maker_contact"]
    # a contacted decision maker: nothing; a detractor decision maker: high, with the name
    ok = [Stakeholder("Zhang", role="decision_maker", attitude="neutral", last_contact=seen)]
    assert pr.contact_rules(version(PlanDoc("A", 2026, stakeholders=ok)), AS_OF, 90) == []
    det = [Stakeholder("Zhang <b>", "Director", role="decision_maker", attitude="detractor", influence=5,
                       last_contact=seen),
           Stakeholder("Wu", role="influencer", attitude="detractor", last_contact=seen)]  # fmt: skip
    ws = pr.contact_rules(version(PlanDoc("A", 2026, stakeholders=det)), AS_OF, 90)
    assert [(w.rule, w.severity) for w in ws] == [("detractor_decision_maker", "high")]
    assert ws[0].message("en") == "decision maker Zhang <b> (Director, influence 5/5) is a detractor"


@pytest.mark.parametrize(("stage", "target", "rule"), [
    ("cooperative", "basic", "stage_weakening"),  # one step below
    ("cooperative", "cooperative", None),  # the same stage
    ("cooperative", "interdependent", None),  # one step up
    ("integrated", "exploratory", "stage_weakening"),
    ("disintegrating", "basic", "stage_disintegrating"),
    ("basic", "disintegrating", "stage_disintegrating"),
])  # fmt: skip
def test_stage(stage: str, target: str, rule: str | None) -> None:
    ws = pr.stage_rules(version(PlanDoc("A", 2026, relationship=Relationship(stage, target))))
    assert rules(ws) == ([rule] if rule else [])
    if rule == "stage_weakening" and stage == "cooperative":
        assert ws[0].message("en") == ("target stage Basic is below the current stage Cooperative: the relationship is "
                                       "planned to weaken")  # fmt: skip
        assert "基础型" in ws[0].message("zh") and ws[0].figures == {"stage": "cooperative", "target_stage": "basic"}


@pytest.mark.parametrize(("days", "warns"), [(119, False), (120, True), (121, True)])
def test_plan_stale(days: int, warns: bool) -> None:
    v = version(PlanDoc("A", 2026), saved=AS_OF - timedelta(days=days))
    ws = pr.stale_rules(v, AS_OF, 120)
    assert rules(ws) == (["plan_stale"] if warns else [])
    if warns:
        assert ws[0].severity == "low" and ws[0].figures["days"] == days and ws[0].figures["saved_by"] == "Ann"


def test_registered_and_run_by_evaluate_with_settings(acme: Database) -> None:
    assert pr.plan_frame in wr.PLAN_RULES and pr.missing_plan_frame in wr.PLAN_RULES
    assert wr.PLAN_RULES.count(pr.plan_frame) == 1
    zhang = Stakeholder("Zhang", role="decision_maker", last_contact=date(2026, 6, 1))
    doc = PlanDoc("Acme", 2026, relationship=Relationship("cooperative", "basic"), stakeholders=[zhang])
    store.save(acme, "Acme", 2026, doc, 0, "", "Ann")
    ws = wr.evaluate(acme, as_of=AS_OF)
    acme_rules = {w.rule for w in ws if w.account == "Acme"}
    assert {"stage_weakening"} <= acme_rules and "no_contact" not in acme_rules  # 44 days
    # "Other" is a key account (top 20 of two) without a plan for 2026
    other = [w for w in ws if w.account == "Other" and w.rule == "no_plan"]
    assert len(other) == 1 and other[0].figures["year"] == 2026 and other[0].link == "/plans?account=Other&year=2026"
    settings.put(acme, "warnings.contact_days", 44, "ann")
    assert "no_contact" in {w.rule for w in wr.evaluate(acme, "Acme", as_of=AS_OF)}
    # a plan of another year is not this year's plan
    assert "no_plan" in {w.rule for w in wr.evaluate(acme, "Acme", as_of=date(2027, 2, 1))}


def test_cli_lists_plan_rules_with_the_same_fields(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    db = Database(path)
    tracking_dataset(db)
    store.save(db, "Acme", 2026, PlanDoc("Acme", 2026, relationship=Relationship("basic", "disintegrating")), 0, "",
               "Ann")  # fmt: skip
    db.close()
    r = run_cli("warnings", "--db", str(path), "--account", "Acme", "--severity", "high", "--json")
    assert r.code == 0, r.stderr
    assert "stage_disintegrating" in {x["rule"] for x in r.json}
    assert all(set(x) == {"account", "rule", "severity", "message", "figures"} for x in r.json)
