"""The change-breakdown waterfall: before → one step per member (the largest, the rest as "others") → after."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from kam_core.charts.style import DOWN, PALETTE, UP, category_axis, label, layout, money_axis


def waterfall(
    before: float, steps: Sequence[tuple[str, float]], before_label: str, after_label: str,
    money: Callable[[float], str] = lambda v: f"{v:,.0f}", prefix: str = "", lang: str = "en",
    totals: Callable[[float], str] | None = None,
) -> go.Figure:  # fmt: skip
    """``steps``: (member label, change) in drawing order — from ``explain.view``'s steps so every
    member's change is in exactly one step and the last bar equals ``before`` + Σ changes.

    Labels come from data: escaped for Plotly's HTML subset; the axis is categorical so an SKU code
    "1001" stays a label. ``prefix``: the currency symbol of the value axis ("" for volumes).
    """
    total = totals or money  # (the two ends: written so that their difference shows)
    names = [label(n) for n, _ in steps]
    xs = _unique([label(before_label), *names, label(after_label)])
    changes = [float(c) for _, c in steps]
    after = before + sum(changes)
    running = [before + sum(changes[: i + 1]) for i in range(len(changes))]
    fig = go.Figure(
        go.Waterfall(
            x=xs, y=[before, *changes, after], measure=["absolute", *["relative"] * len(changes), "total"],
            text=[total(before), *[("+" if c >= 0 else "") + money(c) for c in changes], total(after)],
            textposition="outside", connector=dict(line=dict(color="#bbb")),
            hovertemplate="%{x}: %{text}<extra></extra>", cliponaxis=False,
            increasing=dict(marker=dict(color=UP)), decreasing=dict(marker=dict(color=DOWN)),
            totals=dict(marker=dict(color=PALETTE[0])),
        )
    )  # fmt: skip
    lo, hi = min(before, after, *running), max(before, after, *running)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.05 or 1
    bottom, top = (max(0.0, lo - pad) if lo >= 0 else lo - pad), hi + pad
    fig.update_yaxes(range=[bottom, top], **money_axis(bottom, top, prefix, lang, zero=bottom == 0))
    fig.update_xaxes(**category_axis(xs), tickangle=-30 if len(xs) > 8 else 0)
    fig.update_layout(showlegend=False, hovermode="x")
    return layout(fig, height=460)


def _unique(xs: list[str]) -> list[str]:
    """Category labels must differ (a member called like the "Before" bar would merge with it)."""
    seen: dict[str, int] = {}
    out = []
    for x in xs:
        n = seen.get(x, 0)
        seen[x] = n + 1
        out.append(x if n == 0 else f"{x} ({n + 1})")
    return out
