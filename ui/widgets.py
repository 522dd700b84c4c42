"""Small widgets shared by the pages: the formula-safe CSV + Excel download pair, a chart that is never bare axes,
a searchable account picker (its options a list, or a PickList: 100 000 accounts kept as columns)."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from kam_core import export_safe
from kam_core.charts import style
from ui import columns, plotly_view, present
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


MISSING = "–"  # a missing figure in a table (st.dataframe would write an untranslated "None")


def show_table(data: Any, *, where: Any = None, **kw: Any) -> Any:
    """st.dataframe (in ``where``, e.g. a column) with missing values shown as "–"; a money column that
    holds a negative amount reads "-1,234" under "Revenue (¥)" (``columns.sign_first``); percentages are
    rounded to the decimal shown (``columns.rounded``)."""
    kw.setdefault("placeholder", MISSING)
    if kw.get("column_config"):
        data = columns.rounded(data, kw["column_config"])  # (the browser cuts a percentage to its step)
        kw["column_config"] = columns.sign_first(data, kw["column_config"])
    return (where or st).dataframe(data, **kw)


def edit_table(data: Any, **kw: Any) -> Any:
    """st.data_editor with missing values left as empty cells, ready to be typed into."""
    kw.setdefault("placeholder", "")
    return st.data_editor(data, **kw)


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
    at twice the screen resolution, named after the chart; no plotly logo; no MathJax (nothing to fetch); no box
    or lasso selection (nothing in the app reads a selection: it only greyed the other points out)."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        "typesetMath": False,  # "$" in an account name stays text; MathJax is never looked for
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key},
        **(extra or {}),
    }


def chart(fig: go.Figure, key: str, empty: str | None = None, *, config: dict[str, Any] | None = None) -> bool:
    """The figure drawn full width (ui.plotly_view), or a sentence instead of bare axes when it has no data point.

    ``empty``: the sentence (translated); default "nothing to draw for this selection". ``config``: plotly.js
    options added to chart_config's. Larger while presenting. True when drawn.
    """
    if not style.has_data(fig):
        st.info(empty or tr("ui.chart_empty"), icon=":material/bar_chart_off:")
        return False
    if present.on():
        fig = present.enlarge(fig)
    plotly_view.show(fig, key, chart_config(key, config))
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


def _text_column(values: Any) -> pa.Array:
    """One pyarrow string array of a list, a pandas column (its arrow strings taken as they are) or an array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    arr = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return arr if arr.type == pa.string() else arr.cast(pa.string())


class PickList:
    """A long picker's options kept as columns: the values (text) and what the select box shows for each.

    Built once per state of the data (ui.data.built) and shared read-only: account_picker then reads
    only the options it shows, never making a Python object per option on a run. A search matches what
    :func:`pick_matches` matches (the value or the label contains the typed text, NFKC and case folded);
    the folded text is made on the first search and kept. ``labels``: default the values themselves.
    """

    def __init__(
        self,
        values: Sequence[str] | pa.Array | pd.Series,
        labels: Sequence[str] | pa.Array | None = None,
    ) -> None:
        self.values = _text_column(values)
        self.labels = self.values if labels is None else _text_column(labels)
        if len(self.labels) != len(self.values):
            raise ValueError("one label per value")
        self._folded: tuple[pa.Array, pa.Array] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, value: object) -> bool:
        return self.position(value) is not None

    def position(self, value: object) -> int | None:
        """Where ``value`` is (its first place), None when it is not an option."""
        if not isinstance(value, str):
            return None
        i = pc.index(self.values, value).as_py()
        return None if i < 0 else i

    def value(self, i: int) -> str:
        return self.values[i].as_py()

    def label(self, i: int) -> str:
        return self.labels[i].as_py()

    def to_list(self) -> list[str]:
        return self.values.to_pylist()

    def accounts(self) -> int:
        """How many options are accounts (an "" option, such as "all accounts", is none)."""
        return int(pc.sum(pc.not_equal(self.values, "")).as_py() or 0)

    def _haystack(self) -> tuple[pa.Array, pa.Array]:
        with self._lock:
            if self._folded is None:
                self._folded = (pa.array([_folded(v) for v in self.values.to_pylist()], pa.string()),
                                pa.array([_folded(v) for v in self.labels.to_pylist()], pa.string()))  # fmt: skip
            return self._folded

    # -- what account_picker reads (as of _Listed): only the options it shows become Python objects ----------
    def everything(self) -> tuple[list[str], dict[str, str]]:
        values = self.to_list()
        names: dict[str, str] = {}
        for v, lab in zip(values, self.labels.to_pylist(), strict=True):
            names.setdefault(v, lab)
        return values, names

    def matches(self, query: str, limit: int) -> tuple[list[str], int, dict[str, str]]:
        found, n = self.find(query, limit)
        at = pa.array(found, pa.int64())
        shown = self.values.take(at).to_pylist()
        return shown, n, dict(zip(shown, self.labels.take(at).to_pylist(), strict=True))

    def label_of(self, value: str) -> str:
        return self.label(self.position(value))  # type: ignore[arg-type]

    def find(self, query: str, limit: int = PICK_LIMIT) -> tuple[list[int], int]:
        """The positions of the first ``limit`` options matching ``query`` (as pick_matches) and how many match."""
        q = _folded(query.strip())
        if not q:
            return list(range(min(limit, len(self)))), len(self)
        values, labels = self._haystack()
        hit = pc.or_(pc.match_substring(values, q), pc.match_substring(labels, q))
        where = pc.indices_nonzero(hit)
        return where.slice(0, limit).to_pylist(), len(where)


