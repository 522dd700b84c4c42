"""Objectives tracked from a hand-built dataset (tests/plans_helpers.tracking_dataset): numbers by hand."""

from __future__ import annotations

from datetime import date

import pytest

from kam_core.db import Database
from kam_core.i18n import t
from kam_core.plans.model import Action, Objective, new_plan
from kam_core.plans.tracking import achieved_pct, status_of, track
from tests.plans_helpers import add_lines, tracking_dataset

END = date(2026, 12, 31)


@pytest.fixture
def db(empty_db: Database) -> Database:
    tracking_dataset(empty_db)
    return empty_db


def tracked(db: Database, *objectives: Objective, today: date = date(2026, 7, 15)):
    doc = new_plan("Acme", 2026)
    doc.objectives.extend(objectives)
    return track(db, doc, today).by_id()


def test_revenue_seasonal_projection_and_at_risk(db: Database) -> None:
    o = tracked(db, Objective("rev", "revenue", 2500.0, END))["rev"]
    # actual Jan–Jun 2026: 6 × (110 + 40) = 900; the same months of 2025: 6 × 150 = 900 → growth × 1.0
    # remaining Jul–Dec 2025: 6 × (200 + 50) = 1500 → projected 900 + 1500 = 2400; baseline = 2025 = 2400
    assert (o.baseline, o.actual, o.projected) == (pytest.approx(2400), pytest.approx(900), pytest.approx(2400))
    assert o.projection == "seasonal" and o.months_total == 12 and o.months_with_data == 6
    assert o.achieved_pct == pytest.approx(36.0)  # 900 / 2500
    assert o.status == "at_risk"  # 2400 ≥ 90% of 2500


def test_objective_restricted_to_one_category(db: Database) -> None:
    o = tracked(db, Objective("sn", "revenue", 1900.0, END, category="Snacks"))["sn"]
    # Snacks: 660 vs 600 → growth 1.1; remaining last year 1200 → 660 + 1320 = 1980 ≥ 1900
    assert o.baseline == pytest.approx(1800) and o.actual == pytest.approx(660)
    assert o.projected == pytest.approx(1980) and o.status == "on_track"
    dairy = tracked(db, Objective("d", "revenue", 600.0, END, category="Dairy"))["d"]
    # 240 vs 300 → × 0.8; remaining 300 → 240 + 240 = 480 < 540 → off_track
    assert dairy.projected == pytest.approx(480) and dairy.status == "off_track"


def test_province_restriction_matches_any_spelling(db: Database) -> None:
    o = tracked(db, Objective("gd", "revenue", 1.0, END, province="广东"))["gd"]
    assert o.actual == pytest.approx(900)  # 'Guangdong' in 2026 rows
    assert o.baseline == pytest.approx(1800)  # '广东省' in 2025 rows: Snacks only


def test_lower_is_better_trade_spend(db: Database) -> None:
    o = tracked(db, Objective("ts", "trade_spend_pct", 10.0, END))["ts"]
    assert o.direction == "down" and o.projection == "current"
    assert o.actual == pytest.approx(12.0)  # (13.2 + 4.8) / 150
    # 2025: (snacks 8% + dairy 4/50 = 8%) → 8%
    assert o.baseline == pytest.approx(8.0)
    assert o.achieved_pct == pytest.approx(100 * 10 / 12)
    assert o.status == "off_track"  # 12 > 10 + 10% × 10
    assert tracked(db, Objective("ts", "trade_spend_pct", 11.0, END))["ts"].status == "at_risk"  # 12 ≤ 12.1


def test_overdue_receivables_latest_snapshot(db: Database) -> None:
    o = tracked(db, Objective("od", "overdue_receivables", 100.0, END))["od"]
    assert o.actual == pytest.approx(80)  # 30 Jun 2026: 50 + 20 + 10
    assert o.baseline == pytest.approx(300)  # 31 Dec 2025: 200 + 100
    assert o.status == "on_track" and o.achieved_pct == pytest.approx(125)


def test_counts_margin_and_manual_baseline(db: Database) -> None:
    got = tracked(
        db,
        Objective("sk", "skus_sold", 2.0, END),
        Objective("st", "stores_buying", 2.0, END),
        Objective("gm", "gross_margin_pct", 30.0, END),
        Objective("man", "revenue", 1000.0, END, baseline=123.0, baseline_source="manual"),
    )
    assert got["sk"].actual == 2 and got["sk"].status == "on_track"
    assert got["st"].actual == 1 and got["st"].baseline == 2 and got["st"].status == "off_track"  # S2 stopped
    assert got["gm"].actual == pytest.approx(30.0) and got["gm"].status == "on_track"
    assert got["man"].baseline == 123.0 and got["man"].baseline_source == "manual"


def test_window_without_data(db: Database) -> None:
    late = tracked(db, Objective("h2", "revenue", 10.0, END, window_start=date(2026, 7, 1)))["h2"]
    assert late.actual is None and late.status == "no_data" and late.achieved_pct is None
    assert late.baseline == pytest.approx(1500)  # Jul–Dec 2025 has data


def test_run_rate_when_last_year_is_incomplete(empty_db: Database) -> None:
    add_lines(empty_db, [(f"2026-{m:02d}", "Acme", "S1", "Guangdong", "K1", "Snacks", 150.0, 45.0, 0.0)
                         for m in range(1, 7)])  # fmt: skip
    doc = new_plan("Acme", 2026)
    doc.objectives.append(Objective("rev", "revenue", 1700.0, END))
    o = track(empty_db, doc, date(2026, 7, 1)).objectives[0]
    assert o.baseline is None  # no 2025 data: no baseline from data
    assert o.projection == "run_rate" and o.projected == pytest.approx(1800) and o.status == "on_track"


def test_overdue_actions(db: Database) -> None:
    doc = new_plan("Acme", 2026)
    doc.actions += [
        Action("late", "promotion", "a1", due=date(2026, 6, 30), status="in_progress"),
        Action("done", "promotion", "a2", due=date(2026, 6, 30), status="done"),
        Action("dropped", "promotion", "a3", due=date(2026, 6, 1), status="dropped"),
        Action("later", "promotion", "a4", due=date(2026, 8, 1)),
        Action("no id", "promotion", due=date(2026, 1, 1)),
    ]
    assert track(db, doc, date(2026, 7, 15)).actions_overdue == ["a1", "no id"]


def test_status_and_achieved_rules() -> None:
    assert status_of("revenue", 100, 100) == "on_track"
    assert status_of("revenue", 90, 100) == "at_risk" and status_of("revenue", 89.9, 100) == "off_track"
    assert status_of("overdue_receivables", 110, 100) == "at_risk"
    assert status_of("overdue_receivables", 111, 100) == "off_track"
    assert status_of("revenue", None, 100) == "no_data"
    assert achieved_pct("overdue_receivables", 0, 100) == 100.0
    assert achieved_pct("revenue", 50, 0) is None
    assert "10%" in t("plans.track.rule", "en") and "10%" in t("plans.track.rule", "zh")


def test_tracking_follows_new_data(db: Database) -> None:
    before = tracked(db, Objective("rev", "revenue", 2500.0, END))["rev"]
    add_lines(db, [("2026-07", "Acme", "S1", "Guangdong", "K1", "Snacks", 300.0, 90.0, 0.0)])
    after = tracked(db, Objective("rev", "revenue", 2500.0, END))["rev"]
    assert after.actual == pytest.approx(before.actual + 300) and after.months_with_data == 7
