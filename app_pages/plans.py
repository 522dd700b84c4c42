"""Account plan editor: profile from the data, the plan's sections as tabs, save with a comment, history, conflicts."""

from __future__ import annotations

import json
from collections.abc import Container
from datetime import date

import pandas as pd
import streamlit as st

from kam_core import auth
from kam_core.charts import plans as ch
from kam_core.errors import UserError
from kam_core.i18n import t
from kam_core.plans import edit, model, profile, store, suggest
from kam_core.plans.diff import SectionDiff, lines, plan_diff
from kam_core.plans.store import PlanConflict, PlanVersion
from ui import auth as signin
from ui import columns as cols
from ui import data, fmt, plan_draft, plan_present, present
from ui.exports import plan_downloads
from ui.fmt import md
from ui.plan_draft import Draft
from ui.state import acting_user, flash, keep_in_url, lang, show_flash, tr
from ui.widgets import PickList, account_picker, chart, edit_table, no_data_notice, show_table

L = lang()
st.title(tr("page.plans"))
signin.page_guard("plan.view")  # a deep link of a role without plans
st.caption(tr("plp.caption"))

TABS = ("profile", "relationship", "vision", "swot", "competitors", "own", "stakeholders", "objectives", "actions",
        "history")  # fmt: skip
LAZY = frozenset({"profile", "history"})  # read-only tabs: drawn only while open
TODAY = date.today()
RO = False  # this plan opens read-only (set by page(): a role or a KAM who may not change it)


def label(key: str, **kw: object) -> str:
    """A translation in this run's language (for format_funcs called outside the script run)."""
    return t(key, L, **kw)


def code_label(kind: str):
    return lambda v: "" if v is None or v == "" else label(f"plans.{kind}.{v}")


# -- account and year -----------------------------------------------------------------------------
def url_seed(param: str, key: str, options: Container) -> None:
    """A link's ``?param=`` chooses the widget's value when it is new (a link followed, not our own echo)."""
    raw = st.query_params.get(param)
    if raw is None or raw == st.session_state.get(f"_plan_qp_{param}"):
        return
    value = int(raw) if param == "year" and raw.isdigit() else raw
    if value in options:
        st.session_state[key] = value
    st.session_state[f"_plan_qp_{param}"] = raw


def picker(default_year: int) -> tuple[str | None, int]:
    years = data.query(edit.plan_years)
    url_seed("year", "plan_year", years)
    c1, c2 = st.columns([3, 1])
    # Written back on every run (as ui.state does for the sidebar filters): a value first set from the URL
    # otherwise shows as the widget's default in the browser after the next rerun.
    st.session_state["plan_year"] = st.session_state.get("plan_year", default_year)
    year = int(c2.selectbox(tr("plp.year"), years, key="plan_year"))
    # The choices as columns, once per data version, year and language (read-only, shared): a run reads only
    # the options the picker shows, never an object per account of 100 000.
    choices = data.built(("plan_choices", year, L),
                         lambda: PickList((c := data.query(edit.account_choices, year))["account"],
                                          edit.choice_labels(c, L)))  # fmt: skip
    url_seed("account", "plan_account", choices)
    current = st.session_state.get("plan_account")
    st.session_state["plan_account"] = current if current in choices else None
    account = account_picker(tr("plp.account"), choices, index=None, key="plan_account", container=c1,
                             placeholder=tr("ui.choose_account"), help=tr("plp.account_help"))  # fmt: skip
    keep_in_url("account", account or "", "")
    keep_in_url("year", str(year), str(default_year))
    st.session_state["_plan_qp_account"] = account
    st.session_state["_plan_qp_year"] = None if year == default_year else str(year)
    return account, year


# -- the draft ------------------------------------------------------------------------------------
def saved_dict(account: str, year: int, version: int) -> dict:
    if version == 0:
        return model.to_dict(model.new_plan(account, year))
    return model.to_dict(data.query(store.get, account, year, version).doc)


