"""Pareto / 80-20: how concentrated the business is, at which level, and whether it is getting worse."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kam_core import coverage as cv
from kam_core.analytics import pareto as pa
from kam_core.analytics.overview import filter_options
from kam_core.charts import pareto as cp
from kam_core.filters import Filters, month_range, parse_month
from kam_core.i18n import t, value_label
from ui import columns as cols
from ui import data, fmt, present
from ui.state import keep_in_url, lang, tr, url_choice
from ui.widgets import capped, chart, download_pair, no_data_notice, show_table

f: Filters = st.session_state["filters"]
L = lang()
st.title(tr("page.pareto"))


def data_key() -> tuple:
    """What every figure of this page depends on besides the data (ui.data.built adds that)."""
    return f, L


@dataclass(frozen=True)
class View:
    """The page's choices and the words that follow from them, shared by every tab."""

    by: str
    metric: str
    th: pa.Thresholds
    top_n: int
    dim: str  # "Account"
    dims: str  # "accounts"
    met: str  # "revenue" (lower case, inside sentences)

    def val(self, v: float | None) -> str:
        return fmt.count(v) if self.metric == "volume" else fmt.money(v, L)

    def name(self, e: object) -> str:
        """Channel and region codes shown in the user's language."""
        return value_label(self.by, e, L) if self.by in ("channel", "region") else str(e)

    def counted(self, n: int) -> str:
        """The entities' noun after a count: "1 account", "2 accounts" (the same word in Chinese)."""
        if n != 1 or L == "zh":
            return self.dims
        return self.dim if self.dim.isupper() else self.dim.lower()  # "SKU", "KAM" stay as written

    @property
    def class_label(self) -> dict[str, str]:
        return {c: tr(f"pareto.class.{c}") for c in ("A", "B", "C", "new", "lost")}


def controls() -> View | None:
    """Level, metric, ABC thresholds and top-N (level and metric kept in the URL); None when invalid."""
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
        return None
    return View(by, metric, pa.Thresholds(a_pct / 100, b_pct / 100), top_n, tr(f"pareto.dim.{by}"),
                tr(f"pareto.dims.{by}"), tr(f"pareto.metric_lc.{metric}"))  # fmt: skip


def summary_sentence(v: View, s: pa.Summary) -> str:
    """The 80/20 sentence: under the figures, and the curve's title."""
    return tr("pareto.sentence", dims=v.dims, share=fmt.pct(s.top20_share, 0), metric=v.met,
              n80=fmt.count(s.n_for_80), counted=v.counted(s.n_for_80))  # fmt: skip


def headline(v: View, s: pa.Summary, sentence: str) -> None:
    """The eight figures, the 80/20 sentence and the notes."""
    figures = [
        ("entities", tr("pareto.fig.entities", metric=v.met), fmt.count(s.entities), None),
        ("total", tr("pareto.fig.total", metric=v.met), v.val(s.total), None),
        ("top20_share", tr("pareto.fig.top20_share"), fmt.pct(s.top20_share), tr("pareto.help.top20_share")),
        ("n_for_80", tr("pareto.fig.n_for_80"), fmt.count(s.n_for_80), tr("pareto.help.n_for_80")),
        ("gini", tr("pareto.fig.gini"), f"{s.gini:.3f}", tr("pareto.help.gini")),
        ("hhi", tr("pareto.fig.hhi"), f"{s.hhi:,.0f}", tr("pareto.help.hhi")),
        ("top_n_share", tr("pareto.fig.top_n_share", n=s.top_n), fmt.pct(s.top_n_share), None),
        ("non_positive", tr("pareto.fig.non_positive"), fmt.count(s.non_positive), tr("pareto.help.non_positive")),
    ]
    boxes = [*st.columns(4), *st.columns(4)]  # two rows: the labels stay readable
    for col, (key, label, shown, helptext) in zip(boxes, figures, strict=True):
        with col.container(border=True, key=f"pareto_fig_{key}"):
            st.metric(label, shown, help=helptext)
    st.markdown(f"**{sentence}**")
    if s.non_positive:
        st.caption(tr("pareto.non_positive_note", n=fmt.count(s.non_positive), dims=v.counted(s.non_positive),
                      metric=v.met, value=v.val(s.non_positive_total)))  # fmt: skip
    if s.unassigned_total:
        st.caption(tr("pareto.unassigned_note", value=v.val(s.unassigned_total), metric=v.met, dim=v.dim.lower()))


