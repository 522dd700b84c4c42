"""Channels: share over time (100% stacked), by region, YoY growth, mix shift; the channel map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import currency
from kam_core.analytics import channels as ch
from kam_core.charts import channels as cc
from kam_core.i18n import t, value_label
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui.fmt import md
from ui.state import acting_user, flash, has_flash, lang, show_flash, tr
from ui.widgets import chart, edit_table, no_data_notice, show_table

f = st.session_state["filters"]
L = lang()
st.title(tr("page.channels"))


def data_key() -> tuple:
    """What every figure of this page depends on besides the data (ui.data.built adds that)."""
    return f, L


def channel_label(code: str) -> str:
    return t("channels.code_other", L) if code == "other" else value_label("channel", code, L)


def names_for(dim: str, keys) -> dict[str, str]:
    if dim == "segment":
        return {k: tr(f"channels.segment_{k}") for k in keys}
    return {k: channel_label(k) for k in keys}


def month(d) -> str:
    return f"{d:%Y-%m}"


def analysis() -> None:
    if f.end is None:
        no_data_notice()
        return
    channel = data.dimensions()["channel"]
    if not channel.present:  # every line would be "(none)": say what is missing instead of 100% charts
        st.info(tr("ui.no_channel"), icon=":material/info:")
        return
    if 1 - channel.revenue_share >= 0.005:
        st.caption(tr("ui.channel_partial", share=fmt.pct(1 - channel.revenue_share, 0)))
    unmapped_warning()
    grain, dim, kind = controls()
    share = data.query(ch.share_over_time, f, grain, dim)
    if share.empty:
        st.info(tr("empty.selection"))
        return
    order = list(ch.SEGMENTS) if dim == "segment" else None  # segments in their natural order, channels by size
    share_section(share, grain, dim, kind, order)
    region_section(dim, order)
    g = growth_section(dim)
    mix_section(g, dim)


def unmapped_warning() -> None:
    names_table = data.query(ch.mapping_table)
    unmapped = names_table.loc[names_table["source"] == "unmapped", "raw"].tolist()
    if unmapped:
        st.warning(tr("channels.unmapped", names=", ".join(md(n) for n in unmapped[:12]), n=len(unmapped)))


def controls() -> tuple[str, str, str]:
    """Grain (month / quarter / year), view (channel / segment) and chart kind (area / bar)."""
    c1, c2, c3 = st.columns(3)
    grain = c1.radio(tr("channels.grain"), ch.GRAINS, format_func=lambda g: t(f"channels.grain_{g}", L),
                     horizontal=True, key="ch_grain")  # fmt: skip
    dim = c2.radio(tr("channels.view"), ("channel", "segment"), format_func=lambda d: t(f"channels.view_{d}", L),
                   horizontal=True, key="ch_dim")  # fmt: skip
    kind = c3.radio(tr("channels.chart"), ("area", "bar"), format_func=lambda k: t(f"channels.chart_{k}", L),
                    horizontal=True, key="ch_kind")  # fmt: skip
    return grain, dim, kind


def share_section(share: pd.DataFrame, grain: str, dim: str, kind: str, order: list[str] | None) -> None:
    names = names_for(dim, share["key"].unique())
    st.subheader(tr("channels.share_over_time"))
    if dim == "segment":
        st.caption(tr("channels.segment_note"))
    partial = share.loc[share["months"] < {"month": 1, "quarter": 3, "year": 12}[grain], "period"].unique()
    if len(partial):
        st.caption(tr("channels.partial", periods=", ".join(partial)))
    fig = data.built(("ch_share", *data_key(), grain, dim, kind),
                lambda: cc.share_stack(share, names, kind, tr("col.share"), order, fmt.symbol()))  # fmt: skip
    chart(fig, key="ch_share_chart")
    with st.expander(tr("channels.table")):
        wide = share.assign(name=share["key"].map(names)).pivot_table(
            index="period", columns="name", values="share", aggfunc="sum", sort=False
        )
        show_table(wide, key="ch_share_table", column_config={c: cols.pct(c)
                                                                 for c in wide.columns})  # fmt: skip


def region_section(dim: str, order: list[str] | None) -> None:
    st.subheader(tr("channels.by_region"))
    by_region = data.query(ch.share_by_region, f, dim)
    regions = {r: value_label("region", r, L) if r else tr("channels.no_region") for r in by_region["region"].unique()}
    fig = data.built(("ch_region", *data_key(), dim),
                lambda: cc.region_share_bars(by_region, names_for(dim, by_region["key"].unique()), regions, order,
                                             fmt.symbol()))  # fmt: skip
    chart(fig, key="ch_region_chart")


def growth_section(dim: str) -> ch.MixShift:
    """YoY growth per channel or segment (the filter window against the same months a year earlier)."""
    st.subheader(tr("channels.growth"))
    g = data.query(ch.growth, f, dim)
    st.caption(tr("channels.growth_caption", cur=f"{month(g.current[0])} – {month(g.current[1])}",
                  base=f"{month(g.base[0])} – {month(g.base[1])}"))  # fmt: skip
    if not g.comparable:
        st.caption(tr("coverage.no_growth", what=tr("col.yoy"), reason=g.note(L)))
    gnames = names_for(dim, g.bars["key"])
    left, right = st.columns([2, 3])
    with left:
        if g.bars["yoy"].notna().any():
            fig = data.built(("ch_growth", *data_key(), dim), lambda: cc.growth_bars(g.bars, gnames, tr("col.yoy")))
            chart(fig, key="ch_growth_chart")
        else:
            st.info(tr("channels.no_prior"))
    with right:
        table = cols.hundred(g.bars.assign(name=g.bars["key"].map(gnames)), "yoy", "share_change")[
            ["name", "current", "base", "yoy", "current_share", "share_change"]
        ]
        show_table(
            table, hide_index=True, key="ch_growth_table",
            column_config={
                "name": cols.text(tr(f"channels.view_{dim}")),
                "current": cols.money(tr("col.revenue")),
                "base": cols.money(tr("col.revenue_last_year")),
                "yoy": cols.signed_pct(tr("col.yoy")),
                "current_share": cols.pct(tr("col.share")),
                "share_change": cols.signed_pct(tr("channels.share_change"), points=True),
            },
        )  # fmt: skip
    return g


def mix_section(g: ch.MixShift, dim: str) -> None:
    """Mix shift waterfall: against the year before (the growth figures) or the preceding window."""
    st.subheader(tr("channels.mix_shift"))
    base_kind = st.radio(tr("channels.compare_with"), ("year", "preceding"), horizontal=True, key="ch_mix_base",
                         format_func=lambda k: t(f"channels.compare_{k}", L))  # fmt: skip
    window = f.with_period(*g.current)
    cur = (g.current[0], g.current[1])
    base = (window.year_before() if base_kind == "year" else window.preceding()).window()
    ms = g if base_kind == "year" else data.query(ch.mix_shift, f, base, cur, dim)
    if ms.base_total == 0 and ms.current_total == 0:
        st.info(tr("empty.selection"))
        return
    if not ms.comparable:
        st.info(tr("coverage.no_growth", what=tr("channels.mix_shift"), reason=ms.note(L)))
        return
    base_label = tr("channels.base_total", period=f"{month(base[0])} – {month(base[1])}")
    cur_label = tr("channels.current_total", period=f"{month(cur[0])} – {month(cur[1])}")
    st.caption(tr("channels.mix_caption", change=fmt.money(ms.change, L), base=base_label, cur=cur_label))
    mnames = names_for(dim, ms.bars["key"])
    ends = currency.pair_digits(ms.base_total, ms.current_total, L)  # base and current written so they differ
    fig = data.built(("ch_waterfall", *data_key(), dim, base_kind),
                lambda: cc.waterfall(ms.base_total, ms.bars, mnames, base_label, cur_label, lambda v: fmt.money(v, L),
                                     fmt.symbol(), L, totals=lambda v: fmt.money(v, L, digits=ends)))  # fmt: skip
    chart(fig, key="ch_waterfall")
    show_table(
        cols.hundred(ms.bars.assign(name=ms.bars["key"].map(mnames)), "share_change")[
            ["name", "base", "current", "change", "growth_effect", "mix_effect", "share_change"]
        ],
        hide_index=True, key="ch_mix_table",
        column_config={
            "name": cols.text(tr(f"channels.view_{dim}")),
            "base": cols.money(tr("channels.col_base")),
            "current": cols.money(tr("channels.col_current")),
            "change": cols.signed_money(tr("channels.col_change")),
            "growth_effect": cols.signed_money(tr("channels.col_growth_effect"),
                                               help=tr("channels.help_growth_effect")),
            "mix_effect": cols.signed_money(tr("channels.col_mix_effect"), help=tr("channels.help_mix_effect")),
            "share_change": cols.signed_pct(tr("channels.share_change"), points=True),
        },
    )  # fmt: skip


def mapping_settings() -> None:
    """Raw channel names → canonical channels, saved in settings with the acting user."""
    with st.expander(tr("channels.mapping_title"), expanded=has_flash("ch_map")):
        st.caption(tr("channels.mapping_help"))
        table = data.query(ch.mapping_table)
        if table.empty:
            no_data_notice()
            return
        shown = table.assign(source=table["source"].map(lambda s: tr(f"channels.source_{s}")))
        edited = edit_table(
            shown, hide_index=True, num_rows="fixed", key="ch_map_editor", width="stretch",
            disabled=["raw", "revenue", "source"],
            column_config={
                "raw": cols.text(tr("channels.col_raw")),
                "revenue": cols.money(tr("col.revenue")),
                "code": st.column_config.SelectboxColumn(tr("channels.col_code"), options=list(ch.CANONICAL),
                                                         required=True, format_func=channel_label),
                "source": cols.text(tr("channels.col_source")),
            },
        )  # fmt: skip
        if st.button(tr("channels.mapping_save"), key="ch_map_save", type="primary"):
            user = acting_user()
            if not user:
                st.error(tr("channels.need_user"))
                return
            edits = ch.edits_from_table(pd.DataFrame(edited))
            ch.save_channel_map(data.db(), edits, user)
            st.session_state.pop("ch_map_editor", None)
            flash("ch_map", tr("channels.mapping_saved", n=len(edits)))
            st.rerun()
        show_flash("ch_map")


analysis()
if not present.on() and signin.may("channel_map.set"):  # editing: hidden while presenting / by role
    mapping_settings()
