"""Pareto definitions (spec §4) on small hand-computed cases."""

from __future__ import annotations

import io
import math
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kam_core import export_safe
from kam_core.analytics import pareto as pa
from kam_core.db import Database
from kam_core.filters import Filters
from tests.pareto_helpers import add_lines, totals

ALL = Filters()


def gini_pairs(values: list[float]) -> float:
    """Gini as the mean absolute difference over twice the mean (independent of the SQL formula)."""
    x = np.asarray(values, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_basic_case_with_exact_80_percent_boundary(empty_db: Database) -> None:
    totals(empty_db, {"A": 50, "B": 30, "C": 10, "D": 5, "E": 3, "F": 2})
    p = pa.analyse(empty_db, ALL, "account", "revenue", top_n=3)
    s = p.summary
    assert s.entities == 6 and s.total == pytest.approx(100)
    assert s.top20_count == 2  # ⌈1.2⌉
    assert s.top20_share == pytest.approx(0.8)
    # A + B hold exactly 80%: two entities are enough
    assert s.n_for_80 == 2
    # C's cumulative share before it is exactly 80% → not A (A only while < 80%); E's is exactly 95% → C
    assert s.classes == {"A": 2, "B": 2, "C": 2}
    assert list(p.table["class"]) == ["A", "A", "B", "B", "C", "C"]
    assert s.class_totals == {"A": 80, "B": 15, "C": 5}
    assert s.gini == pytest.approx(gini_pairs([50, 30, 10, 5, 3, 2]))
    assert s.hhi == pytest.approx((0.5**2 + 0.3**2 + 0.1**2 + 0.05**2 + 0.03**2 + 0.02**2) * 10_000)
    assert s.top_n == 3 and s.top_n_share == pytest.approx(0.9)
    assert s.non_positive == 0
    assert list(p.table["rank"]) == [1, 2, 3, 4, 5, 6]
    assert list(p.table["cum_share"]) == pytest.approx([0.5, 0.8, 0.9, 0.95, 0.98, 1.0])
    # the figures-only path (CLI) and the list path (page) agree exactly
    assert pa.summary(empty_db, ALL, "account", "revenue", top_n=3) == s


def test_thresholds_are_editable(empty_db: Database) -> None:
    totals(empty_db, {"A": 50, "B": 30, "C": 10, "D": 5, "E": 3, "F": 2})
    s = pa.summary(empty_db, ALL, thresholds=pa.Thresholds(0.5, 0.9))
    # before-shares 0, .5, .8, .9, .95, .98 → A only for the first; B for .5 and .8
    assert s.classes == {"A": 1, "B": 2, "C": 3}
    assert s.n_for_80 == 2  # n_for_80 does not move with the class thresholds
    with pytest.raises(ValueError):
        pa.Thresholds(0.9, 0.5)
    with pytest.raises(ValueError):
        pa.Thresholds(0, 0.5)


def test_ties_are_ranked_by_name(empty_db: Database) -> None:
    totals(empty_db, {"X": 40, "R": 20, "Q": 20, "P": 20})
    p = pa.analyse(empty_db, ALL, top_n=2)
    s = p.summary
    assert list(p.table["entity"]) == ["X", "P", "Q", "R"]
    assert s.top20_count == 1 and s.top20_share == pytest.approx(0.4)
    assert s.n_for_80 == 3  # 40, 60, 80
    # R has 80% before it: B, although it ties with P and Q
    assert list(p.table["class"]) == ["A", "A", "A", "B"]
    assert s.top_n_share == pytest.approx(0.6)
    assert s.gini == pytest.approx(gini_pairs([40, 20, 20, 20]))
    # the same figures on a re-run: the order is deterministic
    assert pa.analyse(empty_db, ALL, top_n=2).table.equals(p.table)


def test_single_entity(empty_db: Database) -> None:
    totals(empty_db, {"Only": 123.45})
    s = pa.summary(empty_db, ALL)
    assert s.entities == 1 and s.total == pytest.approx(123.45)
    assert s.top20_count == 1 and s.top20_share == pytest.approx(1.0)
    assert s.n_for_80 == 1
    assert s.gini == pytest.approx(0.0)
    assert s.hhi == pytest.approx(10_000)
    assert s.classes == {"A": 1, "B": 0, "C": 0}


def test_all_equal_entities(empty_db: Database) -> None:
    totals(empty_db, {k: 10 for k in "VWXYZ"})
    s = pa.summary(empty_db, ALL, top_n=3)
    assert s.top20_share == pytest.approx(0.2)  # ⌈0.2·5⌉ = 1 of 5 equal entities
    assert s.n_for_80 == 4
    assert s.gini == pytest.approx(0.0, abs=1e-12)
    assert s.hhi == pytest.approx(2000)
    assert s.classes == {"A": 4, "B": 1, "C": 0}  # before-shares 0 .2 .4 .6 → A, .8 → B
    assert s.top_n_share == pytest.approx(0.6)


def test_negative_and_zero_totals_are_left_out(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [
            {"period": "2026-01", "account": "A", "revenue": 60},
            {"period": "2026-01", "account": "B", "revenue": 40},
            {"period": "2026-01", "account": "Z", "revenue": 0},
            {"period": "2026-01", "account": "N", "revenue": -10},  # credit note
            {"period": "2026-01", "account": "R", "revenue": 30},  # sale and its full return: total 0
            {"period": "2026-02", "account": "R", "revenue": -30},
        ],
    )
    p = pa.analyse(empty_db, ALL)
    s = p.summary
    assert s.entities == 2 and s.total == pytest.approx(100)
    assert s.non_positive == 3 and s.non_positive_total == pytest.approx(-10)
    assert s.top20_share == pytest.approx(0.6)  # ⌈0.4⌉ = 1 → A
    assert s.gini == pytest.approx(gini_pairs([60, 40]))
    assert s.hhi == pytest.approx((0.36 + 0.16) * 10_000)
    assert s.classes == {"A": 2, "B": 0, "C": 0}
    # the list keeps them, after the ranked entities, without rank or class
    tail = p.table.iloc[2:]
    assert set(tail["entity"]) == {"Z", "N", "R"}
    assert tail["rank"].isna().all() and tail["class"].isna().all()


def test_empty_selection_is_not_an_error(empty_db: Database) -> None:
    s = pa.summary(empty_db, ALL)
    assert s.empty and s.entities == 0 and s.total == 0
    assert s.top20_share is None and s.n_for_80 is None and s.gini is None and s.hhi is None
    assert s.classes == {"A": 0, "B": 0, "C": 0}
    totals(empty_db, {"A": -5, "B": 0})
    s = pa.summary(empty_db, ALL)
    assert s.empty and s.non_positive == 2
    assert pa.trend(empty_db, Filters(start=date(2030, 1, 1))).empty
    assert pa.whale(empty_db, Filters(start=date(2030, 1, 1))) is None


def test_filters_dimensions_metrics_and_unassigned(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [
            {"period": "2026-01", "account": "A", "store": "S1", "region": "East", "sku": "K1", "revenue": 70,
             "volume": 1, "gross_profit": 10},
            {"period": "2026-01", "account": "A", "store": "S2", "region": "East", "sku": "K2", "revenue": 10,
             "volume": 9, "gross_profit": 5},
            {"period": "2026-02", "account": "B", "store": None, "region": "South", "sku": "K2", "revenue": 20,
             "volume": 10, "gross_profit": None},
        ],
    )  # fmt: skip
    s = pa.summary(empty_db, ALL, "store", "revenue")
    assert s.entities == 2 and s.total == pytest.approx(80)
    assert s.unassigned_total == pytest.approx(20)  # B's line has no store
    s = pa.summary(empty_db, ALL, "sku", "volume")
    assert s.entities == 2 and s.total == pytest.approx(20)
    assert s.top20_share == pytest.approx(19 / 20)  # K2 = 9 + 10
    s = pa.summary(empty_db, ALL, "account", "gross_profit")
    assert s.entities == 1 and s.total == pytest.approx(15)  # B has no gross profit on record
    s = pa.summary(empty_db, Filters(regions=("South",)), "account", "revenue")
    assert s.entities == 1 and s.total == pytest.approx(20)
    s = pa.summary(empty_db, Filters(start=date(2026, 1, 1), end=date(2026, 1, 1)), "region", "revenue")
    assert s.entities == 1 and s.total == pytest.approx(80)
    with pytest.raises(ValueError):
        pa.summary(empty_db, ALL, "colour", "revenue")
    with pytest.raises(ValueError):
        pa.summary(empty_db, ALL, "account", "revenue; DROP TABLE sales")


def test_trend_per_month_and_quarter(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [{"period": "2026-01", "account": a, "revenue": v} for a, v in {"A": 50, "B": 50}.items()]
        + [{"period": "2026-02", "account": a, "revenue": v} for a, v in {"A": 90, "B": 5, "C": 5}.items()],
    )
    t = pa.trend(empty_db, ALL, grain="month", top_n=1)
    assert [d.month for d in t["period"]] == [1, 2]
    assert list(t["entities"]) == [2, 3]
    assert list(t["top20_share"]) == pytest.approx([0.5, 0.9])
    assert list(t["n_for_80"]) == [2, 1]
    assert list(t["gini"]) == pytest.approx([0.0, gini_pairs([90, 5, 5])])
    assert list(t["hhi"]) == pytest.approx([5000, (0.81 + 0.0025 * 2) * 10_000])
    q = pa.trend(empty_db, ALL, grain="quarter")
    assert len(q) == 1 and q["entities"][0] == 3
    assert q["top20_share"][0] == pytest.approx(140 / 200)  # ⌈0.6⌉ = 1 → A = 140 of 200
    with pytest.raises(ValueError):
        pa.trend(empty_db, ALL, grain="week")


def test_class_migration(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [{"period": "2025-01", "account": a, "revenue": v} for a, v in {"A": 80, "B": 15, "C": 5}.items()]
        + [{"period": "2026-01", "account": a, "revenue": v} for a, v in {"A": 50, "C": 50, "D": 10}.items()],
    )
    p1, p2 = pa.Period(date(2025, 1, 1), date(2025, 12, 1)), pa.Period(date(2026, 1, 1), date(2026, 12, 1))
    df = pa.migration(empty_db, ALL, "account", "revenue", p1, p2)
    cells = {(r.from_class, r.to_class): (r.entities, r.value_before, r.value_after) for r in df.itertuples()}
    # first period: A (before 0), B (before 80%), C (before 95%)
    # second period (total 110): A and C tie at 50 → A first; C before 45% → A; D before 91% → B
    assert cells == {("A", "A"): (1, 80, 50), ("B", "lost"): (1, 15, 0), ("C", "A"): (1, 5, 50),
                     ("new", "B"): (1, 0, 10)}  # fmt: skip
    mat = pa.migration_matrix(df)
    assert list(mat.index) == ["A", "B", "C", "new"] and list(mat.columns) == ["A", "B", "C", "lost"]
    assert int(mat.loc["C", "A"]) == 1 and int(mat.loc["A", "B"]) == 0 and int(mat.to_numpy().sum()) == 4
    val = pa.migration_matrix(df, "value")
    assert float(val.loc["B", "lost"]) == 15  # lost: the first period's value
    with pytest.raises(ValueError):
        pa.Period(date(2026, 2, 1), date(2026, 1, 1))


def test_what_if_we_lose(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [
            {"period": "2026-01", "account": "A", "revenue": 600, "gross_profit": 100},
            {"period": "2026-01", "account": "B", "revenue": 300, "gross_profit": 120},
            {"period": "2026-01", "account": "C", "revenue": 100, "gross_profit": -20},
        ],
    )
    w = pa.what_if(empty_db, ALL, "account", ["A"])
    assert w.revenue == 600 and w.revenue_total == 1000 and w.revenue_share == pytest.approx(0.6)
    assert w.gross_profit == 100 and w.gross_profit_total == 200 and w.gross_profit_share == pytest.approx(0.5)
    w = pa.what_if(empty_db, ALL, "account", ["B", "C"])
    assert w.revenue_share == pytest.approx(0.4) and w.gross_profit_share == pytest.approx(0.5)
    w = pa.what_if(empty_db, ALL, "account", [])
    assert w.revenue == 0 and w.revenue_share == 0


def test_whale_curve(empty_db: Database) -> None:
    add_lines(
        empty_db,
        [
            {"period": "2026-01", "account": "A", "revenue": 1000, "gross_profit": 100, "trade_spend": 10},
            {"period": "2026-01", "account": "B", "revenue": 500, "gross_profit": 50, "trade_spend": 70},
            {"period": "2026-01", "account": "C", "revenue": 300, "gross_profit": -30, "trade_spend": 0},
        ],
    )
    assert pa.profit_columns(empty_db, ALL) == {"gross_profit": True, "net_profit": True}
    w = pa.whale(empty_db, ALL, "account", "gross_profit")
    assert list(w.table["entity"]) == ["A", "B", "C"]
    assert w.total == pytest.approx(120) and w.peak == pytest.approx(150) and w.peak_rank == 2
    assert w.peak_share == pytest.approx(1.25)
    assert w.destroyers == 1 and w.destroyed == pytest.approx(-30)
    assert list(w.table["y"]) == pytest.approx([100 / 120, 150 / 120, 1.0])
    assert list(w.table["x"]) == pytest.approx([1 / 3, 2 / 3, 1.0])
    net = pa.whale(empty_db, ALL, "account", "net_profit")  # A 90, B −20, C −30
    assert list(net.table["entity"]) == ["A", "B", "C"]
    assert net.total == pytest.approx(40) and net.peak == pytest.approx(90)
    assert net.destroyers == 2 and net.destroyed == pytest.approx(-50)


def test_downsample_keeps_shape_ends_and_marks() -> None:
    n = 150_000
    v = np.sort(np.random.default_rng(1).pareto(1.2, n) + 0.01)[::-1]
    y = np.concatenate([[0.0], np.cumsum(v) / v.sum()])
    x = np.arange(n + 1) / n
    k20, k80 = math.ceil(0.2 * n), int(np.searchsorted(y, 0.8))
    idx = pa.downsample(x, y, keep=[k20, k80])
    assert len(idx) < 6000
    assert idx[0] == 0 and idx[-1] == n and k20 in idx and k80 in idx
    # the drawn line stays within 0.3 points of the exact curve everywhere
    assert np.max(np.abs(np.interp(x, x[idx], y[idx]) - y)) < 0.003
    # a rise-and-fall (whale) curve too
    w = np.concatenate([[0.0], np.cumsum(np.linspace(1, -0.6, n))])
    w = w / w[-1]
    idx = pa.downsample(x, w, keep=[int(np.argmax(w))])
    assert int(np.argmax(w)) in idx and len(idx) < 12_000
    assert np.max(np.abs(np.interp(x, x[idx], w[idx]) - w)) < 0.003 * (w.max() - w.min())
    assert list(pa.downsample(x[:100], y[:100])) == list(range(100))  # short curves are drawn as they are


def test_curve_points(empty_db: Database) -> None:
    totals(empty_db, {"A": 50, "B": 30, "C": 20, "N": -1})
    c = pa.curve(pa.analyse(empty_db, ALL).table)
    assert list(c["x"]) == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert list(c["y"]) == pytest.approx([0, 0.5, 0.8, 1.0])


def test_export_is_formula_safe(empty_db: Database) -> None:
    totals(empty_db, {'=HYPERLINK("http://x","y")': 50, "+1+2": 30, "@SUM(A1)": 10, "-3": 5, "Plain": 5})
    t = pa.analyse(empty_db, ALL).table
    csv = export_safe.to_csv_bytes(t).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(csv))
    assert set(back["entity"]) == {'\'=HYPERLINK("http://x","y")', "'+1+2", "'@SUM(A1)", "'-3", "Plain"}
    assert back["value"].sum() == pytest.approx(100)  # numbers stay numbers
    wb = openpyxl.load_workbook(io.BytesIO(export_safe.to_xlsx_bytes({"pareto": t})))
    ws = wb.active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    # typed cells: the name is kept as text, exactly as it was
    assert '=HYPERLINK("http://x","y")' in [c.value for c in cells if c.data_type == "s"]
    assert sum(c.value for c in cells if isinstance(c.value, float | int) and c.column == 3) == pytest.approx(100)
