"""Coverage applied by every view: no growth figure against a window without data for every month.

Hand-built data: 2026 holds 12 full months, 2025 only January ("prior year: data for 1 of 12
months"); a second set holds 24 full months, where the figures are the plain ratios.
"""

from __future__ import annotations

from datetime import date

import pytest

from kam_core import coverage as cv
from kam_core.analytics import channels as ch
from kam_core.analytics import overview as ov
from kam_core.analytics import pareto as pa
from kam_core.analytics import regions as rg
from kam_core.analytics import tiers as T
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import add_sales

Y2026 = Filters(start=date(2026, 1, 1), end=date(2026, 12, 1))
PRIOR_EN = "prior year: data for 1 of 12 months"
PRIOR_ZH = "去年同期：12 个月中仅 1 个月有数据"


def _year(y: int, a: float, b: float) -> list[tuple]:
    return [
        row
        for m in range(1, 13)
        for row in (
            (f"{y}-{m:02d}", "A", "East", "hypermarket", a, a / 10, "Li"),
            (f"{y}-{m:02d}", "B", "South", "traditional", b, b / 10, "Wang"),
        )
    ]


@pytest.fixture
def thin_prior(empty_db: Database) -> Database:
    """2026: A 100 / B 50 a month; 2025: January only (A 80, B 40)."""
    add_sales(empty_db, [("2025-01", "A", "East", "hypermarket", 80, 8, "Li"),
                         ("2025-01", "B", "South", "traditional", 40, 4, "Wang"), *_year(2026, 100, 50)])  # fmt: skip
    return empty_db


@pytest.fixture
def full(empty_db: Database) -> Database:
    """24 full months: 2025 A 80 / B 40 a month, 2026 A 100 / B 50; C new in December 2026."""
    add_sales(empty_db, [*_year(2025, 80, 40), *_year(2026, 100, 50),
                         ("2026-12", "C", "East", "supermarket", 30, 3, "Li")])  # fmt: skip
    return empty_db


def _partial(db: Database, month: str, through: str) -> None:
    uid = db.scalar("SELECT max(id) FROM uploads")
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, CAST(? AS DATE), CAST(? AS DATE))",
                    [uid, f"{month}-01", through])  # fmt: skip


def test_overview_kpis_need_the_year_earlier_month(thin_prior: Database) -> None:
    k = ov.kpis(thin_prior, Y2026)  # December 2026: December 2025 holds no data
    assert k.month == date(2026, 12, 1) and k.revenue.value == 150
    assert all(kpi.yoy is None for kpi in (k.revenue, k.gross_profit, k.active_accounts, k.top20_share,
                                           k.modern_trade_share))  # fmt: skip
    assert k.yoy_note.message("en") == "no data for 2025-12 a year earlier"
    assert k.yoy_note.message("zh") == "去年同月（2025-12）无数据"
    assert k.revenue.mom == 0.0 and k.mom_note.ok and not k.partial
    # January 2026 against January 2025: both hold data → a number
    jan = ov.kpis(thin_prior, Filters(start=date(2026, 1, 1), end=date(2026, 1, 1)))
    assert jan.revenue.yoy == pytest.approx(150 / 120 - 1) and jan.yoy_note.ok
    assert jan.revenue.mom is None and jan.mom_note.message() == "no data for the month before (2025-12)"


def test_no_yoy_anywhere_against_one_month_of_twelve(thin_prior: Database) -> None:
    top = ov.top_accounts(thin_prior, Y2026)
    assert list(top["account"]) == ["A", "B"] and top["yoy"].isna().all() and not top["new"].any()
    assert cv.note(top, "en") == PRIOR_EN and cv.note(top, "zh") == PRIOR_ZH

    s = T.tier_summary(thin_prior, Y2026)
    assert s["yoy"].isna().all() and s["revenue_last_year"].sum() == 120  # the amount is still given
    assert cv.note(s, "en") == PRIOR_EN and cv.note(s, "zh") == PRIOR_ZH

    g = ch.growth(thin_prior, Y2026)
    assert not g.comparable and g.note("en") == PRIOR_EN and g.note("zh") == PRIOR_ZH
    assert g.bars[["yoy", "growth_effect", "mix_effect"]].isna().all().all()
    assert g.bars.set_index("key")["base"].to_dict() == {"hypermarket": 80, "traditional": 40}
    q4, q3 = (date(2026, 10, 1), date(2026, 12, 1)), (date(2026, 7, 1), date(2026, 9, 1))
    assert ch.mix_shift(thin_prior, Y2026, q3, q4).comparable  # preceding quarter: both full
    ms = ch.mix_shift(thin_prior, Y2026, ch.preceding(Y2026.window()), Y2026.window(), base_kind="preceding")
    assert not ms.comparable and ms.note() == "preceding period: data for 1 of 12 months"

    m = rg.account_region_matrix(thin_prior, Y2026)
    assert m["yoy"].isna().all() and m["revenue_prior"].sum() == 120
    assert cv.note(m, "en") == PRIOR_EN and cv.note(m, "zh") == PRIOR_ZH
    prov = rg.account_provinces(thin_prior, Y2026, "A")
    assert prov["yoy"].isna().all() and cv.note(prov) == PRIOR_EN
    by_region = rg.account_regions(prov)
    assert by_region["yoy"].isna().all() and cv.note(by_region, "zh") == PRIOR_ZH
    assert rg.yoy_comparison(thin_prior, Y2026).message() == PRIOR_EN

    mig = pa.migration(thin_prior, Y2026, "account", "revenue", pa.Period(date(2025, 1, 1), date(2025, 12, 1)),
                       pa.Period(date(2026, 1, 1), date(2026, 12, 1)))  # fmt: skip
    assert cv.note(mig) == "preceding period: data for 1 of 12 months"


