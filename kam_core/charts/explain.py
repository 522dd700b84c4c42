"""The change-breakdown waterfall: before → one step per member (the largest, the rest as "others") → after."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from kam_core.charts.waterfall import steps_chart


def waterfall(
    before: float, steps: Sequence[tuple[str, float]], before_label: str, after_label: str,
    money: Callable[[float], str] = lambda v: f"{v:,.0f}", prefix: str = "", lang: str = "en",
    totals: Callable[[float], str] | None = None,
) -> go.Figure:  # fmt: skip
    """``steps``: (member label, change) in drawing order — from ``explain.view``'s steps so every
    member's change is in exactly one step and the last bar equals ``before`` + Σ changes.
    ``prefix``: the currency symbol of the value axis ("" for volumes).
    """
    return steps_chart(before, steps, before_label, after_label, money, prefix, lang, totals, height=460)
