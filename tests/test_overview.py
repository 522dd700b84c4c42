"""Overview figures on hand-made data, computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from kam_core import coverage as cv
from kam_core.analytics import overview as ov
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import add_sales


@pytest.fixture
def small(empty_db: Database) -> Database:
    rows = [
        # October 2026
        ("2026-10", "A", "East", "hypermarket", 600, 100, "Li"),
        ("2026-10", "B", "East", "traditional", 200, 50, "Li"),
        ("2026-10", "C", "South", "supermarket", 100, 30, "Wang"),
        ("2026-10", "D", "South", "traditional", 60, 10, "Wang"),
        ("2026-10", "E", "North", "online", 40, 5, "Wang"),
        ("2026-10", "F", "North", "traditional", -20, -2, "Wang"),  # credit note: not active
        # September 2026
        ("2026-09", "A", "East", "hypermarket", 500, 90, "Li"),
        ("2026-09", "B", "East", "traditional", 300, 60, "Li"),
        # October 2025
        ("2025-10", "A", "East", "hypermarket", 400, 80, "Li"),
        ("2025-10", "B", "East", "traditional", 400, 80, "Li"),
    ]
    add_sales(empty_db, rows)
    return empty_db


def test_kpis_by_hand(small: Database) -> None:
    k = ov.kpis(small, Filters(start=date(2026, 1, 1), end=date(2026, 10, 1)))
    assert k.month == date(2026, 10, 1)
    assert k.revenue.value == pytest.approx(980)
    assert k.revenue.mom == pytest.approx((980 - 800) / 800)
    assert k.revenue.yoy == pytest.approx((980 - 800) / 800)
    assert k.gross_profit.value == pytest.approx(193)
    assert k.active_accounts.value == 5  # F is negative
    assert k.active_accounts.mom == pytest.approx(5 / 2 - 1)
    # top 20% of 5 positive accounts = ceil(1) = A: 600 / 1000
    assert k.top20_share.value == pytest.approx(0.6)
    # Sept: 2 positive accounts → ceil(0.4) = 1 → A 500/800; delta in points
    assert k.top20_share.mom == pytest.approx(0.6 - 500 / 800)
    # modern trade = hypermarket + supermarket = 700 of 980
    assert k.modern_trade_share.value == pytest.approx(700 / 980)
    assert k.modern_trade_share.yoy == pytest.approx(700 / 980 - 400 / 800)


def test_filters_change_the_numbers(small: Database) -> None:
    k = ov.kpis(small, Filters(end=date(2026, 10, 1), regions=("South",)))
    assert k.revenue.value == pytest.approx(160)
    assert k.revenue.mom is None  # nothing in South in September
    k = ov.kpis(small, Filters(end=date(2026, 10, 1), kams=("Li",), channels=("traditional",)))
    assert k.revenue.value == pytest.approx(200)


def test_top_accounts_and_channel_split(small: Database) -> None:
    f = Filters(start=date(2026, 9, 1), end=date(2026, 10, 1))
    top = ov.top_accounts(small, f, n=2)
    assert list(top["account"]) == ["A", "B"]
    assert float(top.loc[0, "revenue"]) == pytest.approx(1100)
    assert float(top.loc[0, "share"]) == pytest.approx(1100 / 1780)
    # A year earlier only Oct 2025 holds data (no Sept 2025): 2 months against 1 is no growth figure.
    assert top["yoy"].isna().all() and not top["new"].any()
    assert cv.note(top, "en") == "prior year: data for 1 of 2 months"
    # October alone against October 2025: A 600 vs 400
    oct_top = ov.top_accounts(small, Filters(start=date(2026, 10, 1), end=date(2026, 10, 1)), n=3)
    assert float(oct_top.loc[0, "yoy"]) == pytest.approx(600 / 400 - 1) and cv.note(oct_top) is None
    ch = ov.channel_split(small, f).set_index("channel")
    assert float(ch.loc["hypermarket", "revenue"]) == pytest.approx(1100)
    assert ch["share"].sum() == pytest.approx(1.0)
    assert bool(ch.loc["supermarket", "modern_trade"]) and not bool(ch.loc["online", "modern_trade"])


def test_trend_carries_last_year(small: Database) -> None:
    tr = ov.trend(small, Filters(start=date(2026, 9, 1), end=date(2026, 10, 1)))
    assert [p.month for p in tr["period"]] == [9, 10]
    assert float(tr.iloc[1]["revenue_last_year"]) == pytest.approx(800)


def test_empty_database(empty_db: Database) -> None:
    assert ov.kpis(empty_db, Filters()) is None
    assert ov.top_accounts(empty_db, Filters()).empty
    assert ov.filter_options(empty_db).first is None


def test_modern_trade_channels_are_a_setting(small: Database) -> None:
    from kam_core.analytics.tiers import TierRules, save_rules

    save_rules(small, TierRules(modern_trade_formats=("hypermarket",)), user="tester")
    k = ov.kpis(small, Filters(end=date(2026, 10, 1)))
    assert k.modern_trade_share.value == pytest.approx(600 / 980)
