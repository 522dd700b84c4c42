"""The scoring page's criteria editor: the start-from model, one table of weight / direction /
normalisation per criterion, the key-account cut-off → the draft model the page ranks by."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core.analytics import scoring as S
from kam_core.errors import UserError
from ui import data, fmt
from ui.scoring_edit import err, model_label
from ui.state import lang, tr, tr_fixed
from ui.widgets import edit_table

CRITERIA_EDITOR = "sc_criteria"  # (one editor, not three widgets per criterion: 39 widgets cost a rerun ~50 ms)


def seed(model: S.Model, infos: dict[str, S.CriterionInfo]) -> None:
    """Start the editor from ``model`` when the starting model (or its version, or the criteria) changes."""
    sig = (model.name, model.version, tuple(infos))
    if st.session_state.get("_sc_seed") == sig:
        return
    st.session_state["_sc_seed"] = sig
    st.session_state.pop(CRITERIA_EDITOR, None)  # the edits were made to another model's table
    rule = model.key_rule
    st.session_state["sc_rule"] = "top" if rule.top is not None else "min_score"
    st.session_state["sc_top"] = int(rule.top or 20)
    st.session_state["sc_min"] = float(rule.min_score if rule.min_score is not None else 60.0)
    st.session_state["sc_name"] = "" if model.name == S.BUILTIN_MODEL else model.name


def criteria_frame(model: S.Model, infos: dict[str, S.CriterionInfo]) -> pd.DataFrame:
    """The editor's rows: every criterion (code, name in this language), its weight, direction and
    normalisation in ``model`` (weight 0 and the criterion's defaults where the model does not use it)."""
    L = lang()
    label = tr_fixed()
    rows = []
    for n, info in infos.items():
        c = next((c for c in model.criteria if c.name == n), None)
        kind = "" if info.kind == "data" else f" · {label(f'sp.kind.{info.kind}')}"
        rows.append({"code": n, "criterion": info.label(L) + kind, "weight": float(c.weight) if c else 0.0,
                     "direction": c.direction if c else info.direction,
                     "normalise": c.normalise if c else info.normalise})  # fmt: skip
    return pd.DataFrame(rows, columns=["code", "criterion", "weight", "direction", "normalise"])


def edited_criteria(edited: pd.DataFrame) -> list[S.ModelCriterion]:
    """The criteria given a weight above 0 in the editor (a cleared weight counts as 0)."""
    return [S.ModelCriterion(n, float(w), d, m)
            for n, w, d, m in edited[["code", "weight", "direction", "normalise"]].itertuples(index=False)
            if pd.notna(w) and float(w) > 0]  # fmt: skip


def criteria_section(choice: S.ModelChoice) -> S.Model | None:
    """Start-from model, the criteria table with weights, and the key cut-off → the draft model."""
    L = lang()
    label = tr_fixed()
    st.subheader(tr("sp.criteria"))
    models, infos = choice.models, choice.criteria
    names = [m["name"] for m in models]
    active = next(m["name"] for m in models if m["active"])
    base_name = st.selectbox(
        tr("sp.base"), names, index=names.index(active), key="sc_base",
        format_func=lambda n: label("sp.model_active", name=model_label(n, L)) if n == active else model_label(n, L),
    )  # fmt: skip
    base = choice.latest[base_name]
    seed(base, infos)
    st.caption(tr("sp.base_help"))
    norm_help = "\n\n".join(f"**{tr(f'scoring.normalise.{m}')}**: {tr(f'scoring.normalise_definition.{m}')}"
                            for m in S.NORMALISATIONS)  # fmt: skip
    rows = data.built(("sc_criteria", base.name, base.version, tuple(infos), L), lambda: criteria_frame(base, infos))
    edited = edit_table(
        rows, hide_index=True, num_rows="fixed", key=CRITERIA_EDITOR, width="stretch",
        height=35 * (len(rows) + 1) + 3,  # every criterion in view (rows of 35 px), no inner scrolling
        disabled=["code", "criterion"], column_order=["criterion", "weight", "direction", "normalise"],
        column_config={
            "criterion": st.column_config.TextColumn(tr("scoring.col.criterion"), width=155),  # (the four fit
            "weight": st.column_config.NumberColumn(tr("scoring.col.weight"), min_value=0.0, max_value=100.0,
                                                    step=0.5, format="%.1f", help=tr("sp.weight_help"), width=64),
            "direction": st.column_config.SelectboxColumn(  # the half page's width without a scroll bar)
                tr("scoring.col.direction"), options=S.DIRECTIONS, required=True, width=84,
                format_func=lambda v: label(f"sp.dir_short.{v}")),
            "normalise": st.column_config.SelectboxColumn(
                tr("scoring.col.normalise"), options=S.NORMALISATIONS, required=True, help=norm_help, width=96,
                format_func=lambda v: label(f"sp.norm_short.{v}")),
        },
    )  # fmt: skip
    chosen = edited_criteria(pd.DataFrame(edited))
    with st.expander(tr("sp.definitions")):
        st.markdown("\n".join(f"- **{fmt.md(i.label(L))}**: {fmt.md(i.definition(L))}" for i in infos.values()))
        st.markdown("\n".join(f"- **{tr(f'scoring.normalise.{m}')}**: {tr(f'scoring.normalise_definition.{m}')}"
                              for m in S.NORMALISATIONS))  # fmt: skip
        st.caption(tr("scoring.low_coverage_note"))

    k1, k2 = st.columns([3, 2])
    rule_kind = k1.radio(tr("sp.key_rule"), ["top", "min_score"], key="sc_rule", horizontal=True,
                         format_func=lambda v: label(f"sp.key_rule.{v}"))  # fmt: skip
    if rule_kind == "top":
        rule = S.KeyRule(top=int(k2.number_input(tr("sp.key_top"), 1, 100_000, step=1, key="sc_top")))
    else:
        rule = S.KeyRule(top=None, min_score=float(k2.number_input(tr("sp.key_min"), 0.0, 100.0, step=1.0,
                                                                    key="sc_min")))  # fmt: skip
    try:
        if not chosen:
            raise UserError("scoring.err.all_zero")
        criteria = S.parse_criteria(chosen, None)
    except UserError as e:
        err(e)
        return None
    return S.Model(base.name, criteria, rule)