def dirty(d: Draft) -> bool:
    return d.doc != saved_dict(d.account, d.year, d.base)


def ensure_draft(account: str, year: int, latest: PlanVersion | None) -> Draft:
    """The session's draft of this plan; a pristine draft follows a newer saved version silently."""
    top = latest.version if latest else 0
    d = plan_draft.get(account, year)
    if d is None or (d.base != top and not dirty(d)):
        seed = model.to_dict(latest.doc) if latest else saved_dict(account, year, 0)
        d = plan_draft.start(account, year, top, seed)
    return d


def need_user() -> str:
    user = acting_user()
    if not user:
        st.warning(tr("ui.need_user"))
    return user


# -- callbacks (run before the script: the draft holds the last run's edits) --------------------------
def cb_accept(account: str, year: int, quadrant: str, text: str, source: str) -> None:
    d = plan_draft.get(account, year)
    plan_draft.reseed(d, edit.accept(d.doc, quadrant, text, source))
    flash("plan_swot", tr("plp.accepted", quadrant=tr(f"plans.quadrant.{quadrant}")), "info")


def cb_take_theirs(account: str, year: int) -> None:
    latest = store.latest(data.db(), account, year)
    d = plan_draft.get(account, year)
    plan_draft.reseed(d, model.to_dict(latest.doc), base=latest.version)
    flash("plan", tr("plp.took_theirs", v=latest.version), "info")


def cb_last_year(account: str, year: int) -> None:
    prev = store.latest(data.db(), account, year - 1)
    d = plan_draft.get(account, year)
    plan_draft.reseed(d, model.to_dict(edit.from_last_year(prev.doc, year)))
    flash("plan", tr("plp.from_last_year_done", year=year - 1), "info")


def cb_add_objective(account: str, year: int, baseline: float | None) -> None:
    d = plan_draft.get(account, year)
    s = st.session_state
    metric = s["plan_new_metric"]
    ids = {o["id"] for o in d.doc["objectives"]}
    n = 1
    while f"{metric}_{n}" in ids:
        n += 1
    manual = bool(s.get("plan_new_manual"))
    start = s.get("plan_new_start")
    row = {
        "id": f"{metric}_{n}", "metric": metric, "category": s.get("plan_new_category") or None,
        "sku": s.get("plan_new_sku") or None, "province": s.get("plan_new_province") or None,
        "window_start": f"{start:%Y-%m}" if start and start != date(year, 1, 1) else None,
        "due": s["plan_new_due"].isoformat(),
        "baseline": float(s["plan_new_baseline"]) if manual else baseline,
        "baseline_source": "manual" if manual else "data", "target": float(s["plan_new_target"]), "note": "",
    }  # fmt: skip
    plan_draft.reseed(d, {**d.doc, "objectives": [*d.doc["objectives"], row]})
    flash("plan_obj", tr("plp.obj_added", id=row["id"]), "info")


# -- the sections -----------------------------------------------------------------------------------
def editor(d: Draft, name: str, section: str, rows: list[dict], config: dict, **kw: object) -> list[dict]:
    """A data_editor over a table section; returns its rows in the JSON form."""
    out = edit_table(
        edit.frame_of(section, rows), key=d.key(name), num_rows="fixed" if RO else "dynamic", hide_index=True,
        width="stretch", disabled=RO,
        placeholder="–",  # an empty cell, not an untranslated "None"
        column_config=config, **kw,
    )  # fmt: skip
    return edit.frame_rows(section, pd.DataFrame(out))


def profile_tab(d: Draft) -> None:
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
    g[0].metric(tr("plp.gm"), "–" if p.gross_margin_pct is None else f"{p.gross_margin_pct:.1f} %")
    g[1].metric(tr("plp.spend"), "–" if p.trade_spend_pct is None else f"{p.trade_spend_pct:.1f} %")
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


