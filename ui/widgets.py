"""Small widgets shared by the pages: the formula-safe CSV + Excel download pair, a chart that is never bare axes,
a searchable account picker."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core import export_safe
from kam_core.charts import style
from ui import present
from ui.fmt import md
from ui.state import tr

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_pair(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
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
    ``frame`` may be a function that makes the frame: then it is made on the click too.
    """
    csv_label, xlsx_label = labels
    make = frame if callable(frame) else lambda: frame
    c1, c2, *_ = st.columns(list(widths))
    c1.download_button(csv_label, lambda: export_safe.to_csv_bytes(make()), file_name=f"{stem}.csv",
                       mime="text/csv", key=f"{key}_csv")  # fmt: skip
    c2.download_button(xlsx_label, lambda: export_safe.to_xlsx_bytes({sheet: make()}), file_name=f"{stem}.xlsx",
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


PICK_LIMIT = 200  # options an account picker sends to the browser; typing narrows the rest


def _folded(text: str) -> str:
    """Text for matching: full-width forms made plain (１８１０２ → 18102), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def pick_matches(options: Sequence[Any], query: str, format_func: Callable[[Any], Any] = str,
                 limit: int = PICK_LIMIT) -> tuple[list[Any], int]:  # fmt: skip
    """The first ``limit`` options (in their order) whose value or label (``format_func``) contains ``query``,
    case-insensitive, and how many match in all; every option when ``query`` is blank."""
    q = _folded(query.strip())
    if not q:
        return list(options[:limit]), len(options)
    found: list[Any] = []
    n = 0
    for o in options:
        if q in _folded(str(o)) or q in _folded(str(format_func(o))):
            n += 1
            if len(found) < limit:
                found.append(o)
    return found, n


def account_picker(
    label: str,
    options: Sequence[Any],
    key: str,
    *,
    index: int | None = 0,
    format_func: Callable[[Any], Any] | None = None,
    placeholder: str | None = None,
    help: str | None = None,
    limit: int = PICK_LIMIT,
    container: Any = None,
) -> Any:
    """``st.selectbox(label, options, index, format_func, key, …)`` that stays usable with 100 000 accounts.

    Up to ``limit`` options it is exactly that select box. With more, a text field ("type part of an account
    code or name", key ``{key}_find``) narrows the options to those whose value or label contains the text
    (case-insensitive), and the select box (still key ``key``) holds at most ``limit`` of them: the first
    ones, in the given order, when nothing is typed. The current choice (from session state, the page's
    ``index`` or a URL) is always among them, so narrowing never drops it. ``container``: where to draw
    (a column), default the page. The caption under it tells how many are shown, of how many accounts (an ""
    option, such as "all accounts", not counted). Returns the chosen option, as st.selectbox does.
    """
    where = container if container is not None else st
    fmt_func = format_func or str
    kw: dict[str, Any] = {"format_func": fmt_func, "key": key, "placeholder": placeholder, "help": help}
    if len(options) <= limit:
        return where.selectbox(label, options, index=index, **kw)
    query = where.text_input(tr("ui.pick_find"), key=f"{key}_find", placeholder=tr("ui.pick_hint"))
    shown, n = pick_matches(options, query, fmt_func, limit)
    default = options[index] if index is not None else None
    current = st.session_state[key] if key in st.session_state else default
    if current is not None and current not in options:
        current = default  # gone from the options (filters changed): the select box falls back to its default
    if current is not None and current not in shown:
        shown = [current, *shown[: limit - 1]]  # the choice stays chosen when the text no longer matches it
    at = None if index is None else shown.index(default) if default in shown else 0
    choice = where.selectbox(label, shown, index=at, **kw)
    total = f"{sum(1 for o in options if o != ''):,}"  # an "" option (all accounts) is no account
    if not query.strip():
        where.caption(tr("ui.pick_capped", shown=f"{min(limit, len(options)):,}", n=total))
    elif n == 0:
        where.caption(tr("ui.pick_none", q=md(query.strip()), n=total))
    elif n > limit:
        where.caption(tr("ui.pick_many", shown=f"{limit:,}", m=f"{n:,}", q=md(query.strip()), n=total))
    else:
        where.caption(tr("ui.pick_found", m=f"{n:,}", q=md(query.strip()), n=total))
    return choice
