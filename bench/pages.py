"""Time each page's script run (cold and cached) on a benchmark database, through AppTest.

    python bench/pages.py --rows 10000000 [--accounts 5000] [--json]

Cold = the page's run with st.cache_data cleared (the shell's own queries included);
cached = the same view again. Includes Streamlit's own script overhead, so it is what a user waits for.
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

    from ui.nav import available

    out = []
    for spec in available():
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()  # registers the pages
        st.cache_data.clear()  # cold: nothing cached, shell queries included
        t = time.perf_counter()
        at.switch_page(spec.script).run()
        cold = time.perf_counter() - t
        t = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t
        out.append({"page": spec.key, "cold_s": cold, "warm_s": warm, "exception": bool(at.exception)})
    if a.json:
        print(json.dumps(out))
    else:
        for r in out:
            flag = "EXCEPTION" if r["exception"] else ""
            print(f"{r['page']:10} cold {r['cold_s']:.3f} s   cached {r['warm_s']:.3f} s   {flag}")


if __name__ == "__main__":
    main()
