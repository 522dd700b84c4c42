"""Plotly builders for the scoring page: contribution bars, sensitivity bars, the selection matrix.

Account names come from data: they are drawn as text on category axes (a code such as
'18102' stays a label, never a number) and escaped for Plotly's HTML subset in text and
hover. The raw names travel in ``customdata``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.style import DOWN, PALETTE, UP, label, layout, safe

QUADRANT_COLORS = {"invest": "#1f4e79", "maintain": "#48c9b0", "cash": "#7f8c8d", "reconsider": "#f5b041"}
# where each quadrant's name sits: (x, y) in axis fractions, anchors
_QUADRANT_POS = {
    "invest": (1.0, 1.0, "right", "top"),
    "maintain": (0.0, 1.0, "left", "top"),
    "reconsider": (1.0, 0.0, "right", "bottom"),
    "cash": (0.0, 0.0, "left", "bottom"),
}


def escape(text: object) -> str:
    """Text from data made literal in Plotly text / hover (its HTML subset): & < > as entities, no bidi controls."""
    return label(text)


def numbered(frame: pd.DataFrame, label_top: int) -> list[tuple[int, str]]:
    """(number, account) of the bubbles :func:`matrix_chart` numbers, in its order."""
    d = frame.dropna(subset=["attractiveness", "strength"]).reset_index(drop=True)
    return [(i + 1, str(a)) for i, a in enumerate(d["account"].head(max(label_top, 0)))]


def contribution_bars(
    top: pd.DataFrame, criteria: Sequence[str], labels: Mapping[str, str], score_label: str
) -> go.Figure:
    """Stacked horizontal bars: each account's score split into its criteria's contributions.

    top: account, score, ``contribution.<criterion>`` (rank order, best first); labels: criterion → name.
    """
    names = [str(a) for a in top["account"]]
    shown = [escape(a) for a in names]
    fig = go.Figure()
    for i, c in enumerate(criteria):
        fig.add_bar(
            y=shown, x=top[f"contribution.{c}"].tolist(), orientation="h", name=escape(labels.get(c, c)),
            marker_color=PALETTE[i % len(PALETTE)], customdata=names,
            hovertemplate=f"%{{y}}<br>{escape(labels.get(c, c))}: %{{x:.1f}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=shown, autorange="reversed")
    fig.update_xaxes(title=escape(score_label), range=[0, 100])
    return layout(fig, height=max(300, 26 * len(names) + 120))


def sensitivity_bars(sens: pd.DataFrame, labels: Mapping[str, str], texts: Mapping[str, str]) -> go.Figure:
    """Per criterion, today's key accounts that stay key at −x % and +x % weight; a line at all of them.

    sens: criterion, n_key, stay_down, stay_up. texts: down, up, n_key (legend names).
    """
    crit = [escape(labels.get(c, c)) for c in sens["criterion"]]
    fig = go.Figure()
    fig.add_bar(x=crit, y=sens["stay_down"].tolist(), name=texts["down"], marker_color=DOWN)
    fig.add_bar(x=crit, y=sens["stay_up"].tolist(), name=texts["up"], marker_color=UP)
    n_key = int(sens["n_key"].iloc[0]) if len(sens) else 0
    fig.add_hline(y=n_key, line=dict(color=PALETTE[0], dash="dash"), annotation_text=f"{texts['n_key']}: {n_key}")
    fig.update_layout(barmode="group", hovermode="x unified")
    layout(fig, height=360)
    fig.update_layout(legend=dict(orientation="h", y=1.12, x=0))  # above: the criteria names need the room below
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return safe(fig)


# Numbered bubbles: each number in a small box beside its bubble with a line to it, placed so that no two boxes
# overlap and none covers another numbered bubble (the largest accounts sit close together: numbers drawn on the
# bubbles covered each other). Placement is in pixels of a nominal plot area; a wider chart only spreads them.
MATRIX_HEIGHT = 560
_PLOT_W, _PLOT_H = 600.0, 470.0  # the plot area the placement assumes (a narrow column; height 560 less margins)
_AXIS = (-3.0, 103.0)  # both axes' range
_MAX_BUBBLE, _MIN_BUBBLE = 45.0, 4.0  # px: the largest and the smallest bubble's diameter
_BOX_W, _BOX_H = 20.0, 16.0  # a number's box (two digits, 11 px bold)
_ANGLES = (-45, 0, -90, -135, 45, 180, 90, 135)  # degrees, screen y down: up-right first, then around


def _px(x: float, y: float) -> tuple[float, float]:
    lo, hi = _AXIS
    return (x - lo) / (hi - lo) * _PLOT_W, (hi - y) / (hi - lo) * _PLOT_H


def place_numbers(points: Sequence[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """Pixel offsets (ax, ay: right, down) of each numbered bubble's box from its centre, in the given order.

    ``points``: (x, y, radius px) in axis units 0–100. Greedy: the first offset on rings just outside the
    bubble, in eight directions, whose box stays in the plot, overlaps no placed box and covers no numbered
    bubble's disk; when none is free, the one with the fewest conflicts, an overlap of two numbers counting most.
    """
    centres = [(*_px(x, y), r) for x, y, r in points]
    boxes: list[tuple[float, float]] = []
    out: list[tuple[float, float]] = []
    for cx, cy, r in centres:
        best, best_bad = (0.0, -(r + 16.0)), math.inf
        for ring in (14.0, 30.0, 48.0, 68.0, 90.0, 115.0, 140.0):
            for deg in _ANGLES:
                a = math.radians(deg)
                d = r + ring
                bx, by = cx + d * math.cos(a), cy + d * math.sin(a)
                bad = 0
                if not (_BOX_W / 2 <= bx <= _PLOT_W - _BOX_W / 2 and _BOX_H / 2 <= by <= _PLOT_H - _BOX_H / 2):
                    bad += 10
                bad += 5 * sum(abs(bx - ox) < _BOX_W + 2 and abs(by - oy) < _BOX_H + 2 for ox, oy in boxes)
                for px_, py_, pr in centres:  # the box's nearest point to a numbered bubble's centre
                    nx = min(max(px_, bx - _BOX_W / 2), bx + _BOX_W / 2)
                    ny = min(max(py_, by - _BOX_H / 2), by + _BOX_H / 2)
                    bad += (nx - px_) ** 2 + (ny - py_) ** 2 < pr**2
                if bad < best_bad:
                    best, best_bad = (bx - cx, by - cy), bad
                if bad == 0:
                    break
            if best_bad == 0:
                break
        boxes.append((cx + best[0], cy + best[1]))
        out.append((round(best[0], 1), round(best[1], 1)))
    return out


def matrix_chart(
    frame: pd.DataFrame,
    a_threshold: float,
    s_threshold: float,
    labels: Mapping[str, str],
    quadrant_labels: Mapping[str, str],
    label_top: int = 10,
    prefix: str = "¥",
) -> go.Figure:
    """Bubble chart: attractiveness (x) × our strength (y), bubble area ∝ revenue, coloured by quadrant.

    frame: account, revenue, attractiveness, strength, quadrant (largest revenue first; already capped
    by the caller). The first ``label_top`` accounts are numbered 1, 2 … beside their bubble (:func:`place_numbers`;
    the page lists the names: the biggest accounts sit close together, and names drawn there covered each other).
    labels: x, y, revenue, account. ``prefix``: the currency symbol of the revenue in the hover.
    """
    d = frame.dropna(subset=["attractiveness", "strength"]).reset_index(drop=True)
    rev = d["revenue"].clip(lower=0).astype(float)
    peak = float(rev.max()) if len(d) else 0.0
    sizeref = 2.0 * peak / _MAX_BUBBLE**2 if peak > 0 else 1.0  # plotly's area sizing: the peak is _MAX_BUBBLE
    fig = go.Figure()
    for q in ("invest", "maintain", "cash", "reconsider"):
        part = d[d["quadrant"] == q]
        if part.empty:
            continue
        names = [str(a) for a in part["account"]]
        fig.add_scatter(  # numbers as arrays: sent as binary, not copied number by number on every rerun
            x=part["attractiveness"].to_numpy(dtype=float), y=part["strength"].to_numpy(dtype=float),
            mode="markers", name=escape(quadrant_labels[q]),
            customdata=[[a, escape(a), float(r)] for a, r in zip(names, part["revenue"], strict=True)],
            marker=dict(size=rev.loc[part.index].to_numpy(dtype=float), sizemode="area", sizeref=sizeref,
                        sizemin=_MIN_BUBBLE, color=QUADRANT_COLORS[q], opacity=0.7,
                        line=dict(width=0.5, color="white")),
            hovertemplate=(f"<b>%{{customdata[1]}}</b><br>{escape(labels['x'])}: %{{x:.1f}}<br>"
                           f"{escape(labels['y'])}: %{{y:.1f}}<br>{escape(labels['revenue'])}: "
                           f"{escape(prefix)}%{{customdata[2]:,.0f}}<extra></extra>"),
        )  # fmt: skip
    top = d.head(max(label_top, 0))
    radii = [max(_MAX_BUBBLE * (v / peak) ** 0.5 if peak > 0 else 0.0, _MIN_BUBBLE) / 2 for v in rev.head(len(top))]
    pts = list(zip(top["attractiveness"].astype(float), top["strength"].astype(float), radii, strict=True))
    for i, ((x, y, r), (ax, ay), q) in enumerate(zip(pts, place_numbers(pts), top["quadrant"], strict=True)):
        fig.add_annotation(
            x=x, y=y, ax=ax, ay=ay, text=f"<b>{i + 1}</b>", name=f"number_{i + 1}", showarrow=True, arrowhead=0,
            arrowwidth=1, arrowcolor=PALETTE[6], standoff=r, font=dict(size=11, color="#262730"),
            bgcolor="rgba(255,255,255,0.9)", bordercolor=QUADRANT_COLORS.get(q, PALETTE[6]), borderwidth=1, borderpad=1,
        )  # fmt: skip
    line = dict(color=PALETTE[6], dash="dash", width=1)
    fig.add_shape(type="line", x0=a_threshold, x1=a_threshold, y0=0, y1=100, line=line)
    fig.add_shape(type="line", x0=0, x1=100, y0=s_threshold, y1=s_threshold, line=line)
    for q, (x, y, xa, ya) in _QUADRANT_POS.items():
        fig.add_annotation(
            x=x, y=y, xref="x domain", yref="y domain", xanchor=xa, yanchor=ya, showarrow=False,
            text=f"<b>{escape(quadrant_labels[q])}</b>", font=dict(color=QUADRANT_COLORS[q], size=13),
            bgcolor="rgba(255,255,255,0.8)", name=f"quadrant_{q}",
        )  # fmt: skip
    fig.update_xaxes(title=escape(labels["x"]), range=list(_AXIS), type="linear")
    fig.update_yaxes(title=escape(labels["y"]), range=list(_AXIS), type="linear")
    fig.update_layout(hovermode="closest")
    return layout(fig, height=MATRIX_HEIGHT)