def curve_tab(v: View, s: pa.Summary, table: pd.DataFrame, sentence: str) -> None:
    n = s.entities

    def curve() -> tuple:
        cv = pa.curve(table)
        idx = pa.downsample(cv["x"].to_numpy(), cv["y"].to_numpy(), keep=[s.top20_count, s.n_for_80])
        (x20, y20), (x80, y80) = pa.curve_marks(s, cv)
        marks = [
            (x20, y20, tr("pareto.curve.mark20", n=fmt.count(s.top20_count), share=fmt.pct(s.top20_share))),
            (
                x80,
                y80,
                tr("pareto.curve.mark80", n=fmt.count(s.n_for_80), dims=v.counted(s.n_for_80), pct=fmt.pct(x80)),
            ),
        ]
        labels = {"x": tr("pareto.curve.x", dims=v.dims), "y": tr("pareto.curve.y", metric=v.met),
                  "curve": tr("pareto.curve.name"), "equal": tr("pareto.curve.equal")}  # fmt: skip
        return cp.pareto_curve(cv["x"].iloc[idx], cv["y"].iloc[idx], marks, labels, sentence), len(idx), len(cv)

    def bars() -> object:
        top = table[table["rank"].notna()].head(v.top_n).assign(entity=lambda d: d["entity"].map(v.name))
        bar_labels = {"value": tr(f"pareto.metric.{v.metric}"), "cum": tr("pareto.bars.cum"),
                      **{f"class_{c}": v.class_label[c] for c in pa.CLASSES}}  # fmt: skip
        return cp.pareto_bars(top, bar_labels, "" if v.metric == "volume" else fmt.symbol(), L)

    key = (*data_key(), v, sentence)
    fig, k, n_points = data.built(("pareto_curve", *key), curve)
    chart(fig, key="pareto_curve_chart")
    if k < n_points:
        st.caption(tr("pareto.curve.sampled", n=fmt.count(n), dims=v.dims, k=fmt.count(k)))
    st.subheader(tr("pareto.bars.title", n=min(v.top_n, n), dims=v.dims))
    chart(data.built(("pareto_bars", *key), bars), key="pareto_bars_chart")


def abc_tab(v: View, s: pa.Summary, table: pd.DataFrame) -> None:
    st.subheader(tr("pareto.abc.title"))
    st.caption(tr("pareto.abc.rule", a=fmt.pct(v.th.a, 0), b=fmt.pct(v.th.b, 0)))
    abc = pa.abc_table(s)
    abc["class"] = abc["class"].map(v.class_label)
    money = v.metric != "volume"
    show_table(
        abc,
        hide_index=True,
        key="pareto_abc",
        column_config={
            "class": cols.text(tr("pareto.col.class")),
            "entities": cols.count(tr("pareto.col.entities"), thousands=True),
            "entity_share": cols.pct(tr("pareto.col.entity_share")),
            "value": cols.money(tr(f"pareto.metric.{v.metric}"), currency=money),
            "value_share": cols.pct(tr("pareto.col.value_share", metric=v.met)),
        },
    )
    st.subheader(tr("pareto.list.title"))
    shown = pa.search(table, st.text_input(tr("pareto.list.search"), key="pareto_search"))
    shown = shown.assign(**{"class": shown["class"].map(v.class_label).fillna(tr("pareto.class.none"))})
    st.caption(tr("pareto.list.count", shown=fmt.count(len(shown)), n=fmt.count(len(table))))
    headers = {
        "rank": tr("pareto.col.rank"),
        "entity": v.dim,
        "value": tr(f"pareto.metric.{v.metric}"),
        "share": tr("pareto.col.share"),
        "cum_share": tr("pareto.col.cum_share"),
        "class": tr("pareto.col.class"),
    }
    show_table(
        capped(shown),  # the first rows; the downloads below hold the full list
        hide_index=True,
        key="pareto_list",
        column_config={
            "rank": cols.count(headers["rank"]),
            "entity": cols.text(headers["entity"]),
            "value": cols.money(headers["value"], currency=money),
            "share": cols.pct(headers["share"]),
            "cum_share": cols.pct(headers["cum_share"]),
            "class": cols.text(headers["class"]),
        },
    )
    stem = f"pareto_{v.by}_{v.metric}_{f.start:%Y-%m}_{f.end:%Y-%m}"
    labels = (tr("pareto.download_csv"), tr("pareto.download_xlsx"))
    if money:  # the file's amounts are plain numbers: the header names their currency
        headers = {**headers, "value": f"{headers['value']} ({fmt.currency_code()})"}
    download_pair(shown.rename(columns=headers), stem, "pareto_dl", sheet="pareto", labels=labels)


