"""Main journey: upload a GBK export through the page's file chooser, commit, see the new total on the overview."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import ROOT, Browser, Server, _free_port, wait_idle
from ui.fmt import money

pytestmark = pytest.mark.e2e
FIXTURE = ROOT / "tests" / "fixtures" / "ingest" / "gbk_title_total.csv"


@pytest.fixture
def own_server(demo_path: Path, tmp_path: Path) -> Iterator[Server]:
    """A server on a private copy of the demo database: this test changes the data."""
    db = tmp_path / "upload.duckdb"
    db.write_bytes(demo_path.read_bytes())
    port = _free_port()
    env = {**os.environ, "KAM_DB": str(db), "KAM_USER": "e2e uploader"}
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"streamlit did not start; see {log.name}") from None
            time.sleep(0.3)
    yield Server(url, db, proc)
    proc.terminate()
    proc.wait(10)
    log.close()


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
