"""Figures for the channel and region pages: tidy frames and display names in, go.Figure out.

Pure builders (no state, no Streamlit); every label arrives translated.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts import PALETTE, _layout

# Stable colours per channel / segment / region, so a key keeps its colour across charts.
COLORS: dict[str, str] = {
    "hypermarket": "#1f4e79", "supermarket": "#2e86c1", "convenience": "#48c9b0", "cash_and_carry": "#17a589",
    "department": "#8e44ad", "warehouse_club": "#5dade2", "traditional": "#d35400", "wholesale": "#f5b041",
    "distributor": "#e74c3c", "online": "#27ae60", "other": "#95a5a6", "": "#bdc3c7",
    "GKA": "#1f4e79", "NKA": "#2e86c1", "LKA": "#85c1e9", "modern_other": "#48c9b0",
    "East": "#1f4e79", "South": "#e74c3c", "West": "#f5b041", "North": "#2e86c1", "Central": "#27ae60",
}  # fmt: skip


def _color(key: str, i: int) -> str:
    return COLORS.get(key, PALETTE[i % len(PALETTE)])


def _keys_by_size(df: pd.DataFrame, key: str, value: str, order: list[str] | None = None) -> list[str]:
    """Keys largest first, or in ``order`` (keys it does not list go last, largest first)."""
    by_size = df.groupby(key)[value].sum().sort_values(ascending=False).index.tolist()
    if not order:
        return by_size
    return [k for k in order if k in by_size] + [k for k in by_size if k not in order]


def share_stack(
    df: pd.DataFrame, names: dict[str, str], kind: str = "area", share_label: str = "Share",
    order: list[str] | None = None,
) -> go.Figure:  # fmt: skip
    """100 % stacked area (or bars) of ``share`` per ``period`` and ``key``; the first key (largest) at the bottom."""
    fig = go.Figure()
    periods = list(dict.fromkeys(df["period"]))
    for i, k in enumerate(_keys_by_size(df, "key", "revenue", order)):
        d = df[df["key"] == k].set_index("period").reindex(periods)
        y, rev = d["share"].fillna(0.0), d["revenue"].fillna(0.0)
        color = _color(k, i)
        common = dict(x=periods, y=y, name=names.get(k, k), customdata=rev,
                      hovertemplate="%{y:.1%} · ¥%{customdata:,.0f}<extra>" + names.get(k, k) + "</extra>")  # fmt: skip
        if kind == "bar":
            fig.add_bar(marker_color=color, **common)
        else:
            fig.add_scatter(mode="lines", stackgroup="one", line=dict(width=0.5, color=color), **common)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title=share_label)
    fig.update_xaxes(type="category")
    return _layout(fig, height=400)


def region_share_bars(
    df: pd.DataFrame, names: dict[str, str], region_names: dict[str, str], order: list[str] | None = None
) -> go.Figure:
    """One 100 % horizontal bar per region, split by channel (or segment)."""
    fig = go.Figure()
    regions = list(dict.fromkeys(df.groupby("region")["revenue"].sum().sort_values().index))
    for i, k in enumerate(_keys_by_size(df, "key", "revenue", order)):
        d = df[df["key"] == k].set_index("region").reindex(regions)
        fig.add_bar(
            y=[region_names.get(r, r) for r in regions], x=d["share"].fillna(0.0), orientation="h",
            name=names.get(k, k), marker_color=_color(k, i), customdata=d["revenue"].fillna(0.0),
            hovertemplate="%{x:.1%} · ¥%{customdata:,.0f}<extra>" + names.get(k, k) + "</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _layout(fig, height=max(260, 50 * len(regions) + 120))


def growth_bars(bars: pd.DataFrame, names: dict[str, str], label: str) -> go.Figure:
    """YoY growth per key, green when up, red when down."""
    d = bars.dropna(subset=["yoy"]).sort_values("yoy")
    fig = go.Figure(
        go.Bar(
            x=d["yoy"], y=[names.get(k, k) for k in d["key"]], orientation="h", name=label,
            marker_color=["#27ae60" if v >= 0 else "#e74c3c" for v in d["yoy"]],
            text=[f"{v:+.1%}" for v in d["yoy"]], textposition="auto",
        )
    )  # fmt: skip
    fig.update_xaxes(tickformat=".0%", title=label)
    fig.update_layout(hovermode="y", showlegend=False)
    return _layout(fig, height=max(260, 30 * len(d) + 80))


def waterfall(
    base_total: float, bars: pd.DataFrame, names: dict[str, str], base_label: str, current_label: str,
    money: Callable[[float], str] = lambda v: f"{v:,.0f}",
) -> go.Figure:  # fmt: skip
    """Base total → one bar per key (its change) → current total; the bars add up to the change."""
    xs = [base_label, *[names.get(k, k) for k in bars["key"]], current_label]
    changes = bars["change"].astype(float).tolist()
    current_total = base_total + sum(changes)
    ys = [base_total, *changes, current_total]
    fig = go.Figure(
        go.Waterfall(
            x=xs, y=ys, measure=["absolute", *["relative"] * len(changes), "total"],
            text=[money(base_total), *[("+" if c >= 0 else "") + money(c) for c in changes], money(current_total)],
            textposition="outside", connector=dict(line=dict(color="#bbb")),
            increasing=dict(marker=dict(color="#27ae60")), decreasing=dict(marker=dict(color="#e74c3c")),
            totals=dict(marker=dict(color=PALETTE[0])),
        )
    )  # fmt: skip
    lo = min(base_total, current_total, *(base_total + sum(changes[: i + 1]) for i in range(len(changes))))
    hi = max(base_total, current_total, *(base_total + sum(changes[: i + 1]) for i in range(len(changes))))
    pad = (hi - lo) * 0.25 or abs(hi) * 0.05 or 1
    fig.update_yaxes(range=[max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad])
    fig.update_layout(showlegend=False, hovermode="x")
    return _layout(fig, height=420)


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
    return _layout(fig, height=max(300, 26 * len(accounts) + 100))


def region_trend(df: pd.DataFrame, region_names: dict[str, str]) -> go.Figure:
    """Monthly revenue per region, stacked."""
    fig = go.Figure()
    for i, r in enumerate(_keys_by_size(df, "region", "revenue")):
        d = df[df["region"] == r]
        fig.add_bar(x=d["period"], y=d["revenue"], name=region_names.get(r, r), marker_color=_color(r, i))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return _layout(fig)


def province_bars(df: pd.DataFrame, province_names: dict[str, str], region_names: dict[str, str]) -> go.Figure:
    """Revenue per province (largest on top), coloured by region."""
    d = df.sort_values("revenue")
    fig = go.Figure()
    for i, r in enumerate(dict.fromkeys(d["region"])):
        part = d[d["region"] == r]
        fig.add_bar(
            x=part["revenue"], y=[province_names.get(p, p) for p in part["province"]], orientation="h",
            name=region_names.get(r, r), marker_color=_color(r, i),
        )  # fmt: skip
    fig.update_layout(hovermode="y", barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=[province_names.get(p, p) for p in d["province"]])
    return _layout(fig, height=max(260, 22 * len(d) + 80))