def test_full_windows_give_the_plain_ratios(full: Database) -> None:
    k = ov.kpis(full, Y2026)
    assert k.revenue.yoy == pytest.approx(180 / 120 - 1) and k.revenue.mom == pytest.approx(180 / 150 - 1)
    assert k.yoy_note.ok and k.mom_note.ok and k.yoy_note.message() is None

    top = ov.top_accounts(full, Y2026).set_index("account")
    assert top.loc["A", "yoy"] == pytest.approx(1200 / 960 - 1) and top.loc["B", "yoy"] == pytest.approx(0.25)
    assert top.loc["C", "yoy"] != top.loc["C", "yoy"] and bool(top.loc["C", "new"])  # new, not a growth %
    assert cv.note(top) is None

    s = T.tier_summary(full, Y2026)
    total, prior = s["revenue"].sum(), s["revenue_last_year"].sum()
    assert total == 1830 and prior == 1440 and cv.note(s) is None
    assert s["yoy"].notna().any()

    g = ch.growth(full, Y2026)
    assert g.comparable and g.note() is None
    assert g.bars.set_index("key")["yoy"].to_dict()["hypermarket"] == pytest.approx(0.25)
    assert g.bars["mix_effect"].sum() == pytest.approx(0.0, abs=1e-9)

    m = rg.account_region_matrix(full, Y2026).set_index("account")
    assert m.loc["A", "yoy"] == pytest.approx(0.25) and cv.note(m) is None
    t = pa.trend(full, Y2026)
    assert t["complete"].all() and pa.trend_change(t) is not None


def test_a_partial_last_month_gives_no_mom(full: Database) -> None:
    _partial(full, "2026-12", "2026-12-09")
    k = ov.kpis(full, Y2026)
    assert k.partial and k.data_through == date(2026, 12, 9)
    assert k.revenue.mom is None and k.revenue.yoy is None and k.top20_share.mom is None
    assert k.mom_note.message("en") == "2026-12 is partial: data through 2026-12-09"
    assert k.mom_note.message("zh") == "2026-12 数据不完整：截至 2026-12-09"
    nov = ov.kpis(full, Filters(start=date(2026, 1, 1), end=date(2026, 11, 1)))
    assert not nov.partial and nov.revenue.mom == 0.0 and nov.revenue.yoy == pytest.approx(0.25)
    # every view over a window ending in the partial month says so
    assert ch.growth(full, Y2026).note() == "2026-12 is partial: data through 2026-12-09"
    assert cv.note(ov.top_accounts(full, Y2026)) == "2026-12 is partial: data through 2026-12-09"
    t = pa.trend(full, Y2026)
    assert t["complete"].tolist() == [True] * 11 + [False] and pa.trend_change(t) is None


def test_one_months_scan_per_call(full: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 10 M rows the DISTINCT period scan counts: once per view call, never per KPI or per row."""
    seen: list[str] = []
    for name in ("rows", "df", "scalar"):
        orig = getattr(full, name)

        def spy(sql, params=None, _orig=orig):
            seen.append(sql)
            return _orig(sql, params)

        monkeypatch.setattr(full, name, spy)

    def scans(fn, *args) -> int:
        seen.clear()
        fn(full, *args)
        return sum("DISTINCT period FROM sales" in " ".join(q.split()) for q in seen)

    assert scans(ov.kpis, Y2026) == 1
    assert scans(ov.top_accounts, Y2026) == 1
    assert scans(T.tier_summary, Y2026) == 1
    assert scans(ch.growth, Y2026) == 1
    assert scans(rg.account_region_matrix, Y2026) == 1
    assert scans(pa.trend, Y2026) == 1
