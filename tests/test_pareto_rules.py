"""The Pareto page's rules, now in kam_core.analytics.pareto: trend verdict, whale points, windows, tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kam_core.analytics import pareto as pa
from kam_core.filters import Filters


def trend(*shares: float) -> pd.DataFrame:
    return pd.DataFrame({"period": [date(2025, m, 1) for m in range(1, len(shares) + 1)], "top20_share": shares})


def test_trend_verdict_needs_a_move_of_one_point() -> None:
    up = pa.trend_change(trend(0.60, 0.55, 0.61))
    assert up is not None and up.verdict == "rising" and up.delta_pts == pytest.approx(1.0)
    assert up.first == 0.60 and up.last == 0.61  # first and last period, whatever lies between
    assert pa.trend_change(trend(0.60, 0.609)).verdict == "flat"  # +0.9 pt
    assert pa.trend_change(trend(0.60, 0.591)).verdict == "flat"
    down = pa.trend_change(trend(0.70, 0.65))
    assert down.verdict == "falling" and down.delta_pts == pytest.approx(-5.0)
    assert pa.trend_change(trend(0.5)) is None and pa.trend_change(trend()) is None


def test_period_labels() -> None:
    assert pa.period_label(date(2025, 3, 1), "month") == "2025-03"
    assert [pa.period_label(date(2025, m, 1), "quarter") for m in (1, 4, 9, 12)] == [
        "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]  # fmt: skip


def whale(profits: list[float]) -> pa.Whale:
    """A Whale as analytics.pareto.whale builds it, from profits already ranked largest first."""
    n, cum = len(profits), pd.Series(profits).cumsum()
    x = [i / n for i in range(1, n + 1)]
    table = pd.DataFrame({"rank": range(1, n + 1), "entity": list("abcdefgh")[:n], "profit": profits,
                          "cum_profit": cum, "x": x, "y": cum / cum.iloc[-1]})  # fmt: skip
    i = int(cum.idxmax())
    neg = [p for p in profits if p < 0]
    return pa.Whale("gross_profit", table, float(cum.iloc[-1]), float(cum.iloc[i]), i + 1, len(neg), sum(neg))


def test_whale_points_start_at_the_origin_and_mark_the_peak() -> None:
    # 60 + 50 = 110 at the peak (2 of 4 entities), then −10 and −20: total 80, peak 137.5%
    pts = pa.whale_points(whale([60, 50, -10, -20]))
    assert list(pts.x) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert list(pts.y) == pytest.approx([0.0, 0.75, 1.375, 1.25, 1.0])
    assert pts.peak == (0.5, pytest.approx(1.375))
    assert pa.whale_points(whale([60, 40])).peak is None  # no loss-makers: the peak is just the end


def test_migration_windows_are_the_preceding_window_clipped_to_the_data() -> None:
    f = Filters(start=date(2025, 7, 1), end=date(2025, 12, 1), regions=("East",))
    before, after = pa.migration_windows(f, first=date(2024, 1, 1))
    assert (before.start, before.end) == (date(2025, 1, 1), date(2025, 6, 1))
    assert (after.start, after.end) == (date(2025, 7, 1), date(2025, 12, 1))
    before, _ = pa.migration_windows(f, first=date(2025, 3, 1))  # data starts inside the preceding window
    assert (before.start, before.end) == (date(2025, 3, 1), date(2025, 6, 1))
    before, _ = pa.migration_windows(f, first=date(2025, 7, 1))  # no month before the window
    assert (before.start, before.end) == (date(2025, 7, 1), date(2025, 7, 1))
    with pytest.raises(ValueError):
        pa.migration_windows(Filters(), first=date(2025, 1, 1))


def summary(**kw: object) -> pa.Summary:
    base = dict(by="account", metric="revenue", entities=5, total=100.0, top20_count=1, top20_share=0.5,
                n_for_80=3, gini=0.4, hhi=3000.0, top_n=2, top_n_share=0.7, classes={"A": 3, "B": 1, "C": 1},
                class_totals={"A": 85.0, "B": 10.0, "C": 5.0}, non_positive=0, non_positive_total=0.0,
                unassigned_total=0.0)  # fmt: skip
    return pa.Summary(**{**base, **kw})  # type: ignore[arg-type]


def test_abc_table_and_curve_marks() -> None:
    s = summary()
    abc = pa.abc_table(s)
    assert list(abc["class"]) == ["A", "B", "C"]
    assert list(abc["entities"]) == [3, 1, 1]
    assert list(abc["entity_share"]) == pytest.approx([0.6, 0.2, 0.2])
    assert list(abc["value_share"]) == pytest.approx([0.85, 0.10, 0.05])
    cv = pd.DataFrame({"x": [0, 0.2, 0.4, 0.6, 0.8, 1.0], "y": [0, 0.5, 0.7, 0.85, 0.95, 1.0]})
    assert pa.curve_marks(s, cv) == [(0.2, 0.5), (0.6, 0.85)]
    assert pa.curve_marks(summary(entities=0, n_for_80=None, top20_share=None), cv) == []


def test_search_is_literal_and_case_insensitive() -> None:
    t = pd.DataFrame({"entity": ["Walmart", "RT-Mart", "a.b", 7]})
    assert list(pa.search(t, " walmart ")["entity"]) == ["Walmart"]
    assert list(pa.search(t, ".")["entity"]) == ["a.b"]  # not a regular expression
    assert list(pa.search(t, "7")["entity"]) == [7]
    assert len(pa.search(t, "  ")) == 4
