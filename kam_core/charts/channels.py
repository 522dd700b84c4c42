"""Figures of the channel page: tidy frames and display names in, go.Figure out.

Pure builders (no state, no Streamlit); every label arrives translated.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.style import DOWN, UP, category_axis, color, layout, pct_axis, pct_axis_for
from kam_core.charts.style import label as esc
from kam_core.charts.waterfall import steps_chart


def keys_by_size(df: pd.DataFrame, key: str, value: str, order: list[str] | None = None) -> list[str]:
    """Keys largest first, or in ``order`` (keys it does not list go last, largest first)."""
    by_size = df.groupby(key)[value].sum().sort_values(ascending=False).index.tolist()
    if not order:
        return by_size
    return [k for k in order if k in by_size] + [k for k in by_size if k not in order]


def share_stack(
    df: pd.DataFrame, names: dict[str, str], kind: str = "area", share_label: str = "Share",
    order: list[str] | None = None, prefix: str = "¥",
) -> go.Figure:  # fmt: skip
    """100% stacked area (or bars) of ``share`` per ``period`` and ``key``; the first key (largest) at the bottom.

    ``prefix``: the currency symbol of the amounts in the hover.
    """
    fig = go.Figure()
    periods = list(dict.fromkeys(df["period"]))
    for i, k in enumerate(keys_by_size(df, "key", "revenue", order)):
        d = df[df["key"] == k].set_index("period").reindex(periods)
        y, rev = d["share"].fillna(0.0), d["revenue"].fillna(0.0)
        c = color(k, i)
        name = esc(names.get(k, k))
        common = dict(x=periods, y=y, name=name, customdata=rev,
                      hovertemplate=f"%{{y:.1%}} · {esc(prefix)}%{{customdata:,.0f}}<extra>{name}</extra>")  # fmt: skip
        if kind == "bar":
            fig.add_bar(marker_color=c, **common)
        else:
            fig.add_scatter(mode="lines", stackgroup="one", line=dict(width=0.5, color=c), **common)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, 1], title=share_label, **pct_axis(0, 1))
    fig.update_xaxes(**category_axis(periods))
    return layout(fig, height=400)


def region_share_bars(
    df: pd.DataFrame, names: dict[str, str], region_names: dict[str, str], order: list[str] | None = None,
    prefix: str = "¥",
) -> go.Figure:  # fmt: skip
    """One 100% horizontal bar per region (largest on top), split by channel (or segment)."""
    fig = go.Figure()
    regions = list(dict.fromkeys(df.groupby("region")["revenue"].sum().sort_values().index))
    ys = [esc(region_names.get(r, r)) for r in regions]
    for i, k in enumerate(keys_by_size(df, "key", "revenue", order)):
        d = df[df["key"] == k].set_index("region").reindex(regions)
        name = esc(names.get(k, k))
        fig.add_bar(
            y=ys, x=d["share"].fillna(0.0), orientation="h",
            name=name, marker_color=color(k, i), customdata=d["revenue"].fillna(0.0),
            hovertemplate=f"%{{x:.1%}} · {esc(prefix)}%{{customdata:,.0f}}<extra>{name}</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(range=[0, 1], **pct_axis(0, 1))
    fig.update_yaxes(**category_axis(dict.fromkeys(ys)))
    return layout(fig, height=max(260, 50 * len(regions) + 120))


def growth_bars(bars: pd.DataFrame, names: dict[str, str], label: str) -> go.Figure:
    """YoY growth per key, green when up, red when down."""
    d = bars.dropna(subset=["yoy"]).sort_values("yoy")
    ys = [esc(names.get(k, k)) for k in d["key"]]
    fig = go.Figure(
        go.Bar(
            x=d["yoy"], y=ys, orientation="h", name=label,
            marker_color=[UP if v >= 0 else DOWN for v in d["yoy"]],
            text=[f"{v:+.1%}" for v in d["yoy"]], textposition="auto",
        )
    )  # fmt: skip
    fig.update_xaxes(title=label, **pct_axis_for(d["yoy"]))
    fig.update_yaxes(**category_axis(dict.fromkeys(ys)))
    fig.update_layout(hovermode="y", showlegend=False)
    return layout(fig, height=max(260, 30 * len(d) + 80))


def waterfall(
    base_total: float, bars: pd.DataFrame, names: dict[str, str], base_label: str, current_label: str,
    money: Callable[[float], str] = lambda v: f"{v:,.0f}", prefix: str = "", lang: str = "en",
    totals: Callable[[float], str] | None = None,
) -> go.Figure:  # fmt: skip
    """Base total → one bar per key (its change) → current total; the bars add up to the change.

    ``money`` writes the bar texts; ``prefix``: the currency symbol of the value axis.
    """
    steps = [(names.get(k, k), float(c)) for k, c in zip(bars["key"], bars["change"], strict=True)]
    return steps_chart(base_total, steps, base_label, current_label, money, prefix, lang, totals)
