"""Build a benchmark sales table of N rows with the demo's shape, directly in DuckDB.

    python bench/build.py --rows 10000000 [--accounts 5000] [--out bench/out/bench_10M.duckdb]

Rows are derived from hash(i), so the same N gives the same table. Accounts follow a
skewed (80/20-like) distribution; provinces, regions, channels and KAMs are those of the demo.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kam_core import summary  # noqa: E402
from kam_core.db import Database  # noqa: E402
from kam_core.demo import KAMS, PROVINCE_WEIGHT  # noqa: E402
from kam_core.geo import DEFAULT_REGION_OF  # noqa: E402

CHANNELS = ["hypermarket", "supermarket", "convenience", "cash_and_carry", "traditional", "wholesale",
            "distributor", "online"]  # fmt: skip
CATEGORIES = ["Beverages", "Snacks", "Dairy", "Personal care", "Household"]


def default_path(rows: int, accounts: int) -> Path:
    return ROOT / "bench" / "out" / f"bench_{rows}_{accounts}.duckdb"


def build(path: Path, rows: int, accounts: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, path.with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    db = Database(path)
    provs = list(PROVINCE_WEIGHT)
    with db.transaction("bench", "bench-build", {"rows": rows}) as cur:
        cur.execute(
            """INSERT INTO uploads (id, kind, file_name, sha256, user_name, created_at)
               VALUES (1, 'sales', 'bench', 'bench', 'bench', now())"""
        )
        cur.execute(
            "CREATE TEMP TABLE prov AS SELECT unnest(?::VARCHAR[]) AS province, unnest(?::VARCHAR[]) AS region, "
            "generate_subscripts(?::VARCHAR[], 1) - 1 AS pi",
            [provs, [DEFAULT_REGION_OF[p] for p in provs], provs],
        )
        cur.execute(
            """INSERT INTO sales (period, account, store, province, city, region, channel, sku, category, revenue,
                               volume, gross_profit, trade_spend, kam, upload_id, region_derived)
            WITH g AS (
                SELECT i,
                       (hash(i) % 1000003) / 1000003.0 AS u1,
                       (hash(i * 7 + 1) % 1000003) / 1000003.0 AS u2,
                       (hash(i * 13 + 5) % 1000003) / 1000003.0 AS u3
                FROM range(?) t(i)),
            a AS (
                SELECT i, u2, u3, least(floor(? * pow(u1, 4))::BIGINT, ? - 1) AS acc FROM g)
            SELECT (DATE '2023-11-01' + to_months((i % 36)::INTEGER))::DATE AS period,
                   'ACC' || lpad(acc::VARCHAR, 6, '0') AS account,
                   'S' || lpad((acc * 8 + (hash(i) % 8))::VARCHAR, 8, '0') AS store,
                   p.province, p.province AS city, p.region,
                   (?::VARCHAR[])[(1 + hash(acc * 3) % 8)::BIGINT] AS channel,
                   lpad((1 + floor(u3 * 80))::VARCHAR, 5, '0') AS sku,
                   (?::VARCHAR[])[1 + floor(u3 * 5)::INTEGER] AS category,
                   round(50 + 5000 * u2 * u2, 2)::DECIMAL(18,4) AS revenue,
                   round(1 + 100 * u2)::DECIMAL(18,4) AS volume,
                   round((50 + 5000 * u2 * u2) * (0.2 + 0.2 * u3), 2)::DECIMAL(18,4) AS gross_profit,
                   round((50 + 5000 * u2 * u2) * 0.08, 2)::DECIMAL(18,4) AS trade_spend,
                   (?::VARCHAR[])[(1 + hash(acc * 5) % ?)::BIGINT] AS kam,
                   1 AS upload_id,
                   TRUE AS region_derived  -- the region is the province's in the default map
            FROM a JOIN prov p ON p.pi = ((hash(a.acc * 11) + hash(a.i) % 3) % 31)::BIGINT""",
            [rows, accounts, accounts, CHANNELS, CATEGORIES, KAMS, len(KAMS)],
        )
        summary.refresh(cur)  # as an upload does
    db.close()
    return path


def ensure(rows: int, accounts: int) -> Path:
    """The benchmark database for (rows, accounts), built on first use."""
    path = default_path(rows, accounts)
    if not path.exists():
        print(f"building {path} …", file=sys.stderr)
        build(path, rows, accounts)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    t = time.perf_counter()
    p = build(a.out or default_path(a.rows, a.accounts), a.rows, a.accounts)
    print(f"built {p} ({a.rows:,} rows) in {time.perf_counter() - t:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
