"""The scoring page's writes: saving and activating models, strategic fit, custom criteria.

Each write needs the acting user's name; a refusal is shown as its message, a success as a flash
message after a rerun (``write``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from kam_core.analytics import scoring as S
from kam_core.errors import UserError
from kam_core.i18n import t
from ui import columns as cols
from ui import data, fmt
from ui.state import acting_user, flash, has_flash, lang, show_flash, tr
from ui.widgets import edit_table, show_table


def model_label(name: str, lg: str) -> str:
    """A model's name as shown: the built-in model's in ``lg`` (passed, not read from the session: a
    format_func may be called after the run)."""
    return t("scoring.model.builtin", lg) if name == S.BUILTIN_MODEL else name


def err(e: UserError) -> None:
    st.error(e.message(lang()))


def need_user() -> str:
    """The acting user, or '' after telling the user that a name is needed."""
    user = acting_user()
    if not user:
        st.warning(tr("sp.need_user"))
    return user


def models_section(model: S.Model, models: list[dict]) -> None:
    """Save the draft as a new version (optionally active), list the models and their versions, activate one."""
    L = lang()
    st.subheader(tr("sp.models"))
    show_flash("sc_models")
    with st.form("sc_save_form"):
        c1, c2 = st.columns([3, 1.5], vertical_alignment="bottom")
        name = c1.text_input(tr("sp.model_name"), key="sc_name", max_chars=S.MAX_NAME, help=tr("sp.model_name_help"))
        also = c2.checkbox(tr("sp.save_activate"), key="sc_save_activate")
        save = st.form_submit_button(tr("sp.save"), type="primary")
    if save:
        user = need_user()
        if user:
            try:
                saved = S.save_model(data.db(), replace(model, name=name.strip()), user, activate=also)
            except UserError as e:
                err(e)
            else:
                S.clear_memo()
                msg = "sp.saved_active" if also else "sp.saved"
                flash("sc_models", tr(msg, name=fmt.md(saved.name), version=saved.version, user=fmt.md(user)))
                st.rerun()

    table = pd.DataFrame(models)
    table = table.assign(
        name=[model_label(n, L) for n in table["name"]],
        active=["● " + t("sp.active", L) if a else "" for a in table["active"]],
    )[["name", "active", "version", "versions", "saved_by", "saved_at"]]
    show_table(
        table, hide_index=True, key="sc_models_table",
        column_config={
            "name": cols.text(tr("sp.col.model")),
            "active": cols.text(tr("sp.col.active")),
            "version": cols.count(tr("sp.col.version")),
            "versions": cols.count(tr("sp.col.versions")),
            "saved_by": cols.text(tr("sp.col.saved_by")),
            "saved_at": st.column_config.DatetimeColumn(tr("sp.col.saved_at"), format="YYYY-MM-DD HH:mm"),
        },
    )  # fmt: skip
    names = [m["name"] for m in models]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(tr("sp.activate_pick"), names, key="sc_activate_pick", format_func=lambda n: model_label(n, L))
    if c2.button(tr("sp.activate"), key="sc_activate"):
        user = need_user()
        if user:
            try:
                S.activate_model(data.db(), pick, user)
            except UserError as e:
                err(e)
            else:
                S.clear_memo()
                flash("sc_models", tr("sp.activated", name=fmt.md(model_label(pick, L)), user=fmt.md(user)))
                st.rerun()
    if pick != S.BUILTIN_MODEL:
        versions = data.query(S.model_versions, pick)
        with st.expander(tr("sp.versions", name=fmt.md(pick), n=len(versions))):
            show_table(
                pd.DataFrame([{"version": v.version, "saved_by": v.saved_by, "saved_at": v.saved_at,
                               "key_rule": v.key_rule.describe(L),
                               "weights": ", ".join(f"{c.name} {c.weight:g}" for c in v.criteria)}
                              for v in reversed(versions)]),
                hide_index=True, key="sc_versions",
                column_config={
                    "version": cols.count(tr("sp.col.version")),
                    "saved_by": cols.text(tr("sp.col.saved_by")),
                    "saved_at": st.column_config.DatetimeColumn(tr("sp.col.saved_at"), format="YYYY-MM-DD HH:mm"),
                    "key_rule": cols.text(tr("sp.key_rule")),
                    "weights": cols.text(tr("sp.col.weights"), width="large"),
                },
            )  # fmt: skip


# -- judgement and custom criteria ------------------------------------------------------------------
def fit_section(fits: pd.DataFrame, top: int) -> None:
    """Strategic fit (1–5) for the ``top`` accounts (rank, account, score, strategic_fit) in an editor,
    or for any account from a CSV."""
    with st.expander(tr("sp.fit"), expanded=has_flash("sc_fit")):
        show_flash("sc_fit")
        st.caption(tr("sp.fit_help", n=top))
        base = fits
        edited = edit_table(
            base, hide_index=True, num_rows="fixed", key="sc_fit_editor", width="stretch",
            disabled=["rank", "account", "score"],
            column_config={
                "rank": cols.count(tr("scoring.col.rank")),
                "account": cols.text(tr("col.account"), width="large"),
                "score": cols.number(tr("scoring.col.score"), "%.1f"),
                "strategic_fit": st.column_config.NumberColumn(tr("scoring.criterion.strategic_fit"), min_value=1,
                                                               max_value=5, step=1),
            },
        )  # fmt: skip
        if st.button(tr("sp.fit_save"), key="sc_fit_save", type="primary"):
            changed = fit_changes(base, pd.DataFrame(edited))
            write(lambda user: S.set_strategic_fits(data.db(), changed, user) if changed else 0, "sc_fit",
                  "sp.fit_saved", "sc_fit_editor")  # fmt: skip
        up = st.file_uploader(tr("sp.fit_upload"), type=["csv"], key="sc_fit_file", help=tr("sp.fit_upload_help"))
        if up is not None and st.button(tr("sp.fit_import"), key="sc_fit_import"):
            write(lambda user: S.import_strategic_fit(data.db(), up.getvalue(), user), "sc_fit", "sp.fit_saved",
                  "sc_fit_editor")  # fmt: skip


def fit_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int | None]:
    """account → new fit (None = cleared) for the editor rows whose fit changed."""
    out: dict[str, int | None] = {}
    for a, old, new in zip(before["account"], before["strategic_fit"], after["strategic_fit"], strict=True):
        old_v = None if pd.isna(old) else int(old)
        new_v = None if pd.isna(new) else int(new)
        if old_v != new_v:
            out[a] = new_v
    return out


def write(action: Callable[[str], object], flash_key: str, done_key: str, editor_key: str | None = None) -> None:
    """Run a write with the acting user: refuse without one, show a UserError, else flash and rerun."""
    user = need_user()
    if not user:
        return
    try:
        n = action(user)
    except UserError as e:
        err(e)
        return
    S.clear_memo()
    if editor_key:
        st.session_state.pop(editor_key, None)
    flash(flash_key, tr(done_key, n=fmt.md(n), user=fmt.md(user)))
    st.rerun()


def custom_section(infos: dict[str, S.CriterionInfo]) -> None:
    """Define a custom criterion (name, direction, description); type or upload its values per account."""
    L = lang()
    with st.expander(tr("sp.custom"), expanded=has_flash("sc_custom")):
        show_flash("sc_custom")
        st.caption(tr("sp.custom_help"))
        with st.form("sc_custom_form"):
            c1, c2 = st.columns([2, 1])
            name = c1.text_input(tr("sp.custom_name"), key="sc_custom_name", max_chars=S.MAX_NAME)
            direction = c2.selectbox(tr("scoring.col.direction"), S.DIRECTIONS, key="sc_custom_dir",
                                     format_func=lambda v: t(f"scoring.direction.{v}", L))  # fmt: skip
            desc = st.text_input(tr("sp.custom_desc"), key="sc_custom_desc")
            define = st.form_submit_button(tr("sp.custom_define"))
        if define:
            write(lambda user: S.define_criterion(data.db(), name, user, direction, desc.strip() or None).name,
                  "sc_custom", "sp.custom_defined")  # fmt: skip
        custom = [n for n, i in infos.items() if i.kind == "custom"]
        if not custom:
            st.caption(tr("sp.custom_none"))
            return
        pick = st.selectbox(tr("sp.custom_pick"), custom, key="sc_custom_pick")
        values = data.query(S.criterion_values, pick)
        edited = edit_table(
            values, hide_index=True, num_rows="dynamic", key=f"sc_custom_editor_{pick}", width="stretch",
            column_config={"account": cols.text(tr("col.account"), width="large"),
                           "value": st.column_config.NumberColumn(tr("scoring.col.value"))},
        )  # fmt: skip
        c1, c2 = st.columns(2)
        if c1.button(tr("sp.custom_save"), key="sc_custom_save", type="primary"):
            new = pd.DataFrame(edited).dropna(subset=["account"])
            vals = dict(zip(new["account"].astype(str), new["value"], strict=True))
            write(lambda user: S.set_criterion_values(data.db(), pick, vals, user), "sc_custom", "sp.custom_saved",
                  f"sc_custom_editor_{pick}")  # fmt: skip
        if c2.button(tr("sp.custom_delete", name=pick), key="sc_custom_delete"):
            write(lambda user: S.delete_criterion(data.db(), pick, user) or pick, "sc_custom", "sp.custom_deleted")
        up = st.file_uploader(tr("sp.custom_upload"), type=["csv"], key="sc_custom_file",
                              help=tr("sp.custom_upload_help"))  # fmt: skip
        if up is not None and st.button(tr("sp.custom_import"), key="sc_custom_import"):
            write(lambda user: S.import_criterion_values(data.db(), pick, up.getvalue(), user), "sc_custom",
                  "sp.custom_saved", f"sc_custom_editor_{pick}")  # fmt: skip
