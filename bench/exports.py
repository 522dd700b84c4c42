"""Export timings: one plan in each format (with and without the chart), and a 30-plan portfolio deck.

``python -m bench.exports``: builds the demo in a temp folder, adds plans for the 30 largest accounts
(the Carrefour example under each name), and prints seconds per export.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from kam_core import demo
from kam_core.db import Database
from kam_core.export import images
from kam_core.export.documents import plan_bytes, portfolio_bytes
from kam_core.plans import store
from kam_core.plans.demo_plans import carrefour

YEAR, N = 2026, 30


def _timed(fn) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = len(fn())
    return time.perf_counter() - t0, n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.duckdb")
        demo.build(db, end=date(YEAR, 10, 1), user="bench")
        top = [r[0] for r in db.rows("SELECT account FROM sales WHERE year(period) = ? GROUP BY 1 "
                                     "ORDER BY sum(revenue) DESC LIMIT ?", [YEAR, N])]  # fmt: skip
        for a in top:
            if store.latest(db, a, YEAR) is None:
                store.save(db, a, YEAR, replace(carrefour(YEAR), account=a), 0, "bench", "bench")
        n_plans = len(store.list_latest(db, YEAR))
        print(f"plans for {YEAR}: {n_plans}; chromium: {images.browser_path()}")
        images.render_png(images.trend_figure(images.Trend("warm-up", ["2026-01"], [1.0], [1.0], ("", "", ""), "")))
        for lang in ("en", "zh"):
            for fmt in ("pptx", "pdf", "md"):
                s, size = _timed(lambda fmt=fmt, lang=lang: plan_bytes(db, "Carrefour", YEAR, fmt, lang))
                print(f"plan      {fmt:4} {lang}: {s:6.2f} s  {size / 1024:7.0f} KiB")
        for fmt in ("pptx", "pdf", "md"):
            s, size = _timed(lambda fmt=fmt: portfolio_bytes(db, YEAR, fmt, "en"))
            print(f"portfolio {fmt:4} en: {s:6.2f} s  {size / 1024:7.0f} KiB  ({n_plans} plans)")
        import os

        os.environ[images.BROWSER_ENV] = str(Path(tmp) / "no-chromium")
        s, size = _timed(lambda: plan_bytes(db, "Carrefour", YEAR, "pptx", "en"))
        print(f"plan      pptx en without Chromium (table instead of the chart): {s:6.2f} s")
        db.close()


if __name__ == "__main__":
    main()
