"""Key-account tiers: summary per tier, province map, tier → account → province treemap, account list, overrides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import coverage as cv
from kam_core.analytics import tiers as T
from kam_core.charts import tiers as ch
from kam_core.i18n import t, value_label
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui.fmt import md
from ui.state import acting_user, flash, has_flash, lang, show_flash, tr
from ui.widgets import TABLE_ROWS, account_picker, chart, download_pair, no_data_notice, show_table

f = st.session_state["filters"]
L = lang()
st.title(tr("page.tiers"))
st.caption(tr("tiers.caption"))


# Labels for widget format_funcs use the language fixed at this run (they may be called
# outside the script run, where the session's language is not at hand).
def label(key: str, **kw: object) -> str:
    return t(key, L, **kw)


def tier_name(code: str) -> str:
    return label(f"tiers.tier.{code}")


def stores_known(footprints: dict[str, int], store_column: bool) -> bool:
    """Whether store counts come from the data: a store list, or a store column in the sales lines.

    Without either, kam_core.analytics.tiers still assumes one store per province seen (to
    apply the tier rules); those assumed counts are not shown as figures.
    """
    return store_column or footprints["stores"] > 0


def stores_note(footprints: dict[str, int], store_column: bool) -> None:
    """Where the store counts come from (store list, store codes in the sales lines), or that they are unknown."""
    if not stores_known(footprints, store_column):
        st.info(tr("ui.no_store"), icon=":material/info:")
        return
    master, from_sales = footprints["stores"], footprints["sales"] if store_column else 0
    counts = {"master": master, "sales": from_sales, "none": sum(footprints.values()) - master - from_sales}
    parts = [tr(f"ui.stores_source.{k}", n=fmt.count(n)) for k, n in counts.items() if n]  # (no "for 0 accounts")
    st.caption(tr("ui.stores_source", parts=fmt.join(parts, L)))


def summary_section(known: bool) -> None:
    st.subheader(tr("tiers.summary"))
    summary = data.query(T.tier_summary, f)
    if float(summary["revenue"].sum()) == 0:
        st.info(tr("empty.selection"))
        return
    shown = summary.assign(tier=[tr(f"tiers.tier_long.{x}") for x in summary["tier"]],
                           yoy=cols.growth_text(summary["yoy"]))  # fmt: skip
    show_table(
        shown[["tier", "accounts", *(["stores"] if known else []), "revenue", "share", "yoy"]],
        hide_index=True,
        key="tiers_summary",
        column_config={
            "tier": cols.text(tr("tiers.col.tier")),
            "accounts": cols.count(tr("tiers.col.accounts")),
            "stores": cols.count(tr("tiers.col.stores")),
            "revenue": cols.money(tr("col.revenue")),
            "share": cols.pct(tr("col.share")),
            "yoy": cols.text(tr("col.yoy")),
        },
    )
    if note := cv.note(summary, L):
        st.caption(tr("coverage.no_growth", what=tr("col.yoy"), reason=note))


def map_section(known: bool) -> None:
    st.subheader(tr("tiers.map"))
    c1, c2 = st.columns([3, 2])
    map_tier = c1.segmented_control(
        tr("tiers.map_tier"), ["all", *T.KA_TIERS], default="all", key="tiers_map_tier",
        format_func=lambda v: label("tiers.all_ka") if v == "all" else tier_name(v),
    ) or "all"  # fmt: skip
    measures = ["revenue", "stores"] if known else ["revenue"]  # no store map without store data
    if st.session_state.get("tiers_map_measure") not in (None, *measures):
        st.session_state.pop("tiers_map_measure")
    measure = c2.segmented_control(
        tr("tiers.map_measure"), measures, default="revenue", key="tiers_map_measure",
        format_func=lambda v: label(f"tiers.measure.{v}"),
    ) or "revenue"  # fmt: skip
    prov = data.query(T.province_view, f, None if map_tier == "all" else map_tier)
    if prov.empty or float(prov[measure].sum()) == 0:
        st.info(tr("tiers.map_empty"))
    else:
        labels = {
            "value": tr(f"tiers.measure.{measure}"),
            "revenue": tr("col.revenue"),
            "stores": tr("tiers.col.stores") if known else "",
            "accounts": tr("tiers.col.accounts"),
            "top_accounts": tr("tiers.col.top_accounts"),
        }
        fig = data.built(("tiers_map", f, L, map_tier, measure, known),
                         lambda: ch.province_map(prov, measure, labels, L, fmt.symbol()))  # fmt: skip
        chart(fig, key="tiers_map", config=ch.PLOTLY_CONFIG)

    unknown = data.query(T.unknown_provinces)
    if unknown.empty:
        st.caption(tr("tiers.unknown_none"))
        return
    names = ", ".join(md(n) for n in unknown["name"])
    st.warning(f"**{tr('tiers.unknown')}** ({len(unknown)}): {names}. {tr('tiers.unknown_help')}")
    show_table(
        unknown if known else unknown.drop(columns=["stores"], errors="ignore"),
        hide_index=True,
        key="tiers_unknown",
        column_config={
            "name": cols.text(tr("tiers.col.name")),
            "sales_lines": cols.count(tr("tiers.col.sales_lines")),
            "revenue": cols.money(tr("col.revenue")),
            "stores": cols.count(tr("tiers.col.stores")),
            "accounts": cols.text(tr("tiers.col.accounts")),
        },
    )


def tree_section() -> None:
    st.subheader(tr("tiers.tree"))
    tree = data.query(T.tree_data, f)
    if tree.empty:
        st.info(tr("tiers.tree_empty"))
        return
    tier_labels = {x: tier_name(x) for x in T.TIERS}
    st.caption(tr("tiers.tree_caption", n=T.TREE_TOP))
    fig = data.built(("tiers_tree", f, L), lambda: ch.tier_treemap(
        tree, tier_labels, ch.province_names(L), fmt.symbol(), others=label("tiers.tree_others"),
        other_provinces=label("tiers.tree_other_provinces")))  # fmt: skip
    chart(fig, key="tiers_tree")


def accounts_section(known: bool) -> None:
    st.subheader(tr("tiers.accounts"))
    c1, c2 = st.columns([2, 3])
    chosen = c1.multiselect(
        tr("tiers.filter_tier"), list(T.TIERS), default=list(T.KA_TIERS), key="tiers_filter", format_func=tier_name,
        placeholder=tr("sidebar.all"),
    )  # fmt: skip
    search = c2.text_input(tr("tiers.search"), key="tiers_search")
    # (kam_core memoises the rows shown per data version: a rerun copies nothing through st.cache_data; the
    # table is not built beyond them: the downloads make the full list when clicked)
    shown, total = T.account_rows(data.db(), f, L, tuple(chosen), search, TABLE_ROWS)
    if total == 0:  # an empty table would only say "empty" (untranslated)
        st.info(tr("empty.selection"))
        return
    if total > len(shown):
        st.caption(tr("ui.rows_capped", shown=f"{len(shown):,}", n=f"{total:,}"))
    names = ch.province_names(L)
    table = shown.assign(
        tier=[tier_name(x) for x in shown["tier"]],
        provinces=[", ".join(names.get(p, p) for p in ps) for ps in shown["provinces"]],
        format=[value_label("channel", x or "", L) for x in shown["format"]],
    )
    show_table(
        table[
            [
                "account",
                "tier",
                "reason",
                "provinces",
                *(["stores"] if known else []),
                "revenue",
                "score",
                "key",
                "format",
                "overridden",
            ]
        ],
        hide_index=True,
        key="tiers_accounts",
        column_config={
            "account": cols.text(tr("col.account")),
            "tier": cols.text(tr("tiers.col.tier")),
            "reason": cols.text(tr("tiers.col.reason"), width="large"),
            "provinces": cols.text(tr("tiers.col.provinces")),
            "stores": cols.count(tr("tiers.col.stores")),
            "revenue": cols.money(tr("col.revenue")),
            "score": cols.number(tr("col.score"), "%.1f"),
            "key": st.column_config.CheckboxColumn(tr("col.key")),
            "format": cols.text(tr("tiers.col.format")),
            "overridden": st.column_config.CheckboxColumn(tr("tiers.col.overridden")),
        },
    )
    db, search_key = data.db(), (tuple(chosen), search)

    def export() -> pd.DataFrame:  # (made when a download button is clicked)
        out = T.account_export(db, f, L, *search_key)
        if not known:  # the counts tiers.py assumed (one per province) are not data
            out = out.drop(columns=[label("tiers.col.stores")])
        return out.rename(columns={label("col.revenue"): f"{label('col.revenue')} ({code})"})

    code = fmt.currency_code()
    download_pair(export, "kam_tiers", "tiers_dl", sheet="tiers", widths=(1, 1, 4),
                  labels=(tr("tiers.download_csv"), tr("tiers.download_xlsx")))  # fmt: skip


def input_error(e: ValueError) -> str:
    return tr("tiers.error", msg=md(e.message(L) if isinstance(e, T.TierInputError) else e))


def override_section(accounts: pd.DataFrame) -> None:
    """A manual tier for one account, recorded with the acting user and a reason."""
    st.subheader(tr("tiers.overrides"))
    show_flash("tiers_override")  # confirmed next to the form it came from (after the rerun)
    acc = account_picker(tr("tiers.override_account"), T.account_names(data.db()), key="tiers_ov_account",
                         index=None, placeholder=tr("ui.choose_account"))  # fmt: skip
    if acc:
        current = accounts.loc[accounts["account"] == acc].iloc[0]
        st.caption(tr("tiers.override_current", tier=tier_name(current["tier"]), reason=md(current["reason"])))
    with st.form("tiers_override_form"):
        new_tier = st.selectbox(
            tr("tiers.override_tier"), ["", *T.TIERS], key="tiers_ov_tier",
            format_func=lambda v: label("tiers.override_clear") if v == "" else label(f"tiers.tier_long.{v}"),
        )  # fmt: skip
        why = st.text_input(tr("tiers.override_why"), key="tiers_ov_why")
        save = st.form_submit_button(tr("tiers.override_save"))
    if not save:
        return
    user = acting_user()
    if not user:
        st.warning(tr("tiers.override_need_user"))
    elif not acc:
        st.error(tr("tiers.error", msg=tr("tiers.override_account")))
    else:
        try:
            T.set_override(data.db(), acc, new_tier or None, why, user)
        except ValueError as e:
            st.error(input_error(e))
        else:
            shown = tr(f"tiers.tier_long.{new_tier}") if new_tier else tr("tiers.override_clear")
            flash("tiers_override", tr("tiers.override_saved", account=md(acc), tier=shown, user=md(user)))
            st.rerun()


def rules_section() -> None:
    """The tier rules (modern-trade formats, thresholds), saved in settings with the acting user."""
    with st.expander(tr("tiers.rules"), expanded=has_flash("tiers_rules")):
        show_flash("tiers_rules")
        rules = data.query(T.get_rules)
        options = data.query(T.format_options)
        with st.form("tiers_rules_form"):
            formats = st.multiselect(
                tr("tiers.rule_formats"), options, default=list(rules.modern_trade_formats), key="tiers_rule_formats",
                format_func=lambda v: value_label("channel", v, L), placeholder=tr("ui.choose_many"),
            )  # fmt: skip
            r1, r2, r3, r4 = st.columns(4)
            min_prov = r1.number_input(tr("tiers.rule_min_provinces"), 2, 34, rules.min_provinces,
                                       key="tiers_rule_prov")  # fmt: skip
            min_stores = r2.number_input(tr("tiers.rule_min_stores"), 2, 1000, rules.min_stores_lka,
                                         key="tiers_rule_st")  # fmt: skip
            share = r3.number_input(
                tr("tiers.rule_share"), 0.1, 100.0, rules.single_store_share * 100, step=0.5, key="tiers_rule_share"
            )
            months = r4.number_input(tr("tiers.rule_months"), 1, 60, rules.share_months, key="tiers_rule_months")
            save_rules = st.form_submit_button(tr("tiers.rule_save"))
        if not save_rules:
            return
        user = acting_user()
        if not user:
            st.warning(tr("tiers.override_need_user"))
            return
        new = T.TierRules(tuple(formats), int(min_prov), int(min_stores), float(share) / 100, int(months))
        try:
            T.save_rules(data.db(), new, user)
        except ValueError as e:
            st.error(input_error(e))
        else:
            flash("tiers_rules", tr("tiers.rule_saved"))
            st.rerun()


def page() -> None:
    if f.end is None:
        no_data_notice()
        return
    accounts = T.account_tiers(data.db(), L)  # (a view of the memoised classification: no copy of its rows)
    footprints, store_column = T.footprints(data.db()), data.dimensions()["store"].present
    known = stores_known(footprints, store_column)
    stores_note(footprints, store_column)
    summary_section(known)
    map_section(known)
    tree_section()
    accounts_section(known)
    if not present.on():  # editing: hidden while presenting, and from a role that may not change it
        if signin.may("tier.override"):
            override_section(accounts)
        if signin.may("setting.set"):
            rules_section()


page()
