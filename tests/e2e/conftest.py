"""Browser tests: `streamlit run` on a free port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Chromium comes from the OS (/usr/bin/chromium, or $KAM_CHROMIUM).
Every request that is not to localhost is blocked and recorded; tests assert there were none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.e2e.launch import Server, run_server

CHROMIUM = os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium")
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:")


@pytest.fixture(scope="session")
def server(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for read-only tests, on a copy of the demo database."""
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    db.write_bytes(demo_path.read_bytes())
    with run_server(db) as s:
        yield s


@dataclass
class Browser:
    page: Page
    external: list[str]


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        external: list[str] = []

        def route(r):
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                external.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        yield Browser(page, external)
        b.close()


def wait_idle(page: Page, timeout: int = 60_000) -> None:
    """Wait until the script run finished (Streamlit's own e2e suite does the same)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(300)
