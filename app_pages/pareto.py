"""Pareto / 80-20: how concentrated the business is, at which level, and whether it is getting worse."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import export_safe
from kam_core.analytics import pareto as pa
from kam_core.analytics.overview import filter_options
from kam_core.charts import pareto as cp
from kam_core.filters import add_months, parse_month
from kam_core.i18n import t, value_label
from ui import data, fmt
from ui.state import keep_in_url, lang, tr, url_choice

f = st.session_state["filters"]
L = lang()
st.title(tr("page.pareto"))
if f.end is None:
    st.info(tr("empty.no_data"))
    st.stop()

c1, c2, c3, c4, c5 = st.columns([2, 2, 1.4, 1.4, 1])
dims_list, metrics_list = list(pa.DIMENSIONS), list(pa.METRICS)
by = c1.selectbox(
    tr("pareto.by"), dims_list, index=url_choice("by", dims_list), key="pareto_by",
    format_func=lambda d, L=L: t(f"pareto.dim.{d}", L),
)  # fmt: skip
metric = c2.selectbox(tr("pareto.metric"), metrics_list, index=url_choice("metric", metrics_list),
                      key="pareto_metric", format_func=lambda m, L=L: t(f"pareto.metric.{m}", L))  # fmt: skip
keep_in_url("by", by, dims_list[0])
keep_in_url("metric", metric, metrics_list[0])
a_pct = c3.number_input(tr("pareto.th_a"), 1, 100, 80, step=1, key="pareto_a", help=tr("pareto.th_help"))
b_pct = c4.number_input(tr("pareto.th_b"), 1, 100, 95, step=1, key="pareto_b", help=tr("pareto.th_help"))
top_n = int(c5.number_input(tr("pareto.top_n"), 1, 1000, 10, step=1, key="pareto_top_n"))
if a_pct > b_pct:
    st.error(tr("pareto.th_error"))
    st.stop()
th = pa.Thresholds(a_pct / 100, b_pct / 100)

dim, dims = tr(f"pareto.dim.{by}"), tr(f"pareto.dims.{by}")
met = tr(f"pareto.metric_lc.{metric}")


def val(v: float | None) -> str:
    return fmt.count(v) if metric == "volume" else fmt.money(v, L)


def name(e: object, by: str = by, L: str = L) -> str:
    """Channel and region codes shown in the user's language (bound now: widgets call it later)."""
    return value_label(by, e, L) if by in ("channel", "region") else str(e)


p = data.query(pa.analyse, f, by, metric, th, top_n)
s = p.summary
if s.empty:
    st.info(tr("empty.selection"))
    if s.non_positive:
        st.info(tr("pareto.all_non_positive", dims=dims, metric=met, n=fmt.count(s.non_positive)))
    st.stop()

figures = [
    ("entities", tr("pareto.fig.entities", metric=met), fmt.count(s.entities), None),
    ("total", tr("pareto.fig.total", metric=met), val(s.total), None),
    ("top20_share", tr("pareto.fig.top20_share"), fmt.pct(s.top20_share), tr("pareto.help.top20_share")),
    ("n_for_80", tr("pareto.fig.n_for_80"), fmt.count(s.n_for_80), tr("pareto.help.n_for_80")),
    ("gini", tr("pareto.fig.gini"), f"{s.gini:.3f}", tr("pareto.help.gini")),
    ("hhi", tr("pareto.fig.hhi"), f"{s.hhi:,.0f}", tr("pareto.help.hhi")),
    ("top_n_share", tr("pareto.fig.top_n_share", n=s.top_n), fmt.pct(s.top_n_share), None),
    ("non_positive", tr("pareto.fig.non_positive"), fmt.count(s.non_positive), tr("pareto.help.non_positive")),
]
cols = [*st.columns(4), *st.columns(4)]  # two rows: the labels stay readable
for col, (key, label, shown, helptext) in zip(cols, figures, strict=True):
    with col.container(border=True, key=f"pareto_fig_{key}"):
        st.metric(label, shown, help=helptext)

sentence = tr("pareto.sentence", dims=dims, share=fmt.pct(s.top20_share, 0), metric=met, n80=fmt.count(s.n_for_80))
st.markdown(f"**{sentence}**")
if s.non_positive:
    st.caption(tr("pareto.non_positive_note", n=fmt.count(s.non_positive), dims=dims, metric=met,
                  value=val(s.non_positive_total)))  # fmt: skip
if s.unassigned_total:
    st.caption(tr("pareto.unassigned_note", value=val(s.unassigned_total), metric=met, dim=dim.lower()))

