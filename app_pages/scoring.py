"""Choosing key accounts: criteria and weights, live ranking, contributions, sensitivity, models, selection matrix."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core.analytics import scoring as S
from kam_core.charts import scoring as ch
from kam_core.errors import UserError
from kam_core.filters import Filters
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, present
from ui import scoring_criteria as criteria
from ui import scoring_edit as edit
from ui.scoring_edit import err, model_label
from ui.state import lang, tr, tr_fixed
from ui.widgets import account_picker, chart, download_pair, no_data_notice, show_table

f: Filters = st.session_state["filters"]
L = lang()
st.title(tr("page.scoring"))
st.caption(tr("sp.caption"))

PAGE_SIZES = [25, 50, 100, 250]
BAR_TOP = 20  # accounts in the contribution chart
FIT_TOP = 50  # accounts in the strategic-fit editor
MATRIX_MAX = 500  # bubbles drawn (largest revenue first): more cannot be told apart
QUADRANT_COLOR = {"invest": "blue", "maintain": "green", "cash": "gray", "reconsider": "orange"}  # markdown colours


label = tr_fixed()  # a translation in this run's language (for format_funcs called outside the run)


def crit_label(infos: dict[str, S.CriterionInfo], name: str) -> str:
    info = infos.get(name)
    return info.label(L) if info else name


_PCT_CRITERIA = {"revenue_share", "growth", "gross_margin", "trade_spend_pct", "overdue_pct"}
_TIER_OF_VALUE = {v: k for k, v in S.TIER_VALUE.items()}


def value_text(name: str, v: float | None) -> str:
    """A criterion's raw value as people read it: money, a percentage, a count, the tier; "–" when missing."""
    if v is None or v != v:
        return "–"
    if name == "revenue":
        return fmt.money(v, L)
    if name in _PCT_CRITERIA:
        return fmt.pct(v)
    if name in ("stores", "provinces"):
        return fmt.count(v)
    if name == "tier":
        return label(f"tiers.tier.{_TIER_OF_VALUE.get(v, 'non_ka')}")
    return f"{v:,.4g}"


# -- ranking ----------------------------------------------------------------------------------------
def change_text(row_change: float, status: object) -> str:
    if isinstance(row_change, float) and math.isnan(row_change):
        mark = "–"
    elif row_change > 0:
        mark = f"▲ {int(row_change)}"
    elif row_change < 0:
        mark = f"▼ {int(-row_change)}"
    else:
        mark = "="
    if status in S.RANK_STATUSES:
        mark += f"  {label(f'sp.status.{status}')}"
    return mark


@dataclass(frozen=True)
class View:
    """What the page draws of the draft model against the active one, built once per data version, filters,
    language and pair of models (ui.data.built: a rerun reads it in place; nothing in it is changed)."""

    ranking: S.Ranking  # every account's rank: search, paging, the fit editor
    top: pd.DataFrame  # the first BAR_TOP, for the contribution bars
    export: pd.DataFrame  # the download
    contributions: go.Figure | None
    sensitivity: pd.DataFrame
    sensitivity_chart: go.Figure | None
    labels: dict[str, str]  # criterion → its name in this language
    fits: pd.DataFrame  # rank, account, score, strategic_fit of the first FIT_TOP (the fit editor)


def build_view(model: S.Model, active: S.Model, infos: dict[str, S.CriterionInfo]) -> View:
    ranking = S.ranking(data.db(), f, model, active)
    names = [c.name for c in model.criteria]
    labels = {n: crit_label(infos, n) for n in names}
    top = ranking.table.head(BAR_TOP)
    if ranking.table.empty:
        return View(ranking, top, ranking.table, None, pd.DataFrame(), None, labels, pd.DataFrame())
    sens = S.score_sensitivity(data.db(), f, model)
    texts = {"down": label("scoring.col.stay_down", pct=20), "up": label("scoring.col.stay_up", pct=20),
             "n_key": label("sp.col.n_key")}  # fmt: skip
    has_key = not sens.empty and int(sens["n_key"].iloc[0]) > 0
    fit_top = ranking.table.head(FIT_TOP)[["rank", "account", "score"]]
    fits = fit_top.merge(S.strategic_fit_table(data.db(), fit_top["account"].tolist()), on="account", how="left")
    return View(ranking, top, export_frame(ranking.table),
                ch.contribution_bars(top, names, labels, label("scoring.col.score")), sens,
                ch.sensitivity_bars(sens, labels, texts) if has_key else None, labels, fits)  # fmt: skip


