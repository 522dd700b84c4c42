"""Users and roles: who may use the dashboard (admin and executive read it; an admin adds people, sets roles)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core import auth
from kam_core.errors import UserError
from ui import auth as signin
from ui import columns as cols
from ui import data
from ui.state import acting_user, flash, lang, show_flash, tr
from ui.widgets import no_data_notice, show_table

L = lang()
st.title(tr("page.users"))
signin.page_guard("user.view")
st.caption(tr("auth.users.caption"))
if st.session_state["filters"].end is None:  # no sales data yet: say so, as every page does
    no_data_notice()
show_flash("users")

COLS = ("email", "name", "role", "kam_name", "updated_at", "updated_by")


def users_table(users: list[dict]) -> None:
    if not users:
        st.info(tr("auth.users.none"))
        return
    frame = pd.DataFrame(users)[list(COLS)]
    frame["role"] = [tr(f"auth.role.{r}") for r in frame["role"]]
    show_table(frame, hide_index=True, key="users_table", width="stretch",
                 column_config={c: cols.text(tr(f"auth.users.col.{c}")) for c in COLS})  # fmt: skip


def edit_form(users: list[dict]) -> None:
    """Add a user or change one's role, KAM name and name (admins only; kam_core checks it again)."""
    st.subheader(tr("auth.users.edit"))
    by = {u["email"]: u for u in users}
    pick = st.selectbox(tr("auth.users.pick"), ["", *by], key="users_pick",
                        format_func=lambda e: e or tr("auth.users.new"))  # fmt: skip
    row = by.get(pick, {})
    with st.form(f"users_form_{pick}", border=True):
        c1, c2 = st.columns(2)
        email = c1.text_input(tr("auth.users.email"), value=pick, disabled=bool(pick), key=f"users_email_{pick}")
        name = c2.text_input(tr("auth.users.name"), value=row.get("name") or "", key=f"users_name_{pick}")
        c3, c4 = st.columns(2)
        roles = list(auth.ROLES)
        role = c3.selectbox(tr("auth.users.role"), roles, index=roles.index(row.get("role", "viewer")),
                            format_func=lambda r: tr(f"auth.role.{r}"), key=f"users_role_{pick}")  # fmt: skip
        kam = c4.text_input(tr("auth.users.kam_name"), value=row.get("kam_name") or "", key=f"users_kam_{pick}",
                            help=tr("auth.users.kam_name_help"))  # fmt: skip
        save = st.form_submit_button(tr("auth.users.save"), type="primary")
    if not save:
        return
    try:
        out = auth.set_user(data.db(), pick or email, role, acting_user(), kam_name=kam, name=name)
    except UserError as e:
        st.error(e.message(L))
        return
    flash("users", tr("auth.users.saved", email=out["email"], role=tr(f"auth.role.{out['role']}")))
    st.rerun()


users = auth.list_users(data.db())
users_table(users)
if signin.may("user.set"):
    edit_form(users)
