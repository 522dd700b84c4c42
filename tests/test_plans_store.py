"""Versioned plan store: append-only saves, conflicts refused with nothing written, exact restore, diff."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.plans import store
from kam_core.plans.diff import diff, lines
from kam_core.plans.model import Action, Objective, PlanInvalid, Stakeholder, SwotItem, new_plan, to_dict
from tests.plans_helpers import tracking_dataset


@pytest.fixture
def db(empty_db: Database) -> Database:
    tracking_dataset(empty_db)
    return empty_db


def counts(db: Database) -> tuple[int, int]:
    return db.scalar("SELECT count(*) FROM account_plans"), db.scalar("SELECT count(*) FROM audit_log")


def test_saves_are_new_versions_and_history_is_newest_first(db: Database) -> None:
    d = new_plan("Acme", 2026)
    v1 = store.save(db, "Acme", 2026, d, 0, "first", "ann")
    d2 = replace(d, vision="Grow snacks")
    v2 = store.save(db, "Acme", 2026, d2, 1, "vision", "bob")
    assert (v1.version, v2.version) == (1, 2)
    assert store.get(db, "Acme", 2026, 1).doc == d and store.latest(db, "Acme", 2026).doc == d2
    h = store.history(db, "Acme", 2026)
    assert [(x["version"], x["saved_by"], x["comment"]) for x in h] == [(2, "bob", "vision"), (1, "ann", "first")]
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'plan.save'") == 2
    assert [(v.account, v.version) for v in store.list_latest(db, 2026)] == [("Acme", 2)]


def test_conflict_is_refused_and_nothing_is_written(db: Database) -> None:
    d = new_plan("Acme", 2026)
    store.save(db, "Acme", 2026, d, 0, "", "ann")
    store.save(db, "Acme", 2026, replace(d, vision="ann's"), 1, "", "ann")
    before = counts(db)
    with pytest.raises(store.PlanConflict) as e:
        store.save(db, "Acme", 2026, replace(d, vision="bob's"), 1, "", "bob")
    assert counts(db) == before
    assert e.value.latest.version == 2 and e.value.latest.saved_by == "ann" and e.value.latest.doc.vision == "ann's"
    msg = e.value.message("en")
    assert msg.startswith("Version 2 was saved by ann at ") and "nothing was saved" in msg
    assert "ann" in e.value.message("zh")
    with pytest.raises(UserError) as e2:  # a base that never existed
        store.save(db, "Acme", 2026, d, 7, "", "bob")
    assert e2.value.key == "plans.err.bad_base" and counts(db) == before
    with pytest.raises(store.PlanConflict):  # a first save when a plan exists
        store.save(db, "Acme", 2026, d, 0, "", "bob")


def test_restore_gives_back_the_old_document_exactly(db: Database) -> None:
    d1 = new_plan("Acme", 2026)
    d1.stakeholders.append(Stakeholder("Wang Hui", role="decision_maker"))
    # o2: the data hold no volume, so its data baseline stays empty in every version
    d1.objectives.append(Objective("o1", "revenue", 3000.0, date(2026, 12, 31), baseline=2000.0,
                                   baseline_source="manual"))  # fmt: skip
    d1.objectives.append(Objective("o2", "volume", 10.0, date(2026, 12, 31)))
    store.save(db, "Acme", 2026, d1, 0, "", "ann")
    store.save(db, "Acme", 2026, replace(d1, stakeholders=[], vision="new"), 1, "", "bob")
    v3 = store.restore(db, "Acme", 2026, 1, "carl")
    assert v3.version == 3 and v3.restored_from == 1 and v3.saved_by == "carl"
    assert store.get(db, "Acme", 2026, 3).doc == store.get(db, "Acme", 2026, 1).doc
    assert to_dict(store.latest(db, "Acme", 2026).doc) == to_dict(d1)
    assert store.history(db, "Acme", 2026)[0]["restored_from"] == 1
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'plan.restore'") == 1


def test_invalid_document_unknown_account_bad_year_write_nothing(db: Database) -> None:
    before = counts(db)
    bad = new_plan("Acme", 2026)
    bad.actions.append(Action("", "party"))
    with pytest.raises(PlanInvalid) as e:
        store.save(db, "Acme", 2026, bad, 0, "", "ann")
    assert {(p.section, p.row, p.field) for p in e.value.problems} == {("actions", 1, "description"),
                                                                        ("actions", 1, "type")}  # fmt: skip
    with pytest.raises(UserError) as e1:
        store.save(db, "Nobody", 2026, new_plan("Nobody", 2026), 0, "", "ann")
    assert e1.value.key == "plans.err.account"
    with pytest.raises(UserError) as e2:
        store.save(db, "Acme", 1850, new_plan("Acme", 1850), 0, "", "ann")
    assert e2.value.key == "plans.err.year"
    with pytest.raises(UserError) as e3:
        store.save(db, "Acme", 2026, new_plan("Acme", 2025), 0, "", "ann")
    assert e3.value.key == "plans.err.mismatch"
    with pytest.raises(UserError):
        store.save(db, "Acme", 2026, new_plan("Acme", 2026), 0, "", " ")  # a user is required
    assert counts(db) == before


def test_account_master_only_account_is_accepted(db: Database) -> None:
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO accounts (account) VALUES ('Newco')")
    assert store.save(db, "Newco", 2027, new_plan("Newco", 2027), 0, "", "ann").version == 1


def test_save_fills_data_baselines(db: Database) -> None:
    d = new_plan("Acme", 2026)
    d.objectives.append(Objective("rev", "revenue", 2500.0, date(2026, 12, 31)))
    v = store.save(db, "Acme", 2026, d, 0, "", "ann")
    assert v.doc.objectives[0].baseline == pytest.approx(2400.0)  # 2025: 6×150 + 6×250
    assert store.latest(db, "Acme", 2026).doc.objectives[0].baseline == pytest.approx(2400.0)


def test_diff_section_by_section_with_field_changes() -> None:
    a = new_plan("Acme", 2026)
    a.swot.threats.append(SwotItem("Private label"))
    a.stakeholders += [Stakeholder("Wang Hui", attitude="neutral"), Stakeholder("Li Na")]
    a.objectives.append(Objective("o1", "revenue", 100.0, date(2026, 12, 31)))
    a.actions.append(Action("Promo", "promotion"))
    b = replace(a, vision="Grow", relationship=replace(a.relationship, target_stage="interdependent"))
    b.swot = replace(a.swot, threats=[SwotItem("Private label", note="-20% price"), SwotItem("Closures")])
    b.stakeholders = [Stakeholder("Wang Hui", attitude="supporter", influence=5), Stakeholder("Zhao Min")]
    b.objectives = [Objective("o1", "revenue", 120.0, date(2026, 12, 31))]
    b.actions = [Action("Promo", "promotion", status="done")]
    out = {d.section: d for d in diff(a, b)}
    assert set(out) == {"relationship", "vision", "swot.threats", "stakeholders", "objectives", "actions"}
    rel = out["relationship"].changed[0].fields
    assert [(f.field, f.old, f.new) for f in rel] == [("target_stage", "cooperative", "interdependent")]
    th = out["swot.threats"]
    assert [r["text"] for r in th.added] == ["Closures"] and not th.removed
    assert [(f.field, f.old, f.new) for f in th.changed[0].fields] == [("note", "", "-20% price")]
    st = out["stakeholders"]
    assert [r["name"] for r in st.added] == ["Zhao Min"] and [r["name"] for r in st.removed] == ["Li Na"]
    assert st.changed[0].key == "Wang Hui"
    assert {(f.field, f.old, f.new) for f in st.changed[0].fields} == {("attitude", "neutral", "supporter"),
                                                                      ("influence", 3, 5)}  # fmt: skip
    assert [(f.field, f.old, f.new) for f in out["objectives"].changed[0].fields] == [("target", 100.0, 120.0)]
    assert [(f.field, f.new) for f in out["actions"].changed[0].fields] == [("status", "done")]
    text = lines(diff(a, b))
    assert "Stakeholders: changed Wang Hui — Attitude to us: Neutral → Supporter; Influence (1–5): 3 → 5" in text
    assert "Relationship: changed Relationship — Target stage: Cooperative → Interdependent" in text
    zh = lines(diff(a, b), "zh")  # field names and codes in Chinese; typed text stays as typed
    assert any("对我方态度：中立 → 支持者" in x for x in zh), zh
    assert any("目标阶段" in x and "合作型 → 相互依存型" in x for x in zh), zh
    assert any("-20% price" in x for x in zh)
    assert "Stakeholders: removed Li Na" in text and "SWOT · Threats: added Closures" in text
    assert diff(a, a) == [] and lines([]) == ["No differences."]
