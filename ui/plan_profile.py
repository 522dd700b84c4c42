"""The plan's Profile tab: the account as the uploaded data shows it (read-only, drawn only while open)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core.charts import plans as ch
from kam_core.plans import edit, profile
from ui import columns as cols
from ui import data, fmt
from ui.fmt import md
from ui.plan_draft import Draft
from ui.state import lang, tr
from ui.widgets import chart, show_table


def profile_tab(d: Draft) -> None:
    """The account as the data shows it this plan year: figures, trend, mix, SKUs won and lost, receivables."""
    L = lang()
    p = data.query(profile.profile, d.account, d.year, L)
    w = p.window
    if w is None:
        st.info(tr("plp.profile_no_data", year=d.year))
        return
    st.caption(tr("plp.window", start=f"{w.current[0]:%Y-%m}", end=f"{w.current[-1]:%Y-%m}"))
    if not w.comparable:
        st.caption(tr("plp.not_comparable"))
    ka = data.query(edit.key_account_row, d.account)
    growth = None if not p.revenue_prior else p.revenue / p.revenue_prior - 1
    m = st.columns(5)
    delta = None if growth is None else fmt.pct(growth, signed=True)
    m[0].metric(tr("col.revenue"), fmt.money(p.revenue, L), delta=delta, help=tr("plp.revenue_help"))
    m[1].metric(tr("plp.share"), fmt.pct(p.share_of_total))
    m[2].metric(tr("plp.rank"), "–" if p.rank is None else f"#{p.rank}")
    # the code (GKA / NKA / LKA) fits the box; the long label is in the reason below
    m[3].metric(tr("plp.tier"), "–" if p.tier is None else p.tier if p.tier != "non_ka" else tr("tiers.tier.non_ka"))
    score = "–" if not ka or ka["score"] is None else f"{ka['score']:.1f}"
    m[4].metric(tr("plp.score"), score, help=tr("plp.score_help"))
    if ka is not None:
        st.caption(tr("plp.is_key") if ka["key"] else tr("plp.not_key"))
    if p.tier_reason:
        st.caption(tr("plp.tier_reason", reason=md(p.tier_reason)))
    labels = {"revenue": tr("col.revenue"), "revenue_year_before": tr("plp.year_before")}
    st.subheader(tr("plp.trend"))
    chart(ch.revenue_trend(p.monthly, labels, fmt.symbol(), L), key="plan_trend_chart")
    g = st.columns(3)
    g[0].metric(tr("plp.gm"), "–" if p.gross_margin_pct is None else f"{p.gross_margin_pct:.1f}%")
    g[1].metric(tr("plp.spend"), "–" if p.trade_spend_pct is None else f"{p.trade_spend_pct:.1f}%")
    g[2].metric(tr("plp.stores"), fmt.count(p.stores))
    names = fmt.join((md(fmt.province(x, L)) for x in p.provinces), L) or "–"
    st.markdown(f"**{tr('plp.provinces', n=len(p.provinces))}** {names}")
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(tr("plp.categories"))
        if p.categories:
            chart(ch.category_mix(p.categories, tr("col.revenue"), fmt.symbol(), L), key="plan_cat_chart")
    with c2:
        st.subheader(tr("plp.skus"))
        if p.skus:
            config = {"sku": cols.text(tr("plp.col.sku")), "category": cols.text(tr("plp.col.category")),
                      "revenue": cols.money(tr("col.revenue")), "share": cols.pct(tr("col.share"))}  # fmt: skip
            show_table(pd.DataFrame(p.skus), hide_index=True, key="plan_skus", width="stretch", column_config=config)
        else:
            st.caption(tr("plp.none"))
    st.subheader(tr("plp.before_now"))
    if not w.comparable:
        st.caption(tr("plp.not_comparable"))
    else:
        b1, b2 = st.columns(2)
        b1.markdown(f"**{tr('plp.skus_lost', n=len(p.skus_lost))}** " + (", ".join(md(s) for s in p.skus_lost) or "–"))
        b2.markdown(f"**{tr('plp.skus_new', n=len(p.skus_new))}** " + (", ".join(md(s) for s in p.skus_new) or "–"))
    st.subheader(tr("plp.receivables"))
    r = p.receivables
    if not r:
        st.caption(tr("plp.no_receivables"))
        return
    buckets = ["current", "overdue_1_30", "overdue_31_60", "overdue_61_90", "overdue_90_plus"]
    table = pd.DataFrame([{"bucket": tr(f"plp.bucket.{b}"), "amount": r[b]} for b in buckets])
    config = {"bucket": cols.text(tr("plp.col.bucket")), "amount": cols.money(tr("plp.col.amount"))}
    show_table(table, hide_index=True, key="plan_receivables", column_config=config)
    st.caption(tr("plp.receivables_note", date=r["as_of"], share=fmt.pct(r["overdue_share"])))
