"""Main journey: upload a GBK export through the page's file chooser, commit, see the new total on the overview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import ROOT, Server, run_server
from ui.fmt import money

pytestmark = pytest.mark.e2e
FIXTURE = ROOT / "tests" / "fixtures" / "ingest" / "gbk_title_total.csv"


@pytest.fixture
def own_server(demo_path: Path, tmp_path: Path) -> Iterator[Server]:
    """A server on a private copy of the demo database: this test changes the data."""
    db = tmp_path / "upload.duckdb"
    db.write_bytes(demo_path.read_bytes())
    with run_server(db, user="e2e uploader") as s:
        yield s


def test_upload_commit_then_overview_shows_new_total(own_server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(own_server.url + "/upload")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("page.upload", "en")).first).to_be_visible(timeout=30_000)
    page.locator("input[type='file']").first.set_input_files(str(FIXTURE))
    wait_idle(page)
    expect(page.get_by_text("gb18030").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("upload.replaced.title", "en")).first).to_be_visible()
    page.get_by_role("button", name=t("upload.commit", "en")).click()
    wait_idle(page)
    expect(page.get_by_text("Upload #2 saved").first).to_be_visible(timeout=30_000)
    page.get_by_text(t("upload.to_overview", "en")).first.click()
    wait_idle(page)
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible(timeout=30_000)
    first = page.locator("[data-testid='stMetric']").first
    expect(first.locator("[data-testid='stMetricLabel']")).to_contain_text(t("kpi.revenue", "en"))
    # 4 lines of March 2026 (the 合计 line not counted), the demo data removed
    expect(first.locator("[data-testid='stMetricValue']")).to_have_text(money(6134.75, "en"))
    expect(page.get_by_text(t("demo.note", "en"))).to_have_count(0)
    assert browser.external == [], browser.external
