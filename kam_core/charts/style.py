"""The one shared look of every figure: base layout, fonts and a fixed colour per key.

A tier, trade segment, channel, region or ABC class has one colour in every chart of the
app, so a reader who learnt "GKA is dark blue" on one page can trust it on the next.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#e74c3c", "#8e44ad", "#7f8c8d", "#27ae60", "#d35400",
           "#34495e", "#c0392b"]  # fmt: skip

# The look every chart is drawn with: Streamlit's chart theme as st.plotly_chart resolves it in the browser
# (font, greys, grid, hover label, colour scales), as concrete values, light and dark. The app draws its figures
# with its own plotly.js (ui/plotly_view.py), which knows nothing of Streamlit's theme; a figure's own layout wins.
# No font size but the base one (12): the figure's own layout.font sizes every text of it (ticks, legend, titles
# in plotly's proportions), so presentation mode's larger font reaches them all (ui/present.enlarge).
_TEMPLATES: dict = json.loads(Path(__file__).with_name("template.json").read_text(encoding="utf-8"))
TEMPLATE: dict = _TEMPLATES["light"]
TEMPLATE_DARK: dict = _TEMPLATES["dark"]

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


LEGEND_ABOVE = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.15, xanchor="left", x=0)  # under a titled chart


def layout(fig: go.Figure, height: int = 360) -> go.Figure:
    """The base layout every cartesian figure shares: height, margins, legend above, palette (and :func:`safe`).

    The legend sits above the plot: below it, it covered the first tick labels whenever plotly turned a
    category axis's labels (accounts, months) on their side ("almart" for Walmart). The hover mode is
    "x unified" unless the builder chose one (a horizontal bar's "y": the unified box's header would be
    the bar's raw length, "144.2508M").
    """
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), legend=LEGEND_ABOVE,
        hovermode="x unified" if fig.layout.hovermode is None else fig.layout.hovermode, colorway=PALETTE,
    )  # fmt: skip
    return safe(fig)


# -- text from data ------------------------------------------------------------------------------
# Bidirectional controls (embeddings, overrides, isolates, marks): U+202E would draw "KCAB" for "BACK".
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# The tags our own templates use; any other "<" in a figure string is drawn literally.
_OWN_TAG = re.compile(r"<(?!/?(?:b|i|br|extra|sup|sub)\s*/?>)", re.IGNORECASE)
_SKIP = {"geojson", "type", "uid", "hovertemplate_src"}


def no_bidi(text: str) -> str:
    """``text`` without bidirectional control characters (they reorder what a reader sees)."""
    return BIDI.sub("", text)


def _safe_str(s: str) -> str:
    return _OWN_TAG.sub("&lt;", BIDI.sub("", s)) if ("<" in s or BIDI.search(s)) else s


def _safe_value(v: object) -> tuple[object, bool]:
    if isinstance(v, str):
        out = _safe_str(v)
        return out, out != v
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "OUS":
            return v, False
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        items = [_safe_value(x) for x in v]
        if any(c for _, c in items):
            return [x for x, _ in items], True
        return v, False
    if isinstance(v, dict):
        changed = {}
        for k, x in v.items():
            if k in _SKIP:
                continue
            nx, c = _safe_value(x)
            if c:
                changed[k] = nx
        return ({**v, **changed}, True) if changed else (v, False)
    return v, False


def safe(fig: go.Figure) -> go.Figure:
    """Last line of defence for every figure: no tag but our own, no bidi control, in any trace or layout string.

    Builders escape data with :func:`label` (``&``, ``<``, ``>`` as entities); this pass catches any string that
    missed it — names, hover texts, ids, parents, customdata, titles, annotations — without escaping twice.
    """
    for tr in fig.data:
        for k, v in tr.to_plotly_json().items():
            if k in _SKIP:
                continue
            nv, changed = _safe_value(v)
            if changed:
                tr[k] = nv
    lay = fig.layout.to_plotly_json()
    for k, v in lay.items():
        if k == "template":
            continue
        nv, changed = _safe_value(v)
        if changed:
            fig.layout[k] = nv
    return fig


# -- axes ----------------------------------------------------------------------------------------
def label(text: object) -> str:
    """Text from data made literal for plotly (which renders <b>, <a href> and <br> in labels and hovers).

    Bidirectional controls are dropped too: a right-to-left override (U+202E) would show a name reversed.
    """
    return BIDI.sub("", str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def labels(texts: object) -> list[str]:
    return [label(x) for x in texts]  # type: ignore[union-attr]


def category_axis(order: object) -> dict:
    """An entity axis: every value a label (account code 18102 stays "18102"), in the given (rank) order."""
    return dict(type="category", categoryorder="array", categoryarray=list(order))  # type: ignore[call-overload]


PCT_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0)


def pct_step(lo: float, hi: float, max_ticks: int = 6) -> float:
    """A round tick step for a share axis from ``lo`` to ``hi`` (0.2 for 0–100%), at most ``max_ticks`` steps."""
    span = abs(float(hi) - float(lo))
    for step in PCT_STEPS:
        if span / step <= max_ticks:
            return step
    return PCT_STEPS[-1] * math.ceil(span / (PCT_STEPS[-1] * max_ticks))


def pct_axis(lo: float = 0.0, hi: float = 1.0, **kw: object) -> dict:
    """A share axis with round ticks (0%, 20%, 40% …, never 16 / 32 / 48%)."""
    return dict(tickformat=".0%", tick0=0, dtick=pct_step(lo, hi), **kw)


def pct_axis_for(values: object, include_zero: bool = True, **kw: object) -> dict:
    """``pct_axis`` for the range of ``values`` (NaN ignored; zero kept in view)."""
    vals = [float(v) for v in values if v is not None and not math.isnan(float(v))]  # type: ignore[union-attr]
    if include_zero:
        vals.append(0.0)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    return pct_axis(lo, hi if hi > lo else lo + 0.1, **kw)


# Units an amount axis is written in: 万 / 亿 for Chinese readers, K / M / B for English ones (as currency.money).
# (from, divisor, unit): an axis up to ¥9,000 keeps plain figures (¥1,000, not ¥1 K).
_UNITS = {"zh": ((1e8, 1e8, "亿"), (1e4, 1e4, "万")), "en": ((1e9, 1e9, " B"), (1e6, 1e6, " M"), (1e4, 1e3, " K"))}
MONEY_STEPS = (1.0, 2.0, 2.5, 5.0)


def money_step(span: float, max_ticks: int = 6) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) that covers ``span`` in at most ``max_ticks`` steps."""
    if not span > 0 or not math.isfinite(span):
        return 1.0
    k = 10 ** math.floor(math.log10(span / max_ticks))
    for m in (*MONEY_STEPS, 10.0):
        if span / (m * k) <= max_ticks:
            return m * k
    return 10 * k  # pragma: no cover - 10 × k always fits


def money_text(values: list[float], step: float, prefix: str, lang: str = "en", top: float | None = None) -> list[str]:
    """Tick labels of an amount axis in one unit for the whole axis: ¥60万, ¥1.5亿, ¥2.5 M. The unit is the one
    :func:`currency.money` writes ``top`` in (the largest amount drawn; default the largest tick), so a heat map's
    colour bar speaks in the 万 its cells are written in."""
    top = max((abs(v) for v in values), default=0.0) if top is None else abs(top)
    div, suffix = next(((d, u) for f, d, u in _UNITS["zh" if lang == "zh" else "en"] if top >= f), (1.0, ""))
    digits = next((d for d in range(7) if abs(round(step / div, d) - step / div) < 1e-9 * max(1.0, step / div)), 6)
    out = []
    for v in values:
        n = f"{abs(v) / div:,.{digits}f}"
        if "." in n:
            n = n.rstrip("0").rstrip(".")
        out.append(("" if v >= 0 or n.strip("0.,") == "" else "-") + prefix + n + (suffix if n.strip("0.,") else ""))
    return out


def money_axis(lo: float, hi: float, prefix: str = "", lang: str = "en", max_ticks: int = 6, zero: bool = True) -> dict:
    """Axis (or colour bar) settings for amounts from ``lo`` to ``hi``: round ticks written as people read
    amounts — ¥60万 / ¥1.5亿 in Chinese, ¥60 M / ¥1.5 B in English (plotly's own "~s" would write 1.5G).
    ``zero``: the ticks start from zero (bars; a waterfall's cut axis passes False). NaN bounds are ignored.
    ``prefix``: the currency symbol ("" for volumes)."""
    vals = [float(v) for v in (lo, hi, *((0.0,) if zero else ())) if v is not None and math.isfinite(float(v))]
    if not vals:
        vals = [0.0]
    lo, hi = min(vals), max(vals)
    if hi == lo:
        hi = lo + 1.0
    step = money_step(hi - lo, max_ticks)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = [round(i * step, 6) for i in range(first, last + 1)]
    top = max(abs(lo), abs(hi))  # the largest amount drawn (not the tick above it)
    return dict(tickmode="array", tickvals=ticks, ticktext=money_text(ticks, step, label(prefix), lang, top))


def extent(*columns: object) -> tuple[float, float]:
    """The smallest and largest finite value over ``columns`` (0, 0 when there is none)."""
    vals = [float(v) for c in columns for v in (c if c is not None else [])  # type: ignore[union-attr]
            if v is not None and math.isfinite(float(v))]  # fmt: skip
    return (min(vals), max(vals)) if vals else (0.0, 0.0)


def stacked_extent(df: object, by: str, value: str) -> tuple[float, float]:
    """The extent of bars stacked per ``by``: the most negative and the most positive stack of ``value``."""
    v = df[value].astype(float)  # type: ignore[index]
    g = df.assign(_pos=v.clip(lower=0), _neg=v.clip(upper=0)).groupby(by)[["_pos", "_neg"]].sum()  # type: ignore[attr-defined]
    return (float(g["_neg"].min()), float(g["_pos"].max())) if len(g) else (0.0, 0.0)


def money_hover(symbol: str, ref: str = "y") -> str:
    """Hover value of an amount: "£%{y:,.0f}" (the symbol comes from the display.currency setting)."""
    return f"{label(symbol)}%{{{ref}:,.0f}}"


# -- empty figures -------------------------------------------------------------------------------
_DATA_FIELDS = ("x", "y", "z", "values", "locations", "labels")


def has_data(fig: go.Figure) -> bool:
    """Some trace carries at least one point (a figure without any would draw bare axes)."""
    for tr in fig.data:
        if getattr(tr, "name", None) == "base":  # the tier map's grey outline is not data
            continue
        for f in _DATA_FIELDS:
            v = getattr(tr, f, None) if f in tr else None
            if v is not None and len(v) > 0:
                return True
    return False


def empty_figure(message: str, height: int = 200) -> go.Figure:
    """A figure that says why there is nothing to draw (no axes, one centred sentence)."""
    fig = go.Figure()
    fig.add_annotation(text=label(message), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font=dict(size=14, color=PALETTE[6]))  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10))
    return safe(fig)
