"""The account plan's editing tabs (relationship … actions) and their callbacks.

Every tab reads the draft's seed, draws its widgets (keys from ``Draft.key``, so a draft keeps its
edits across reruns) and writes the edited section into ``doc``; ``ro``: the plan opens read-only
(a role, or a KAM who does not own the account) — widgets disabled, no add or accept buttons.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kam_core.plans import edit, model, suggest
from kam_core.plans.store import PlanVersion
from ui import columns as cols
from ui import data, fmt, plan_draft
from ui.fmt import md
from ui.plan_draft import Draft
from ui.state import flash, lang, show_flash, tr, tr_fixed
from ui.widgets import edit_table, show_table

TODAY = date.today()


def code_label(kind: str):
    """A format_func for a code column: the code's name in this run's language ("" for none)."""
    label = tr_fixed()
    return lambda v: "" if v is None or v == "" else label(f"plans.{kind}.{v}")


# -- callbacks (run before the script: the draft holds the last run's edits) --------------------------
def cb_accept(account: str, year: int, quadrant: str, text: str, source: str) -> None:
    d = plan_draft.get(account, year)
    plan_draft.reseed(d, edit.accept(d.doc, quadrant, text, source))
    flash("plan_swot", tr("plp.accepted", quadrant=tr(f"plans.quadrant.{quadrant}")), "info")


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


def editor(d: Draft, name: str, section: str, rows: list[dict], config: dict, ro: bool, **kw: object) -> list[dict]:
    """A data_editor over a table section; returns its rows in the JSON form."""
    out = edit_table(
        edit.frame_of(section, rows), key=d.key(name), num_rows="fixed" if ro else "dynamic", hide_index=True,
        width="stretch", disabled=ro,
        placeholder="–",  # an empty cell, not an untranslated "None"
        column_config=config, **kw,
    )  # fmt: skip
    return edit.frame_rows(section, pd.DataFrame(out))


def stage_box(code: str, head: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{head}: {tr(f'plans.stage.{code}')}**")
        st.write(tr(f"plans.stage_desc.{code}"))
        st.caption(tr(f"plans.stage_signs.{code}"))


def relationship_tab(d: Draft, doc: dict, ro: bool) -> None:
    rel = d.seed["relationship"]
    c1, c2 = st.columns(2)
    stage = c1.selectbox(tr("plp.stage"), model.STAGES, index=model.STAGES.index(rel["stage"]),
                         key=d.key("stage"), format_func=code_label("stage"), disabled=ro)  # fmt: skip
    target = c2.selectbox(tr("plp.target_stage"), model.STAGES, index=model.STAGES.index(rel["target_stage"]),
                          key=d.key("target_stage"), format_func=code_label("stage"), disabled=ro)  # fmt: skip
    with c1:
        stage_box(stage, tr("plp.stage_now"))
    with c2:
        stage_box(target, tr("plp.stage_target"))
    just = st.text_area(tr("plp.justification"), value=rel["justification"], key=d.key("justification"),
                        help=tr("plp.justification_help"), disabled=ro)  # fmt: skip
    with st.expander(tr("plp.all_stages")):
        for code in model.STAGES:
            st.markdown(f"**{tr(f'plans.stage.{code}')}** — {tr(f'plans.stage_desc.{code}')}")
            st.caption(tr(f"plans.stage_signs.{code}"))
    doc["relationship"] = {"stage": stage, "target_stage": target, "justification": just}


def vision_tab(d: Draft, doc: dict, ro: bool) -> None:
    doc["vision"] = st.text_area(tr("plans.section.vision"), value=d.seed["vision"], key=d.key("vision"),
                                 help=tr("plp.vision_help"), height=120, disabled=ro)  # fmt: skip
    doc["strategy"] = st.text_area(tr("plans.section.strategy"), value=d.seed["strategy"], key=d.key("strategy"),
                                   help=tr("plp.strategy_help"), height=160, disabled=ro)  # fmt: skip


def swot_tab(d: Draft, doc: dict, ro: bool) -> None:
    show_flash("plan_swot")
    config = {"text": cols.text(tr("plp.field.text"), width="medium"), "note": cols.text(tr("plp.field.note")),
              "source": st.column_config.TextColumn(tr("plp.field.source"), disabled=True,
                                                    help=tr("plp.source_help"))}  # fmt: skip
    swot = {}
    for row in (model.QUADRANTS[:2], model.QUADRANTS[2:]):
        for col, q in zip(st.columns(2), row, strict=True):
            with col:
                st.markdown(f"**{tr(f'plans.quadrant.{q}')}**")
                swot[q] = editor(d, f"swot_{q}", "swot", d.seed["swot"][q], config, ro)
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
        c1.markdown(f"**{tr(f'plans.quadrant.{s.quadrant}')}** · {md(s.text(lang()))}")
        if s.id in taken:
            c2.caption(tr("plp.in_plan"))
        elif not ro:
            c2.button(tr("plp.accept"), key=f"plan_accept_{s.id}", on_click=cb_accept,
                      args=(d.account, d.year, s.quadrant, s.text(lang()), s.id))  # fmt: skip


def competitors_tab(d: Draft, doc: dict, ro: bool) -> None:
    config = {
        "name": cols.text(tr("plp.field.name")),
        "share_pct": st.column_config.NumberColumn(tr("plp.field.share_pct"), min_value=0, max_value=100,
                                                   format="%.1f", help=tr("plp.share_help")),
        "strengths": cols.text(tr("plp.field.strengths"), width="large"),
        "recent_moves": cols.text(tr("plp.field.recent_moves"), width="large"),
    }  # fmt: skip
    doc["competitors"] = editor(d, "competitors", "competitors", d.seed["competitors"], config, ro)


def own_tab(d: Draft, doc: dict, ro: bool) -> None:
    own = d.seed["own_company"]
    doc["own_company"] = {
        f: st.text_area(
            tr(f"plp.field.{f}"), value=own[f], key=d.key(f"own_{f}"), help=tr(f"plp.help.{f}"), disabled=ro
        )
        for f in ("supplied_now", "supplied_before", "service_issues")
    }


def stakeholders_tab(d: Draft, doc: dict, ro: bool) -> None:
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
    doc["stakeholders"] = editor(d, "stakeholders", "stakeholders", d.seed["stakeholders"], config, ro)
    st.caption(tr("plp.stakeholders_help"))


def value_text(metric: str, v: float | None) -> str:
    if v is None:
        return "–"
    if metric in model.RATIO_METRICS:
        return f"{v:.1f}%"
    if metric in model.COUNT_METRICS or metric == "volume":
        return fmt.count(v)
    return fmt.money(v, lang())


def typed_or_saved(d: Draft, doc: dict, latest: PlanVersion | None) -> tuple[model.PlanDoc | None, bool]:
    """The draft as a typed document when it is valid, else the saved version (False: not the draft)."""
    if not model.validate_dict(doc):
        return model.from_dict(doc), True
    return (latest.doc if latest else None), False


def objectives_tab(d: Draft, doc: dict, latest: PlanVersion | None, ro: bool) -> None:
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
    doc["objectives"] = editor(d, "objectives", "objectives", d.seed["objectives"], config, ro)
    st.caption(tr("plp.objectives_help"))
    if not ro:
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
        name = tr(f"plans.metric.{o.metric}")
        if o.direction == "down":
            name += f" ({tr('plans.track.lower_is_better')})"
        rows.append({
            "id": o.objective_id, "metric": name, "window": f"{o.window_start} – {o.window_end}",
            "months": f"{o.months_with_data} / {o.months_total}", "baseline": value_text(o.metric, o.baseline),
            "actual": value_text(o.metric, o.actual), "projected": value_text(o.metric, o.projected),
            "target": value_text(o.metric, o.target),
            "achieved": "–" if o.achieved_pct is None else f"{o.achieved_pct:.1f}%",
            "status": tr(f"plans.track.{o.status}"),
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
                           format_func=lambda v: tr("plp.any") if v is None else str(v))  # fmt: skip
        sku = c3.selectbox(tr("plp.field.sku"), opts["sku"], key="plan_new_sku", disabled=not narrow,
                           format_func=lambda v: tr("plp.any") if v is None else str(v))  # fmt: skip
        prov = c4.selectbox(tr("plp.field.province"), opts["province"], key="plan_new_province", disabled=not narrow,
                            format_func=lambda v: tr("plp.any") if v is None else str(v))  # fmt: skip
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


def actions_tab(d: Draft, doc: dict, ro: bool) -> None:
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
    doc["actions"] = editor(d, "actions", "actions", d.seed["actions"], config, ro)
    late = edit.overdue(doc["actions"], TODAY)
    if late:
        items = "; ".join(f"{md(a.get('id') or a['description'])} ({a['due']})" for a in late)
        st.warning(tr("plp.overdue", n=len(late), items=items), icon=":material/schedule:")
    else:
        st.caption(tr("plp.none_overdue"))
