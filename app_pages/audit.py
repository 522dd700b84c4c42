"""Audit log: every recorded change, filterable by user, action and date, downloadable as formula-safe CSV."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from kam_core import auth
from ui import auth as signin
from ui import columns as cols
from ui import data
from ui.state import lang, tr
from ui.widgets import no_data_notice, show_table

L = lang()
st.title(tr("page.audit"))
signin.page_guard("audit.view")
st.caption(tr("auth.audit.caption"))
if st.session_state["filters"].end is None:  # no sales data yet: say so, as every page does
    no_data_notice()

db = data.db()
everything = auth.audit_frame(db)
today = date.today()
c1, c2, c3, c4 = st.columns([1, 1, 2, 2])
first = date.fromisoformat(everything["at"].min()[:10]) if not everything.empty else today - timedelta(days=30)
since = c1.date_input(tr("auth.audit.from"), value=first, key="audit_from")
until = c2.date_input(tr("auth.audit.to"), value=today, key="audit_to")
users = c3.multiselect(tr("auth.audit.user"), sorted(set(everything["user"])), key="audit_users",
                       placeholder=tr("auth.audit.all"))  # fmt: skip
actions = c4.multiselect(tr("auth.audit.action"), sorted(set(everything["action"])), key="audit_actions",
                         placeholder=tr("auth.audit.all"), format_func=lambda c: auth.action_label(c, L))  # fmt: skip
shown = auth.audit_frame(db, since, until=until, users=users, actions=actions, lang=L)  # (the download: codes, JSON)
if shown.empty:
    st.info(tr("auth.audit.empty"))
else:
    st.caption(tr("auth.audit.count", n=len(shown)))
    show_table(shown, hide_index=True, key="audit_table", width="stretch",
                 column_config={c: cols.text(tr(f"auth.audit.col.{c}"), width="large" if c == "detail" else None)
                                for c in shown.columns})  # fmt: skip
    st.download_button(tr("auth.audit.download"), auth.audit_csv(db, since, until=until, users=users, actions=actions),
                       f"audit_{since:%Y%m%d}_{until:%Y%m%d}.csv", "text/csv", key="audit_csv",
                       icon=":material/download:")  # fmt: skip
