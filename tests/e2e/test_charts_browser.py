"""Charts are drawn by the app's own plotly.js (ui/plotly_view.py): loaded once per tab, interactive, full width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server
from ui.plotly_view import CHART

pytestmark = pytest.mark.e2e


def _svg_width(page, i: int = 0) -> float:
    return page.locator(f"{CHART} svg.main-svg").nth(i * 3).evaluate("e => e.getBoundingClientRect().width")


def test_charts_use_the_apps_bundle_and_stay_interactive(server: Server, browser: Browser) -> None:
    page = browser.page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(server.url + "/")
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]")).to_have_count(3, timeout=30_000)  # trend, top accounts, channels
    bundles = [u for u in scripts if "/app/static/plotly-kam.js" in u]
    assert len(bundles) == 1, scripts
    assert not [u for u in scripts if "PlotlyChart" in u], "Streamlit's whole plotly.js is never loaded"

    # the theme is the app's: Streamlit's font and grey ticks, not plotly's defaults
    tick = page.locator(f"{CHART} .xtick text").first
    assert "Source Sans" in tick.evaluate("e => getComputedStyle(e).fontFamily")
    assert tick.evaluate("e => e.style.fill") in ("rgb(128, 132, 149)", "#808495")

    # a hover label appears over a bar of the top-accounts chart, with its revenue
    top = page.locator(CHART).nth(1)
    bar = top.locator(".barlayer .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly's drag layer is on top
    expect(top.locator(".hoverlayer")).to_contain_text("¥", timeout=10_000)

    # plotly's own "Download plot as a PNG" (drawn in the browser) saves the chart under its name
    trend = page.locator(CHART).first
    trend.hover()
    expect(trend.locator(".modebar-btn[data-title='Zoom']")).to_have_count(1)
    expect(
        trend.locator(".modebar-btn[data-title='Box Select'], .modebar-btn[data-title='Lasso Select']")
    ).to_have_count(0)
    with page.expect_download() as got:
        trend.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    assert got.value.suggested_filename == "overview_trend.png"
    with open(got.value.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"

    # the modebar's fullscreen button (Streamlit's chart toolbar had one): the whole screen, then its own size
    svg = f'document.querySelector("{CHART} svg.main-svg")'
    size = f"() => {{ const r = {svg}.getBoundingClientRect(); return [r.width, r.height]; }}"
    before = page.evaluate(size)
    trend.hover()
    trend.locator(f".modebar-btn[data-title='{t('ui.chart_fullscreen', 'en')}']").click()
    page.wait_for_function(f"() => document.fullscreenElement && ({size})()[0] === innerWidth", timeout=10_000)
    assert page.evaluate(size)[1] == page.evaluate("innerHeight")
    page.evaluate("document.exitFullscreen()")
    page.wait_for_function(f"() => !document.fullscreenElement && ({size})()[1] === {before[1]}", timeout=10_000)
    assert page.evaluate(size) == before

    # the chart follows its column's width (a narrower window redraws it narrower)
    wide = _svg_width(page)
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.wait_for_function(
        f'() => document.querySelector("{CHART} svg.main-svg").getBoundingClientRect().width < {wide - 100}',
        timeout=10_000,
    )

    # moving to another page in the app draws its charts with the module already loaded
    page.locator("[data-testid='stSidebarNav']").get_by_text(t("page.pareto", "en"), exact=True).click()
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]")).to_have_count(2, timeout=30_000)
    assert len([u for u in scripts if "/app/static/plotly-kam.js" in u]) == 1
    assert browser.external == [], browser.external


def _paper(page) -> str:
    return page.locator(f"{CHART} svg.main-svg rect.bg").first.evaluate("e => e.style.fill")


def test_charts_follow_a_dark_page(server: Server, browser: Browser) -> None:
    """Streamlit draws the app dark for a viewer whose system asks for dark pages; the charts follow."""
    page = browser.page
    page.emulate_media(color_scheme="dark")
    page.goto(server.url + "/")
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]")).to_have_count(3, timeout=30_000)
    r, g, b = (int(x) for x in _paper(page).removeprefix("rgb(").rstrip(")").split(","))
    assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 64, "a dark chart background"
    page.emulate_media(color_scheme="light")
    page.reload()
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]")).to_have_count(3, timeout=30_000)
    assert _paper(page) == "rgb(255, 255, 255)"


def test_presentation_mode_draws_chart_text_larger(server: Server, browser: Browser) -> None:
    page = browser.page
    tick = f"{CHART} .xtick text"
    page.goto(server.url + "/?step=2")  # the overview's revenue trend
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]").first).to_be_attached(timeout=30_000)
    normal = float(page.locator(tick).first.evaluate("e => parseFloat(e.style.fontSize)"))
    page.goto(server.url + "/?present=1&step=2")
    wait_idle(page)
    expect(page.locator(f"{CHART}[data-drawn]")).to_have_count(1, timeout=30_000)
    big = float(page.locator(tick).first.evaluate("e => parseFloat(e.style.fontSize)"))
    assert normal == 12 and big == round(12 * 1.35)  # ui/present.CHART_FONT: for the back of the room
