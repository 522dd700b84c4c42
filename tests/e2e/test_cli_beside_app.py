"""Monthly automation beside a running app: a CLI import while three browser sessions are open."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from kam_core import currency
from tests.e2e.conftest import CHROMIUM, LOCAL, wait_idle
from tests.e2e.launch import ROOT, run_server

pytestmark = pytest.mark.e2e

LAST = "SELECT sum(revenue) FROM sales WHERE period = (SELECT max(period) FROM sales)"


def _money(v: Decimal) -> str:
    from ui import fmt

    return fmt.money(float(v), "en")


def test_cli_import_while_three_sessions_are_open(demo_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "app.duckdb"
    db.write_bytes(demo_path.read_bytes())
    con = duckdb.connect(str(db))
    last, month = con.execute(f"SELECT ({LAST}), max(period) FROM sales").fetchone()
    con.close()
    added = Decimal("987654321.12")
    csv = tmp_path / "erp.csv"
    csv.write_text(f"period,account,revenue\n{month:%Y-%m},ERP Automation Ltd,{added}\n", encoding="utf-8")
    assert currency.DEFAULT  # the demo shows the default currency, as fmt.money does outside a run
    runtime = tempfile.mkdtemp(prefix="kam", dir="/tmp")  # short: a socket's path holds ~108 bytes
    env = {**os.environ, "KAM_RUNTIME_DIR": runtime, "PYTHONPATH": str(ROOT)}
    os.environ["KAM_RUNTIME_DIR"] = runtime  # the server (started below) inherits it
    try:
        with run_server(db) as server, sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            external: list[str] = []

            def route(r):
                if r.request.url.startswith(LOCAL):
                    r.continue_()
                else:
                    external.append(r.request.url)
                    r.abort()

            pages = []
            for _ in range(3):
                page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.route("**/*", route)
                page.goto(server.url + "/")
                wait_idle(page)
                pages.append(page)

            def kpi(page) -> str:
                # the revenue card itself (its keyed container), read once the run has finished: the first
                # metric on the page may be another card while a rerun redraws the row
                wait_idle(page)
                value = page.locator(".st-key-kpi_revenue [data-testid='stMetricValue']")
                value.wait_for(timeout=30_000)
                return value.inner_text().strip()

            assert [kpi(pg) for pg in pages] == [_money(last)] * 3

            proc = subprocess.Popen(
                [sys.executable, "-m", "kam_core", "import", str(csv), "--db", str(db), "--keep-demo",
                 "--user", "erp", "--json"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            pages[0].reload()  # a session reruns while the import runs
            wait_idle(pages[0])
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert '"rows_loaded": 1' in out

            for pg in pages:
                assert pg.locator("[data-testid='stException']").count() == 0
                pg.reload()
                wait_idle(pg)
                assert pg.locator("[data-testid='stException']").count() == 0
            assert [kpi(pg) for pg in pages] == [_money(last + added)] * 3
            assert external == []
            b.close()
    finally:
        os.environ.pop("KAM_RUNTIME_DIR", None)
        shutil.rmtree(runtime, ignore_errors=True)
    log = db.with_suffix(".log").read_text()
    assert "Traceback" not in log, log