def account_picker(
    label: str,
    options: Sequence[Any] | PickList,
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
    ``options`` may be a :class:`PickList` (its labels are shown; ``format_func`` is not used): the same
    widgets, reading only the options shown.
    """
    where = container if container is not None else st
    opts = options if isinstance(options, PickList) else _Listed(options, format_func or str)
    kw: dict[str, Any] = {"key": key, "placeholder": placeholder, "help": help}
    if len(opts) <= limit:
        values, names = opts.everything()
        return where.selectbox(label, values, index=index, format_func=names.__getitem__, **kw)
    query = where.text_input(tr("ui.pick_find"), key=f"{key}_find", placeholder=tr("ui.pick_hint"))
    shown, n, names = opts.matches(query, limit)
    default = opts.value(index) if index is not None else None
    current = st.session_state[key] if key in st.session_state else default
    if current is not None and current not in opts:
        current = default  # gone from the options (filters changed): the select box falls back to its default
    if current is not None and current not in names:
        names[current] = opts.label_of(current)
        shown = [current, *shown[: limit - 1]]  # the choice stays chosen when the text no longer matches it
    at = None if index is None else shown.index(default) if default in shown else 0
    choice = where.selectbox(label, shown, index=at, format_func=names.__getitem__, **kw)
    _pick_caption(where, query, n, limit, len(opts), opts.accounts())
    return choice


class _Listed:
    """account_picker's view of a plain list of options: labels by ``format_func``, made for the options shown."""

    def __init__(self, options: Sequence[Any], format_func: Callable[[Any], Any]) -> None:
        self.options, self.format_func = options, format_func

    def __len__(self) -> int:
        return len(self.options)

    def __contains__(self, value: object) -> bool:
        return value in self.options

    def value(self, i: int) -> Any:
        return self.options[i]

    def label_of(self, value: Any) -> Any:
        return self.format_func(value)

    def accounts(self) -> int:
        return sum(1 for o in self.options if o != "")  # an "" option (all accounts) is no account

    def everything(self) -> tuple[list[Any], dict[Any, Any]]:
        values = list(self.options)
        return values, {v: self.format_func(v) for v in values}

    def matches(self, query: str, limit: int) -> tuple[list[Any], int, dict[Any, Any]]:
        shown, n = pick_matches(self.options, query, self.format_func, limit)
        return shown, n, {v: self.format_func(v) for v in shown}


def _pick_caption(where: Any, query: str, n: int, limit: int, options: int, accounts: int) -> None:
    """How many options the select box holds, of how many accounts, for what was typed."""
    total = f"{accounts:,}"
    if not query.strip():
        where.caption(tr("ui.pick_capped", shown=f"{min(limit, options):,}", n=total))
    elif n == 0:
        where.caption(tr("ui.pick_none", q=md(query.strip()), n=total))
    elif n > limit:
        where.caption(tr("ui.pick_many", shown=f"{limit:,}", m=f"{n:,}", q=md(query.strip()), n=total))
    else:
        where.caption(tr("ui.pick_found", m=f"{n:,}", q=md(query.strip()), n=total))


def no_data_notice() -> None:
    """The empty database's message, every page alike, with the way to the upload page for who may upload."""
    from ui import auth as signin
    from ui.nav import available, icon

    st.info(tr("empty.no_data"))
    if "upload" in {p.key for p in available()} and signin.may("upload"):
        st.page_link("app_pages/upload.py", label=tr("empty.go_upload"), icon=icon("upload"))
