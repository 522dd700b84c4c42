"""KAM Dashboard entry: page config, navigation, language, global filters.

Page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ next to
the entry script as a legacy multipage app until st.navigation has run once in the
process, which runs deep links without this file and drops the first session's widget
state.
"""

from __future__ import annotations

import streamlit as st

from kam_core import demo
from kam_core.analytics.overview import filter_options
from ui import data, state

st.set_page_config(page_title="KAM Dashboard", page_icon="📊", layout="wide")
state.load_query_params()
state.language_switch()
tr = state.tr

data.ensure_data(tr("demo.loading"))
opts = data.query(filter_options)

PAGES = {
    "overview": st.Page(
        "app_pages/overview.py", title=tr("page.overview"), icon="📈", url_path="overview", default=True
    ),
}
nav = st.navigation({tr("nav.dashboards"): [PAGES["overview"]]})
filters = state.filters_sidebar(opts)
state.user_field()
state.write_query_params(filters)
st.session_state["filters"] = filters  # read by the pages
if data.query(demo.is_demo):
    st.info(tr("demo.note"), icon="ℹ️")
nav.run()
