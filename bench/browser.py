"""Time every page in a real browser: `streamlit run` on a benchmark database, headless Chromium (Playwright).

    python bench/browser.py --rows 1000000 --accounts 100000 [--pages tiers,regions] [--json]

Per page: cold = the first view in a freshly started server (st.cache_data, st.cache_resource
and kam_core's memos empty, the shell's queries included; the file's derived results as the
writers leave them, kam_core.derived) by a browser that never saw the app;
warm = the same page again in a new tab of that browser (a new session; the server's caches
filled, the browser's HTTP cache too — a user opening the page again); "new browser" = the
same again from a fresh browser profile (the front end's scripts fetched again); "nav" = a click
on the page's link in the sidebar of another page already open (Streamlit's in-app navigation:
the front end stays loaded, the server runs the new page — how a user usually moves between
pages); "after change" = the page in a new tab right after a write through the command line bumped the data version
(every st.cache_data entry and kam_core memo misses, as after an upload; the server process and
the browser's HTTP cache are warm) — what a user sees after a new upload; "changed nav" = after
another such write, the upload page opened (it pays the shell's queries) and the page's link
clicked: the page's own cold cost, as for a user who just uploaded and moves on. The clock runs from the request
until the app says ``data-test-script-state="notRunning"`` with the page's title shown and
every chart drawn (an ``svg.main-svg`` in each chart component, ui/plotly_view.py). Bytes = the
websocket frames the browser received for that view (what the server sent). Requests to any
host but the local server fail (unresolvable in the browser, HTTP cache left on) and are listed;
Chromium is /usr/bin/chromium (``--chromium``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.launch import run_server  # noqa: E402 - the browser tests' launcher (ROOT on the path first)
from ui.plotly_view import CHART  # noqa: E402 - the chart box the app draws in

# Done: the script has run (not just not started: the title is there) and every chart is drawn.
DONE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-stale='true']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stBidiComponentRegular']")];
  return charts.every(c => c.querySelector("%CHART% svg.main-svg"));
}""".replace("%CHART%", CHART)
COUNT_JS = "() => document.querySelectorAll(\"[data-testid='stBidiComponentRegular']\").length"
TITLE_JS = "() => (document.querySelector(\"[data-testid='stMain'] h1\") || {}).innerText || ''"
# In-app navigation: done once the new page's title is shown (the old page's title is another) and DONE_JS holds.
NAV_DONE_JS = "(title) => { const done = (" + DONE_JS + ")(); return done && (" + TITLE_JS + ")() === title; }"
SOURCE_PAGES = ("upload", "users")  # where an in-app navigation starts (a light page; the first that is not the target)


def touch(db_path: Path) -> None:
    """A write that changes nothing but the data version (the setting set to what it is), through the
    command line — handed to the running app like any CLI job — so the next view misses every cache."""
    cli = [sys.executable, "-m", "kam_core", "settings", "--db", str(db_path), "--json"]
    got = subprocess.run([*cli, "get", "display.currency"], cwd=ROOT, capture_output=True, text=True, check=True)
    value = json.loads(got.stdout)["value"]
    subprocess.run([*cli, "--user", "bench", "set", "display.currency", value], cwd=ROOT, capture_output=True,
                   check=True)  # fmt: skip


def as_writers_leave_it(db_path: Path) -> None:
    """The file with its derived results computed, as a writer leaves it (kam_core.derived.warm): the previous
    page's server was stopped right after its last write, perhaps before its background warm-up ended."""
    from kam_core import derived
    from kam_core.db import Database

    db = Database(db_path)
    try:
        derived.warm(db)
    finally:
        db.close()


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), MB; None where /proc is not there."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# Outside hosts are made unresolvable in the browser itself rather than by a Playwright route: a route
# handler disables the HTTP cache (every script fetched again in each new tab) and sends each request
# through Python (~200 of them per view), which the first rounds of this benchmark measured as front-end
# time. Any outside request is still seen (the "request" event) and counted.
BLOCK_OUTSIDE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"


