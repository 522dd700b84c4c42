"""Time our query functions against hand-written DuckDB SQL on the same table, same run.

    python bench/run.py --rows 10000000 [--accounts 5000] [--repeat 3] [--json]

Prints a list of {name, ours_s, raw_s, ratio} (best of --repeat runs each; ratio = ours / raw).
Builds the benchmark table first if it is missing (bench/build.py). Later features add
their queries to BENCHES.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import build, default_path  # noqa: E402
from kam_core.analytics import overview as ov  # noqa: E402
from kam_core.db import Database  # noqa: E402
from kam_core.filters import Filters  # noqa: E402

LAST12 = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1))
EAST = Filters(start=date(2025, 11, 1), end=date(2026, 10, 1), regions=("East",))
MT = ov.DEFAULT_MODERN_TRADE


@dataclass(frozen=True)
class Bench:
    name: str
    ours: Callable[[Database], Any]
    raw_sql: str
    raw_params: list


BENCHES: list[Bench] = [
    Bench(
        "overview.kpis",
        lambda db: ov.kpis(db, LAST12),
        """WITH b AS (SELECT period, account, sum(revenue) r, sum(gross_profit) g,
                             sum(CASE WHEN channel IN (SELECT unnest(?::VARCHAR[])) THEN revenue ELSE 0 END) m
                      FROM sales WHERE period IN ('2026-10-01', '2026-09-01', '2025-10-01') GROUP BY ALL),
               k AS (SELECT *, row_number() OVER (PARTITION BY period ORDER BY r DESC) rn,
                            count(*) FILTER (WHERE r > 0) OVER (PARTITION BY period) n FROM b)
           SELECT period, sum(r), sum(g), count(*) FILTER (WHERE r > 0),
                  sum(r) FILTER (WHERE r > 0 AND rn <= ceil(0.2 * n)) / sum(r) FILTER (WHERE r > 0), sum(m) / sum(r)
           FROM k GROUP BY period""",
        [MT],
    ),
    Bench(
        "overview.trend",
        lambda db: ov.trend(db, LAST12),
        """WITH m AS (SELECT period, sum(revenue) r, sum(gross_profit) g FROM sales
                      WHERE period BETWEEN '2024-11-01' AND '2026-10-01' GROUP BY period)
           SELECT a.period, a.r, a.g, b.r FROM m a LEFT JOIN m b ON b.period = a.period - INTERVAL 1 YEAR
           WHERE a.period >= '2025-11-01' ORDER BY 1""",
        [],
    ),
    Bench(
        "overview.top_accounts",
        lambda db: ov.top_accounts(db, LAST12, n=10),
        """WITH c AS (SELECT account, sum(revenue) r FROM sales WHERE period BETWEEN '2025-11-01' AND '2026-10-01'
                      GROUP BY account),
               t AS (SELECT * FROM c ORDER BY r DESC LIMIT 10),
               p AS (SELECT account, sum(revenue) r FROM sales WHERE period BETWEEN '2024-11-01' AND '2025-10-01'
                     AND account IN (SELECT account FROM t) GROUP BY account)
           SELECT t.account, t.r, t.r / (SELECT sum(r) FROM c), t.r / p.r - 1 FROM t LEFT JOIN p USING (account)
           ORDER BY t.r DESC""",
        [],
    ),
    Bench(
        "overview.channel_split",
        lambda db: ov.channel_split(db, LAST12),
        """SELECT channel, sum(revenue) r, sum(revenue) / sum(sum(revenue)) OVER () FROM sales
           WHERE period BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY channel ORDER BY r DESC""",
        [],
    ),
    Bench(
        "overview.kpis[region=East]",
        lambda db: ov.kpis(db, EAST),
        """SELECT period, sum(revenue), sum(gross_profit), count(DISTINCT account) FROM sales
           WHERE region = 'East' AND period IN ('2026-10-01', '2026-09-01', '2025-10-01') GROUP BY period""",
        [],
    ),
]


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(db: Database, repeat: int, only: str | None = None) -> list[dict]:
    out = []
    for b in BENCHES:
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
    path = default_path(a.rows, a.accounts)
    if not path.exists():
        print(f"building {path} …", file=sys.stderr)
        build(path, a.rows, a.accounts)
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
