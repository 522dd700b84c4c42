"""Time every page in a real browser: `streamlit run` on a benchmark database, headless Chromium (Playwright).

    python bench/browser.py --rows 1000000 --accounts 100000 [--pages tiers,regions] [--json]

Per page: cold = the first view in a freshly started server (st.cache_data, st.cache_resource
and kam_core's memos empty, the shell's queries included); warm = the same page again in a
new browser tab (a new session; the server's caches filled). The clock runs from the request
until the app says ``data-test-script-state="notRunning"`` with the page's title shown and
every plotly chart drawn (an ``svg.main-svg`` in each ``stPlotlyChart``). Bytes = the
websocket frames the browser received for that view (what the server sent). Requests to any
host but the local server are blocked; Chromium is /usr/bin/chromium (``--chromium``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Done: the script has run (not just not started: the title is there) and every chart is drawn.
DONE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-stale='true']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.every(c => c.querySelector("svg.main-svg"));
}"""
COUNT_JS = "() => document.querySelectorAll(\"[data-testid='stPlotlyChart']\").length"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(db_path: Path, port: int, timeout: float = 120) -> Iterator[subprocess.Popen]:
    """`streamlit run app.py` on ``db_path`` (no demo data), until /_stcore/health answers; stopped on exit."""
    env = {**os.environ, "KAM_DB": str(db_path), "KAM_DEMO": "0"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError(
                    f"streamlit did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
                )
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), MB; None where /proc is not there."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def view(browser, url: str, timeout_s: float) -> dict:
    """Open ``url`` in a new context; seconds until done, websocket bytes received, charts drawn."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    local = urlparse(url).hostname

    def route(r) -> None:
        host = urlparse(r.request.url).hostname
        if host in (local, "localhost", "127.0.0.1"):
            r.continue_()
        else:
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    got = {"ws": 0, "frames": 0}

    def on_ws(ws) -> None:
        if "_stcore/stream" not in ws.url:
            return

        def frame(payload: str | bytes) -> None:
            got["ws"] += len(payload.encode() if isinstance(payload, str) else payload)
            got["frames"] += 1

        ws.on("framereceived", frame)

    page.on("websocket", on_ws)
    t = time.perf_counter()
    page.goto(url, wait_until="commit")
    ok = True
    try:
        page.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=50)
    except Exception:  # a page that does not finish is a result, not a crash
        ok = False
    seconds = time.perf_counter() - t
    page.wait_for_timeout(300)  # frames still in flight after the last redraw
    charts = page.evaluate(COUNT_JS)
    errors = page.locator("[data-testid='stException']").count()
    ctx.close()
    return {"seconds": seconds, "done": ok, "ws_bytes": got["ws"], "frames": got["frames"], "charts": charts,
            "exceptions": errors}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--pages", help="comma-separated page keys (default: every page of ui/nav.py)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a view may take")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from bench.build import ensure
    from ui.nav import available

    path = ensure(a.rows, a.accounts)
    specs = available()
    if a.pages:
        keep = a.pages.split(",")
        specs = [s for s in specs if s.key in keep]
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=a.chromium, args=["--no-sandbox"], headless=True)
        for spec in specs:
            port = free_port()
            url_path = "" if spec.key == available()[0].key else spec.key  # the default page is served at "/"
            with server(path, port) as proc:
                base = f"http://127.0.0.1:{port}/{url_path}"
                cold = view(browser, base, a.timeout)
                warm = view(browser, base, a.timeout)
                peak = peak_rss_mb(proc.pid)
            out.append({"page": spec.key, "cold_s": cold["seconds"], "warm_s": warm["seconds"],
                        "cold_ws_bytes": cold["ws_bytes"], "warm_ws_bytes": warm["ws_bytes"],
                        "charts": cold["charts"], "done": cold["done"] and warm["done"],
                        "exceptions": cold["exceptions"] + warm["exceptions"], "server_peak_mb": peak})  # fmt: skip
            if not a.json:
                print(f"… {spec.key} cold {cold['seconds']:.2f} s", file=sys.stderr)
        browser.close()
    if a.json:
        print(json.dumps(out))
        return
    print(f"{'page':10} {'cold s':>8} {'warm s':>8} {'cold KB':>9} {'warm KB':>9} {'charts':>6} {'peak MB':>8}"
          f"   ({a.rows:,} rows, {a.accounts:,} accounts)")  # fmt: skip
    for r in out:
        flag = ("" if r["done"] else "  NOT DONE") + (f"  {r['exceptions']} EXCEPTION(S)" if r["exceptions"] else "")
        peak = f"{r['server_peak_mb']:8.0f}" if r["server_peak_mb"] is not None else f"{'?':>8}"
        print(f"{r['page']:10} {r['cold_s']:8.2f} {r['warm_s']:8.2f} {r['cold_ws_bytes'] / 1024:9.0f} "
              f"{r['warm_ws_bytes'] / 1024:9.0f} {r['charts']:6d} {peak}{flag}")  # fmt: skip


if __name__ == "__main__":
    main()
