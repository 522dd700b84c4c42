"""Plotly builders for the Pareto page: data and labels in, go.Figure out. No state, no Streamlit.

Curves arrive already downsampled (kam_core.analytics.pareto.downsample); the figures
only draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.style import (
    CLASS_COLORS,
    LEGEND_BELOW,
    PALETTE,
    TITLE_FONT,
    category_axis,
    extent,
    layout,
    money_axis,
    pct_axis,
    pct_axis_for,
)
from kam_core.charts.style import label as esc


def pareto_curve(
    x: Sequence[float],
    y: Sequence[float],
    marks: Sequence[tuple[float, float, str]],
    labels: dict[str, str],
    annotation: str,
) -> go.Figure:
    """Cumulative share of the metric against the share of entities, with the 20% / 80% marks.

    marks: (x, y, text) points drawn with guide lines and a label; annotation: the sentence in words.
    labels: x, y, curve, equal (the line of perfect equality).
    """
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name=labels["equal"], line=dict(color=PALETTE[6], dash="dot"),
                    hoverinfo="skip")  # fmt: skip
    fig.add_scatter(x=list(x), y=list(y), mode="lines", name=labels["curve"], line=dict(color=PALETTE[0], width=3),
                    hovertemplate="%{x:.1%} → %{y:.1%}<extra></extra>")  # fmt: skip
    for i, (mx, my, text) in enumerate(marks):
        # the two marks sit close together: one label below-right, the other above-left (empty area)
        color = PALETTE[3] if i == 0 else PALETTE[4]
        fig.add_shape(type="line", x0=mx, x1=mx, y0=0, y1=my, line=dict(color=color, dash="dash", width=1))
        fig.add_shape(type="line", x0=0, x1=mx, y0=my, y1=my, line=dict(color=color, dash="dash", width=1))
        fig.add_scatter(x=[mx], y=[my], mode="markers", marker=dict(color=color, size=11), showlegend=False,
                        hovertemplate=f"{text}<extra></extra>")  # fmt: skip
        ax, ay = (70, 35) if i == 0 else (-90, -45)
        fig.add_annotation(x=mx, y=my, text=text, showarrow=True, arrowhead=2, ax=ax, ay=ay,
                           bgcolor="rgba(255,255,255,0.85)", bordercolor=color)  # fmt: skip
    fig.update_xaxes(title=labels["x"], range=[0, 1.0], **pct_axis(0, 1))
    fig.update_yaxes(title=labels["y"], range=[0, 1.02], **pct_axis(0, 1))
    fig = layout(fig, height=440)  # the sentence on top as the title, so the legend goes below (numeric x axis)
    return fig.update_layout(title=dict(text=annotation, font=TITLE_FONT), hovermode="closest", legend=LEGEND_BELOW)


def pareto_bars(top: pd.DataFrame, labels: dict[str, str], prefix: str = "", lang: str = "en") -> go.Figure:
    """Classic Pareto chart: bars of the top entities (coloured by class) and the cumulative-share line.

    top: entity, value, cum_share, class (largest first). labels: value, cum, class_<X>. The
    entity axis is categorical in rank order (account codes such as 18102 stay labels, not
    numbers); ``prefix``: the currency symbol of the value axis ("" for volumes).
    """
    fig = go.Figure()
    names = [esc(e) for e in top["entity"]]
    order = list(dict.fromkeys(names))
    shown = top.assign(_x=names)
    for cls, part in shown.groupby("class", sort=True):
        fig.add_bar(x=part["_x"], y=part["value"], name=labels.get(f"class_{cls}", str(cls)),
                    marker_color=CLASS_COLORS.get(str(cls), PALETTE[2]), yaxis="y",
                    hovertemplate=f"{esc(prefix)}%{{y:,.0f}}")  # fmt: skip
    fig.add_scatter(x=names, y=top["cum_share"], name=labels["cum"], mode="lines+markers", yaxis="y2",
                    line=dict(color=PALETTE[4]), hovertemplate="%{y:.1%}")  # fmt: skip
    fig.add_hline(y=0.8, line=dict(color=PALETTE[4], dash="dot", width=1), yref="y2")
    fig.update_layout(
        xaxis=dict(tickangle=-45, **category_axis(order)),
        yaxis=dict(title=labels["value"], **money_axis(*extent(top["value"]), prefix, lang)),
        yaxis2=dict(overlaying="y", side="right", range=[0, 1.02], showgrid=False, **pct_axis(0, 1)),
        barmode="overlay",
    )
    return layout(fig, height=440)


def concentration_trend(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Top-20% share and top-N share per period (left, %), Gini (right, 0–1)."""
    fig = go.Figure()
    x = df["label"] if "label" in df else df["period"]
    fig.add_scatter(x=x, y=df["top20_share"], name=labels["top20_share"], mode="lines+markers",
                    line=dict(color=PALETTE[0], width=3))  # fmt: skip
    fig.add_scatter(x=x, y=df["top_n_share"], name=labels["top_n_share"], mode="lines+markers",
                    line=dict(color=PALETTE[1]))  # fmt: skip
    fig.add_scatter(x=x, y=df["gini"], name=labels["gini"], mode="lines", yaxis="y2",
                    line=dict(color=PALETTE[3], dash="dash"))  # fmt: skip
    fig.update_layout(
        xaxis=dict(type="category"),
        yaxis=dict(rangemode="tozero", **pct_axis_for([*df["top20_share"], *df["top_n_share"]])),
        yaxis2=dict(overlaying="y", side="right", range=[0, 1], showgrid=False, title=labels["gini"]),
    )
    return layout(fig)