def export_frame(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking as downloaded: every account, the status in words, the columns named in this language."""
    status = np.select([ranked["status"] == s for s in S.RANK_STATUSES],
                       [label(f"sp.status.{s}") for s in S.RANK_STATUSES], "")  # fmt: skip
    export = ranked.assign(status=status)[
        ["rank", "account", "score", "coverage", "key", "low_coverage", "revenue", "rank_baseline", "status"]
    ]
    export.columns = [label("scoring.col.rank"), label("col.account"), label("scoring.col.score"),
                      label("scoring.col.coverage"), label("scoring.col.key"), label("scoring.col.low_coverage"),
                      label("col.revenue"), label("sp.col.rank_active"), label("sp.col.status")]  # fmt: skip
    return export


def ranking_section(view: View, model: S.Model, active: S.Model) -> pd.DataFrame:
    """The ranked list against the active model: search, paging, downloads. Returns the rows shown."""
    st.subheader(tr("sp.ranking"))
    ranked = view.ranking.table
    n_key = int(ranked["key"].sum())
    moved = int(ranked["status"].notna().sum())
    st.caption(tr("sp.ranking_caption", n=fmt.count(len(ranked)), key=fmt.count(n_key), rule=model.key_rule.describe(L),
                  active=fmt.md(model_label(active.name, L)), moved=moved))  # fmt: skip
    c1, c2, c3 = st.columns([3, 1, 1])
    search = c1.text_input(tr("sp.search"), key="sc_search", placeholder=tr("sp.search_hint"))
    size = c2.selectbox(tr("sp.page_size"), PAGE_SIZES, key="sc_page_size")
    found = ranked
    if search.strip():
        found = ranked[ranked["account"].str.contains(search.strip(), case=False, regex=False)]
    pages = max(1, math.ceil(len(found) / size))
    page_no = int(c3.number_input(tr("sp.page", n=pages), 1, pages, step=1, key="sc_page"))
    shown = found.iloc[(page_no - 1) * size : page_no * size]
    table = shown.assign(change=[change_text(c, s) for c, s in zip(shown["rank_change"], shown["status"], strict=True)])
    table = table[["rank", "account", "score", "key", "change", "rank_baseline", "coverage", "low_coverage", "revenue"]]
    show_table(
        table, hide_index=True, key="sc_ranking", width="stretch",
        column_config={
            "rank": cols.count(tr("scoring.col.rank")),
            "account": cols.text(tr("col.account"), width="medium"),
            "score": cols.number(tr("scoring.col.score"), "%.1f"),
            "coverage": cols.pct(tr("scoring.col.coverage")),
            "key": st.column_config.CheckboxColumn(tr("scoring.col.key")),
            "low_coverage": st.column_config.CheckboxColumn(tr("scoring.col.low_coverage"),
                                                            help=tr("scoring.low_coverage_note")),
            "revenue": cols.money(tr("col.revenue")),
            "rank_baseline": cols.count(tr("sp.col.rank_active")),
            "change": cols.text(tr("sp.col.change"), width="medium"),
        },
    )  # fmt: skip
    if search.strip() and found.empty:
        st.info(tr("sp.search_none"))
    download_pair(view.export, "kam_scores", "sc_dl", sheet="scores", widths=(1, 1),
                  labels=(tr("sp.download_csv"), tr("sp.download_xlsx")))  # fmt: skip
    return shown


# -- contributions ----------------------------------------------------------------------------------
def contribution_section(view: View, shown: pd.DataFrame) -> None:
    st.subheader(tr("sp.contributions"))
    model, labels, top = view.ranking.model, view.labels, view.top
    st.caption(tr("sp.contributions_caption", n=len(top)))
    chart(view.contributions, key="sc_contrib_chart")
    options = list(dict.fromkeys([*shown["account"], *top["account"]]))
    acc = account_picker(tr("sp.breakdown_account"), options, key="sc_breakdown_account")
    if acc is None:
        return
    row = pd.concat([shown, top])
    row = row[row["account"] == acc].iloc[0]
    st.markdown(tr("sp.breakdown_head", account=fmt.md(acc), rank=int(row["rank"]), score=f"{row['score']:.1f}",
                   coverage=fmt.pct(row["coverage"], 0)))  # fmt: skip
    b = data.query(S.score_breakdown, f, model, acc)
    b = b.assign(value=[value_text(n, v) for n, v in zip(b["criterion"], b["value"], strict=True)],
                 criterion=[labels[n] for n in b["criterion"]],
                 direction=[label(f"scoring.direction.{d}") for d in b["direction"]],
                 normalise=[label(f"scoring.normalise.{m}") for m in b["normalise"]])  # fmt: skip
    show_table(
        b, hide_index=True, key="sc_breakdown",
        column_config={
            "criterion": cols.text(tr("scoring.col.criterion")),
            "value": cols.figure_text(tr("scoring.col.value")),
            "normalised": cols.number(tr("scoring.col.normalised"), "%.1f"),
            "weight": cols.number(tr("scoring.col.weight"), "%.2g"),
            "contribution": cols.number(tr("scoring.col.contribution"), "%.2f"),
            "direction": cols.text(tr("scoring.col.direction")),
            "normalise": cols.text(tr("scoring.col.normalise")),
        },
    )  # fmt: skip


# -- sensitivity ------------------------------------------------------------------------------------
def sensitivity_section(view: View) -> None:
    st.subheader(tr("sp.sensitivity"))
    sens, labels = view.sensitivity, view.labels
    if view.sensitivity_chart is None:
        st.info(tr("sp.sensitivity_none"))
        return
    n_key = int(sens["n_key"].iloc[0])
    st.caption(tr("sp.sensitivity_caption", n=n_key, pct=20))
    shown = sens.assign(criterion=[labels[n] for n in sens["criterion"]])
    show_table(  # (the full width: beside the chart its five headers were cut, most in Chinese)
        shown, hide_index=True, key="sc_sensitivity", width="stretch",
        column_config={
            "criterion": cols.text(tr("scoring.col.criterion")),
            "weight": cols.number(tr("scoring.col.weight"), "%.2g"),
            "n_key": cols.count(tr("sp.col.n_key")),
            "stay_down": cols.count(tr("scoring.col.stay_down", pct=20)),
            "stay_up": cols.count(tr("scoring.col.stay_up", pct=20)),
        },
    )  # fmt: skip
    chart(view.sensitivity_chart, key="sc_sensitivity_chart")
    fragile = sens.assign(worst=sens[["stay_down", "stay_up"]].min(axis=1)).sort_values("worst").iloc[0]
    lost = n_key - int(fragile["worst"])
    if lost > 0:
        st.caption(tr("sp.sensitivity_fragile", criterion=labels[fragile["criterion"]], n=lost))


# -- selection matrix -------------------------------------------------------------------------------
def matrix_section(infos: dict[str, S.CriterionInfo]) -> None:
    st.subheader(tr("sp.matrix"))
    st.caption(tr("sp.matrix_caption"))
    names = list(infos)
    c1, c2 = st.columns(2)
    a_names = c1.multiselect(tr("scoring.col.attractiveness"), names, key="sc_mx_a",
                             default=[c.name for c in S.DEFAULT_ATTRACTIVENESS if c.name in infos],
                             format_func=lambda n: crit_label(infos, n))  # fmt: skip
    s_names = c2.multiselect(tr("scoring.col.strength"), names, key="sc_mx_s",
                             default=[c.name for c in S.DEFAULT_STRENGTH if c.name in infos],
                             format_func=lambda n: crit_label(infos, n))  # fmt: skip
    t1, t2, t3 = st.columns(3)
    a_th = float(t1.slider(tr("sp.matrix_a_th"), 0, 100, 50, key="sc_mx_a_th"))
    s_th = float(t2.slider(tr("sp.matrix_s_th"), 0, 100, 50, key="sc_mx_s_th"))
    n_labels = int(t3.number_input(tr("sp.matrix_labels"), 0, 50, 10, key="sc_mx_labels"))
    if not a_names or not s_names:
        st.info(tr("sp.matrix_need"))
        return
    a = S.axis_criteria(a_names, infos, S.DEFAULT_ATTRACTIVENESS)
    s = S.axis_criteria(s_names, infos, S.DEFAULT_STRENGTH)
    quadrants = {q: S.quadrant_name(q, L) for q in S.QUADRANTS}
    labels = {"x": tr("scoring.col.attractiveness"), "y": tr("scoring.col.strength"), "revenue": tr("col.revenue")}

    def drawn() -> tuple[S.MatrixView, go.Figure | None]:  # (the view cached apart: a new label count redraws only)
        mx = data.query(S.matrix_view, f, a, s, a_th, s_th, MATRIX_MAX)
        return mx, ch.matrix_chart(mx.top, a_th, s_th, labels, quadrants, n_labels, fmt.symbol()) if mx.placed else None

    try:
        mx, fig = data.built(("sc_matrix", f, L, a, s, a_th, s_th, n_labels), drawn)
    except UserError as e:
        err(e)
        return
    if fig is None:
        st.info(tr("empty.selection"))
        return
    chart(fig, key="sc_matrix_chart")
    if numbered := ch.numbered(mx.top, n_labels):  # the names of the numbered bubbles
        st.caption(tr("sp.matrix_numbered") + " " + " · ".join(f"**{i}** {fmt.md(a)}" for i, a in numbered))
    if mx.placed > MATRIX_MAX:
        st.caption(tr("sp.matrix_capped", n=fmt.count(MATRIX_MAX), total=fmt.count(mx.placed)))
    rows = [{"quadrant": quadrants[q], "accounts": int(n), "revenue": float(r)}
            for q, n, r in mx.quadrants.itertuples(index=False)]  # fmt: skip
    for col, q, r in zip(st.columns(4), S.QUADRANTS, rows, strict=True):
        with col.container(border=True, key=f"sc_quadrant_{q}"):
            count = tr("sp.quadrant_count", n=fmt.count(r["accounts"]), revenue=fmt.money(r["revenue"], L))
            st.markdown(f"**:{QUADRANT_COLOR[q]}[{quadrants[q]}]** · {count}")
            st.caption(S.quadrant_meaning(q, L))
    show_table(
        pd.DataFrame(rows), hide_index=True, key="sc_quadrants", width="stretch",
        column_config={
            "quadrant": cols.text(tr("scoring.col.quadrant")),
            "accounts": cols.count(tr("sp.col.accounts")),
            "revenue": cols.money(tr("col.revenue")),
        },
    )  # fmt: skip


# -- the page ---------------------------------------------------------------------------------------
def page() -> None:
    if f.end is None:
        no_data_notice()
        return
    choice = data.query(S.model_choice)
    infos, models, active = choice.criteria, choice.models, choice.active
    # weights on the left, the ranking they produce on the right: a change shows at once beside it
    left, right = st.columns([1, 1], gap="large")
    with left:
        model = criteria.criteria_section(choice)
    if model is None:
        return
    view = data.built(("sc_view", f, L, model, active), lambda: build_view(model, active, infos))
    ranking = view.ranking
    if ranking.table.empty:
        right.info(tr("empty.selection"))
        return
    with right:
        shown = ranking_section(view, model, active)
        window = ranking.window
        st.caption(tr("sp.window", start=f"{window.start:%Y-%m}", end=f"{window.end:%Y-%m}"))
        if ranking.growth is not None and not ranking.growth.ok and "growth" in model.weights:
            st.caption(tr("scoring.growth_missing", why=ranking.growth.message(L)))
    contribution_section(view, shown)
    sensitivity_section(view)
    if not present.on():  # editing: hidden while presenting, and from a role that may not change it
        if signin.may("score_model.save"):
            edit.models_section(model, models)
        if signin.may("strategic_fit.set"):
            edit.fit_section(view.fits, FIT_TOP)
        if signin.may("criterion.set"):
            edit.custom_section(infos)
    matrix_section(infos)


page()
