"""The app's pages. A page appears once its script exists in app_pages/.

Each page script starts with ``st.title(tr("page.<key>"))``; tests rely on that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    PageSpec("overview", "nav.dashboards", "📈"),
    PageSpec("pareto", "nav.dashboards", "📊"),
    PageSpec("tiers", "nav.dashboards", "🗺️"),
    PageSpec("channels", "nav.dashboards", "🛒"),
    PageSpec("regions", "nav.dashboards", "🧭"),
    PageSpec("scoring", "nav.dashboards", ":material/leaderboard:"),
    PageSpec("upload", "nav.data", "📤"),
]


def available() -> list[PageSpec]:
    return [p for p in PAGES if (ROOT / p.script).exists()]
