"""Chart of what an upload changes: revenue per month now and after the commit."""

from __future__ import annotations

import plotly.graph_objects as go

from kam_core.charts import PALETTE, _layout
from kam_core.charts.style import extent, money_axis, money_hover
from kam_core.ingest.preview import MonthTotal


def change_chart(months: list[MonthTotal], labels: dict[str, str], prefix: str = "", lang: str = "en") -> go.Figure:
    """Grouped bars per month of the file: ``before`` (now) and ``after`` (once committed); the amount axis in
    the reader's units (``prefix``: the currency symbol), as every other money axis."""
    x = [f"{m.period:%Y-%m}" for m in months]
    before, after = [float(m.before) for m in months], [float(m.after) for m in months]
    fig = go.Figure()
    fig.add_bar(x=x, y=before, name=labels["before"], marker_color=PALETTE[6],
                hovertemplate=money_hover(prefix))  # fmt: skip
    fig.add_bar(x=x, y=after, name=labels["after"], marker_color=PALETTE[1],
                hovertemplate=money_hover(prefix))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(**money_axis(*extent(before, after), prefix, lang))
    return _layout(fig, height=300)
