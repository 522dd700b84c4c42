"""Time the Pareto page's script run per tab (cold and cached) on a benchmark database, through AppTest.

    python bench/pages_pareto.py --rows 10000000 --accounts 100000 [--json]

Cold = st.cache_data cleared before the run (the shell's own queries included); opened from
the page = the tab clicked once the page is shown (only the tab's own queries cold); cached =
the same view again. Each tab runs only its own queries (lazy tabs), so each is timed on its own.
Also prints the time of the default view's kam_core calls alone (no Streamlit).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABS = ["curve", "abc", "trend", "migration", "whatif", "whale"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from bench.build import ensure

    path = ensure(a.rows, a.accounts)
    os.environ["KAM_DB"] = str(path)
    os.environ["KAM_DEMO"] = "0"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.common import LAST12
    from kam_core.analytics import pareto as pa
    from kam_core.db import get_db
    from kam_core.i18n import t

    out = []
    db = get_db(path)
    t0 = time.perf_counter()
    p = pa.analyse(db, LAST12, "account", "revenue")
    c = pa.curve(p.table)
    pa.downsample(c["x"].to_numpy(), c["y"].to_numpy(), keep=[p.summary.top20_count, p.summary.n_for_80])
    out.append({"view": "kam_core calls of the default view", "cold_s": time.perf_counter() - t0, "warm_s": None})

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("app_pages/pareto.py").run()
    for tab in TABS:
        # opening the tab after the page is shown: the figures are cached, the tab's own queries are cold
        at.session_state["pareto_tab"] = t("pareto.tab.curve", "en")
        st.cache_data.clear()
        at.run()
        at.session_state["pareto_tab"] = t(f"pareto.tab.{tab}", "en")
        t1 = time.perf_counter()
        at.run()
        switch = time.perf_counter() - t1
        # everything cold (the shell's queries included), then the same view again
        st.cache_data.clear()
        t1 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t1
        t1 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t1
        out.append({"view": f"page, tab {tab}", "cold_s": cold, "switch_s": switch, "warm_s": warm,
                    "exception": bool(at.exception)})  # fmt: skip
    if a.json:
        print(json.dumps(out))
    else:
        for r in out:
            warm = f"opened from the page {r['switch_s']:.3f} s   cached {r['warm_s']:.3f} s" if "switch_s" in r else ""
            flag = "EXCEPTION" if r.get("exception") else ""
            print(f"{r['view']:40} cold {r['cold_s']:.3f} s   {warm} {flag}")


if __name__ == "__main__":
    main()
