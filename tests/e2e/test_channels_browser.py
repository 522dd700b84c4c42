"""The channel and region pages draw their charts offline, in both languages, and react to their controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server
from ui.plotly_view import CHART

pytestmark = pytest.mark.e2e

RADIOS = "[data-testid='stRadioGroup']"


def _draw_all(page) -> None:
    """Plotly charts draw when scrolled into view."""
    charts = page.locator(CHART)
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_channel_page_draws_offline(server: Server, browser: Browser, lang: str) -> None:
    page = browser.page
    page.goto(f"{server.url}/channels?lang={lang}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("channels.mix_shift", lang)).first).to_be_visible(timeout=30_000)
    expect(page.locator(CHART)).to_have_count(4, timeout=30_000)  # share, by region, growth, waterfall
    _draw_all(page)
    # the 100% stacked area: one filled trace per channel in the demo (10 canonical channels)
    expect(page.locator(f"{CHART} .scatterlayer .trace").nth(9)).to_be_attached(timeout=30_000)
    # the waterfall: base, 10 channel bars, current
    expect(page.locator(f"{CHART} .waterfalllayer .point").nth(11)).to_be_attached(timeout=30_000)
    expect(page.get_by_text(t("channel.hypermarket", lang), exact=True).first).to_be_attached()
    # switch to trade segments: the GKA segment appears in the legend
    page.locator(RADIOS).get_by_text(t("channels.view_segment", lang), exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(t("channels.segment_GKA", lang)).first).to_be_attached(timeout=30_000)
    assert browser.external == [], browser.external


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_region_page_draws_offline(server: Server, browser: Browser, lang: str) -> None:
    page = browser.page
    page.goto(f"{server.url}/regions?lang={lang}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("regions.matrix", lang)).first).to_be_visible(timeout=30_000)
    expect(page.locator(CHART)).to_have_count(3, timeout=30_000)  # heat map, provinces, trend
    _draw_all(page)
    expect(page.locator(f"{CHART} .heatmaplayer image").first).to_be_attached(timeout=30_000)
    heat = page.locator(CHART).first
    expect(heat).to_contain_text("Walmart")
    expect(heat).to_contain_text(t("region.East", lang))
    page.locator(RADIOS).get_by_text(t("regions.metric_yoy", lang), exact=True).click()
    wait_idle(page)
    expect(page.locator(CHART).first).to_contain_text("%")  # YoY cells are percentages
    assert browser.external == [], browser.external
