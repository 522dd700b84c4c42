"""SWOT suggestions and the profile on the hand-built dataset; nothing year-on-year from an incomplete prior window."""

from __future__ import annotations

import pytest

from kam_core.db import Database
from kam_core.plans.profile import plan_window, profile
from kam_core.plans.suggest import suggest
from tests.plans_helpers import add_lines, add_receivables, tracking_dataset


@pytest.fixture
def db(empty_db: Database) -> Database:
    tracking_dataset(empty_db)
    # Acme grows: +300 of a new SKU N1 in March 2026 → Jan–Jun 2026 = 1200 vs 900 (+33.3%); total 7200 vs 6900
    add_lines(empty_db, [("2026-03", "Acme", "S1", "Guangdong", "N1", "Snacks", 300.0, 90.0, 36.0)])
    return empty_db


def by_id(db: Database) -> dict:
    return {s.id: s for s in suggest(db, "Acme", 2026)}


def test_suggestions_with_their_figures(db: Database) -> None:
    s = by_id(db)
    g = s["revenue_growth"]
    assert g.quadrant == "strengths"
    assert g.figures["growth"] == pytest.approx(1 / 3) and g.figures["total_growth"] == pytest.approx(300 / 6900)
    assert g.text("en") == "Revenue +33.3% YoY (2026-01 – 2026-06), faster than our total (+4.3%)."
    assert "高于公司整体（+4.3%）" in g.text("zh")
    assert s["stores_lost"].quadrant == "threats" and s["stores_lost"].figures == {"stores": 1, "stores_prior": 2}
    assert s["skus_new"].figures["skus"] == "N1" and "skus_lost" not in s
    # trade spend: Acme (13.2 + 4.8) × 6 + 36 over 1200 = 12%; the other K/A account 5% → 7 pts above
    ts = s["spend_vs_ka"]
    assert ts.quadrant == "weaknesses" and ts.figures["difference_pts"] == pytest.approx(7.0)
    assert ts.text("en") == "Trade spend 12.0% of revenue, 7.0 pts above our K/A average (5.0%)."
    gm = s["margin_vs_ka"]  # 30% against 25%
    assert gm.quadrant == "strengths" and gm.figures["difference_pts"] == pytest.approx(5.0)
    assert s["share_up"].figures["share"] == pytest.approx(1200 / 7200)
    assert "overdue" not in s  # 80 of 1080 = 7%: below 10%
    d = g.to_dict()
    assert set(d) == {"id", "quadrant", "text_en", "text_zh", "figures"}


def test_overdue_share_threat(db: Database) -> None:
    add_receivables(db, [("Acme", "2026-07-31", 820, 100, 50, 30, 0)])
    o = by_id(db)["overdue"]
    assert o.quadrant == "threats" and o.figures["overdue_share"] == pytest.approx(180 / 1000)
    assert o.text("en") == "Overdue receivables 18% of the balance on 2026-07-31."


def test_no_year_on_year_suggestion_from_an_incomplete_prior_window(empty_db: Database) -> None:
    rows = [(f"2025-{m:02d}", "Acme", "S1", "Guangdong", "K1", "Snacks", 100.0, 30.0, 8.0) for m in (3, 4, 5, 6)]
    rows += [(f"2026-{m:02d}", "Acme", "S1", "Guangdong", "K1", "Snacks", 200.0, 60.0, 8.0) for m in range(1, 7)]
    rows += [(f"{y}-{m:02d}", "Other", "O1", "Beijing", "K1", "Snacks", 100.0, 20.0, 1.0) for y, n in ((2025, 0),
             (2026, 6)) for m in range(1, n + 1)]  # fmt: skip
    add_lines(empty_db, rows)
    w = plan_window(empty_db, 2026)
    assert not w.comparable and w.note == "coverage.prior_year"  # Jan–Feb 2025 hold no data
    ids = {s.id for s in suggest(empty_db, "Acme", 2026)}
    assert not ids & {"revenue_growth", "revenue_decline", "share_up", "stores_lost", "skus_lost", "skus_new"}
    assert "margin_vs_ka" in ids  # the current window alone is complete: 30% vs 20%
    p = profile(empty_db, "Acme", 2026)
    assert p.revenue == pytest.approx(1200) and p.revenue_prior is None


def test_profile(db: Database) -> None:
    p = profile(db, "Acme", 2026)
    assert [m.isoformat()[:7] for m in p.window.current] == [f"2026-{m:02d}" for m in range(1, 7)]
    assert p.revenue == pytest.approx(1200) and p.revenue_prior == pytest.approx(900)
    assert p.share_of_total == pytest.approx(1200 / 7200) and p.rank == 2
    assert p.tier == "NKA" and "2 provinces" in p.tier_reason
    assert p.stores == 1 and p.provinces == ["Guangdong"]
    assert [(c["category"], c["revenue"]) for c in p.categories] == [("Snacks", 960.0), ("Dairy", 240.0)]
    assert p.skus[0] == {"sku": "K1", "category": "Snacks", "revenue": 660.0, "share": 660 / 1200}
    assert p.skus_new == ["N1"] and p.skus_lost == []
    assert p.gross_margin_pct == pytest.approx(30.0) and p.trade_spend_pct == pytest.approx(12.0)
    assert p.receivables["as_of"] == "2026-06-30" and p.receivables["overdue"] == pytest.approx(80)
    months = {m["month"]: m for m in p.monthly}
    assert len(p.monthly) == 24 and months["2026-03"]["revenue"] == pytest.approx(450)
    assert months["2026-03"]["revenue_year_before"] == pytest.approx(150)
    assert months["2026-07"]["revenue"] is None and months["2025-01"]["revenue_year_before"] is None


def test_no_data_no_suggestions(empty_db: Database) -> None:
    assert suggest(empty_db, "Acme", 2026) == []
    assert profile(empty_db, "Acme", 2026).window is None
