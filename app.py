"""KAM Dashboard entry: page config, navigation, language, global filters, settings.

Page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ next to
the entry script as a legacy multipage app until st.navigation has run once in the
process, which runs deep links without this file and drops the first session's widget
state.
"""

from __future__ import annotations

import streamlit as st

from kam_core import auth, demo
from kam_core.analytics.overview import filter_options
from ui import auth as signin
from ui import data, fmt, nav, present, state
from ui.settings_box import settings_box

st.set_page_config(page_title="KAM Dashboard", page_icon=nav.APP_ICON, layout="wide")
state.load_query_params()
state.language_switch()
present.toggle()
present.style()  # presenting: sidebar hidden (its filters still apply), larger type
tr = state.tr
actor = signin.gate()  # sign-in mode: not signed in → the sign-in page only

data.ensure_data(tr("demo.loading"))
fmt.set_currency(data.currency_code())  # every figure of this run in the configured currency
opts = data.query(filter_options)

# Presenting hides the sidebar: the pages move to a menu at the top.
pages = auth.visible_pages(actor, [p.key for p in nav.available()])
page = st.navigation(nav.sections(tr, pages), position="top" if present.on() else "sidebar")
filters = state.filters_sidebar(opts)
signin.identity_box(actor)  # local mode: the name field and "full rights"; else who is signed in, sign out
if not present.on() and signin.may("setting.set"):
    settings_box()
state.write_query_params(filters)
st.session_state["filters"] = filters  # read by the pages
present.bar(filters)  # presenting: the filters that apply, and the way out
if data.query(demo.is_demo):
    st.info(tr("demo.note"), icon=":material/info:")
page.run()
