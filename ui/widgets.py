"""Small widgets shared by the pages: the formula-safe CSV + Excel download pair, a chart that is never bare axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core import export_safe
from kam_core.charts import style
from ui import present
from ui.state import tr

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_pair(
    frame: pd.DataFrame,
    stem: str,
    key: str,
    sheet: str = "data",
    *,
    labels: tuple[str, str],
    widths: Sequence[float] = (1, 1),
) -> None:
    """Two buttons side by side: ``{stem}.csv`` and ``{stem}.xlsx`` of ``frame``, keys ``{key}_csv`` / ``{key}_xlsx``.

    The files go through kam_core.export_safe (text never becomes a formula) and are built
    only when a button is clicked (a 100 000-row workbook takes seconds). ``labels``: the
    two buttons' translated texts; ``widths`` as for st.columns (the first two hold the buttons).
    """
    csv_label, xlsx_label = labels
    c1, c2, *_ = st.columns(list(widths))
    c1.download_button(csv_label, lambda: export_safe.to_csv_bytes(frame), file_name=f"{stem}.csv",
                       mime="text/csv", key=f"{key}_csv")  # fmt: skip
    c2.download_button(xlsx_label, lambda: export_safe.to_xlsx_bytes({sheet: frame}), file_name=f"{stem}.xlsx",
                       mime=XLSX_MIME, key=f"{key}_xlsx")  # fmt: skip


TABLE_ROWS = 1_000  # rows a table sends to the browser; the downloads hold the full list


def capped(frame: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The first ``n`` rows of ``frame`` for st.dataframe, with a caption when rows are left out.

    A table of 100 000 accounts is megabytes in the browser and no one reads it; the page's
    download buttons give the full list. ``n``: default TABLE_ROWS.
    """
    n = TABLE_ROWS if n is None else n
    if len(frame) <= n:
        return frame
    st.caption(tr("ui.rows_capped", shown=f"{n:,}", n=f"{len(frame):,}"))
    return frame.head(n)


def chart_config(key: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """plotly.js options of every chart: the modebar's "Download plot as png" (drawn in the browser, offline)
    at twice the screen resolution, named after the chart; no plotly logo; no MathJax (nothing to fetch)."""
    return {
        "displaylogo": False,
        "typesetMath": False,  # "$" in an account name stays text; MathJax is never looked for
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key},
        **(extra or {}),
    }


def chart(fig: go.Figure, key: str, empty: str | None = None, *, config: dict[str, Any] | None = None,
          **kw: Any) -> bool:  # fmt: skip
    """``st.plotly_chart(fig)``, or a sentence instead of bare axes when the figure has no data point.

    ``empty``: the sentence (translated); default "nothing to draw for this selection". ``config``: plotly.js
    options added to chart_config's. Larger while presenting. True when drawn.
    """
    if not style.has_data(fig):
        st.info(empty or tr("ui.chart_empty"), icon=":material/bar_chart_off:")
        return False
    if present.on():
        fig = present.enlarge(fig)
    st.plotly_chart(fig, key=key, config=chart_config(key, config), **kw)
    return True
