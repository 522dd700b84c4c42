"""Chart of what an upload changes: revenue per month now and after the commit."""

from __future__ import annotations

import plotly.graph_objects as go

from kam_core.charts import PALETTE, _layout
from kam_core.ingest.preview import MonthTotal


def change_chart(months: list[MonthTotal], labels: dict[str, str]) -> go.Figure:
    """Grouped bars per month of the file: ``before`` (now) and ``after`` (once committed)."""
    x = [f"{m.period:%Y-%m}" for m in months]
    fig = go.Figure()
    fig.add_bar(x=x, y=[float(m.before) for m in months], name=labels["before"], marker_color=PALETTE[6])
    fig.add_bar(x=x, y=[float(m.after) for m in months], name=labels["after"], marker_color=PALETTE[1])
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return _layout(fig, height=300)
