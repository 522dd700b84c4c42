"""Browser tests: `streamlit run` on a free port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Chromium comes from the OS (/usr/bin/chromium, or $KAM_CHROMIUM).
Every request that is not to localhost is blocked and recorded; tests assert there were none.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium")
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db: Path
    proc: subprocess.Popen = field(repr=False)


@contextmanager
def run_server(db: Path, user: str | None = "e2e", *, port: int | None = None, args: tuple[str, ...] = (),
               log_path: Path | None = None) -> Iterator[Server]:  # fmt: skip
    """`streamlit run app.py` on a free port (or ``port``) against ``db``, until the block ends.

    ``user``: the local-mode name (KAM_USER; None leaves it unset); ``args``: more `streamlit run` options.
    """
    port = port or _free_port()
    env = {k: v for k, v in os.environ.items() if k != "KAM_USER"} | {"KAM_DB": str(db)}
    if user is not None:
        env["KAM_USER"] = user
    log = open(log_path or db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                time.sleep(0.3)
        yield Server(url, db, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
