"""Figures of the overview page: revenue trend, top bars, channel donut. Pure builders."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.style import PALETTE, layout


def revenue_trend(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Monthly revenue (bars), a year earlier (line) and gross profit (line)."""
    fig = go.Figure()
    fig.add_bar(x=df["period"], y=df["revenue"], name=labels["revenue"], marker_color=PALETTE[0])
    if "revenue_last_year" in df and df["revenue_last_year"].notna().any():
        fig.add_scatter(x=df["period"], y=df["revenue_last_year"], name=labels["revenue_last_year"],
                        mode="lines", line=dict(color=PALETTE[6], dash="dot"))  # fmt: skip
    fig.add_scatter(x=df["period"], y=df["gross_profit"], name=labels["gross_profit"], mode="lines+markers",
                    line=dict(color=PALETTE[3]))  # fmt: skip
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return layout(fig)


def top_bar(df: pd.DataFrame, label_col: str, value_col: str, value_label: str) -> go.Figure:
    """Horizontal bars, largest on top."""
    d = df.iloc[::-1]
    fig = go.Figure(go.Bar(x=d[value_col], y=d[label_col], orientation="h", marker_color=PALETTE[1],
                           name=value_label))  # fmt: skip
    fig.update_layout(hovermode="y")
    return layout(fig, height=max(260, 28 * len(d) + 60))


def share_donut(labels: list[str], values: list[float]) -> go.Figure:
    fig = go.Figure(go.Pie(labels=labels, values=values, hole=0.55, sort=False, textinfo="percent"))
    fig.update_layout(hovermode=False)
    return layout(fig)
