"""Figures of the overview page: revenue trend, top bars, channel donut. Pure builders."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts import style
from kam_core.charts.style import PALETTE, category_axis, extent, layout, money_axis, money_hover


def revenue_trend(df: pd.DataFrame, labels: dict[str, str], prefix: str = "¥", lang: str = "en") -> go.Figure:
    """Monthly revenue (bars), a year earlier (line) and gross profit (line); ``prefix``: the currency symbol,
    ``lang``: the units of the value axis (万 / 亿 or K / M / B)."""
    fig = go.Figure()
    hover = money_hover(prefix)
    fig.add_bar(x=df["period"], y=df["revenue"], name=labels["revenue"], marker_color=PALETTE[0], hovertemplate=hover)
    if "revenue_last_year" in df and df["revenue_last_year"].notna().any():
        fig.add_scatter(x=df["period"], y=df["revenue_last_year"], name=labels["revenue_last_year"],
                        mode="lines", line=dict(color=PALETTE[6], dash="dot"), hovertemplate=hover)  # fmt: skip
    fig.add_scatter(x=df["period"], y=df["gross_profit"], name=labels["gross_profit"], mode="lines+markers",
                    line=dict(color=PALETTE[3]), hovertemplate=hover)  # fmt: skip
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    lo, hi = extent(df["revenue"], df.get("revenue_last_year"), df["gross_profit"])
    fig.update_yaxes(**money_axis(lo, hi, prefix, lang))
    return layout(fig)


def top_bar(
    df: pd.DataFrame, label_col: str, value_col: str, value_label: str, prefix: str = "¥", lang: str = "en"
) -> go.Figure:
    """Horizontal bars, largest on top; the entity axis is categorical (account code 18102 stays a label)."""
    names = style.labels(df[label_col])
    fig = go.Figure(go.Bar(x=df[value_col], y=names, orientation="h", marker_color=PALETTE[1], name=value_label,
                           hovertemplate=money_hover(prefix, "x") + "<extra></extra>"))  # fmt: skip
    # categoryarray lists bottom to top: the largest (first row of df) ends on top
    fig.update_yaxes(**category_axis(list(dict.fromkeys(reversed(names)))))
    fig.update_xaxes(**money_axis(*extent(df[value_col]), prefix, lang))
    fig.update_layout(hovermode="y")
    return layout(fig, height=max(260, 28 * len(df) + 60))


def share_donut(labels: list[str], values: list[float], prefix: str = "¥", keys: list[str] | None = None) -> go.Figure:
    """Shares of ``values`` per label (hover: the amount with the currency symbol).

    ``keys``: the codes behind the labels (channel codes): each slice in its key's fixed colour, the one the
    channels page gives it, so a channel has one colour in the app.
    """
    hover = "%{label}: " + money_hover(prefix, "value") + " · %{percent}<extra></extra>"
    marker = dict(colors=[style.color(k, i) for i, k in enumerate(keys)]) if keys is not None else None
    fig = go.Figure(go.Pie(labels=style.labels(labels), values=values, hole=0.55, sort=False, textinfo="percent",
                           texttemplate="%{percent:.1%}",  # one decimal, as the page writes shares (not 0.628%)
                           hovertemplate=hover, marker=marker))  # fmt: skip
    return layout(fig).update_layout(hovermode="closest")
