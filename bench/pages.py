"""Time each page's script run (cold and cached) on a benchmark database, through AppTest.

    python bench/pages.py --rows 10000000 [--accounts 5000] [--json]

Every page of ui/nav.py (``--pages`` for some). Cold = the page's first run after a write bumped the
data version (as after an upload: every cache and memo is out of date, the shell's own queries
included), with the derived results as the writer leaves them: the writer computes the tier
classification, scores and warnings and keeps them in the file (kam_core.derived.warm, timed and
printed as ``warm_s``); the page reads them. ``--unwarmed``: no writer warm-up (the page computes
them: the cost a first reader paid before). Cached = the same view again (median of 3 reruns).
Includes Streamlit's own script overhead (not the browser's drawing: bench/browser.py), with the
scripts compiled once as the server does (one ScriptCache: AppTest alone compiles them on every run).
Also prints the process's peak memory (ru_maxrss) after each page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--pages", help="comma-separated page keys (default: every page of ui/nav.py)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--unwarmed", action="store_true", help="no warm-up after the write: the page computes")
    a = ap.parse_args()
    from bench.build import ensure

    path = ensure(a.rows, a.accounts)
    os.environ["KAM_DB"] = str(path)
    os.environ["KAM_DEMO"] = "0"
    os.environ["KAM_WARM"] = "0"  # (no background warm-up in this process: the writer's is timed below)
    import streamlit as st
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest

    # One ScriptCache for every run, as the server keeps (Runtime._script_cache: app.py and each page compiled
    # once); AppTest makes a new one per run and so compiles both scripts again on every rerun (~0.01 – 0.05 s
    # here), which no user of the server waits for.
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[misc, assignment]

    from kam_core import derived, memo
    from kam_core.db import get_db
    from ui.nav import available

    def clear() -> float:
        # A write that changes nothing but the data version (as after an upload): every st.cache_data entry,
        # st.cache_resource figure, kam_core memo and stored derived result is then out of date.
        db = get_db(path)
        with db.transaction("bench", "bench-touch"):
            pass
        t = time.perf_counter()
        if not a.unwarmed:
            derived.warm(db)  # what the writer does before it returns (the CLI) or right after (the app)
        took = time.perf_counter() - t
        st.cache_data.clear()
        memo.clear_all()  # every kam_core memo (tiers, scoring, regions): the page starts as a fresh process
        return took

    out = []
    specs = [s for s in available() if not a.pages or s.key in a.pages.split(",")]
    for spec in specs:
        clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # registers the pages
        warm_up = clear()  # cold: nothing cached in the process, shell queries included
        t = time.perf_counter()
        at.switch_page(spec.script).run()
        cold = time.perf_counter() - t
        reruns = []
        for _ in range(3):
            t = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - t)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append({"page": spec.key, "cold_s": cold, "warm_s": sorted(reruns)[1], "reruns_s": reruns,
                    "writer_warm_s": warm_up, "exception": bool(at.exception), "peak_mb": peak})  # fmt: skip
    if a.json:
        print(json.dumps(out))
    else:
        for r in out:
            flag = "EXCEPTION" if r["exception"] else ""
            print(
                f"{r['page']:10} cold {r['cold_s']:.3f} s   cached {r['warm_s']:.3f} s   "
                f"(writer's warm-up {r['writer_warm_s']:.2f} s)   peak so far {r['peak_mb']:.0f} MB   {flag}"
            )


if __name__ == "__main__":
    main()
