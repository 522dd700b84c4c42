"""One waterfall builder: a start total → one bar per step (its change) → the end total.

Used by the channel mix shift (base period → channels → current period) and the change breakdown
(before → members → after). Pure builder: labels arrive translated, money writers arrive from the
caller, no state, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from kam_core.charts.style import DOWN, PALETTE, UP, category_axis, label, layout, money_axis


def steps_chart(
    start: float, steps: Sequence[tuple[str, float]], start_label: str, end_label: str,
    money: Callable[[float], str] = lambda v: f"{v:,.0f}", prefix: str = "", lang: str = "en",
    totals: Callable[[float], str] | None = None, height: int = 420,
) -> go.Figure:  # fmt: skip
    """``steps``: (label, change) in drawing order; the last bar is ``start`` + Σ changes.

    Labels come from data: escaped for Plotly's HTML subset, made unique (a member called like the
    start bar would merge with it), on a categorical axis so an SKU code "1001" stays a label.
    ``money`` writes the step texts, ``totals`` the two ends (written so that their difference
    shows; default ``money``); ``prefix``: the currency symbol of the value axis ("" for volumes).
    """
    total = totals or money
    xs = _unique([label(start_label), *[label(n) for n, _ in steps], label(end_label)])
    changes = [float(c) for _, c in steps]
    end = start + sum(changes)
    running = [start + sum(changes[: i + 1]) for i in range(len(changes))]
    fig = go.Figure(
        go.Waterfall(
            x=xs, y=[start, *changes, end], measure=["absolute", *["relative"] * len(changes), "total"],
            text=[total(start), *[("+" if c >= 0 else "") + money(c) for c in changes], total(end)],
            textposition="outside", connector=dict(line=dict(color="#bbb")),
            hovertemplate="%{x}: %{text}<extra></extra>", cliponaxis=False,
            increasing=dict(marker=dict(color=UP)), decreasing=dict(marker=dict(color=DOWN)),
            totals=dict(marker=dict(color=PALETTE[0])),
        )
    )  # fmt: skip
    lo, hi = min(start, end, *running), max(start, end, *running)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.05 or 1
    bottom, top = (max(0.0, lo - pad) if lo >= 0 else lo - pad), hi + pad
    fig.update_yaxes(range=[bottom, top], **money_axis(bottom, top, prefix, lang, zero=bottom == 0))
    fig.update_xaxes(**category_axis(xs), tickangle=-30 if len(xs) > 8 else 0)
    fig.update_layout(showlegend=False, hovermode="x")
    return layout(fig, height=height)


def _unique(xs: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for x in xs:
        n = seen.get(x, 0)
        seen[x] = n + 1
        out.append(x if n == 0 else f"{x} ({n + 1})")
    return out
