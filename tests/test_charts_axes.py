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


def money_ticks(axis: object, symbol: str) -> list[str]:
    """The tick labels of an amount axis (or colour bar), each checked to carry the currency symbol."""
    assert axis.tickmode == "array" and len(axis.tickvals) == len(axis.ticktext)  # type: ignore[attr-defined]
    text = list(axis.ticktext)  # type: ignore[attr-defined]
    assert all(t.lstrip("-").startswith(symbol) for t in text), text
    return text


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
    assert money_ticks(fig.layout.yaxis, "£") == ["£0", "£100", "£200", "£300", "£400", "£500"]
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
    assert money_ticks(fig.data[0].colorbar, "£")[-1] == "£5"
    share = cr.heatmap(matrix, "share", names, ["East", "South"], "Share", str)
    assert share.data[0].colorbar.tickformat == ".0%" and share.data[0].colorbar.dtick == 0.2


def test_overview_top_bars_are_categorical_largest_on_top() -> None:
    df = pd.DataFrame({"account": CODES, "revenue": [500.0, 300.0, 200.0]})
    fig = co.top_bar(df, "account", "revenue", "Revenue", prefix="$")
    assert fig.layout.yaxis.type == "category"
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(CODES))  # bottom → top
    assert money_ticks(fig.layout.xaxis, "$")[-1] == "$500"


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
    assert w.layout.yaxis.range[0] > 0 and money_ticks(w.layout.yaxis, "£")[0] != "£0"  # a cut axis
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


MONEY = [
    # (lo, hi, lang, ticks written) — one unit per axis, the largest tick's; 万 / 亿 in Chinese, K / M / B in English
    (0, 6.3e7, "zh", ["¥0", "¥2,000万", "¥4,000万", "¥6,000万", "¥8,000万"]),
    (0, 6.3e7, "en", ["¥0", "¥20 M", "¥40 M", "¥60 M", "¥80 M"]),
    (0, 1.7e9, "zh", ["¥0", "¥5亿", "¥10亿", "¥15亿", "¥20亿"]),
    (0, 1.7e9, "en", ["¥0", "¥0.5 B", "¥1 B", "¥1.5 B", "¥2 B"]),
    (0, 2.6e8, "zh", ["¥0", "¥0.5亿", "¥1亿", "¥1.5亿", "¥2亿", "¥2.5亿", "¥3亿"]),
    (0, 37_000, "zh", ["¥0", "¥1万", "¥2万", "¥3万", "¥4万"]),
    (-2.3e5, 9e5, "zh", ["-¥40万", "-¥20万", "¥0", "¥20万", "¥40万", "¥60万", "¥80万", "¥100万"]),
    (0, 1.3e6, "en", ["¥0", "¥0.25 M", "¥0.5 M", "¥0.75 M", "¥1 M", "¥1.25 M", "¥1.5 M"]),
    (0, 850, "en", ["¥0", "¥200", "¥400", "¥600", "¥800", "¥1,000"]),
]


@pytest.mark.parametrize(("lo", "hi", "lang", "ticks"), MONEY)
def test_amount_axes_are_written_in_the_readers_units(lo: float, hi: float, lang: str, ticks: list[str]) -> None:
    axis = style.money_axis(lo, hi, "¥", lang)
    assert axis["ticktext"] == ticks
    step = axis["tickvals"][1] - axis["tickvals"][0]
    assert all(abs((b - a) - step) < 1e-6 for a, b in zip(axis["tickvals"], axis["tickvals"][1:], strict=False))
    assert axis["tickvals"][0] <= min(lo, 0) and axis["tickvals"][-1] >= hi  # the data lies within the ticks


def test_chinese_heat_map_colour_bar_and_stacked_bars_use_wan_not_si_suffixes() -> None:
    matrix = pd.DataFrame({"account": ["A", "A", "B"], "region": ["East", "South", "East"], "rank": [1, 1, 2],
                           "revenue": [6.1e7, 2e6, 3e7], "share": [0.9, 0.1, 1.0], "yoy": [0.1, 0.2, 0.3],
                           "account_revenue": [6.3e7, 6.3e7, 3e7]})  # fmt: skip
    fig = cr.heatmap(matrix, "revenue", {}, ["East", "South"], "收入", str, prefix="¥", lang="zh")
    text = money_ticks(fig.data[0].colorbar, "¥")
    assert text[-1] == "¥8,000万" and not any(s in "".join(text) for s in ("M", "G", "k"))
    trend = pd.DataFrame({"period": ["2025-01", "2025-01", "2025-02"], "region": ["East", "South", "East"],
                          "revenue": [1.5e8, 0.6e8, 0.4e8]})  # fmt: skip
    bars = cr.region_trend(trend, {}, prefix="¥", lang="zh")  # stacked: the axis reaches the 2.1亿 stack
    assert money_ticks(bars.layout.yaxis, "¥")[-1] == "¥2.5亿"


def test_before_and_after_are_written_so_that_their_difference_shows() -> None:
    from kam_core import currency
    from kam_core.charts import channels as cc

    before, after = 3_027_000_000.0, 3_100_700_000.0  # +¥73.7 M: "¥3.0 B → ¥3.1 B" looked like +¥100 M
    d = currency.pair_digits(before, after, "en")
    assert (currency.money(before, "en", digits=d), currency.money(after, "en", digits=d)) == ("¥3.03 B", "¥3.10 B")
    assert currency.pair_digits(before, after, "zh") is None  # ¥30.27亿 → ¥31.01亿 already shows it
    assert currency.pair_digits(1.2e6, 2.5e6, "en") is None and currency.pair_digits(100, 200, "en") is None
    assert currency.money(before, "en", digits=2) != currency.money(before, "en")  # and the usual stays as it was
    bars = pd.DataFrame({"key": ["a", "b"], "change": [50_000_000.0, 23_700_000.0]})
    fig = cc.waterfall(before, bars, {}, "Base", "Current", lambda v: currency.money(v, "en"), "¥", "en",
                       totals=lambda v: currency.money(v, "en", digits=d))  # fmt: skip
    assert list(fig.data[0].text) == ["¥3.03 B", "+¥50.0 M", "+¥23.7 M", "¥3.10 B"]
