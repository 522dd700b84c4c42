"""The tier map draws with every non-localhost request blocked, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server
from ui.plotly_view import CHART

pytestmark = pytest.mark.e2e

# plotly draws a geo subplot's choropleth as one <path class="choroplethlocation"> per feature
# inside the .geolayer, once its base topojson has loaded (from /app/static/topojson/); with
# that file blocked or missing, no path is drawn at all (checked by hand).
MAP_PATHS = f"{CHART} .geolayer path.choroplethlocation"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tier_map_draws_offline(server: Server, browser: Browser, lang: str) -> None:
    page = browser.page
    topojson: list[int] = []
    page.on("response", lambda r: topojson.append(r.status) if "/app/static/topojson/" in r.url else None)
    page.goto(f"{server.url}/tiers?lang={lang}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("tiers.map", lang)).first).to_be_visible(timeout=30_000)
    page.locator(CHART).first.scroll_into_view_if_needed()  # charts draw when visible
    paths = page.locator(MAP_PATHS)
    # 34 base polygons + the coloured K/A provinces on top
    expect(paths.nth(34)).to_be_attached(timeout=30_000)
    n = paths.count()
    assert 34 + 10 <= n <= 34 + 31, n
    filled = page.eval_on_selector_all(MAP_PATHS, "els => els.map(e => getComputedStyle(e).fill)")
    assert len(set(filled)) > 5  # a colour scale, not one flat colour
    assert topojson and all(s == 200 for s in topojson), topojson
    # the treemap and the account list are there too
    # (every plotly chart has an empty treemap layer; only the treemap has slices in it)
    expect(page.locator(f"{CHART} .treemaplayer g.slice").nth(20)).to_be_attached()
    expect(page.get_by_text(t("tiers.download_csv", lang))).to_be_visible()
    assert browser.external == [], browser.external


def test_map_switches_tier_and_measure(server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(f"{server.url}/tiers?lang=en")
    wait_idle(page)
    page.locator(CHART).first.scroll_into_view_if_needed()
    expect(page.locator(MAP_PATHS).nth(34)).to_be_attached(timeout=30_000)
    page.get_by_role("radio", name=t("tiers.tier.LKA", "en"), exact=True).click()
    wait_idle(page)
    page.get_by_role("radio", name=t("tiers.measure.stores", "en"), exact=True).click()
    wait_idle(page)
    # LKA chains sit in a handful of provinces: fewer coloured provinces than for all K/A tiers.
    # While the new figure replaces the old one both may be in the page for a moment (94 paths were
    # seen on a busy machine): wait for the redraw to settle before counting.
    expect(page.locator(MAP_PATHS).nth(34)).to_be_attached(timeout=30_000)
    counts = []
    for _ in range(60):
        counts.append(page.locator(MAP_PATHS).count())
        if 34 < counts[-1] < 34 + 25 and counts[-3:] == [counts[-1]] * 3:
            break
        page.wait_for_timeout(500)
    assert 34 < counts[-1] < 34 + 25, counts
    colorbar = page.locator(f"{CHART} .colorbar").first
    expect(colorbar).to_contain_text(t("tiers.measure.stores", "en"))
    assert browser.external == [], browser.external
