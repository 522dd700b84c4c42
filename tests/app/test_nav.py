"""Navigation: Material icons (drawn offline, no emoji font needed) and /overview as well as / for the overview."""

from __future__ import annotations

from pathlib import Path

from streamlit.material_icon_names import ALL_MATERIAL_ICONS

from kam_core.i18n import t
from tests.app.test_pages import open_app, texts
from ui import nav


def test_every_page_icon_is_a_bundled_material_symbol() -> None:
    for icon in (p.icon for p in nav.PAGES):
        assert icon.startswith(":material/") and icon.endswith(":"), icon
        assert icon[len(":material/") : -1] in ALL_MATERIAL_ICONS, icon
    assert Path(nav.APP_ICON).is_file()  # the tab icon is a local image: nothing fetched from outside


def test_overview_is_served_at_the_root_and_at_slash_overview(app_env) -> None:
    at = open_app("en")
    pages = at._registered_pages  # what st.navigation registered (AppTest has no public view of it)
    overview = [p for p in pages.values() if p["script_path"].endswith("app_pages/overview.py")]
    assert sorted(p["url_pathname"] for p in overview) == ["", "overview"]
    paths = [p["url_pathname"] for p in pages.values()]
    assert len(paths) == len(set(paths))  # every other page keeps its own path
    assert {"pareto", "tiers", "channels", "regions", "upload"} <= set(paths)
    at.switch_page("app_pages/overview.py").run()  # the hidden /overview page runs the overview
    assert not at.exception, at.exception
    assert t("page.overview", "en") in texts(at)
