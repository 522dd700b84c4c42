"""The plan document: every field's rule, every problem reported with section / row / field, exact JSON round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kam_core.plans.model import (
    Action,
    Competitor,
    Objective,
    PlanDoc,
    PlanInvalid,
    Stakeholder,
    SwotItem,
    from_dict,
    from_json,
    new_plan,
    to_dict,
    to_json,
    validate,
    validate_dict,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "plan_example.json"


def full_doc() -> PlanDoc:
    d = new_plan("Acme", 2026)
    d.vision = "Be Acme's first snack supplier."
    d.swot.strengths.append(SwotItem("Revenue +10% YoY", note="snacks", source="revenue_yoy"))
    d.competitors.append(Competitor("Rival Foods", 0.25, "price", "new listing fee"))
    d.stakeholders.append(
        Stakeholder("Wang Hui", "Buyer", "decision_maker", "supporter", 4, "Li Wei", date(2026, 5, 3))
    )
    d.objectives.append(Objective("o1", "revenue", 2500.0, date(2026, 12, 31), category="Snacks", baseline=1800.0))
    d.objectives.append(Objective("o2", "trade_spend_pct", 10.0, date(2026, 12, 31), baseline_source="manual",
                                  baseline=8.0))  # fmt: skip
    d.actions.append(Action("Launch 3 SKUs", "new_product_launch", "a1", "Li Wei", date(2026, 3, 1),
                            date(2026, 4, 30), 5000.0, "in_progress", "o1"))  # fmt: skip
    return d


def problems(data: dict) -> set[tuple]:
    return {(p.section, p.row, p.field, p.reason) for p in validate_dict(data)}


def test_round_trip_is_exact() -> None:
    d = full_doc()
    assert validate(d) == []
    assert from_json(to_json(d)) == d
    assert from_dict(json.loads(json.dumps(to_dict(d)))) == d


def test_example_document_is_valid_and_round_trips() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert validate_dict(data) == []
    doc = from_dict(data)
    assert to_dict(doc) == data  # the example is written in the canonical form


def test_every_problem_is_reported_with_section_row_field() -> None:
    data = to_dict(full_doc())
    data["relationship"]["stage"] = "friendly"
    data["swot"]["threats"] = [{"text": ""}, {"text": "x", "colour": "red"}]
    data["competitors"].append({"name": "B", "share": 0.9})  # 0.25 + 0.9 > 1
    data["stakeholders"].append({"name": "wang hui", "role": "boss", "attitude": "angry", "influence": 6,
                                 "last_contact": "03/05/2026"})  # fmt: skip
    data["objectives"].append({"id": "o3", "metric": "market_share", "target": "lots", "due": "2026-02-30"})
    data["objectives"].append({"id": "o4", "metric": "overdue_receivables", "target": -5, "due": "2026-12-31",
                               "province": "Zhejiang", "baseline_source": "manual"})  # fmt: skip
    data["objectives"].append({"id": "o1", "metric": "revenue", "target": 1, "due": "2025-06-30"})
    data["actions"].append({"type": "party", "description": " ", "status": "late", "start": "2026-05-01",
                            "due": "2026-04-01", "budget": -1, "objective_id": "o9"})  # fmt: skip
    got = problems(data)
    expected = {
        ("relationship", None, "stage", "plans.v.code"),
        ("swot.threats", 1, "text", "plans.v.required"),
        ("swot.threats", 2, "colour", "plans.v.unknown_field"),
        ("competitors", None, "share", "plans.v.share_total"),
        ("stakeholders", 2, "name", "plans.v.duplicate"),
        ("stakeholders", 2, "role", "plans.v.code"),
        ("stakeholders", 2, "attitude", "plans.v.code"),
        ("stakeholders", 2, "influence", "plans.v.range"),
        ("stakeholders", 2, "last_contact", "plans.v.date"),
        ("objectives", 3, "metric", "plans.v.code"),
        ("objectives", 3, "target", "plans.v.number"),
        ("objectives", 3, "due", "plans.v.date"),
        ("objectives", 4, "target", "plans.v.range"),
        ("objectives", 4, "province", "plans.v.no_restriction"),
        ("objectives", 4, "baseline", "plans.v.manual_baseline"),
        ("objectives", 5, "id", "plans.v.duplicate"),
        ("objectives", 5, "due", "plans.v.due_before_start"),
        ("actions", 2, "type", "plans.v.code"),
        ("actions", 2, "description", "plans.v.required"),
        ("actions", 2, "status", "plans.v.code"),
        ("actions", 2, "due", "plans.v.due_before_start"),
        ("actions", 2, "budget", "plans.v.range"),
        ("actions", 2, "objective_id", "plans.v.unknown_objective"),
    }
    assert got == expected


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("year",), 1999, ("document", None, "year", "plans.v.range")),
        (("year",), 2026.5, ("document", None, "year", "plans.v.integer")),
        (("account",), "  ", ("document", None, "account", "plans.v.required")),
        (("schema_version",), 2, ("document", None, "schema_version", "plans.v.schema_version")),
        (("vision",), 5, ("vision", None, "vision", "plans.v.not_text")),
        (("vision",), "x" * 20_001, ("vision", None, "vision", "plans.v.too_long")),
        (("stakeholders",), "Wang", ("stakeholders", None, None, "plans.v.not_list")),
        (("competitors", 0, "share"), 1.5, ("competitors", 1, "share", "plans.v.range")),
        (("stakeholders", 0, "influence"), 3.5, ("stakeholders", 1, "influence", "plans.v.integer")),
        (("stakeholders", 0, "influence"), True, ("stakeholders", 1, "influence", "plans.v.integer")),
        (("objectives", 0, "window_start"), "2026-1", ("objectives", 1, "window_start", "plans.v.month")),
        (("objectives", 0, "due"), "2028-06-30", ("objectives", 1, "due", "plans.v.window_long")),
        (("objectives", 0, "baseline_source"), "guess", ("objectives", 1, "baseline_source", "plans.v.code")),
        (("objectives", 1, "target"), 120, ("objectives", 2, "target", "plans.v.range")),
        (("objectives", 0, "target"), float("nan"), ("objectives", 1, "target", "plans.v.number")),
        (("actions", 0, "due"), "2026-4-30", ("actions", 1, "due", "plans.v.date")),
    ],
)
def test_field_rules(path: tuple, value: object, problem: tuple) -> None:
    data = to_dict(full_doc())
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    assert problems(data) == {problem}


def test_plan_invalid_names_every_problem_in_both_languages() -> None:
    data = to_dict(full_doc())
    data["stakeholders"][0]["influence"] = 0
    data["actions"][0]["status"] = "late"
    with pytest.raises(PlanInvalid) as e:
        from_dict(data)
    assert len(e.value.problems) == 2
    en, zh = e.value.message("en"), e.value.message("zh")
    assert "2 problems" in en and "Stakeholders · row 1 · influence" in en and "Actions · row 1 · status" in en
    assert "关键人物 · 第 1 行 · influence" in zh


def test_not_json_is_a_user_error() -> None:
    from kam_core.errors import UserError

    with pytest.raises(UserError) as e:
        from_json("{not json")
    assert e.value.key == "plans.err.not_json"


def test_shown_envelope_keys_are_ignored_but_typos_are_not() -> None:
    data = to_dict(full_doc())
    assert from_dict({**data, "version": 3, "tracking": [], "saved_by": "x"}) == full_doc()
    assert problems({**data, "objectivs": []}) == {("document", None, "objectivs", "plans.v.unknown_field")}


def test_direction_and_overdue_actions() -> None:
    d = full_doc()
    assert d.objectives[0].direction == "up" and d.objectives[1].direction == "down"
    a = d.actions[0]
    assert a.overdue(date(2026, 5, 1))
    a.status = "done"
    assert not a.overdue(date(2026, 5, 1))
