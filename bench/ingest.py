"""Import of an N-row CSV through our full pipeline vs DuckDB's own CTAS from read_csv, same file, same run.

    python bench/ingest.py [--rows 1000000] [--shape independent|stores] [--json]

Both sides write into a fresh database file. "ours" = sniff, hash, stage (read_csv as text),
parse and validate, preview against the database, commit in one transaction (sales +
accounts/stores/SKUs first seen, uploads row). "raw" = ``CREATE TABLE t AS SELECT * FROM
read_csv(file)``. Each side runs in its own child process so its peak memory
(ru_maxrss) is its own. Target (spec §10): ratio ≤ 2, peak memory < 1 GB.

Besides wall-clock seconds each side reports its CPU seconds (user + system of its process over the timed
part, the span of the wall clock: module imports and opening the database are outside both): on a shared
machine the wall-clock ratio moves with the load, the CPU ratio much less. The load
average at the start is printed with the result.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


# Per shape: accounts, stores, and what draws a line's account, province and channel (``i`` the line, ``s`` its store).
SHAPES = {
    "independent": {"accounts": 5000, "stores": 40000, "who": "hash(i)", "prov": "hash(i * 3)", "chan": "hash(i * 5)"},
    "stores": {"accounts": 500, "stores": 2000, "who": "hash(s + 1)", "prov": "hash(s + 2)", "chan": "hash(s + 3)"},
}


def make_csv(rows: int, shape: str = "independent") -> Path:
    """A sales export of the usual shape: month, account, store, province, channel, SKU, amounts (deterministic).

    ``independent``: every line draws its account (5 000), store (40 000), province and channel on its own — the
    hardest case for the summaries (almost one cube row per line). ``stores``: as a chain's export is made — 2 000
    stores, each with one account (of 500), province and channel, every line a store's SKU in a month, so the
    month × account × province × channel summary is far smaller than the lines.
    """
    import duckdb

    path = OUT / (f"ingest_{rows}.csv" if shape == "independent" else f"ingest_{rows}_{shape}.csv")
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    d = SHAPES[shape]
    duckdb.sql(
        f"""COPY (SELECT strftime(DATE '2024-01-01' + INTERVAL (i % 36) MONTH, '%Y-%m') AS period,
                   'Account ' || lpad(({d["who"]}% {d["accounts"]})::VARCHAR, 4, '0') AS account,
                   lpad(s::VARCHAR, 6, '0') AS store,
                   (['Guangdong','Jiangsu','Shanghai','Zhejiang','Beijing','Sichuan'])
                       [(1 + {d["prov"]}% 6)::BIGINT] AS province,
                   (['hypermarket','supermarket','convenience','online'])[(1 + {d["chan"]}% 4)::BIGINT] AS channel,
                   'SKU' || lpad((hash(i * 11) % 800)::VARCHAR, 5, '0') AS sku,
                   round((hash(i * 13) % 1000000) / 100.0, 2) AS revenue,
                   (hash(i * 17) % 100) AS volume,
                   round((hash(i * 19) % 300000) / 100.0, 2) AS gross_profit
                 FROM (SELECT i, hash(i * 7) % {d["stores"]} AS s FROM range({rows}) t(i)))
           TO '{path}' (HEADER, DELIMITER ',')"""
    )
    return path


def side(which: str, csv: Path) -> dict:
    """Run one side in this process; returns seconds and peak memory."""
    tmp = Path(tempfile.mkdtemp(prefix="kam_bench_"))
    if which == "raw":
        import duckdb

        con = duckdb.connect(str(tmp / "raw.duckdb"))
        cpu0, t = _cpu(), time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}')")
        con.execute("CHECKPOINT")
        s, cpu = time.perf_counter() - t, _cpu() - cpu0
        n = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    else:
        from kam_core import ingest
        from kam_core.db import Database

        db = Database(tmp / "ours.duckdb")
        cpu0, t = _cpu(), time.perf_counter()  # the imports and the new database's migrations are not the import
        with ingest.stage(csv, "sales", max_bytes=ingest.max_bytes(db, "cli"), db=db) as st:
            out = ingest.commit(db, st, "bench")
        db.cursor().execute("CHECKPOINT")
        s, cpu = time.perf_counter() - t, _cpu() - cpu0
        n = out.rows_loaded
        db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    shutil.rmtree(tmp, ignore_errors=True)  # after the timing: each run left a 50 MB database behind
    return {"side": which, "seconds": s, "cpu_seconds": cpu, "rows": n, "peak_bytes": peak}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs per side")
    ap.add_argument("--shape", choices=SHAPES, default="independent", help="how the file's lines are drawn")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--side", choices=["ours", "raw"], help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.side:
        print(json.dumps(side(a.side, Path(a.csv))))
        return
    csv = make_csv(a.rows, a.shape)
    best: dict[str, dict] = {}
    cpu: dict[str, float] = {}
    load = os.getloadavg()[0]
    for _ in range(a.repeat):
        for which in ("raw", "ours"):
            r = subprocess.run([sys.executable, __file__, "--side", which, "--csv", str(csv)],
                               capture_output=True, text=True, check=True)  # fmt: skip
            res = json.loads(r.stdout)
            cpu[which] = min(cpu.get(which, res["cpu_seconds"]), res["cpu_seconds"])
            if which not in best or res["seconds"] < best[which]["seconds"]:
                best[which] = {**res, "peak_bytes": max(res["peak_bytes"], best.get(which, {}).get("peak_bytes", 0))}
    result = {
        "rows": a.rows, "shape": a.shape, "file_bytes": csv.stat().st_size,
        "ours_s": best["ours"]["seconds"], "raw_s": best["raw"]["seconds"],
        "ratio": best["ours"]["seconds"] / best["raw"]["seconds"],
        "ours_cpu_s": cpu["ours"], "raw_cpu_s": cpu["raw"], "cpu_ratio": cpu["ours"] / cpu["raw"],
        "ours_peak_mb": best["ours"]["peak_bytes"] / 1024**2, "raw_peak_mb": best["raw"]["peak_bytes"] / 1024**2,
        "rows_loaded": best["ours"]["rows"], "load_avg_1m": load,
    }  # fmt: skip
    if a.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            shown = f"{v:,.3f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)
            print(f"{k:14} {shown}")


if __name__ == "__main__":
    main()
