"""Account plan editor: profile from the data, the plan's sections as tabs, save with a comment, history, conflicts."""

from __future__ import annotations

import json
from collections.abc import Container

import pandas as pd
import streamlit as st

from kam_core import auth
from kam_core.errors import UserError
from kam_core.plans import edit, model, store
from kam_core.plans.diff import SectionDiff, lines, plan_diff
from kam_core.plans.store import PlanConflict, PlanVersion
from ui import auth as signin
from ui import columns as cols
from ui import data, plan_draft, plan_present, plan_profile, present
from ui import plan_sections as sec
from ui.exports import plan_downloads
from ui.fmt import md
from ui.plan_draft import Draft
from ui.state import acting_user, flash, keep_in_url, lang, show_flash, tr, tr_fixed
from ui.widgets import PickList, account_picker, no_data_notice, show_table

L = lang()
st.title(tr("page.plans"))
signin.page_guard("plan.view")  # a deep link of a role without plans
st.caption(tr("plp.caption"))

TABS = ("profile", "relationship", "vision", "swot", "competitors", "own", "stakeholders", "objectives", "actions",
        "history")  # fmt: skip
LAZY = frozenset({"profile", "history"})  # read-only tabs: drawn only while open
RO = False  # this plan opens read-only (set by page(): a role or a KAM who may not change it)


label = tr_fixed()  # a translation in this run's language (for format_funcs called outside the run)


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


# -- the sections -----------------------------------------------------------------------------------
def history_tab(d: Draft, doc: dict, latest: PlanVersion | None) -> None:
    show_flash("plan_history")
    hist = data.query(store.history, d.account, d.year)
    if not hist:
        st.caption(tr("plp.no_history"))
        return
    frame = pd.DataFrame(hist)[["version", "saved_by", "saved_at", "comment", "restored_from"]]
    frame["restored_from"] = [None if r is None else f"v{r}" for r in frame["restored_from"]]
    frame["saved_at"] = pd.to_datetime(frame["saved_at"])  # (ISO text: shown as every other time is)
    show_table(frame, hide_index=True, key="plan_history_table", width="stretch",
                 column_config={"version": cols.count(tr("plp.col.version")), "saved_by": cols.text(tr("plp.col.by")),
                                "saved_at": st.column_config.DatetimeColumn(tr("plp.col.at"),
                                                                            format="YYYY-MM-DD HH:mm"),
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
        "profile": lambda: plan_profile.profile_tab(d),
        "relationship": lambda: sec.relationship_tab(d, doc, RO),
        "vision": lambda: sec.vision_tab(d, doc, RO),
        "swot": lambda: sec.swot_tab(d, doc, RO),
        "competitors": lambda: sec.competitors_tab(d, doc, RO),
        "own": lambda: sec.own_tab(d, doc, RO),
        "stakeholders": lambda: sec.stakeholders_tab(d, doc, RO),
        "objectives": lambda: sec.objectives_tab(d, doc, latest, RO),
        "actions": lambda: sec.actions_tab(d, doc, RO),
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
