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
from ui.nav import available

st.set_page_config(page_title="KAM Dashboard", page_icon="📊", layout="wide")
state.load_query_params()
state.language_switch()
tr = state.tr

data.ensure_data(tr("demo.loading"))
opts = data.query(filter_options)

sections: dict[str, list] = {}
for i, spec in enumerate(available()):
    page = st.Page(spec.script, title=tr(f"page.{spec.key}"), icon=spec.icon, url_path=spec.key, default=i == 0)
    sections.setdefault(tr(spec.section), []).append(page)
nav = st.navigation(sections)
filters = state.filters_sidebar(opts)
state.user_field()
state.write_query_params(filters)
st.session_state["filters"] = filters  # read by the pages
if data.query(demo.is_demo):
    st.info(tr("demo.note"), icon="ℹ️")
nav.run()
