"""Plan editor in a real browser: edit a SWOT line and a stakeholder in the grids, save, reload, both are there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kam_core.i18n import t
from tests.e2e.conftest import Browser, wait_idle
from tests.e2e.launch import Server, run_server

pytestmark = pytest.mark.e2e
HEADER, ROW = 35, 35  # glide data grid: header and row heights (px) at Streamlit's default row height
NEW_THREAT = "Hypermarket traffic down 6%"
NEW_NAME = "Sophie Martin-Leroy"


@pytest.fixture
def own_server(demo_path: Path, tmp_path: Path) -> Iterator[Server]:
    """A server on a private copy of the demo database: this test saves a plan."""
    db = tmp_path / "plans.duckdb"
    db.write_bytes(demo_path.read_bytes())
    with run_server(db, user="e2e planner") as s:
        yield s


def open_tab(page: Page, key: str) -> Locator:
    page.get_by_role("tab", name=t(f"plp.tab.{key}", "en")).click()
    page.wait_for_timeout(500)  # the tab change reruns the script (on_change="rerun"): let that run start
    wait_idle(page)
    return page.get_by_role("tabpanel").filter(visible=True)


def _settled_box(page: Page, grid: Locator) -> dict:
    """The grid's box once it stops moving (the page above it may still be drawing after a rerun)."""
    last = None
    for _ in range(20):
        box = grid.bounding_box()
        if box is not None and box == last:
            return box
        last = box
        page.wait_for_timeout(250)
    assert last is not None
    return last


def type_into_cell(page: Page, grid: Locator, row: int, x: float, text: str) -> None:
    """Select a cell (the canvas has no DOM cells to click), open its editor with Enter, replace the text, Enter.

    The cell editor (glide's overlay textarea) must open before anything is typed; the click
    is tried again when it does not (it landed while a rerun redrew the grid — more likely on a busy
    machine). The text itself is checked after the save and the reload.
    """
    editor = page.locator("textarea.gdg-input")
    for _ in range(8):
        wait_idle(page)
        grid.scroll_into_view_if_needed()
        box = _settled_box(page, grid)
        page.mouse.click(box["x"] + x, box["y"] + HEADER + ROW * row + ROW / 2)  # select the cell …
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")  # … and open its editor, as a keyboard user does
        try:
            editor.first.wait_for(state="visible", timeout=3_000)
        except Exception:
            page.keyboard.press("Escape")
            continue
        editor.first.fill(text)
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)  # the edit reaches the server and reruns the script
        wait_idle(page)
        return
    raise AssertionError(f"the cell editor did not open for {text!r}")


def grid_has(panel: Locator, text: str) -> None:
    # glide keeps an accessible copy of the visible cells (role=gridcell): what the canvas shows
    expect(panel.locator("[role='gridcell']", has_text=text).first).to_be_attached(timeout=30_000)


def test_edit_swot_and_stakeholder_in_the_grid_save_reload(own_server: Server, browser: Browser) -> None:
    page = browser.page
    page.goto(own_server.url + "/plans?account=Carrefour&year=2026")
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("page.plans", "en")).first).to_be_visible(timeout=30_000)

    swot = open_tab(page, "swot")
    threats = swot.locator("[data-testid='stDataFrame']").nth(3)  # strengths, weaknesses, opportunities, threats
    type_into_cell(page, threats, 0, 80, NEW_THREAT)
    expect(page.get_by_text(t("plp.unsaved", "en"))).to_be_visible(timeout=30_000)

    people = open_tab(page, "stakeholders").locator("[data-testid='stDataFrame']").first
    type_into_cell(page, people, 2, 70, NEW_NAME)  # row 3: Sophie Martin, first column: name

    page.get_by_label(t("plp.comment", "en")).fill("threat and supply-chain contact")
    page.get_by_label(t("plp.comment", "en")).press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=t("plp.save", "en"), exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(t("plp.saved", "en", v=3, user="e2e planner"))).to_be_visible(timeout=30_000)

    page.reload()
    wait_idle(page)
    expect(page.get_by_text("Version 3 · saved by e2e planner").first).to_be_visible(timeout=30_000)
    grid_has(open_tab(page, "swot"), NEW_THREAT)
    grid_has(open_tab(page, "stakeholders"), NEW_NAME)
    expect(page.get_by_text(t("plp.unsaved", "en"))).to_have_count(0)
    assert browser.external == [], browser.external