def trend_tab(v: View) -> None:
    grain = st.radio(tr("pareto.trend.grain"), list(pa.GRAINS), key="pareto_grain", horizontal=True,
                     format_func=lambda g, L=L: t(f"pareto.grain.{g}", L))  # fmt: skip
    tdf = data.query(pa.trend, f, v.by, v.metric, grain, v.top_n)
    if tdf.empty:
        st.info(tr("empty.selection"))
        return
    tdf["label"] = [pa.period_label(d, grain) for d in tdf["period"]]
    change = pa.trend_change(tdf)
    if change is not None:  # (the points: the difference of the two shares as written, 80.7% → 82.0% is +1.3)
        st.markdown(tr("pareto.trend.change", first=fmt.pct(change.first), p1=tdf["label"].iloc[0],
                       last=fmt.pct(change.last), p2=tdf["label"].iloc[-1],
                       delta=f"{round(change.last * 100, 1) - round(change.first * 100, 1):+.1f}"))  # fmt: skip
        st.caption(tr(f"pareto.trend.{change.verdict}", dims=v.dims))
    if "complete" in tdf and not tdf["complete"].all():
        st.caption(tr("coverage.incomplete_periods", periods=", ".join(tdf.loc[~tdf["complete"], "label"])))
    tl = {"top20_share": tr("pareto.fig.top20_share"), "top_n_share": tr("pareto.fig.top_n_share", n=v.top_n),
          "gini": tr("pareto.fig.gini")}  # fmt: skip
    chart(cp.concentration_trend(tdf, tl), key="pareto_trend_chart")
    show_table(
        tdf[["label", "entities", "top20_share", "n_for_80", "gini", "hhi", "top_n_share"]],
        hide_index=True,
        key="pareto_trend_table",
        column_config={
            "label": cols.text(tr("pareto.col.period")),
            "entities": cols.count(tr("pareto.col.entities"), thousands=True),
            "top20_share": cols.pct(tr("pareto.fig.top20_share")),
            "n_for_80": cols.count(tr("pareto.fig.n_for_80"), thousands=True),
            "gini": cols.number(tr("pareto.fig.gini"), "%.3f"),
            "hhi": cols.number(tr("pareto.fig.hhi"), "%,.0f"),
            "top_n_share": cols.pct(tr("pareto.fig.top_n_share", n=v.top_n)),
        },
    )


def migration_tab(v: View) -> None:
    opts = data.query(filter_options)
    months = [f"{m:%Y-%m}" for m in month_range(opts.first, opts.last)]
    before_default, after_default = pa.migration_windows(f, opts.first)
    m1, m2 = st.columns(2)
    before = m1.select_slider(tr("pareto.mig.before"), months, key="pareto_mig_before",
                              value=(f"{before_default.start:%Y-%m}", f"{before_default.end:%Y-%m}"))  # fmt: skip
    after = m2.select_slider(tr("pareto.mig.after"), months, key="pareto_mig_after",
                             value=(f"{after_default.start:%Y-%m}", f"{after_default.end:%Y-%m}"))  # fmt: skip
    if before[1] >= after[0]:
        st.warning(tr("pareto.mig.bad_range"))
        return
    p1 = pa.Period(parse_month(before[0]), parse_month(before[1]))
    p2 = pa.Period(parse_month(after[0]), parse_month(after[1]))
    mig = data.query(pa.migration, f, v.by, v.metric, p1, p2, v.th)
    counts, values = pa.migration_matrix(mig, "entities"), pa.migration_matrix(mig, "value")
    labels = {"from": tr("pareto.mig.from"), "to": tr("pareto.mig.to"), **v.class_label}
    chart(cp.migration_heatmap(counts, values, labels, v.val), key="pareto_mig_chart")
    st.caption(tr("pareto.mig.caption", dims=v.dims, metric=v.met))
    if note := cv.note(mig, L):
        st.caption(tr("coverage.migration", reason=note))


