"""The one shared look of every figure: base layout, fonts and a fixed colour per key.

A tier, trade segment, channel, region or ABC class has one colour in every chart of the
app, so a reader who learnt "GKA is dark blue" on one page can trust it on the next.
"""

from __future__ import annotations

import plotly.graph_objects as go

PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#e74c3c", "#8e44ad", "#7f8c8d", "#27ae60", "#d35400",
           "#34495e", "#c0392b"]  # fmt: skip

TITLE_FONT = dict(size=14)  # chart titles that carry a sentence (the Pareto curve's)
UP, DOWN = "#27ae60", "#e74c3c"  # growth bars, waterfall steps
MUTED = "#bdc3c7"  # no value (a line with no channel)

# Key-account tiers (tiers page) — also the first three trade segments (channels page).
TIER_COLORS: dict[str, str] = {"GKA": "#1f4e79", "NKA": "#2e86c1", "LKA": "#85c1e9", "non_ka": "#7f8c8d"}
SEGMENT_COLORS: dict[str, str] = {
    "GKA": TIER_COLORS["GKA"], "NKA": TIER_COLORS["NKA"], "LKA": TIER_COLORS["LKA"], "modern_other": "#48c9b0",
    "traditional": "#d35400", "other": "#95a5a6",
}  # fmt: skip
CHANNEL_COLORS: dict[str, str] = {
    "hypermarket": "#1f4e79", "supermarket": "#2e86c1", "convenience": "#48c9b0", "cash_and_carry": "#17a589",
    "department": "#8e44ad", "warehouse_club": "#5dade2", "traditional": SEGMENT_COLORS["traditional"],
    "wholesale": "#f5b041", "distributor": "#e74c3c", "online": "#27ae60", "other": SEGMENT_COLORS["other"],
    "": MUTED,
}  # fmt: skip
REGION_COLORS: dict[str, str] = {
    "East": "#1f4e79", "South": "#e74c3c", "West": "#f5b041", "North": "#2e86c1", "Central": "#27ae60",
}  # fmt: skip
CLASS_COLORS: dict[str, str] = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[6]}  # Pareto ABC classes

# Every keyed colour in one lookup (no key means two things: "traditional"/"other" agree above).
COLORS: dict[str, str] = {**CHANNEL_COLORS, **SEGMENT_COLORS, **TIER_COLORS, **REGION_COLORS}


def color(key: str, i: int = 0) -> str:
    """The fixed colour of ``key``, else the ``i``-th palette colour (for keys with no fixed colour)."""
    return COLORS.get(key, PALETTE[i % len(PALETTE)])


def layout(fig: go.Figure, height: int = 360) -> go.Figure:
    """The base layout every cartesian figure shares: height, margins, legend below, palette."""
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.15),
        hovermode="x unified", colorway=PALETTE,
    )  # fmt: skip
    return fig