def new_context(browser, url: str):
    """A fresh browser profile (empty HTTP cache) where only the local server may be reached; the outside
    requests it attempts are listed in ``ctx.outside``."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    local = urlparse(url).hostname
    ctx.outside = []

    def seen(request) -> None:
        host = urlparse(request.url).hostname
        if host and host not in (local, "localhost", "127.0.0.1") and request.url.startswith("http"):
            ctx.outside.append(request.url)

    ctx.on("request", seen)
    return ctx


def view(ctx, url: str, timeout_s: float) -> dict:
    """Open ``url`` in a new tab of ``ctx``; seconds until done, websocket bytes received, charts drawn."""
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
    title = page.evaluate(TITLE_JS)
    page.close()
    return {"seconds": seconds, "done": ok, "ws_bytes": got["ws"], "frames": got["frames"], "charts": charts,
            "exceptions": errors, "title": title}  # fmt: skip


def navigate(ctx, base: str, source: str, target_path: str, title: str, timeout_s: float) -> dict:
    """Open ``source`` in a new tab of ``ctx``, then click the sidebar link to ``target_path`` ("" for the
    default page): seconds from the click until the target page (title ``title``) is drawn."""
    page = ctx.new_page()
    page.goto(f"{base}/{source}", wait_until="commit")
    page.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=50)
    link = page.locator(f"[data-testid='stSidebarNav'] a[href='{base}/{target_path}']").first
    t = time.perf_counter()
    link.click()
    ok = True
    try:
        page.wait_for_function(NAV_DONE_JS, arg=title, timeout=timeout_s * 1000, polling=50)
    except Exception:  # a page that does not finish is a result, not a crash
        ok = False
    seconds = time.perf_counter() - t
    page.wait_for_timeout(300)
    errors = page.locator("[data-testid='stException']").count()
    page.close()
    return {"seconds": seconds, "done": ok, "exceptions": errors}


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
        browser = pw.chromium.launch(executable_path=a.chromium, args=["--no-sandbox", BLOCK_OUTSIDE], headless=True)
        for spec in specs:
            url_path = "" if spec.key == available()[0].key else spec.key  # the default page is served at "/"
            source = next(k for k in SOURCE_PAGES if k != spec.key)
            as_writers_leave_it(path)
            with run_server(path, user=None, env={"KAM_DEMO": "0"}, args=("--server.fileWatcherType", "none"),
                            log_path=path.with_suffix(".browser.log"), timeout=120) as srv:  # fmt: skip
                base = f"{srv.url}/{url_path}"
                ctx = new_context(browser, base)
                cold = view(ctx, base, a.timeout)  # first visit: empty server caches, empty browser cache
                warm = view(ctx, base, a.timeout)  # a new tab of the same browser: a new session
                fresh = new_context(browser, base)
                first = view(fresh, base, a.timeout)  # warm server, but a browser that never saw the app
                outside = ctx.outside + fresh.outside
                fresh.close()
                nav = navigate(ctx, srv.url, source, url_path, cold["title"], a.timeout)  # a click in the sidebar
                touch(path)  # new data version: every server cache and memo misses, the process is warm
                changed = view(ctx, base, a.timeout)  # a new tab again (the browser's HTTP cache warm)
                touch(path)  # and again: the source page pays the shell's queries, the click the page's own
                nav_changed = navigate(ctx, srv.url, source, url_path, cold["title"], a.timeout)
                outside += ctx.outside
                ctx.close()
                peak = peak_rss_mb(srv.proc.pid)
            views = (cold, warm, first, nav, changed, nav_changed)
            out.append({"page": spec.key, "cold_s": cold["seconds"], "warm_s": warm["seconds"],
                        "warm_new_browser_s": first["seconds"], "warm_nav_s": nav["seconds"],
                        "cold_after_change_s": changed["seconds"], "after_change_nav_s": nav_changed["seconds"],
                        "cold_ws_bytes": cold["ws_bytes"], "warm_ws_bytes": warm["ws_bytes"],
                        "charts": cold["charts"], "done": all(v["done"] for v in views),
                        "exceptions": sum(v["exceptions"] for v in views),
                        "server_peak_mb": peak, "outside_requests": outside})  # fmt: skip
            if not a.json:
                print(f"… {spec.key} cold {cold['seconds']:.2f} s", file=sys.stderr)
        browser.close()
    if a.json:
        print(json.dumps(out))
        return
    print(f"{'page':10} {'cold s':>8} {'warm s':>8} {'new br s':>8} {'nav s':>8} {'changed':>8} {'chg nav':>8} "
          f"{'cold KB':>9} {'warm KB':>9} {'charts':>6} {'peak MB':>8}"
          f"   ({a.rows:,} rows, {a.accounts:,} accounts)")  # fmt: skip
    for r in out:
        flag = ("" if r["done"] else "  NOT DONE") + (f"  {r['exceptions']} EXCEPTION(S)" if r["exceptions"] else "")
        flag += f"  {len(r['outside_requests'])} OUTSIDE REQUEST(S)" if r["outside_requests"] else ""
        peak = f"{r['server_peak_mb']:8.0f}" if r["server_peak_mb"] is not None else f"{'?':>8}"
        print(f"{r['page']:10} {r['cold_s']:8.2f} {r['warm_s']:8.2f} {r['warm_new_browser_s']:8.2f} "
              f"{r['warm_nav_s']:8.2f} {r['cold_after_change_s']:8.2f} {r['after_change_nav_s']:8.2f} "
              f"{r['cold_ws_bytes'] / 1024:9.0f} "
              f"{r['warm_ws_bytes'] / 1024:9.0f} {r['charts']:6d} {peak}{flag}")  # fmt: skip


if __name__ == "__main__":
    main()
