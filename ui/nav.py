"""The app's pages. A page appears once its script exists in app_pages/.

Each page script starts with ``st.title(tr("page.<key>"))``; tests rely on that. Icons are
Material Symbols (``:material/…:``), which Streamlit bundles as a font: they draw offline and
on machines without an emoji font (where emoji show as empty boxes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    key: str  # url path, and catalog key "page.<key>"
    section: str  # catalog key of the navigation section
    icon: str

    @property
    def script(self) -> str:
        return f"app_pages/{self.key}.py"


PAGES: list[PageSpec] = [
    PageSpec("overview", "nav.dashboards", ":material/dashboard:"),
    PageSpec("pareto", "nav.dashboards", ":material/bar_chart:"),
    PageSpec("tiers", "nav.dashboards", ":material/map:"),
    PageSpec("channels", "nav.dashboards", ":material/storefront:"),
    PageSpec("regions", "nav.dashboards", ":material/grid_view:"),
    PageSpec("scoring", "nav.planning", ":material/leaderboard:"),
    PageSpec("plans", "nav.planning", ":material/edit_note:"),
    PageSpec("portfolio", "nav.planning", ":material/assignment:"),
    PageSpec("explain", "nav.planning", ":material/waterfall_chart:"),
    PageSpec("upload", "nav.data", ":material/upload_file:"),
    PageSpec("users", "nav.admin", ":material/manage_accounts:"),
    PageSpec("audit", "nav.admin", ":material/history:"),
]
# Browser tab icon: a shipped image. (A ":material/…:" page_icon makes the browser fetch the
# favicon SVG from fonts.gstatic.com; an emoji needs an emoji font.)
APP_ICON = str(ROOT / "static" / "favicon.png")
HOME_PATH = "home"  # url_path reserved by the default page, which Streamlit serves at "/"


def available() -> list[PageSpec]:
    return [p for p in PAGES if (ROOT / p.script).exists()]


def icon(key: str) -> str:
    """The navigation icon of page ``key`` (for st.page_link to it)."""
    return next(p.icon for p in PAGES if p.key == key)


def sections(tr: Callable[[str], str], keys: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The st.navigation sections: every available page (of ``keys``: the pages a role may open), the first
    one the default.

    Streamlit serves the default page at "/" only, so a link to "/overview" would say "Page
    not found". The first page is therefore registered twice: visible as the default (at
    "/"), and hidden under its own key ("/overview", and st.switch_page to its script).
    """
    import streamlit as st

    out: dict[str, list[Any]] = {}
    shown = None if keys is None else set(keys)
    for i, spec in enumerate(p for p in available() if shown is None or p.key in shown):
        title = tr(f"page.{spec.key}")
        if i == 0:
            page = st.Page(spec.script, title=title, icon=spec.icon, url_path=HOME_PATH, default=True)
            alias = st.Page(spec.script, title=title, icon=spec.icon, url_path=spec.key, visibility="hidden")
            out.setdefault(tr(spec.section), []).extend([page, alias])
            continue
        page = st.Page(spec.script, title=title, icon=spec.icon, url_path=spec.key)
        out.setdefault(tr(spec.section), []).append(page)
    return out
