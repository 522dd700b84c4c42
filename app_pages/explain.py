"""What changed, and where: a figure's change between two windows, member by member (waterfall and table).

The URL carries the question (``?metric=&by=&from=&to=&vs=&account=``; from / to are the sidebar
period), so a figure or a warning links here in one click.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import currency
from kam_core.analytics import explain as ex
from kam_core.analytics.pareto import DIMENSIONS, METRICS
from kam_core.charts import explain as charts
from kam_core.errors import UserError
from kam_core.filters import Filters
from kam_core.i18n import t
from ui import columns as cols
from ui import data, fmt, present
from ui.state import keep_in_url, lang, tr, url_choice
from ui.widgets import account_picker, capped, chart, download_pair, no_data_notice, show_table

f: Filters = st.session_state["filters"]
L = lang()
st.title(tr("page.explain"))
st.caption(tr("explain.caption"))

TOP = 12  # waterfall steps before "others"


def controls() -> tuple[str, str, str, str | None]:
    c1, c2, c3, c4 = st.columns([1, 1, 1.4, 2])
    metrics, dims, bases = list(METRICS), list(DIMENSIONS), list(ex.BASES)
    metric = c1.selectbox(tr("explain.metric"), metrics, index=url_choice("metric", metrics), key="ex_metric",
                          format_func=lambda m, L=L: t(f"pareto.metric.{m}", L))  # fmt: skip
    by = c2.selectbox(tr("explain.by"), dims, index=url_choice("by", dims), key="ex_by",
                      format_func=lambda d, L=L: t(f"pareto.dim.{d}", L))  # fmt: skip
    vs = c3.radio(tr("explain.vs"), bases, index=url_choice("vs", bases), key="ex_vs", horizontal=True,
                  format_func=lambda v, L=L: t(f"explain.vs.{v}", L))  # fmt: skip
    accounts = ["", *data.query(ex.accounts)]
    account = account_picker(tr("explain.account"), accounts, index=url_choice("account", accounts), key="ex_account",
                             format_func=lambda a, L=L: a or t("explain.all_accounts", L), container=c4)  # fmt: skip
    keep_in_url("metric", metric, metrics[0])
    keep_in_url("by", by, dims[0])
    keep_in_url("vs", vs, bases[0])
    keep_in_url("account", account, "")
    return metric, by, vs, account or None


def amount(metric: str, v: float, digits: int | None = None) -> str:
    if metric == "volume":
        return fmt.count(v)
    return fmt.money(v, L, digits=digits)


def ends(b: ex.Breakdown) -> int | None:
    """Decimals for before and after, so that the two differ as much as they do (¥3.03 B → ¥3.10 B)."""
    return currency.pair_digits(float(b.before), float(b.after), L)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The view's member columns as the table and the downloads show them (share as a signed percentage)."""
    pct = [fmt.pct(None if v != v else v, signed=True) for v in frame["share_of_change"].tolist()]
    return frame[["member", "before", "after", "change"]].assign(share_of_change=pct, status=frame["status_label"])


def summary(b: ex.Breakdown) -> None:
    st.caption(tr("explain.windows", base_from=f"{b.base[0]:%Y-%m}", base_to=f"{b.base[1]:%Y-%m}",
                  start=f"{b.current[0]:%Y-%m}", end=f"{b.current[1]:%Y-%m}"))  # fmt: skip
    c1, c2, c3, c4 = st.columns(4)
    d = ends(b)
    c1.metric(tr("explain.before"), amount(b.metric, float(b.before), d))
    c2.metric(tr("explain.after"), amount(b.metric, float(b.after), d))
    c3.metric(tr("explain.total"), ("+" if b.total_change >= 0 else "") + amount(b.metric, float(b.total_change)))
    c4.metric(tr("explain.growth"), fmt.pct(b.growth, signed=True))
    if b.comparison is not None and not b.comparison.ok:
        st.caption(tr("coverage.no_growth", what=tr("explain.growth"), reason=b.comparison.message(L)))


def waterfall_section(b: ex.Breakdown, steps: list[ex.Member], n: int) -> None:
    st.subheader(tr("explain.waterfall"))
    prefix = "" if b.metric == "volume" else fmt.symbol()
    named = [(ex.member_label(m, L), float(m.change)) for m in steps]
    d = ends(b)
    fig = charts.waterfall(float(b.before), named, tr("explain.before"), tr("explain.after"),
                           lambda v: amount(b.metric, v), prefix, L,
                           totals=lambda v: amount(b.metric, v, d))  # fmt: skip
    chart(fig, key="explain_waterfall")
    if n > TOP:
        st.caption(tr("explain.waterfall_note", n=TOP, rest=n - TOP))


def table_section(b: ex.Breakdown, frame: pd.DataFrame, sub: dict) -> None:
    st.subheader(tr("explain.table"))
    money = b.metric != "volume"
    show_table(
        shown(capped(frame)),  # the first rows; the downloads below hold them all
        hide_index=True,
        key="explain_table",
        column_config={
            "member": cols.text(t(f"pareto.dim.{b.by}", L)),
            "before": cols.money(tr("explain.col.before"), currency=money),
            "after": cols.money(tr("explain.col.after"), currency=money),
            "change": cols.signed_money(tr("explain.col.change"), currency=money),
            "share_of_change": cols.text(tr("explain.col.share")),
            "status": cols.text(tr("explain.col.status")),
        },
    )

    def signed(v: object) -> str:
        return ("+" if float(v) > 0 else "") + amount(b.metric, float(v))  # type: ignore[arg-type]  (no "+¥0")

    st.caption(tr("explain.subtotals", continuing=signed(sub["continuing"]), new=signed(sub["new"]),
                  lost=signed(sub["lost"]), total=signed(b.total_change)))  # fmt: skip
    download_pair(lambda: shown(frame), f"change_{b.metric}_by_{b.by}", "explain_dl", labels=(tr("explain.dl_csv"),
                  tr("explain.dl_xlsx")), widths=(1, 1, 4))  # fmt: skip


def page() -> None:
    if not f.has_period():
        no_data_notice()
        return
    metric, by, vs, account = controls()
    try:
        v = data.query(ex.view, f, by, metric, vs, account, L, TOP)  # cached whole: no member objects
    except UserError as e:
        st.error(e.message(L))
        return
    b = v.head
    if not v.n:
        summary(b)
        st.info(tr("explain.no_change"))
        return
    present.sections("explain", [
        (tr("present.summary"), lambda: summary(b)),
        (tr("explain.waterfall"), lambda: waterfall_section(b, v.steps, v.n)),
        (tr("explain.table"), lambda: table_section(b, v.frame, v.subtotals)),
    ])  # fmt: skip


page()
