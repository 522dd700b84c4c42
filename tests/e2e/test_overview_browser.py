"""The main journey's first step: open the app, see the KPIs, switch to Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server

pytestmark = pytest.mark.e2e


def test_overview_kpis_then_chinese(server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(server.url + "/")
    wait_idle(page)
    expect(page.locator("[data-testid='stMetric']")).to_have_count(5, timeout=30_000)
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert t("kpi.revenue", "en") in labels[0]
    assert page.get_by_text(t("demo.note", "en")).is_visible()

    page.locator("[data-testid='stSidebar']").get_by_text("简体中文").click()
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('lang=zh')")
    expect(page.locator("[data-testid='stMetricLabel']").first).to_contain_text(t("kpi.revenue", "zh"))
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert t("kpi.revenue", "zh") in labels[0]
    assert page.get_by_role("heading", name=t("page.overview", "zh")).first.is_visible()
    assert "lang=zh" in page.url
    assert browser.external == [], browser.external


def test_link_reopens_same_view(server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(server.url + "/?lang=zh&region=East&from=2025-01&to=2025-06")
    wait_idle(page)
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("2025-06", timeout=30_000)
    expect(page.locator("[data-testid='stSidebar']").get_by_text(t("region.East", "zh")).first).to_be_visible()
    expect(page.locator("[data-testid='stMetricLabel']").first).to_contain_text(t("kpi.revenue", "zh"))
    assert browser.external == [], browser.external
