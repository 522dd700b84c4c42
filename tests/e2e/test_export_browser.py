"""Workshop deck from the browser: open a plan, download the PowerPoint, read it back."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server

pytestmark = pytest.mark.e2e


def test_open_a_plan_and_download_its_deck(server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(f"{server.url}/plans?account=Carrefour&year=2026&lang=zh", timeout=60_000)
    wait_idle(page)
    page.get_by_text(t("export.plan_expander", "zh", v=2)).click()
    wait_idle(page)
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name=t("export.btn.pptx", "zh")).click()
    data = open(dl.value.path(), "rb").read()
    assert data[:2] == b"PK" and dl.value.suggested_filename.endswith(".pptx")
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) >= 6
    text = "\n".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "家乐福" in text and "Carrefour" in text
    assert browser.external == [], browser.external