def stage_box(code: str, head: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{head}: {label(f'plans.stage.{code}')}**")
        st.write(label(f"plans.stage_desc.{code}"))
        st.caption(label(f"plans.stage_signs.{code}"))


def relationship_tab(d: Draft, doc: dict) -> None:
    rel = d.seed["relationship"]
    c1, c2 = st.columns(2)
    stage = c1.selectbox(tr("plp.stage"), model.STAGES, index=model.STAGES.index(rel["stage"]),
                         key=d.key("stage"), format_func=code_label("stage"), disabled=RO)  # fmt: skip
    target = c2.selectbox(tr("plp.target_stage"), model.STAGES, index=model.STAGES.index(rel["target_stage"]),
                          key=d.key("target_stage"), format_func=code_label("stage"), disabled=RO)  # fmt: skip
    with c1:
        stage_box(stage, tr("plp.stage_now"))
    with c2:
        stage_box(target, tr("plp.stage_target"))
    just = st.text_area(tr("plp.justification"), value=rel["justification"], key=d.key("justification"),
                        help=tr("plp.justification_help"), disabled=RO)  # fmt: skip
    with st.expander(tr("plp.all_stages")):
        for code in model.STAGES:
            st.markdown(f"**{label(f'plans.stage.{code}')}** — {label(f'plans.stage_desc.{code}')}")
            st.caption(label(f"plans.stage_signs.{code}"))
    doc["relationship"] = {"stage": stage, "target_stage": target, "justification": just}


def vision_tab(d: Draft, doc: dict) -> None:
    doc["vision"] = st.text_area(tr("plans.section.vision"), value=d.seed["vision"], key=d.key("vision"),
                                 help=tr("plp.vision_help"), height=120, disabled=RO)  # fmt: skip
    doc["strategy"] = st.text_area(tr("plans.section.strategy"), value=d.seed["strategy"], key=d.key("strategy"),
                                   help=tr("plp.strategy_help"), height=160, disabled=RO)  # fmt: skip


def swot_tab(d: Draft, doc: dict) -> None:
    show_flash("plan_swot")
    config = {"text": cols.text(tr("plp.field.text"), width="medium"), "note": cols.text(tr("plp.field.note")),
              "source": st.column_config.TextColumn(tr("plp.field.source"), disabled=True,
                                                    help=tr("plp.source_help"))}  # fmt: skip
    swot = {}
    for row in (model.QUADRANTS[:2], model.QUADRANTS[2:]):
        for col, q in zip(st.columns(2), row, strict=True):
            with col:
                st.markdown(f"**{tr(f'plans.quadrant.{q}')}**")
                swot[q] = editor(d, f"swot_{q}", "swot", d.seed["swot"][q], config)
    doc["swot"] = swot
    st.subheader(tr("plp.suggestions"))
    st.caption(tr("plp.suggestions_help"))
    found = data.query(suggest.suggest, d.account, d.year)
    if not found:
        st.caption(tr("plp.no_suggestions"))
        return
    taken = edit.accepted_sources(doc)
    for s in found:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.markdown(f"**{tr(f'plans.quadrant.{s.quadrant}')}** · {md(s.text(L))}")
        if s.id in taken:
            c2.caption(tr("plp.in_plan"))
        elif not RO:
            c2.button(tr("plp.accept"), key=f"plan_accept_{s.id}", on_click=cb_accept,
                      args=(d.account, d.year, s.quadrant, s.text(L), s.id))  # fmt: skip


def competitors_tab(d: Draft, doc: dict) -> None:
    config = {
        "name": cols.text(tr("plp.field.name")),
        "share_pct": st.column_config.NumberColumn(tr("plp.field.share_pct"), min_value=0, max_value=100,
                                                   format="%.1f", help=tr("plp.share_help")),
        "strengths": cols.text(tr("plp.field.strengths"), width="large"),
        "recent_moves": cols.text(tr("plp.field.recent_moves"), width="large"),
    }  # fmt: skip
    doc["competitors"] = editor(d, "competitors", "competitors", d.seed["competitors"], config)


def own_tab(d: Draft, doc: dict) -> None:
    own = d.seed["own_company"]
    doc["own_company"] = {
        f: st.text_area(
            tr(f"plp.field.{f}"), value=own[f], key=d.key(f"own_{f}"), help=tr(f"plp.help.{f}"), disabled=RO
        )
        for f in ("supplied_now", "supplied_before", "service_issues")
    }


def stakeholders_tab(d: Draft, doc: dict) -> None:
    config = {
        "name": cols.text(tr("plp.field.name")),
        "title": cols.text(tr("plp.field.title")),
        "role": st.column_config.SelectboxColumn(tr("plp.field.role"), options=list(model.BUYING_ROLES),
                                                 format_func=code_label("role"), default="influencer"),
        "attitude": st.column_config.SelectboxColumn(tr("plp.field.attitude"), options=list(model.ATTITUDES),
                                                     format_func=code_label("attitude"), default="neutral"),
        "influence": st.column_config.NumberColumn(tr("plp.field.influence"), min_value=1, max_value=5, step=1,
                                                   format="%d", default=3),
        "owner": cols.text(tr("plp.field.owner")),
        "last_contact": st.column_config.DateColumn(tr("plp.field.last_contact"), format="YYYY-MM-DD"),
        "note": cols.text(tr("plp.field.note"), width="large"),
    }  # fmt: skip
    doc["stakeholders"] = editor(d, "stakeholders", "stakeholders", d.seed["stakeholders"], config)
    st.caption(tr("plp.stakeholders_help"))


def value_text(metric: str, v: float | None) -> str:
    if v is None:
        return "–"
    if metric in model.RATIO_METRICS:
        return f"{v:.1f} %"
    if metric in model.COUNT_METRICS or metric == "volume":
        return fmt.count(v)
    return fmt.money(v, L)


def typed_or_saved(d: Draft, doc: dict, latest: PlanVersion | None) -> tuple[model.PlanDoc | None, bool]:
    """The draft as a typed document when it is valid, else the saved version (False: not the draft)."""
    if not model.validate_dict(doc):
        return model.from_dict(doc), True
    return (latest.doc if latest else None), False


def objectives_tab(d: Draft, doc: dict, latest: PlanVersion | None) -> None:
    show_flash("plan_obj")
    dims = data.query(edit.dimension_values, d.account)

    def choices(name: str) -> list[str]:
        have = {o.get(name) for o in d.seed["objectives"] if o.get(name)}
        return sorted(set(dims[name]) | have)

    config = {
        "id": cols.text(tr("plp.field.id")),
        "metric": st.column_config.SelectboxColumn(tr("plp.field.metric"), options=list(model.METRICS),
                                                   format_func=code_label("metric"), required=True),
        "category": st.column_config.SelectboxColumn(tr("plp.field.category"), options=choices("category")),
        "sku": st.column_config.SelectboxColumn(tr("plp.field.sku"), options=choices("sku")),
        "province": st.column_config.SelectboxColumn(tr("plp.field.province"), options=choices("province")),
        "window_start": cols.text(tr("plp.field.window_start")),
        "due": st.column_config.DateColumn(tr("plp.field.due"), format="YYYY-MM-DD"),
        "baseline": st.column_config.NumberColumn(tr("plp.field.baseline"), format="%,.1f"),
        "baseline_source": st.column_config.SelectboxColumn(tr("plp.field.baseline_source"),
                                                            options=list(model.BASELINE_SOURCES),
                                                            format_func=code_label("baseline_source")),
        "target": st.column_config.NumberColumn(tr("plp.field.target"), format="%,.1f", required=True),
        "note": cols.text(tr("plp.field.note")),
    }  # fmt: skip
    doc["objectives"] = editor(d, "objectives", "objectives", d.seed["objectives"], config)
    st.caption(tr("plp.objectives_help"))
    if not RO:
        new_objective(d, dims)
    st.subheader(tr("plp.tracking"))
    typed, is_draft = typed_or_saved(d, doc, latest)
    if typed is None or not typed.objectives:
        st.caption(tr("plp.no_objectives"))
        return
    if not is_draft:
        st.caption(tr("plp.tracking_saved"))
    tracking = data.query(edit.track_json, model.to_json(typed), TODAY)
    rows = []
    for o in tracking.objectives:
        name = label(f"plans.metric.{o.metric}")
        if o.direction == "down":
            name += f" ({label('plans.track.lower_is_better')})"
        rows.append({
            "id": o.objective_id, "metric": name, "window": f"{o.window_start} – {o.window_end}",
            "months": f"{o.months_with_data} / {o.months_total}", "baseline": value_text(o.metric, o.baseline),
            "actual": value_text(o.metric, o.actual), "projected": value_text(o.metric, o.projected),
            "target": value_text(o.metric, o.target),
            "achieved": "–" if o.achieved_pct is None else f"{o.achieved_pct:.0f} %",
            "status": label(f"plans.track.{o.status}"),
        })  # fmt: skip
    show_table(
        pd.DataFrame(rows), hide_index=True, key="plan_tracking", width="stretch",
        column_config={k: cols.text(tr(f"plp.track.{k}")) for k in rows[0]},
    )  # fmt: skip
    st.caption(tr("plans.track.rule"))
    st.caption(tr("plans.track.achieved_rule"))


def new_objective(d: Draft, dims: dict[str, list[str]]) -> None:
    """Add an objective with its baseline prefilled from the data (the same window a year earlier)."""
    with st.expander(tr("plp.new_objective")):
        c1, c2, c3, c4 = st.columns(4)
        metric = c1.selectbox(tr("plp.field.metric"), model.METRICS, key="plan_new_metric",
                              format_func=code_label("metric"))  # fmt: skip
        narrow = metric not in model.STOCK_METRICS
        opts = {k: [None, *v] for k, v in dims.items()}
        cat = c2.selectbox(tr("plp.field.category"), opts["category"], key="plan_new_category", disabled=not narrow,
                           format_func=lambda v: label("plp.any") if v is None else str(v))  # fmt: skip
        sku = c3.selectbox(tr("plp.field.sku"), opts["sku"], key="plan_new_sku", disabled=not narrow,
                           format_func=lambda v: label("plp.any") if v is None else str(v))  # fmt: skip
        prov = c4.selectbox(tr("plp.field.province"), opts["province"], key="plan_new_province", disabled=not narrow,
                            format_func=lambda v: label("plp.any") if v is None else str(v))  # fmt: skip
        w1, w2, w3 = st.columns(3)
        start = w1.date_input(tr("plp.field.window_start"), value=date(d.year, 1, 1), key="plan_new_start",
                              help=tr("plp.window_start_help"))  # fmt: skip
        due = w2.date_input(tr("plp.field.due"), value=date(d.year, 12, 31), key="plan_new_due")
        start = date(start.year, start.month, 1)
        base = data.query(edit.baseline_for, d.account, d.year, metric, due, start,
                          cat if narrow else None, sku if narrow else None, prov if narrow else None)  # fmt: skip
        manual = w3.checkbox(tr("plp.manual_baseline"), key="plan_new_manual")
        if manual:
            w3.number_input(tr("plp.field.baseline"), value=float(base or 0.0), key="plan_new_baseline")
        else:
            w3.caption(tr("plp.baseline_from_data", value=value_text(metric, base)) if base is not None
                       else tr("plp.baseline_none"))  # fmt: skip
        st.number_input(tr("plp.field.target"), value=float(base or 0.0), key="plan_new_target")
        st.button(tr("plp.add_objective"), key="plan_new_add", on_click=cb_add_objective,
                  args=(d.account, d.year, None if manual else base))  # fmt: skip


def actions_tab(d: Draft, doc: dict) -> None:
    ids = [o["id"] for o in doc["objectives"] if o.get("id")]
    config = {
        "id": cols.text(tr("plp.field.id")),
        "type": st.column_config.SelectboxColumn(tr("plp.field.type"), options=list(model.ACTION_TYPES),
                                                 format_func=code_label("action"), default="other"),
        "description": cols.text(tr("plp.field.description"), width="large"),
        "owner": cols.text(tr("plp.field.owner")),
        "start": st.column_config.DateColumn(tr("plp.field.start"), format="YYYY-MM-DD"),
        "due": st.column_config.DateColumn(tr("plp.field.due"), format="YYYY-MM-DD"),
        "budget": cols.money(tr("plp.field.budget")),
        "status": st.column_config.SelectboxColumn(tr("plp.field.status"), options=list(model.ACTION_STATUSES),
                                                   format_func=code_label("action_status"), default="planned"),
        "objective_id": st.column_config.SelectboxColumn(tr("plp.field.objective_id"),
                                                         options=sorted(set(ids) | {a["objective_id"] for a in
                                                                        d.seed["actions"] if a["objective_id"]})),
    }  # fmt: skip
    doc["actions"] = editor(d, "actions", "actions", d.seed["actions"], config)
    late = edit.overdue(doc["actions"], TODAY)
    if late:
        items = "; ".join(f"{md(a.get('id') or a['description'])} ({a['due']})" for a in late)
        st.warning(tr("plp.overdue", n=len(late), items=items), icon=":material/schedule:")
    else:
        st.caption(tr("plp.none_overdue"))


def history_tab(d: Draft, doc: dict, latest: PlanVersion | None) -> None:
    show_flash("plan_history")
    hist = data.query(store.history, d.account, d.year)
    if not hist:
        st.caption(tr("plp.no_history"))
        return
    frame = pd.DataFrame(hist)[["version", "saved_by", "saved_at", "comment", "restored_from"]]
    frame["restored_from"] = [None if r is None else f"v{r}" for r in frame["restored_from"]]
    show_table(frame, hide_index=True, key="plan_history_table", width="stretch",
                 column_config={"version": cols.count(tr("plp.col.version")), "saved_by": cols.text(tr("plp.col.by")),
                                "saved_at": cols.text(tr("plp.col.at")),
                                "comment": cols.text(tr("plp.col.comment"), width="large"),
                                "restored_from": cols.text(tr("plp.col.restored"))})  # fmt: skip
    versions = [h["version"] for h in hist]
    st.subheader(tr("plp.view"))
    v = st.selectbox(tr("plp.version"), versions, key="plan_view_version", format_func=lambda x: f"v{x}")
    shown = data.query(store.get, d.account, d.year, v)
    st.caption(tr("plp.saved_line", v=v, user=md(shown.saved_by), at=f"{shown.saved_at:%Y-%m-%d %H:%M}",
                  comment=md(shown.comment or "–")))  # fmt: skip
    st.json(model.to_dict(shown.doc), expanded=1)

    st.subheader(tr("plp.compare"))
    options = [*versions, "draft"]
    fmt_v = lambda x: label("plp.your_draft") if x == "draft" else f"v{x}"  # noqa: E731
    c1, c2 = st.columns(2)
    old = c1.selectbox(
        tr("plp.from"), options, index=min(1, len(versions) - 1), key="plan_diff_from", format_func=fmt_v
    )
    new = c2.selectbox(tr("plp.to"), options, index=0, key="plan_diff_to", format_func=fmt_v)

    def doc_of(x: object) -> model.PlanDoc | None:
        if x == "draft":
            return None if model.validate_dict(doc) else model.from_dict(doc)
        return data.query(store.get, d.account, d.year, x).doc

    a, b = doc_of(old), doc_of(new)
    if a is None or b is None:
        st.caption(tr("plp.draft_invalid_diff"))
    else:
        diff_lines(plan_diff(a, b))

    if RO:
        return
    st.subheader(tr("plp.restore"))
    older = versions[1:]
    if not older:
        st.caption(tr("plp.restore_none"))
        return
    rv = st.selectbox(tr("plp.version"), older, key="plan_restore_version", format_func=lambda x: f"v{x}")
    if dirty(d):
        st.caption(tr("plp.restore_discards"))
    if st.button(tr("plp.restore_button", v=rv), key="plan_restore"):
        user = need_user()
        if not user:
            return
        try:
            new_v = store.restore(data.db(), d.account, d.year, rv, user, tr("plp.restore_comment", v=rv))
        except UserError as e:
            st.error(e.message(L))
            return
        plan_draft.start(d.account, d.year, new_v.version, model.to_dict(new_v.doc))
        flash("plan", tr("plp.restored", v=rv, new=new_v.version, user=user))
        st.rerun()


def diff_lines(changes: list[SectionDiff]) -> None:
    st.markdown("\n".join(f"- {md(x)}" for x in lines(changes, L)))


# -- saving ------------------------------------------------------------------------------------------
def status_line(d: Draft, latest: PlanVersion | None) -> None:
    if latest is None:
        st.info(tr("plp.no_plan_yet", account=md(d.account), year=d.year))
        prev = data.query(store.latest, d.account, d.year - 1)
        if prev is not None and d.base == 0 and not RO:
            st.button(tr("plp.from_last_year", year=d.year - 1), key="plan_from_last_year", on_click=cb_last_year,
                      args=(d.account, d.year), help=tr("plp.from_last_year_help"))  # fmt: skip
        return
    base = latest if latest.version == d.base else data.query(store.get, d.account, d.year, d.base)
    st.caption(tr("plp.saved_line", v=base.version, user=md(base.saved_by), at=f"{base.saved_at:%Y-%m-%d %H:%M}",
                  comment=md(base.comment or "–")))  # fmt: skip


def conflict_panel(d: Draft, latest: PlanVersion) -> None:
    """Someone saved since this draft was opened: show their version beside the draft, offer both ways out."""
    with st.container(border=True, key="plan_conflict"):
        st.error(tr("plp.conflict", v=latest.version, user=md(latest.saved_by),
                    at=f"{latest.saved_at:%Y-%m-%d %H:%M}", base=d.base))  # fmt: skip
        c1, c2 = st.columns(2)
        with c1:
            st.markdown(f"**{tr('plp.their_changes', v=latest.version, base=d.base)}**")
            base_doc = data.query(store.get, d.account, d.year, d.base).doc if d.base else model.new_plan(
                d.account, d.year)  # fmt: skip
            diff_lines(plan_diff(base_doc, latest.doc))
        with c2:
            st.markdown(f"**{tr('plp.draft_vs_theirs', v=latest.version)}**")
            if model.validate_dict(d.doc):
                st.caption(tr("plp.draft_invalid_diff"))
            else:
                diff_lines(plan_diff(latest.doc, model.from_dict(d.doc)))
        b1, b2 = st.columns(2)
        b1.button(tr("plp.take_theirs", v=latest.version), key="plan_take_theirs", on_click=cb_take_theirs,
                  args=(d.account, d.year))  # fmt: skip
        if b2.button(tr("plp.keep_mine", v=latest.version), key="plan_keep_mine", type="primary"):
            do_save(d, latest.version)


def do_save(d: Draft, base: int) -> None:
    user = need_user()
    if not user:
        return
    problems = model.validate_dict(d.doc)
    if problems:
        st.error(tr("plp.not_saved_invalid", n=len(problems)))
        return
    comment = str(st.session_state.get("plan_comment") or "")
    try:
        v = store.save(data.db(), d.account, d.year, model.from_dict(d.doc), base, comment, user)
    except PlanConflict as e:
        st.error(e.message(L))
        return
    except UserError as e:
        st.error(e.message(L))
        return
    plan_draft.start(d.account, d.year, v.version, model.to_dict(v.doc))
    st.session_state.pop("plan_comment", None)
    flash("plan", tr("plp.saved", v=v.version, user=user))
    st.rerun()


def save_bar(d: Draft, latest: PlanVersion | None) -> None:
    show_flash("plan")
    status_line(d, latest)
    if RO:
        read_only_note(d.account)
        return
    top = latest.version if latest else 0
    if top != d.base:
        conflict_panel(d, latest)
    changed = dirty(d)
    problems = model.validate_dict(d.doc)
    if changed:
        st.warning(tr("plp.unsaved"), icon=":material/edit:")
        with st.expander(tr("plp.what_changed")):
            if problems:
                st.caption(tr("plp.draft_invalid_diff"))
            else:
                diff_lines(plan_diff(model.from_dict(saved_dict(d.account, d.year, d.base)), model.from_dict(d.doc)))
    if problems:
        st.warning("\n".join([tr("plp.problems", n=len(problems)),
                              *(f"- {md(edit.problem_text(p, L))}" for p in problems)]))  # fmt: skip
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    c1.text_input(tr("plp.comment"), key="plan_comment", max_chars=store.MAX_COMMENT, placeholder=tr("plp.comment_ph"))
    if c2.button(tr("plp.save"), key="plan_save", type="primary", disabled=not changed, width="stretch"):
        do_save(d, d.base)


def read_only_note(account: str) -> None:
    """Why this plan cannot be changed here: the role, or (a KAM) whose account it is."""
    actor = signin.current()
    if not auth.can(actor, "plan.save"):
        st.info(tr("auth.ui.plan_read_only_role", role=tr(f"auth.role.{actor.role}")), icon=":material/lock:")
        return
    owner = ", ".join(md(o) for o in auth.account_owners(data.db(), account)) or tr("auth.ui.nobody")
    st.info(tr("auth.ui.plan_read_only_owner", account=md(account), owner=owner), icon=":material/lock:")


def editable(account: str) -> bool:
    """May the person of this session change the plan of ``account`` (kam_core checks it again on save)?"""
    return signin.may("plan.save", auth.owners(data.db(), [account]))


# -- the page ---------------------------------------------------------------------------------------
def sections(d: Draft, latest: PlanVersion | None) -> dict:
    """Draw the tabs; return the document as edited (every editing tab is drawn, so its widgets keep their state)."""
    doc = json.loads(json.dumps(d.seed))
    tabs = dict(zip(TABS, st.tabs([tr(f"plp.tab.{k}") for k in TABS], key="plan_tab", on_change="rerun"),
                    strict=True))  # fmt: skip
    draw = {
        "profile": lambda: profile_tab(d),
        "relationship": lambda: relationship_tab(d, doc),
        "vision": lambda: vision_tab(d, doc),
        "swot": lambda: swot_tab(d, doc),
        "competitors": lambda: competitors_tab(d, doc),
        "own": lambda: own_tab(d, doc),
        "stakeholders": lambda: stakeholders_tab(d, doc),
        "objectives": lambda: objectives_tab(d, doc, latest),
        "actions": lambda: actions_tab(d, doc),
        "history": lambda: history_tab(d, doc, latest),
    }
    for key, tab in tabs.items():
        if key in LAZY and tab.open is False:
            continue
        with tab:
            draw[key]()
    return doc


def page() -> None:
    year0 = data.query(edit.data_year)
    if year0 is None:
        no_data_notice()
        return
    account, year = picker(year0)
    if not account:
        st.info(tr("plp.pick"))
        return
    global RO
    RO = not editable(account)
    latest = data.query(store.latest, account, year)
    if present.on():  # a projector: the saved version, read-only, one section at a time
        if latest is None:
            st.info(tr("plp.no_plan_present"))
        else:
            plan_present.show(account, year)
        return
    d = ensure_draft(account, year, latest)
    bar = st.container(key="plan_bar")
    d.doc = sections(d, latest)
    with bar:
        save_bar(d, latest)
        if latest is not None:  # the saved version is what a workshop gets, not the draft
            with st.expander(tr("export.plan_expander", v=latest.version), icon=":material/slideshow:"):
                plan_downloads(account, year)


page()
