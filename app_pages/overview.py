"""Overview for executives: KPI cards, revenue trend, top accounts, channel split."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kam_core import coverage as cv
from kam_core.analytics import explain as ex
from kam_core.analytics import overview as ov
from kam_core.analytics import scoring as S
from kam_core.analytics import warnings as wr
from kam_core.charts import overview as charts
from kam_core.i18n import value_label
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui.nav import available
from ui.state import lang, tr
from ui.widgets import chart, no_data_notice, show_table

f = st.session_state["filters"]
L = lang()
st.title(tr("page.overview"))


def delta_line(kpi: ov.Kpi, share: bool) -> str:
    """'MoM +3.2%' and 'YoY -1.0 pts' on two lines, green up / red down."""
    parts = []
    for name, v in ((tr("kpi.mom"), kpi.mom), (tr("kpi.yoy"), kpi.yoy)):
        if v is None:
            parts.append(f"{name} –")
            continue
        v = round(v, 3) + 0.0  # -0.0004 shows as a neutral ±0.0, not a red -0.0
        txt = f"{v * 100:+.1f} {tr('kpi.pts')}" if share else fmt.pct(v, signed=True)
        color = "green" if v > 0 else "red" if v < 0 else "gray"
        parts.append(f"{name} :{color}[{txt.replace('+0.0', '±0.0')}]")
    return "  \n".join(parts)


EXPLAINED = {"kpi.revenue": "revenue", "kpi.gross_profit": "gross_profit"}  # KPI → metric of the change breakdown


def explain_links(metric: str, k: ov.Kpis) -> str:
    """'Explain this change: MoM · YoY' — the month's change split by account (our strings and URLs only)."""
    links = [f"[{tr(f'kpi.{vs}')}]({ex.link(metric, k.month, k.month, vs, 'account', f=f)})" for vs in ("mom", "yoy")]
    return f"{tr('explain.link')} " + " · ".join(links)


def warnings_line() -> None:
    """The count of high-severity warnings, one click from the plan portfolio."""
    high = data.query(wr.severity_counts, as_of=date.today())["high"]  # the counts only: a small cache entry
    label = tr("overview.high_warnings", n=high)
    if "portfolio" in {p.key for p in available()} and signin.may("plan.view"):
        st.page_link("app_pages/portfolio.py", label=label, icon=":material/warning:")
    else:
        st.markdown(label)


def kpi_cards(k: ov.Kpis) -> None:
    has_channel = data.dimensions()["channel"].present  # without channels the modern-trade share is unknown
    no_mt = None if has_channel else tr("ui.no_channel")
    top20 = tr("kpi.top20_help", month=f"{k.month:%Y-%m}")  # the month's share; Pareto measures the whole period
    cards = [  # key, KPI, shown, a share (deltas in points), help
        ("kpi.revenue", k.revenue, fmt.money(k.revenue.value, L), False, None),
        ("kpi.gross_profit", k.gross_profit, fmt.money(k.gross_profit.value, L), False, None),
        ("kpi.active_accounts", k.active_accounts, fmt.count(k.active_accounts.value), False, None),
        ("kpi.top20_share", k.top20_share, fmt.pct(k.top20_share.value), True, top20),
        ("kpi.modern_trade_share", k.modern_trade_share,
         fmt.pct(k.modern_trade_share.value) if has_channel else "–", True, no_mt),
    ]  # fmt: skip
    for col, (key, kpi, shown, share, help_) in zip(st.columns(len(cards)), cards, strict=True):
        with col.container(border=True, key=f"kpi_{key.split('.')[1]}"):
            st.metric(tr(key), shown, help=help_)
            if key == "kpi.modern_trade_share" and not has_channel:
                continue  # no figure, so no change either
            st.markdown(delta_line(kpi, share))
            if key in EXPLAINED:
                st.markdown(explain_links(EXPLAINED[key], k))


def trend_section() -> None:
    st.subheader(tr("overview.trend"))
    labels = {c: tr(f"col.{c}") for c in ("revenue", "gross_profit", "revenue_last_year")}
    # a rerun reuses the figure (ui.data.built: per data state and currency) instead of building plotly objects
    fig = data.built(
        ("overview_trend", f, L), lambda: charts.revenue_trend(data.query(ov.trend, f), labels, fmt.symbol(), L)
    )
    chart(fig, key="overview_trend")


def top_accounts_section() -> None:
    st.subheader(tr("overview.top_accounts"))
    top = data.query(ov.top_accounts, f, n=10)
    if top.empty:
        st.info(tr("empty.selection"))
        return
    top = data.query(S.with_scores, top, f)
    fig = data.built(("overview_top", f, L),
                     lambda: charts.top_bar(top, "account", "revenue", tr("col.revenue"), fmt.symbol(), L))  # fmt: skip
    chart(fig, key="overview_top_chart")
    show_table(
        top[["account", "revenue", "share", "yoy", "score", "key"]].assign(yoy=cols.growth_text(top["yoy"])),
        hide_index=True,
        key="overview_top",
        column_config={
            "account": cols.text(tr("col.account")),
            "revenue": cols.money(tr("col.revenue")),
            "share": cols.pct(tr("col.share")),
            "yoy": cols.text(tr("col.yoy")),
            "score": cols.number(tr("col.score"), "%.1f"),
            "key": st.column_config.CheckboxColumn(tr("col.key")),
        },
    )
    if note := cv.note(top, L):
        st.caption(tr("coverage.no_growth", what=tr("col.yoy"), reason=note))


def channel_section() -> None:
    st.subheader(tr("overview.channel_split"))
    channel = data.dimensions()["channel"]
    if not channel.present:  # a pie of 100% "(none)" would say nothing
        st.info(tr("ui.no_channel"), icon=":material/info:")
        return
    ch = data.query(ov.channel_split, f)
    if ch.empty:
        st.info(tr("empty.selection"))
        return
    fig = data.built(
        ("overview_channels", f, L),
        lambda: charts.share_donut(
            [value_label("channel", c, L) for c in ch["channel"]],
            ch["revenue"].astype(float).tolist(),
            fmt.symbol(),
            keys=[c or "" for c in ch["channel"]],
        ),
    )
    chart(fig, key="overview_channels")
    if 1 - channel.revenue_share >= 0.005:
        st.caption(tr("ui.channel_partial", share=fmt.pct(1 - channel.revenue_share, 0)))


def summary_section(k: ov.Kpis) -> None:
    kpi_cards(k)
    for what, c in ((tr("kpi.mom"), k.mom_note), (tr("kpi.yoy"), k.yoy_note)):  # why a delta shows "–"
        if c is not None and not c.ok:
            st.caption(tr("coverage.no_growth", what=what, reason=c.message(L)))
    warnings_line()


def page() -> None:
    k = data.query(ov.kpis, f)
    if k is None:
        if f.end is None:
            no_data_notice()
        else:
            st.info(tr("empty.selection"))
        return
    st.caption(tr("overview.caption", month=f"{k.month:%Y-%m}"))
    present.sections("overview", [
        (tr("present.summary"), lambda: summary_section(k)),
        (tr("overview.trend"), trend_section),
        present.Row([(tr("overview.top_accounts"), top_accounts_section),
                     (tr("overview.channel_split"), channel_section)], widths=(3, 2)),
    ])  # fmt: skip


page()
