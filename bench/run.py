"""Time our query functions against hand-written DuckDB SQL on the same table, same run.

    python bench/run.py --rows 10000000 [--accounts 5000] [--repeat 3] [--json]

Prints a list of {name, ours_s, raw_s, ratio} (best of --repeat runs each; ratio = ours / raw).
Builds the benchmark table first if it is missing (bench/build.py). Each feature adds
its queries as a BENCHES list in bench/queries_<feature>.py.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import ensure  # noqa: E402
from bench.common import Bench  # noqa: E402
from kam_core.db import Database  # noqa: E402


def benches() -> list[Bench]:
    """Every BENCHES list of bench/queries_*.py, in file-name order."""
    out: list[Bench] = []
    for p in sorted(Path(__file__).parent.glob("queries_*.py")):
        out.extend(importlib.import_module(f"bench.{p.stem}").BENCHES)
    return out


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(db: Database, repeat: int, only: str | None = None) -> list[dict]:
    out = []
    for b in benches():
        if only and only not in b.name:
            continue
        b.ours(db)  # warm the file cache for both sides

        def raw(b: Bench = b) -> Any:
            cur = db.cursor()
            try:
                return cur.execute(b.raw_sql, b.raw_params).df()
            finally:
                cur.close()

        raw()
        ours_s = best(lambda b=b: b.ours(db), repeat)
        raw_s = best(raw, repeat)
        out.append({"name": b.name, "ours_s": ours_s, "raw_s": raw_s, "ratio": ours_s / raw_s if raw_s else None})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="run only benchmarks whose name contains this")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    path = ensure(a.rows, a.accounts)
    db = Database(path)
    results = run(db, a.repeat, a.only)
    db.close()
    if a.json:
        print(json.dumps(results))
    else:
        print(f"{'name':32} {'ours s':>9} {'raw s':>9} {'ratio':>6}   ({a.rows:,} rows)")
        for r in results:
            print(f"{r['name']:32} {r['ours_s']:9.4f} {r['raw_s']:9.4f} {r['ratio']:6.2f}")


if __name__ == "__main__":
    main()
