"""Time each page's script run (cold and cached) on a benchmark database, through AppTest.

    python bench/pages.py --rows 10000000 [--accounts 5000] [--json]

Every page of ui/nav.py (``--pages`` for some). Cold = the page's run right after a write bumped the
data version (as after an upload: every cache, memo and the stored tier classification is out of
date; the shell's own queries included); cached = the same view again.
Includes Streamlit's own script overhead (not the browser's drawing: bench/browser.py).
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
    a = ap.parse_args()
    from bench.build import ensure

    path = ensure(a.rows, a.accounts)
    os.environ["KAM_DB"] = str(path)
    os.environ["KAM_DEMO"] = "0"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from kam_core import memo
    from kam_core.db import get_db
    from ui.nav import available

    def clear() -> None:
        # A write that changes nothing but the data version (as after an upload): every st.cache_data entry,
        # st.cache_resource figure, kam_core memo and the stored tier classification is then out of date.
        with get_db(path).transaction("bench", "bench-touch"):
            pass
        st.cache_data.clear()
        memo.clear_all()  # every kam_core memo (tiers, scoring, regions)

    out = []
    specs = [s for s in available() if not a.pages or s.key in a.pages.split(",")]
    for spec in specs:
        clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # registers the pages
        clear()  # cold: nothing cached, shell queries included
        t = time.perf_counter()
        at.switch_page(spec.script).run()
        cold = time.perf_counter() - t
        t = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append({"page": spec.key, "cold_s": cold, "warm_s": warm, "exception": bool(at.exception), "peak_mb": peak})
    if a.json:
        print(json.dumps(out))
    else:
        for r in out:
            flag = "EXCEPTION" if r["exception"] else ""
            print(
                f"{r['page']:10} cold {r['cold_s']:.3f} s   cached {r['warm_s']:.3f} s   "
                f"peak so far {r['peak_mb']:.0f} MB   {flag}"
            )


if __name__ == "__main__":
    main()
