"""Figures of the plan editor: the account's 24-month revenue trend with the year before, its category mix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts import style
from kam_core.charts.style import PALETTE, category_axis, extent, layout, money_axis, money_hover


def revenue_trend(monthly: list[dict], labels: dict[str, str], prefix: str = "¥", lang: str = "en") -> go.Figure:
    """Revenue per month (bars) over the year before and the plan year, and the same month a year earlier (line).

    Months without any data (``None``) are left out rather than drawn as zero.
    """
    df = pd.DataFrame(monthly, columns=["month", "revenue", "revenue_year_before"])
    hover = money_hover(prefix)
    fig = go.Figure()
    have = df[df["revenue"].notna()]
    if not have.empty:
        fig.add_bar(x=have["month"], y=have["revenue"], name=labels["revenue"], marker_color=PALETTE[0],
                    hovertemplate=hover)  # fmt: skip
    prior = df[df["revenue_year_before"].notna()]
    if not prior.empty and not have.empty:
        fig.add_scatter(x=prior["month"], y=prior["revenue_year_before"], name=labels["revenue_year_before"],
                        mode="lines+markers", line=dict(color=PALETTE[6], dash="dot"), hovertemplate=hover)  # fmt: skip
    fig.update_xaxes(**category_axis(df["month"]))
    fig.update_yaxes(**money_axis(*extent(have["revenue"], prior["revenue_year_before"]), prefix, lang))
    return layout(fig, height=320)


def category_mix(categories: list[dict], label: str, prefix: str = "¥", lang: str = "en") -> go.Figure:
    """The account's revenue per category, largest on top."""
    df = pd.DataFrame(categories, columns=["category", "revenue", "share"])
    names = style.labels(df["category"].replace("", "–"))
    fig = go.Figure(go.Bar(x=df["revenue"], y=names, orientation="h", marker_color=PALETTE[1], name=label,
                           hovertemplate=money_hover(prefix, "x") + "<extra></extra>"))  # fmt: skip
    fig.update_yaxes(**category_axis(list(dict.fromkeys(reversed(names)))))
    fig.update_xaxes(**money_axis(*extent(df["revenue"]), prefix, lang))
    fig.update_layout(hovermode="y", showlegend=False)
    return layout(fig, height=max(200, 30 * len(df) + 60))
