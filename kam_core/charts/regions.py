"""Figures of the region page: accounts × regions heat map, region trend, province bars. Pure builders."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.channels import keys_by_size
from kam_core.charts.style import color, layout


def heatmap(
    matrix: pd.DataFrame, metric: str, region_names: dict[str, str], regions: list[str], colorbar: str,
    fmt: Callable[[float], str],
) -> go.Figure:  # fmt: skip
    """Accounts (rows, largest on top) × regions (columns) coloured by ``metric`` (revenue, share or yoy)."""
    accounts = list(dict.fromkeys(matrix.sort_values("rank")["account"]))
    cols = [r for r in regions if r in set(matrix["region"])] + sorted(set(matrix["region"]) - set(regions))
    z = matrix.pivot_table(index="account", columns="region", values=metric, aggfunc="sum", dropna=False)
    z = z.reindex(index=accounts, columns=cols)
    text = [["" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt(v) for v in row] for row in z.values]
    kw: dict = {"colorscale": "Blues"}
    if metric == "yoy":
        lim = float(pd.Series(z.values.ravel()).abs().quantile(0.95) or 0.1) if z.size else 0.1
        kw = {"colorscale": "RdYlGn", "zmid": 0, "zmin": -lim, "zmax": lim}
    fig = go.Figure(
        go.Heatmap(
            z=z.values, x=[region_names.get(c, c) for c in cols], y=accounts, text=text, texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>", colorbar=dict(title=colorbar, tickformat=(
                ".0%" if metric in ("share", "yoy") else "~s")), xgap=2, ygap=2, **kw,
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig.update_layout(hovermode="closest")
    return layout(fig, height=max(300, 26 * len(accounts) + 100))


def region_trend(df: pd.DataFrame, region_names: dict[str, str]) -> go.Figure:
    """Monthly revenue per region, stacked."""
    fig = go.Figure()
    for i, r in enumerate(keys_by_size(df, "region", "revenue")):
        d = df[df["region"] == r]
        fig.add_bar(x=d["period"], y=d["revenue"], name=region_names.get(r, r), marker_color=color(r, i))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return layout(fig)


def province_bars(df: pd.DataFrame, province_names: dict[str, str], region_names: dict[str, str]) -> go.Figure:
    """Revenue per province (largest on top), coloured by region."""
    d = df.sort_values("revenue")
    fig = go.Figure()
    for i, r in enumerate(dict.fromkeys(d["region"])):
        part = d[d["region"] == r]
        fig.add_bar(
            x=part["revenue"], y=[province_names.get(p, p) for p in part["province"]], orientation="h",
            name=region_names.get(r, r), marker_color=color(r, i),
        )  # fmt: skip
    fig.update_layout(hovermode="y", barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=[province_names.get(p, p) for p in d["province"]])
    return layout(fig, height=max(260, 22 * len(d) + 80))
