"""What changed, and where: members' changes add up exactly to the total; new and lost apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core.analytics import explain as ex
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters
from tests.helpers import add_sales, run_cli

ROWS = [
    # period, account, region, channel, revenue, gross_profit, kam
    ("2025-03", "Carrefour", "East", "hypermarket", 100.10, 10, "Li"),
    ("2025-03", "Walmart", "South", "hypermarket", 200.20, 20, "Li"),
    ("2025-03", "Gone", "East", "traditional", 30.03, 3, "Wang"),
    ("2026-02", "Carrefour", "East", "hypermarket", 90, 9, "Li"),
    ("2026-03", "Carrefour", "East", "hypermarket", 150.15, 15, "Li"),
    ("2026-03", "Walmart", "South", "hypermarket", 180.18, 18, "Li"),
    ("2026-03", "Newco", "North", "online", 44.44, 4, "Wang"),
]


@pytest.fixture
def small(empty_db: Database) -> Database:
    add_sales(empty_db, ROWS)
    return empty_db


MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 1))


def test_breakdown_by_account_sums_exactly_with_new_and_lost_apart(small: Database) -> None:
    b = ex.breakdown(small, MARCH, "account", "revenue", "yoy")
    assert b.before == Decimal("330.33") and b.after == Decimal("374.77")
    assert b.total_change == Decimal("44.44")
    assert [(m.member, m.status, m.change) for m in b.members] == [
        ("Carrefour", "continuing", Decimal("50.05")),
        ("Walmart", "continuing", Decimal("-20.02")),
        ("Newco", "new", Decimal("44.44")),
        ("Gone", "lost", Decimal("-30.03")),
    ]
    assert sum((m.change for m in b.members), Decimal(0)) == b.total_change  # exactly, not approximately
    assert b.share_of_change(b.members[0]) == pytest.approx(50.05 / 44.44)
    # the prior year holds March 2025: an honest growth figure
    assert b.comparison.ok and b.growth == pytest.approx(44.44 / 330.33)


def test_mom_by_region_and_one_account_by_channel(small: Database) -> None:
    b = ex.breakdown(small, MARCH, "region", "revenue", "mom")
    assert (b.base, b.before) == ((date(2026, 2, 1), date(2026, 2, 1)), Decimal(90))
    assert {m.member: (m.status, m.change) for m in b.members} == {
        "East": ("continuing", Decimal("60.15")), "South": ("new", Decimal("180.18")),
        "North": ("new", Decimal("44.44"))}  # fmt: skip
    one = ex.breakdown(small, MARCH, "channel", "gross_profit", "yoy", account="Walmart")
    assert one.total_change == Decimal(-2) and [m.member for m in one.members] == ["hypermarket"]


def test_growth_not_given_over_a_partial_prior_window(small: Database) -> None:
    f = Filters(start=date(2026, 2, 1), end=date(2026, 3, 1))  # prior year: only March 2025 has data
    b = ex.breakdown(small, f, "account")
    assert b.growth is None and not b.comparison.ok
    assert b.comparison.message("en") == "prior year: data for 1 of 2 months"
    assert sum((m.change for m in b.members), Decimal(0)) == b.total_change  # the breakdown itself still holds


def test_refusals(small: Database) -> None:
    for kwargs, key in (({"by": "colour"}, "explain.err.by"), ({"metric": "x"}, "explain.err.metric"),
                        ({"vs": "qoq"}, "explain.err.vs")):  # fmt: skip
        with pytest.raises(UserError) as e:
            ex.breakdown(small, MARCH, **kwargs)
        assert e.value.key == key
    with pytest.raises(UserError):
        ex.breakdown(small, Filters())


def test_top_with_others_keeps_the_total(small: Database) -> None:
    b = ex.breakdown(small, MARCH, "account")
    shown = ex.top_with_others(b, 2)
    assert len(shown) == 3 and shown[-1].status == "others"
    assert sum((m.change for m in shown), Decimal(0)) == b.total_change


def test_cli_json_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "e.duckdb"
    db = Database(path)
    add_sales(db, ROWS)
    db.close()
    r = run_cli("explain", "--db", str(path), "--metric", "revenue", "--from", "2026-03", "--to", "2026-03",
                "--by", "account", "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    out = r.json
    assert out["total_change"] == 44.44 and '"total_change": 44.44' in r.stdout  # written exactly, not 44.4399999
    assert [m["member"] for m in out["members"]] == ["Carrefour", "Walmart", "Newco", "Gone"]
    assert {"member", "before", "after", "change", "share_of_change"} <= set(out["members"][0])
    assert out["members"][3] == {"member": "Gone", "before": 30.03, "after": 0, "change": -30.03,
                                 "share_of_change": pytest.approx(-30.03 / 44.44), "status": "lost"}  # fmt: skip
    r = run_cli("explain", "--db", str(path), "--from", "2026-03", "--to", "2026-03", "--by", "region", "--vs", "mom")
    assert r.code == 0 and "¥" in r.stdout and "new" in r.stdout
    r = run_cli("explain", "--db", str(path), "--from", "2026-04", "--to", "2026-03")
    assert r.code == 1 and "after" in r.stderr
    assert run_cli("explain", "--db", str(path), "--from", "2026-03").code == 2
    assert run_cli("explain", "--db", str(path), "--from", "2026-03", "--to", "2026-03", "--by", "x").code == 2


def test_table_and_subtotals_sum_exactly_to_the_total(small: Database) -> None:
    b = ex.breakdown(small, MARCH, "account", "revenue", "yoy")
    rows = ex.table(b, "zh")
    assert sum((r["change"] for r in rows), Decimal(0)) == b.total_change == Decimal("44.44")
    assert [(r["member"], r["status_label"]) for r in rows] == [("Carrefour", "持续"), ("Walmart", "持续"),
                                                                 ("Newco", "新增"), ("Gone", "流失")]  # fmt: skip
    sub = ex.subtotals(b)
    assert sub == {"continuing": Decimal("30.03"), "new": Decimal("44.44"), "lost": Decimal("-30.03")}
    assert sum(sub.values(), Decimal(0)) == b.total_change
    assert rows[0]["share_of_change"] == pytest.approx(50.05 / 44.44)


def test_waterfall_keeps_the_total_and_escapes_labels(small: Database) -> None:
    from kam_core.charts import explain as charts

    b = ex.breakdown(small, MARCH, "account", "revenue", "yoy")
    steps = ex.top_with_others(b, 2)
    assert [ex.member_label(m, "en") for m in steps] == ["Carrefour", "Newco", "others"]
    fig = charts.waterfall(float(b.before), [("<b>x</b>", float(m.change)) if m.member == "Newco" else
                                             (ex.member_label(m), float(m.change)) for m in steps],
                           "Before", "After", prefix="¥")  # fmt: skip
    w = fig.data[0]
    assert list(w.x) == ["Before", "Carrefour", "&lt;b&gt;x&lt;/b&gt;", "others", "After"]
    assert list(w.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert sum(w.y[1:-1]) + w.y[0] == pytest.approx(float(b.after))
    assert fig.layout.xaxis.type == "category" and fig.layout.yaxis.tickprefix == "¥"


def test_link_carries_the_question() -> None:
    f = Filters(regions=("East", "South"), kams=("Li",))
    url = ex.link("gross_profit", date(2026, 3, 1), date(2026, 5, 1), "mom", "sku", "A & B", f)
    assert url == ("/explain?metric=gross_profit&by=sku&from=2026-03&to=2026-05&vs=mom&account=A+%26+B"
                   "&region=East&region=South&kam=Li")  # fmt: skip
