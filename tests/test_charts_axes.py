"""Chart axes read from the figure objects: entity codes stay labels in rank order, shares get round ticks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from kam_core.charts import channels as cc
from kam_core.charts import overview as co
from kam_core.charts import pareto as cp
from kam_core.charts import regions as cr
from kam_core.charts import style
from kam_core.charts import tiers as ct

CODES = ["18102", "9", "120000"]  # ranked largest first; as numbers they would sort 9, 18102, 120000


def top_frame() -> pd.DataFrame:
    return pd.DataFrame({"entity": CODES, "value": [500.0, 300.0, 200.0], "cum_share": [0.5, 0.8, 1.0],
                         "class": ["A", "A", "B"]})  # fmt: skip


def test_pareto_bars_keep_codes_as_labels_in_rank_order_with_the_cumulative_line_on_the_same_axis() -> None:
    fig = cp.pareto_bars(top_frame(), {"value": "Revenue", "cum": "Cumulative"}, prefix="£")
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.xaxis.categoryorder == "array"
    assert list(fig.layout.xaxis.categoryarray) == CODES
    line = next(t for t in fig.data if t.type == "scatter")
    assert list(line.x) == CODES and (line.xaxis or "x") == "x" and line.yaxis == "y2"
    assert all((b.xaxis or "x") == "x" for b in fig.data if b.type == "bar")
    assert fig.layout.yaxis.tickprefix == "£"
    assert fig.layout.yaxis2.tickformat == ".0%" and fig.layout.yaxis2.dtick == 0.2 and fig.layout.yaxis2.tick0 == 0


def test_heatmap_rows_are_accounts_in_rank_order() -> None:
    matrix = pd.DataFrame({
        "account": [c for c in CODES for _ in range(2)], "region": ["East", "South"] * 3,
        "rank": [1, 1, 2, 2, 3, 3], "revenue": [5.0, 1.0, 3.0, 1.0, 2.0, 1.0],
        "share": [0.8, 0.2, 0.75, 0.25, 0.6, 0.4],
        "yoy": [0.1, -0.2, 0.3, None, 0.0, 0.05], "account_revenue": [6.0, 6.0, 4.0, 4.0, 3.0, 3.0],
    })  # fmt: skip
    names = {"East": "East", "South": "South"}
    fig = cr.heatmap(matrix, "revenue", names, ["East", "South"], "Revenue", str, prefix="£")
    assert fig.layout.yaxis.type == "category" and list(fig.layout.yaxis.categoryarray) == CODES
    assert list(fig.data[0].y) == CODES
    assert fig.layout.yaxis.autorange == "reversed"  # largest on top
    assert fig.data[0].colorbar.tickprefix == "£"
    share = cr.heatmap(matrix, "share", names, ["East", "South"], "Share", str)
    assert share.data[0].colorbar.tickformat == ".0%" and share.data[0].colorbar.dtick == 0.2


def test_overview_top_bars_are_categorical_largest_on_top() -> None:
    df = pd.DataFrame({"account": CODES, "revenue": [500.0, 300.0, 200.0]})
    fig = co.top_bar(df, "account", "revenue", "Revenue", prefix="$")
    assert fig.layout.yaxis.type == "category"
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(CODES))  # bottom → top
    assert fig.layout.xaxis.tickprefix == "$"


def test_channel_and_region_charts_use_category_axes() -> None:
    bars = pd.DataFrame({"key": ["1", "20", "3"], "yoy": [0.3, -0.1, 0.05]})
    g = cc.growth_bars(bars, {}, "YoY")
    assert g.layout.yaxis.type == "category" and list(g.layout.yaxis.categoryarray) == ["20", "3", "1"]
    assert g.layout.xaxis.tickformat == ".0%" and g.layout.xaxis.dtick == 0.1
    by_region = pd.DataFrame({"region": ["10", "10", "2"], "key": ["a", "b", "a"], "share": [0.5, 0.5, 1.0],
                              "revenue": [5.0, 5.0, 20.0]})  # fmt: skip
    r = cc.region_share_bars(by_region, {}, {}, prefix="£")
    assert r.layout.yaxis.type == "category" and list(r.layout.yaxis.categoryarray) == ["10", "2"]
    assert r.layout.xaxis.dtick == 0.2
    assert "£" in r.data[0].hovertemplate and "¥" not in r.data[0].hovertemplate
    mix = pd.DataFrame({"key": ["18102", "9"], "change": [10.0, -4.0]})
    w = cc.waterfall(100.0, mix, {}, "2024", "2025", prefix="£")
    assert w.layout.xaxis.type == "category" and list(w.layout.xaxis.categoryarray) == ["2024", "18102", "9", "2025"]
    assert w.layout.yaxis.tickprefix == "£"
    share = pd.DataFrame({"period": ["2025", "2025"], "key": ["a", "b"], "share": [0.6, 0.4], "revenue": [6.0, 4.0]})
    s = cc.share_stack(share, {}, "bar", prefix="£")
    assert s.layout.xaxis.type == "category" and s.layout.yaxis.dtick == 0.2
    prov = pd.DataFrame({"province": ["11", "2"], "region": ["East", "East"], "revenue": [1.0, 5.0]})
    p = cr.province_bars(prov, {}, {}, prefix="£")
    assert p.layout.yaxis.type == "category" and list(p.layout.yaxis.categoryarray) == ["11", "2"]


ROUND = [(0, 1, 0.2), (0, 1.02, 0.2), (0, 0.97, 0.2), (0, 0.5, 0.1), (-0.3, 0.6, 0.2), (0, 0.05, 0.01),
         (-1, 1.5, 0.5), (0, 1.4, 0.25)]  # fmt: skip


@pytest.mark.parametrize(("lo", "hi", "step"), ROUND)
def test_share_axes_get_round_ticks(lo: float, hi: float, step: float) -> None:
    assert style.pct_step(lo, hi) == step
    assert style.pct_axis(lo, hi) == {"tickformat": ".0%", "tick0": 0, "dtick": step}


def test_pareto_percent_axes_are_round() -> None:
    fig = cp.pareto_curve([0, 0.2, 1], [0, 0.8, 1], [], {"x": "x", "y": "y", "curve": "c", "equal": "e"}, "s")
    assert fig.layout.xaxis.dtick == fig.layout.yaxis.dtick == 0.2
    trend = pd.DataFrame({"label": ["2024", "2025"], "top20_share": [0.72, 0.81], "top_n_share": [0.4, 0.45],
                          "gini": [0.5, 0.6]})  # fmt: skip
    t = cp.concentration_trend(trend, {"top20_share": "a", "top_n_share": "b", "gini": "g"})
    assert t.layout.yaxis.dtick == 0.2 and t.layout.yaxis.tickformat == ".0%"


def test_empty_figures_are_detected_and_say_why() -> None:
    empty = top_frame().iloc[0:0]
    assert not style.has_data(cp.pareto_bars(empty, {"value": "v", "cum": "c"}))
    assert not style.has_data(go.Figure())
    assert style.has_data(cp.pareto_bars(top_frame(), {"value": "v", "cum": "c"}))
    fig = style.empty_figure("Nothing <here>")
    assert fig.layout.annotations[0].text == "Nothing &lt;here&gt;"
    assert fig.layout.xaxis.visible is False


def test_labels_from_data_cannot_become_plotly_markup() -> None:
    df = top_frame().assign(entity=['<a href="http://x">x</a>', "9", "<b>b</b>"])
    fig = cp.pareto_bars(df, {"value": "v", "cum": "c"})
    assert all("<" not in x for x in fig.layout.xaxis.categoryarray)
    tree = pd.DataFrame({"tier": ["GKA"], "account": ["<b>x</b>"], "province": ["Shanghai"], "revenue": [1.0]})
    t = ct.tier_treemap(tree, {}, {}, prefix="£").data[0]
    assert "&lt;b&gt;x&lt;/b&gt;" in t.labels and "£" in t.hovertemplate