table: pd.DataFrame = p.table
pos = table[table["rank"].notna()]
class_label = {c: tr(f"pareto.class.{c}") for c in ("A", "B", "C", "new", "lost")}

tab_keys = ["curve", "abc", "trend", "migration", "whatif", "whale"]
tabs = st.tabs([tr(f"pareto.tab.{k}") for k in tab_keys], key="pareto_tab", on_change="rerun")
tab = dict(zip(tab_keys, tabs, strict=True))


def is_open(key: str) -> bool:
    # Tabs track their state (on_change="rerun"): only the open tab's queries run.
    return tab[key].open is not False


if is_open("curve"):
    with tab["curve"]:
        cv = pa.curve(table)
        n = s.entities
        y80 = float(cv["y"].iloc[s.n_for_80])
        idx = pa.downsample(cv["x"].to_numpy(), cv["y"].to_numpy(), keep=[s.top20_count, s.n_for_80])
        marks = [
            (s.top20_count / n, s.top20_share,
             tr("pareto.curve.mark20", n=fmt.count(s.top20_count), share=fmt.pct(s.top20_share))),
            (s.n_for_80 / n, y80, tr("pareto.curve.mark80", n=fmt.count(s.n_for_80), dims=dims,
                                     pct=fmt.pct(s.n_for_80 / n))),
        ]  # fmt: skip
        labels = {"x": tr("pareto.curve.x", dims=dims), "y": tr("pareto.curve.y", metric=met),
                  "curve": tr("pareto.curve.name"), "equal": tr("pareto.curve.equal")}  # fmt: skip
        st.plotly_chart(cp.pareto_curve(cv["x"].iloc[idx], cv["y"].iloc[idx], marks, labels, sentence),
                        key="pareto_curve_chart")  # fmt: skip
        if len(idx) < len(cv):
            st.caption(tr("pareto.curve.sampled", n=fmt.count(n), dims=dims, k=fmt.count(len(idx))))
        st.subheader(tr("pareto.bars.title", n=min(top_n, n), dims=dims))
        top = pos.head(top_n).assign(entity=lambda d: d["entity"].map(name))
        bar_labels = {"value": tr(f"pareto.metric.{metric}"), "cum": tr("pareto.bars.cum"),
                      **{f"class_{c}": class_label[c] for c in pa.CLASSES}}  # fmt: skip
        st.plotly_chart(cp.pareto_bars(top, bar_labels), key="pareto_bars_chart")