def whatif_tab(v: View, table: pd.DataFrame) -> None:
    # A very long option list is slow to send; the largest 2 000 cover every realistic question.
    choices = table.loc[table["rank"].notna(), "entity"].head(2000).tolist()
    st.session_state.setdefault("pareto_whatif", choices[:1])
    st.session_state["pareto_whatif"] = [e for e in st.session_state["pareto_whatif"] if e in choices]
    picked = st.multiselect(tr("pareto.whatif.pick", dims=v.dims), choices, key="pareto_whatif", format_func=v.name,
                            placeholder=tr("ui.choose_many") if choices else tr("ui.no_options"))  # fmt: skip
    if not picked:
        st.info(tr("pareto.whatif.none"))
        return
    w = data.query(pa.what_if, f, v.by, tuple(picked))
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


def whale_tab(v: View) -> None:
    measures = [m for m in pa.PROFIT_MEASURES if data.query(pa.profit_columns, f)[m]]
    if not measures:
        st.info(tr("pareto.whale.no_data"))
        return
    measure = st.radio(tr("pareto.whale.measure"), measures, key="pareto_whale_measure", horizontal=True,
                       format_func=lambda m, L=L: t(f"pareto.whale.{m}", L))  # fmt: skip
    wh = data.query(pa.whale, f, v.by, measure)
    if wh is None:
        st.info(tr("pareto.whale.no_data"))
        return
    pts = pa.whale_points(wh)
    idx = pa.downsample(pts.x.to_numpy(), pts.y.to_numpy(), keep=[wh.peak_rank])
    peak = None
    if pts.peak is not None:
        text = tr(
            "pareto.whale.peak",
            share=fmt.pct(wh.peak_share, 0),
            n=fmt.count(wh.peak_rank),
            dims=v.counted(wh.peak_rank),
        )
        peak = (*pts.peak, text)
    wl = {"curve": tr("pareto.whale.curve"), "x": tr("pareto.whale.x", dims=v.dims), "y": tr("pareto.whale.y")}
    chart(cp.whale_curve(pts.x.iloc[idx], pts.y.iloc[idx], peak, wl), key="pareto_whale_chart")
    if wh.destroyers:
        st.markdown(tr("pareto.whale.summary", n=fmt.count(wh.destroyers), dims=v.counted(wh.destroyers),
                       value=fmt.money(wh.destroyed, L), peak=fmt.money(wh.peak, L),
                       total=fmt.money(wh.total, L)))  # fmt: skip
    else:
        st.caption(tr("pareto.whale.all_profitable", dims=v.dims))


def page() -> None:
    if f.end is None:
        no_data_notice()
        return
    v = controls()
    if v is None:
        return
    p = data.query(pa.analyse, f, v.by, v.metric, v.th, v.top_n)
    s = p.summary
    if s.empty:
        st.info(tr("empty.selection"))
        if s.non_positive:
            st.info(tr("pareto.all_non_positive", dims=v.dims, metric=v.met, n=fmt.count(s.non_positive)))
        return
    sentence = summary_sentence(v, s)
    table: pd.DataFrame = p.table
    draw = {
        "curve": lambda: curve_tab(v, s, table, sentence),
        "abc": lambda: abc_tab(v, s, table),
        "trend": lambda: trend_tab(v),
        "migration": lambda: migration_tab(v),
        "whatif": lambda: whatif_tab(v, table),
        "whale": lambda: whale_tab(v),
    }
    # Normally the figures and then one tab per view; presenting, each of them is a step.
    present.sections("pareto", [
        (tr("present.summary"), lambda: headline(v, s, sentence)),
        present.Tabs("pareto_tab", [(tr(f"pareto.tab.{k}"), fn) for k, fn in draw.items()]),
    ])  # fmt: skip


page()