def migration_heatmap(counts: pd.DataFrame, values: pd.DataFrame, labels: dict[str, str],
                      value_fmt: Callable[[float], str]) -> go.Figure:  # fmt: skip
    """From-class (rows) × to-class (columns) matrix: entity counts, coloured by count, with the metric.

    labels: from, to, and a display name for every class / new / lost code.
    """
    rows = [esc(labels.get(r, r)) for r in counts.index]
    cols = [esc(labels.get(c, c)) for c in counts.columns]
    text = [[f"{int(counts.iloc[i, j]):,}<br>{value_fmt(values.iloc[i, j])}" for j in range(counts.shape[1])]
            for i in range(counts.shape[0])]  # fmt: skip
    fig = go.Figure(go.Heatmap(z=counts.to_numpy(), x=cols, y=rows, text=text, texttemplate="%{text}",
                               colorscale="Blues", showscale=False, hoverinfo="skip"))  # fmt: skip
    fig.update_yaxes(title=labels["from"], autorange="reversed", **category_axis(rows))
    fig.update_xaxes(title=labels["to"], side="top", **category_axis(cols))
    fig.update_layout(hovermode=False)
    return layout(fig, height=380)


def whale_curve(x: Sequence[float], y: Sequence[float], peak: tuple[float, float, str] | None,
                labels: dict[str, str]) -> go.Figure:  # fmt: skip
    """Cumulative profit (share of the total) by entities ranked most to least profitable."""
    fig = go.Figure()
    fig.add_scatter(x=list(x), y=list(y), mode="lines", name=labels["curve"], line=dict(color=PALETTE[7], width=3),
                    hovertemplate="%{x:.1%} → %{y:.1%}<extra></extra>")  # fmt: skip
    fig.add_hline(y=1.0, line=dict(color=PALETTE[6], dash="dot", width=1))
    if peak is not None:
        px, py, text = peak
        fig.add_scatter(x=[px], y=[py], mode="markers", marker=dict(color=PALETTE[4], size=11), showlegend=False,
                        hovertemplate=f"{text}<extra></extra>")  # fmt: skip
        fig.add_annotation(x=px, y=py, text=text, showarrow=True, arrowhead=2, ax=-40, ay=-30,
                           bgcolor="rgba(255,255,255,0.85)")  # fmt: skip
    fig.update_xaxes(title=labels["x"], range=[0, 1], **pct_axis(0, 1))
    fig.update_yaxes(title=labels["y"], rangemode="tozero", **pct_axis_for(y))
    fig.update_layout(hovermode="closest")
    return layout(fig, height=400)
