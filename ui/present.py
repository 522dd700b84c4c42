"""Presentation mode: ``?present=1`` for a projector, one section of a page at a time (``&step=N``).

While presenting the sidebar is hidden (its widgets still run, so the filters and the
language keep applying), pages skip their editing sections (``if not present.on():``), type
and charts are larger, and ``sections()`` shows one declared section with next / previous
buttons (the → / ← keys). Outside presentation ``sections()`` draws every section.

A page declares its sections once::

    present.sections("overview", [
        (tr("present.summary"), kpis),
        (tr("overview.trend"), trend_section),
        present.Row([(tr("overview.top_accounts"), top), (tr("overview.channel_split"), split)], widths=(3, 2)),
        present.Tabs("pareto_tab", [(tr("pareto.tab.curve"), curve), ...]),
    ])

A ``Row`` is drawn side by side and ``Tabs`` as tabs (only the open one runs) in normal mode;
while presenting every entry of both is a step of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from kam_core.filters import Filters
from kam_core.i18n import value_label
from ui.plotly_view import DEFAULT_HEIGHT
from ui.state import PRESENT, lang, tr

KEY = PRESENT  # the sidebar toggle's widget key, and the URL flag ?present=1 (read and written by ui/state.py)
STEP = "step"  # URL parameter: the section shown, from 1
CSS = Path(__file__).resolve().parent.parent / "static" / "present.css"
CHART_HEIGHT = 1.4  # chart heights × this while presenting (a projector is read from the back of the room)
CHART_FONT = 1.35  # chart type × this
DEFAULT_FONT = 12  # plotly's default font size

Draw = Callable[[], object]
Entry = tuple[str, Draw]


@dataclass(frozen=True)
class Row:
    """Sections drawn side by side in normal mode (``widths`` as for st.columns); one step each while presenting."""

    items: Sequence[Entry]
    widths: Sequence[float] | None = None


@dataclass(frozen=True)
class Tabs:
    """Sections drawn as tabs in normal mode (``key``: the tabs' widget key); one step each while presenting."""

    key: str
    items: Sequence[Entry]


Item = Entry | Row | Tabs


def on() -> bool:
    """Presenting: pages skip their editing sections when this is True."""
    return bool(st.session_state.get(KEY))


def toggle() -> None:
    """The sidebar switch (drawn on every run, also while hidden, so its state survives)."""
    st.sidebar.toggle(tr("present.toggle"), key=KEY, help=tr("present.toggle_help"))


def style() -> None:
    """Inject the projector CSS (hidden sidebar, larger type), once per run, only while presenting."""
    if on():
        st.html(CSS)


def _exit() -> None:
    st.session_state[KEY] = False
    for param in (KEY, STEP):
        if param in st.query_params:
            del st.query_params[param]


def bar(f: Filters) -> None:
    """Top of every page while presenting: the filters that apply (the sidebar is hidden) and the way out."""
    if not on():
        return
    with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center"):
        st.caption(filter_line(f), width="content")
        st.button(tr("present.exit"), key="present_exit", on_click=_exit, icon=":material/close_fullscreen:")


def filter_line(f: Filters) -> str:
    """'Period 2025-11 – 2026-10 · Region: East, South · Channel: all · KAM: all' in the session's language."""
    if f.start is None or f.end is None:
        return tr("present.no_filters")
    L = lang()
    parts = [f"{tr('sidebar.period')}: {f.start:%Y-%m} – {f.end:%Y-%m}"]
    for label, kind, values in (("sidebar.region", "region", f.regions), ("sidebar.channel", "channel", f.channels),
                                ("sidebar.kam", None, f.kams)):  # fmt: skip
        shown = ", ".join(value_label(kind, v, lang=L) if kind else str(v) for v in values) or tr("sidebar.all")
        parts.append(f"{tr(label)}: {shown}")
    return " · ".join(parts)


def editing_hidden() -> bool:
    """For a page that is all editing (upload): a note instead of the page while presenting; True when presenting."""
    if on():
        st.info(tr("present.editing_hidden"), icon=":material/slideshow:")
        return True
    return False


def flatten(items: Sequence[Item]) -> list[Entry]:
    """Every section in order, rows and tabs unpacked: the presentation's steps."""
    out: list[Entry] = []
    for item in items:
        out.extend(item.items if isinstance(item, Row | Tabs) else [item])
    return out


def step(n: int) -> int:
    """The step shown (1 … n): ``?step=`` clamped; 1 when missing or not a number."""
    try:
        i = int(st.query_params.get(STEP) or 1)
    except ValueError:
        i = 1
    return min(max(i, 1), max(n, 1))


def _go(i: int) -> None:
    st.query_params[STEP] = str(i)


def sections(page_key: str, items: Sequence[Item]) -> None:
    """Draw a page's sections: all of them (rows, tabs) normally, one with next / previous while presenting."""
    if not on():
        if STEP in st.query_params:
            del st.query_params[STEP]  # a leftover of presenting: a copied link would open at this step
        for item in items:
            _draw(item)
        return
    flat = flatten(items)
    if not flat:
        return
    i = step(len(flat))
    if st.query_params.get(STEP) != str(i):
        st.query_params[STEP] = str(i)  # the URL always names the step shown (a copied link reopens it)
    title, draw = flat[i - 1]
    with st.container(key=f"present_nav_{page_key}", horizontal=True, vertical_alignment="center"):
        # First in the tab order, and on the arrow keys (st.button shortcuts; a clicker sends them too).
        # The buttons show their key (← / →) themselves.
        st.button(tr("present.previous"), key="present_prev", shortcut="Left", disabled=i == 1, on_click=_go,
                  args=(i - 1,))  # fmt: skip
        st.button(tr("present.next"), key="present_next", shortcut="Right", disabled=i == len(flat), on_click=_go,
                  args=(i + 1,), type="primary")  # fmt: skip
        st.markdown(f"**{tr('present.step', i=i, n=len(flat))}** · {title}")
    draw()


def _draw(item: Item) -> None:
    if isinstance(item, Row):
        for col, (_, draw) in zip(st.columns(list(item.widths or [1] * len(item.items))), item.items, strict=True):
            with col:
                draw()
    elif isinstance(item, Tabs):
        tabs = st.tabs([title for title, _ in item.items], key=item.key, on_change="rerun")
        for tab, (_, draw) in zip(tabs, item.items, strict=True):
            if tab.open is not False:  # tabs track their state (on_change="rerun"): only the open tab's queries run
                with tab:
                    draw()
    else:
        item[1]()


def enlarge(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for the projector: taller, and every font it sets (or inherits) larger."""
    big = go.Figure(fig)
    lay = big.layout
    big.update_layout(height=round((lay.height or DEFAULT_HEIGHT) * CHART_HEIGHT),
                      font_size=round((lay.font.size or DEFAULT_FONT) * CHART_FONT))  # fmt: skip
    fonts = [lay.title.font, lay.legend.font, *(a.font for a in lay.annotations)]
    big.for_each_xaxis(lambda ax: fonts.extend([ax.title.font, ax.tickfont]))
    big.for_each_yaxis(lambda ax: fonts.extend([ax.title.font, ax.tickfont]))
    for font in fonts:
        if font.size:  # unset sizes follow the (enlarged) layout font
            font.size = round(font.size * CHART_FONT)
    return big
