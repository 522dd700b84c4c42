"""Accounts × regions: heat map for the headquarters KA manager, one account's regions and whitespace."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import coverage as cv
from kam_core.analytics import regions as rg
from kam_core.charts import regions as cr
from kam_core.geo import REGIONS
from kam_core.i18n import t, value_label
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui.fmt import md
from ui.state import acting_user, flash, has_flash, lang, show_flash, tr
from ui.widgets import account_picker, chart, edit_table, no_data_notice, show_table

f = st.session_state["filters"]
L = lang()
st.title(tr("page.regions"))


def data_key() -> tuple:
    """What every figure of this page depends on besides the data (ui.data.built adds that)."""
    return f, L


def region_label(r: object) -> str:
    return value_label("region", r, L) if r else t("regions.no_region", L)


def province_label(p: object) -> str:
    if p is None or (isinstance(p, float) and pd.isna(p)) or not str(p):
        return tr("regions.no_province")
    return fmt.province(str(p), L)


def value_fmt(metric: str):
    return (lambda v: fmt.money(v, L)) if metric == "revenue" else (lambda v: fmt.pct(v, 0, signed=metric == "yoy"))


def matrix_section() -> list[str]:
    """The heat map; returns its accounts, largest first (none when there is nothing to show)."""
    c1, c2, c3 = st.columns([3, 2, 2])
    metric = c1.radio(tr("regions.metric"), rg.METRICS, format_func=lambda m: t(f"regions.metric_{m}", L),
                      horizontal=True, key="rg_metric")  # fmt: skip
    top = int(c2.number_input(tr("regions.top"), min_value=5, max_value=500, value=25, step=5, key="rg_top"))
    ka_only = c3.toggle(tr("regions.ka_only"), key="rg_ka")
    accounts = tuple(data.query(rg.key_accounts)) if ka_only else None
    matrix = data.query(rg.account_region_matrix, f, top, accounts)
    if matrix.empty:
        st.info(tr("empty.selection"))
        return []
    st.subheader(tr("regions.matrix"))
    st.caption(tr(f"regions.matrix_caption_{metric}", n=matrix["account"].nunique()))
    if (note := cv.note(matrix, L)) and metric == "yoy":
        st.caption(tr("coverage.no_growth", what=tr("col.yoy"), reason=note))
    regions = {r: region_label(r) for r in matrix["region"].unique()}
    fig = data.built(("rg_heatmap", *data_key(), metric, top, accounts),
                lambda: cr.heatmap(matrix, metric, regions, list(REGIONS), tr(f"regions.metric_{metric}"),
                                   value_fmt(metric), fmt.symbol(), L))  # fmt: skip
    chart(fig, key="rg_heatmap")
    with st.expander(tr("regions.table")):
        # one row per (account, region), reshaped as it is (pivot_table would sum a missing growth into 0 and
        # drop an account whose growth is missing everywhere)
        order = matrix.drop_duplicates("account").sort_values("rank")["account"]
        wide = matrix.assign(region=matrix["region"].map(regions)).set_index(["account", "region"])[metric].unstack()
        in_order = [r for r in REGIONS if r in regions] + [r for r in regions if r not in REGIONS]  # as the heat map
        wide = wide.reindex(index=order, columns=[regions[r] for r in in_order])
        wide.columns.name, wide.index.name = None, tr("col.account")
        if metric == "yoy":  # no growth without sales in both years: "–", not a number (nor "None")
            wide = wide.apply(lambda c: pd.Series(cols.growth_text(c), index=c.index))
            cell = cols.figure_text
        else:  # no sales in a region: 0 of the account's revenue there
            wide = wide.fillna(0.0)
            cell = cols.money if metric == "revenue" else cols.pct
        total = tr("regions.account_total")
        wide.insert(0, total, matrix.groupby("account")["account_revenue"].first())
        config = {c: cols.money(c) if c == total else cell(c) for c in wide.columns}
        show_table(wide, key="rg_matrix_table", column_config=config)
    return matrix.drop_duplicates("account").sort_values("rank")["account"].tolist()


def account_section(options: list[str]) -> None:
    st.subheader(tr("regions.account_view"))
    if st.session_state.get("rg_account") not in options:
        st.session_state.pop("rg_account", None)  # no longer in the heat map (filters, top N changed)
    account = account_picker(tr("col.account"), options, key="rg_account", placeholder=tr("ui.choose_account"))
    if account is None:
        st.info(tr("empty.selection"))
        return
    prov = data.query(rg.account_provinces, f, account)
    if prov.empty:
        st.info(tr("empty.selection"))
        return
    by_region = rg.account_regions(prov)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{tr('regions.by_region')}**")
        show_table(
            by_region.assign(region=by_region["region"].map(region_label), yoy=cols.growth_text(by_region["yoy"]))[
                ["region", "revenue", "share", "yoy", "stores"]],
            hide_index=True, key="rg_account_regions",
            column_config={
                "region": cols.text(tr("sidebar.region")),
                "revenue": cols.money(tr("col.revenue")),
                "share": cols.pct(tr("col.share")),
                "yoy": cols.text(tr("col.yoy")),
                "stores": cols.count(tr("regions.stores")),
            },
        )  # fmt: skip
        if note := cv.note(by_region, L):
            st.caption(tr("coverage.no_growth", what=tr("col.yoy"), reason=note))
    with right:
        st.markdown(f"**{tr('regions.by_province')}**")
        provs = {p: province_label(p) for p in prov["province"]}
        regs = {r: region_label(r) for r in prov["region"]}
        fig = data.built(("rg_provinces", *data_key(), account),
                    lambda: cr.province_bars(prov.fillna({"province": ""}), {**provs, "": province_label(None)}, regs,
                                             fmt.symbol(), L))  # fmt: skip
        chart(fig, key="rg_province_chart")
    st.markdown(f"**{tr('regions.trend')}**")
    trend = data.query(rg.account_trend, f, account)
    fig = data.built(
        ("rg_trend", *data_key(), account),
        lambda: cr.region_trend(trend, {r: region_label(r) for r in trend["region"].unique()}, fmt.symbol(), L),
    )
    chart(fig, key="rg_trend_chart")

    st.subheader(tr("regions.whitespace"))
    threshold = st.slider(tr("regions.ws_threshold"), 10, 100, round(data.query(rg.whitespace_threshold) * 100),
                          step=5, format="%d%%", key="rg_ws")  # fmt: skip
    st.caption(tr("regions.ws_caption", pct=threshold))
    if int(prov["stores"].sum()) == 0:
        st.info(tr("regions.no_stores", account=md(account)))
        return
    ws = rg.whitespace(prov, threshold / 100)
    if ws.empty:
        st.success(tr("regions.no_whitespace", pct=threshold))
        return
    show_table(
        ws.assign(region=ws["region"].map(region_label), province=ws["province"].map(province_label))[
            ["region", "province", "stores", "revenue", "revenue_per_store", "index", "gap"]
        ],
        hide_index=True, key="rg_whitespace",
        column_config={
            "region": cols.text(tr("sidebar.region")),
            "province": cols.text(tr("regions.province")),
            "stores": cols.count(tr("regions.stores")),
            "revenue": cols.money(tr("col.revenue")),
            "revenue_per_store": cols.money(tr("regions.per_store")),
            "index": cols.pct(tr("regions.ws_index")),
            "gap": cols.money(tr("regions.ws_gap")),
        },
    )  # fmt: skip


def map_settings() -> None:
    """Province → region map, saved in settings with the acting user; region figures follow it."""
    with st.expander(tr("regions.map_title"), expanded=has_flash("rg_map")):
        st.caption(tr("regions.map_help"))
        table = data.query(rg.region_map_frame)
        shown = table.assign(province=[f"{p} · {z}" for p, z in zip(table["province"], table["province_zh"],
                                                                     strict=True)])[["province", "region",
                                                                                     "default_region"]]  # fmt: skip
        shown["default_region"] = shown["default_region"].map(region_label)
        edited = edit_table(
            shown, hide_index=True, num_rows="fixed", key="rg_map_editor", width="stretch",
            disabled=["province", "default_region"],
            column_config={
                "province": cols.text(tr("regions.province")),
                "region": st.column_config.SelectboxColumn(tr("sidebar.region"), options=list(REGIONS), required=True,
                                                           format_func=region_label),
                "default_region": cols.text(tr("regions.default_region")),
            },
        )  # fmt: skip
        c1, c2 = st.columns(2)
        save = c1.button(tr("regions.map_save"), key="rg_map_save", type="primary")
        reset = c2.button(tr("regions.map_reset"), key="rg_map_reset")
        if save or reset:
            user = acting_user()
            if not user:
                st.error(tr("channels.need_user"))
                return
            if reset:
                mapping = dict(zip(table["province"], table["default_region"], strict=True))
            else:
                mapping = dict(zip(table["province"], pd.DataFrame(edited)["region"], strict=True))
            rg.save_region_map(data.db(), mapping, user)
            st.session_state.pop("rg_map_editor", None)
            flash("rg_map", tr("regions.map_saved"))
            st.rerun()
        show_flash("rg_map")


if f.end is None:
    no_data_notice()
elif shown := matrix_section():
    account_section(shown)  # the accounts of the heat map: pick one to see it across the regions
if not present.on() and signin.may("region_map.set"):  # editing: hidden while presenting / by role
    map_settings()
