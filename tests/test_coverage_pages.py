"""AppTest: where a growth figure cannot be honest, the pages say why instead of showing a number."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core.db import Database, close_all
from kam_core.i18n import t
from tests.app.test_pages import open_app


def _partial_last_month(path: Path) -> None:
    """The demo's last month (2026-10) ends on the 9th."""
    close_all()
    db = Database(path)
    uid = db.scalar("SELECT max(upload_id) FROM sales WHERE period = DATE '2026-10-01'")
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, DATE '2026-10-01', DATE '2026-10-09')", [uid])
    db.close()
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_says_why_there_is_no_delta(app_env: Path, lang: str) -> None:
    _partial_last_month(app_env)
    at = open_app(lang)
    reason = t("coverage.partial", lang, month="2026-10", date="2026-10-09")
    captions = [c.value for c in at.caption]
    for what in ("kpi.mom", "kpi.yoy"):
        assert t("coverage.no_growth", lang, what=t(what, lang), reason=reason) in captions
    top_note = t("coverage.no_growth", lang, what=t("col.yoy", lang), reason=reason)
    assert top_note in captions  # the top-10 table's YoY column
    for page in ("app_pages/tiers.py", "app_pages/channels.py", "app_pages/regions.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert top_note in [c.value for c in at.caption], page


def test_full_demo_shows_no_coverage_note(app_env: Path) -> None:
    at = open_app("en")
    assert not any("not shown" in c.value for c in at.caption)
