"""Figures of the region page: accounts × regions heat map, region trend, province bars. Pure builders."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.channels import keys_by_size
from kam_core.charts.style import (
    category_axis,
    color,
    extent,
    layout,
    money_axis,
    money_hover,
    pct_step,
    stacked_extent,
)
from kam_core.charts.style import label as esc


def heatmap(
    matrix: pd.DataFrame, metric: str, region_names: dict[str, str], regions: list[str], colorbar: str,
    fmt: Callable[[float], str], prefix: str = "¥", lang: str = "en",
) -> go.Figure:  # fmt: skip
    """Accounts (rows, largest on top) × regions (columns) coloured by ``metric`` (revenue, share or yoy).

    The account axis is categorical in rank order (code 18102 stays a label); ``prefix``: the
    currency symbol of the revenue colour bar.
    """
    accounts = list(dict.fromkeys(matrix.sort_values("rank")["account"]))
    cols = [r for r in regions if r in set(matrix["region"])] + sorted(set(matrix["region"]) - set(regions))
    z = matrix.pivot_table(index="account", columns="region", values=metric, aggfunc="sum", dropna=False)
    z = z.reindex(index=accounts, columns=cols)
    text = [["" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt(v) for v in row] for row in z.values]
    kw: dict = {"colorscale": "Blues"}
    vals = pd.Series(z.values.ravel(), dtype=float).dropna()
    bar: dict = money_axis(*extent(vals), prefix, lang) if metric == "revenue" else {}
    if metric == "share":
        bar = {"tickformat": ".0%", "tick0": 0, "dtick": pct_step(0, float(vals.max()) if len(vals) else 1)}
    if metric == "yoy":
        lim = float(vals.abs().quantile(0.95) or 0.1) if len(vals) else 0.1
        kw = {"colorscale": "RdYlGn", "zmid": 0, "zmin": -lim, "zmax": lim}
        bar = {"tickformat": ".0%", "tick0": 0, "dtick": pct_step(-lim, lim)}
    rows = [esc(a) for a in accounts]
    xs = [esc(region_names.get(c, c)) for c in cols]
    fig = go.Figure(
        go.Heatmap(
            z=z.values, x=xs, y=rows, text=text, texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>", colorbar=dict(title=colorbar, **bar), xgap=2,
            ygap=2, **kw,
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", **category_axis(rows))
    fig.update_xaxes(side="top", **category_axis(xs))
    fig.update_layout(hovermode="closest")
    return layout(fig, height=max(300, 26 * len(accounts) + 100))


def region_trend(df: pd.DataFrame, region_names: dict[str, str], prefix: str = "¥", lang: str = "en") -> go.Figure:
    """Monthly revenue per region, stacked."""
    fig = go.Figure()
    for i, r in enumerate(keys_by_size(df, "region", "revenue")):
        d = df[df["region"] == r]
        fig.add_bar(x=d["period"], y=d["revenue"], name=esc(region_names.get(r, r)), marker_color=color(r, i),
                    hovertemplate=money_hover(prefix))  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_yaxes(**money_axis(*stacked_extent(df, "period", "revenue"), prefix, lang))
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return layout(fig)


def province_bars(
    df: pd.DataFrame,
    province_names: dict[str, str],
    region_names: dict[str, str],
    prefix: str = "¥",
    lang: str = "en",
) -> go.Figure:
    """Revenue per province (largest on top), coloured by region."""
    d = df.sort_values("revenue")
    fig = go.Figure()
    for i, r in enumerate(dict.fromkeys(d["region"])):
        part = d[d["region"] == r]
        fig.add_bar(
            x=part["revenue"], y=[esc(province_names.get(p, p)) for p in part["province"]], orientation="h",
            name=esc(region_names.get(r, r)), marker_color=color(r, i), hovertemplate=money_hover(prefix, "x"),
        )  # fmt: skip
    fig.update_layout(hovermode="y", barmode="stack")
    fig.update_yaxes(**category_axis(dict.fromkeys(esc(province_names.get(p, p)) for p in d["province"])))
    fig.update_xaxes(**money_axis(*stacked_extent(d, "province", "revenue"), prefix, lang))
    return layout(fig, height=max(260, 22 * len(d) + 80))