if is_open("abc"):
    with tab["abc"]:
        st.subheader(tr("pareto.abc.title"))
        st.caption(tr("pareto.abc.rule", a=fmt.pct(th.a, 0), b=fmt.pct(th.b, 0)))
        shares = s.class_shares()
        abc = pd.DataFrame(
            [(class_label[c], s.classes[c], s.classes[c] / s.entities, s.class_totals[c], shares[c])
             for c in pa.CLASSES],
            columns=["class", "entities", "entity_share", "value", "value_share"],
        )  # fmt: skip
        money_fmt = "%,.0f" if metric == "volume" else "¥%,.0f"
        st.dataframe(
            abc,
            hide_index=True,
            key="pareto_abc",
            column_config={
                "class": st.column_config.TextColumn(tr("pareto.col.class")),
                "entities": st.column_config.NumberColumn(tr("pareto.col.entities"), format="%,d"),
                "entity_share": st.column_config.NumberColumn(tr("pareto.col.entity_share"), format="percent"),
                "value": st.column_config.NumberColumn(tr(f"pareto.metric.{metric}"), format=money_fmt),
                "value_share": st.column_config.NumberColumn(
                    tr("pareto.col.value_share", metric=met), format="percent"
                ),
            },
        )
        st.subheader(tr("pareto.list.title"))
        q = st.text_input(tr("pareto.list.search"), key="pareto_search").strip()
        shown = table
        if q:
            shown = table[table["entity"].astype(str).str.contains(q, case=False, regex=False)]
        shown = shown.assign(**{"class": shown["class"].map(class_label).fillna(tr("pareto.class.none"))})
        st.caption(tr("pareto.list.count", shown=fmt.count(len(shown)), n=fmt.count(len(table))))
        headers = {
            "rank": tr("pareto.col.rank"),
            "entity": dim,
            "value": tr(f"pareto.metric.{metric}"),
            "share": tr("pareto.col.share"),
            "cum_share": tr("pareto.col.cum_share"),
            "class": tr("pareto.col.class"),
        }
        st.dataframe(
            shown,
            hide_index=True,
            key="pareto_list",
            column_config={
                "rank": st.column_config.NumberColumn(headers["rank"], format="%d"),
                "entity": st.column_config.TextColumn(headers["entity"]),
                "value": st.column_config.NumberColumn(headers["value"], format=money_fmt),
                "share": st.column_config.NumberColumn(headers["share"], format="percent"),
                "cum_share": st.column_config.NumberColumn(headers["cum_share"], format="percent"),
                "class": st.column_config.TextColumn(headers["class"]),
            },
        )
        export = shown.rename(columns=headers)
        stem = f"pareto_{by}_{metric}_{f.start:%Y-%m}_{f.end:%Y-%m}"
        d1, d2 = st.columns(2)
        # Callables: the files are built only when clicked (a 100 000-row XLSX takes seconds).
        d1.download_button(tr("pareto.download_csv"), lambda: export_safe.to_csv_bytes(export),
                           file_name=f"{stem}.csv", mime="text/csv", key="pareto_dl_csv")  # fmt: skip
        d2.download_button(tr("pareto.download_xlsx"), lambda: export_safe.to_xlsx_bytes({"pareto": export}),
                           file_name=f"{stem}.xlsx", key="pareto_dl_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip

if is_open("trend"):
    with tab["trend"]:
        grain = st.radio(tr("pareto.trend.grain"), list(pa.GRAINS), key="pareto_grain", horizontal=True,
                         format_func=lambda g, L=L: t(f"pareto.grain.{g}", L))  # fmt: skip
        tdf = data.query(pa.trend, f, by, metric, grain, top_n)
        if tdf.empty:
            st.info(tr("empty.selection"))
        else:
            tdf["label"] = [
                f"{pd.Timestamp(d):%Y-%m}" if grain == "month" else f"{d.year} Q{(d.month - 1) // 3 + 1}"
                for d in tdf["period"]
            ]
            if len(tdf) >= 2:
                first, last = tdf.iloc[0], tdf.iloc[-1]
                delta = (last["top20_share"] - first["top20_share"]) * 100
                st.markdown(tr("pareto.trend.change", first=fmt.pct(first["top20_share"]), p1=first["label"],
                               last=fmt.pct(last["top20_share"]), p2=last["label"], delta=f"{delta:+.1f}"))  # fmt: skip
                verdict = "rising" if delta >= 1 else "falling" if delta <= -1 else "flat"
                st.caption(tr(f"pareto.trend.{verdict}", dims=dims))
            tl = {"top20_share": tr("pareto.fig.top20_share"), "top_n_share": tr("pareto.fig.top_n_share", n=top_n),
                  "gini": tr("pareto.fig.gini")}  # fmt: skip
            st.plotly_chart(cp.concentration_trend(tdf, tl), key="pareto_trend_chart")
            st.dataframe(
                tdf[["label", "entities", "top20_share", "n_for_80", "gini", "hhi", "top_n_share"]],
                hide_index=True,
                key="pareto_trend_table",
                column_config={
                    "label": st.column_config.TextColumn(tr("pareto.col.period")),
                    "entities": st.column_config.NumberColumn(tr("pareto.col.entities"), format="%,d"),
                    "top20_share": st.column_config.NumberColumn(tr("pareto.fig.top20_share"), format="percent"),
                    "n_for_80": st.column_config.NumberColumn(tr("pareto.fig.n_for_80"), format="%,d"),
                    "gini": st.column_config.NumberColumn(tr("pareto.fig.gini"), format="%.3f"),
                    "hhi": st.column_config.NumberColumn(tr("pareto.fig.hhi"), format="%,.0f"),
                    "top_n_share": st.column_config.NumberColumn(
                        tr("pareto.fig.top_n_share", n=top_n), format="percent"
                    ),
                },
            )

if is_open("migration"):
    with tab["migration"]:
        opts = data.query(filter_options)
        months, m = [], opts.first
        while m <= opts.last:
            months.append(f"{m:%Y-%m}")
            m = add_months(m, 1)
        after_default = (f"{f.start:%Y-%m}", f"{f.end:%Y-%m}")
        length = (f.end.year - f.start.year) * 12 + f.end.month - f.start.month + 1
        b_start, b_end = add_months(f.start, -length), add_months(f.start, -1)
        before_default = (f"{max(b_start, opts.first):%Y-%m}", f"{max(b_end, opts.first):%Y-%m}")
        m1, m2 = st.columns(2)
        before = m1.select_slider(tr("pareto.mig.before"), months, value=before_default, key="pareto_mig_before")
        after = m2.select_slider(tr("pareto.mig.after"), months, value=after_default, key="pareto_mig_after")
        if before[1] >= after[0]:
            st.warning(tr("pareto.mig.bad_range"))
        else:
            p1 = pa.Period(parse_month(before[0]), parse_month(before[1]))
            p2 = pa.Period(parse_month(after[0]), parse_month(after[1]))
            mig = data.query(pa.migration, f, by, metric, p1, p2, th)
            counts, values = pa.migration_matrix(mig, "entities"), pa.migration_matrix(mig, "value")
            labels = {"from": tr("pareto.mig.from"), "to": tr("pareto.mig.to"), **class_label}
            st.plotly_chart(cp.migration_heatmap(counts, values, labels, val), key="pareto_mig_chart")
            st.caption(tr("pareto.mig.caption", dims=dims, metric=met))

if is_open("whatif"):
    with tab["whatif"]:
        # A very long option list is slow to send; the largest 2 000 cover every realistic question.
        choices = pos["entity"].head(2000).tolist()
        st.session_state.setdefault("pareto_whatif", choices[:1])
        st.session_state["pareto_whatif"] = [e for e in st.session_state["pareto_whatif"] if e in choices]
        picked = st.multiselect(tr("pareto.whatif.pick", dims=dims), choices, key="pareto_whatif", format_func=name)
        if not picked:
            st.info(tr("pareto.whatif.none"))
        else:
            w = data.query(pa.what_if, f, by, tuple(picked))
            w1, w2 = st.columns(2)
            with w1.container(border=True, key="pareto_whatif_revenue"):
                st.metric(tr("pareto.whatif.revenue"), fmt.pct(w.revenue_share))
                st.caption(f"{fmt.money(w.revenue, L)} / {fmt.money(w.revenue_total, L)}")
            with w2.container(border=True, key="pareto_whatif_gp"):
                if w.gross_profit_total is None:
                    st.metric(tr("pareto.whatif.gp"), "–")
                    st.caption(tr("pareto.whatif.no_gp"))
                else:
                    st.metric(tr("pareto.whatif.gp"), fmt.pct(w.gross_profit_share))
                    st.caption(f"{fmt.money(w.gross_profit, L)} / {fmt.money(w.gross_profit_total, L)}")

if is_open("whale"):
    with tab["whale"]:
        cols = data.query(pa.profit_columns, f)
        measures = [m for m in pa.PROFIT_MEASURES if cols[m]]
        if not measures:
            st.info(tr("pareto.whale.no_data"))
        else:
            measure = st.radio(tr("pareto.whale.measure"), measures, key="pareto_whale_measure", horizontal=True,
                               format_func=lambda m, L=L: t(f"pareto.whale.{m}", L))  # fmt: skip
            wh = data.query(pa.whale, f, by, measure)
            if wh is None:
                st.info(tr("pareto.whale.no_data"))
            else:
                wt = wh.table
                x = pd.concat([pd.Series([0.0]), wt["x"]], ignore_index=True)
                y = pd.concat([pd.Series([0.0]), wt["y"].fillna(0.0)], ignore_index=True)
                idx = pa.downsample(x.to_numpy(), y.to_numpy(), keep=[wh.peak_rank])
                peak = None
                if wh.peak_share is not None and wh.destroyers:  # with no loss-makers the peak is the end
                    text = tr("pareto.whale.peak", share=fmt.pct(wh.peak_share, 0), n=fmt.count(wh.peak_rank),
                              dims=dims)  # fmt: skip
                    peak = (float(x.iloc[wh.peak_rank]), float(y.iloc[wh.peak_rank]), text)
                wl = {"curve": tr("pareto.whale.curve"), "x": tr("pareto.whale.x", dims=dims),
                      "y": tr("pareto.whale.y")}  # fmt: skip
                st.plotly_chart(cp.whale_curve(x.iloc[idx], y.iloc[idx], peak, wl), key="pareto_whale_chart")
                if wh.destroyers:
                    st.markdown(tr("pareto.whale.summary", n=fmt.count(wh.destroyers), dims=dims,
                                   value=fmt.money(wh.destroyed, L), peak=fmt.money(wh.peak, L),
                                   total=fmt.money(wh.total, L)))  # fmt: skip
                else:
                    st.caption(tr("pareto.whale.all_profitable", dims=dims))
