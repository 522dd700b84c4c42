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
from tests import explain_reference as ref
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
    shown = ref.top_with_others(b, 2)
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
    rows = ref.table(b, "zh")
    assert sum((r["change"] for r in rows), Decimal(0)) == b.total_change == Decimal("44.44")
    assert [(r["member"], r["status_label"]) for r in rows] == [("Carrefour", "持续"), ("Walmart", "持续"),
                                                                 ("Newco", "新增"), ("Gone", "流失")]  # fmt: skip
    sub = ref.subtotals(b)
    assert sub == {"continuing": Decimal("30.03"), "new": Decimal("44.44"), "lost": Decimal("-30.03")}
    assert sum(sub.values(), Decimal(0)) == b.total_change
    assert rows[0]["share_of_change"] == pytest.approx(50.05 / 44.44)


def test_waterfall_keeps_the_total_and_escapes_labels(small: Database) -> None:
    from kam_core.charts import explain as charts

    b = ex.breakdown(small, MARCH, "account", "revenue", "yoy")
    steps = ref.top_with_others(b, 2)
    assert [ex.member_label(m, "en") for m in steps] == ["Carrefour", "Newco", "others"]
    fig = charts.waterfall(float(b.before), [("<b>x</b>", float(m.change)) if m.member == "Newco" else
                                             (ex.member_label(m), float(m.change)) for m in steps],
                           "Before", "After", prefix="¥")  # fmt: skip
    w = fig.data[0]
    assert list(w.x) == ["Before", "Carrefour", "&lt;b&gt;x&lt;/b&gt;", "others", "After"]
    assert list(w.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert sum(w.y[1:-1]) + w.y[0] == pytest.approx(float(b.after))
    assert fig.layout.xaxis.type == "category" and all(t.startswith("¥") for t in fig.layout.yaxis.ticktext)


def test_link_carries_the_question() -> None:
    f = Filters(regions=("East", "South"), kams=("Li",))
    url = ex.link("gross_profit", date(2026, 3, 1), date(2026, 5, 1), "mom", "sku", "A & B", f)
    assert url == ("/explain?metric=gross_profit&by=sku&from=2026-03&to=2026-05&vs=mom&account=A+%26+B"
                   "&region=East&region=South&kam=Li")  # fmt: skip


# -- the order computed in DuckDB, and the page's view built from columns --------------------------------------
TIES = [
    # period, account, region, channel, revenue, gross_profit, kam — equal |change| in both signs, a NULL
    # region, Chinese and ASCII names, numeric codes, a member only in one window
    ("2025-03", "家乐福", "East", "hypermarket", 10, 1, "Li"),
    ("2026-03", "家乐福", "East", "hypermarket", 20, 2, "Li"),
    ("2025-03", "Zeta", None, "hypermarket", 30, 3, "Li"),
    ("2026-03", "Zeta", None, "hypermarket", 20, 2, "Li"),
    ("2025-03", "10", "South", None, 5, 1, None),
    ("2026-03", "10", "South", None, 15, 1, None),
    ("2025-03", "9", "South", "online", 7.5, 1, "Wang"),
    ("2026-03", "9", "South", "online", 7.5, 1, "Wang"),
    ("2026-03", "Neu", "North", "online", 10, 1, "Wang"),
    ("2025-03", "Alt", "North", "online", 10, 1, "Wang"),
]


def _python_order(members: list[ex.Member]) -> list[ex.Member]:
    """The order the breakdown promises, as Python's sort gives it."""
    order = {s: i for i, s in enumerate(ex.STATUSES)}
    return sorted(members, key=lambda m: (order[m.status], -abs(m.change), m.member is None, m.member or ""))


@pytest.mark.parametrize("by", ["account", "region", "channel", "kam"])
def test_order_from_duckdb_is_the_promised_one(empty_db: Database, by: str) -> None:
    add_sales(empty_db, TIES + ROWS)
    b = ex.breakdown(empty_db, MARCH, by, "revenue", "yoy")
    assert b.members == _python_order(b.members)
    assert len({m.member for m in b.members}) == len(b.members)


def _same_view(db: Database, f: Filters, by: str, metric: str, vs: str, account: str | None, lang: str,
               top: int) -> None:  # fmt: skip
    b = ex.breakdown(db, f, by, metric, vs, account)
    v = ex.view(db, f, by, metric, vs, account, lang, top)
    assert b.members == _python_order(b.members)
    assert (v.head.before, v.head.after, v.head.total_change) == (b.before, b.after, b.total_change)
    assert (v.head.base, v.head.current, v.head.growth) == (b.base, b.current, b.growth)
    assert v.n == len(b.members) == len(v.frame)
    assert v.steps == ref.top_with_others(b, top)
    assert v.subtotals == ref.subtotals(b)
    rows = ref.table(b, lang)
    assert v.frame["member"].tolist() == [r["member"] for r in rows]
    assert v.frame["before"].tolist() == [float(r["before"]) for r in rows]
    assert v.frame["after"].tolist() == [float(r["after"]) for r in rows]
    assert v.frame["change"].tolist() == [float(r["change"]) for r in rows]
    assert v.frame["status"].tolist() == [r["status"] for r in rows]
    assert v.frame["status_label"].tolist() == [r["status_label"] for r in rows]
    for got, want in zip(v.frame["share_of_change"].tolist(), [r["share_of_change"] for r in rows], strict=True):
        assert (got != got and want is None) or got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("top", [1, 2, 12])
def test_view_equals_the_breakdown_on_hand_made_data(empty_db: Database, top: int) -> None:
    add_sales(empty_db, TIES + ROWS)
    for by in ("account", "region", "channel", "kam"):
        for lang in ("en", "zh"):
            _same_view(empty_db, MARCH, by, "revenue", "yoy", None, lang, top)
    _same_view(empty_db, MARCH, "account", "gross_profit", "mom", None, "en", top)
    _same_view(empty_db, MARCH, "channel", "revenue", "yoy", "Zeta", "en", top)


def test_view_equals_the_breakdown_on_the_demo(demo_db: Database) -> None:
    f = Filters(start=date(2026, 4, 1), end=date(2026, 9, 1))
    for by in ("account", "store", "sku", "province", "region", "channel", "kam"):
        _same_view(demo_db, f, by, "revenue", "yoy", None, "zh" if by == "store" else "en", 12)
    _same_view(demo_db, f, "sku", "gross_profit", "mom", None, "en", 12)
    _same_view(demo_db, f, "account", "volume", "yoy", None, "en", 12)


def test_view_of_an_empty_window(small: Database) -> None:
    v = ex.view(small, Filters(start=date(2020, 1, 1), end=date(2020, 1, 1)), "account", "revenue", "yoy")
    assert (v.n, v.steps, len(v.frame)) == (0, [], 0)
    assert v.head.before == v.head.after == Decimal(0)
    assert v.subtotals == dict.fromkeys(ex.STATUSES, Decimal(0))
