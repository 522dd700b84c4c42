"""``uploads``: the upload history, newest first."""

from __future__ import annotations

import argparse

import pandas as pd

from kam_core.commands import open_db
from kam_core.commands.import_ import plain
from kam_core.ingest import history

NAME = "uploads"
HELP = "list uploads: who, when, rows, periods, status"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=200)


def run(args: argparse.Namespace) -> list:
    db = open_db(args, must_exist=True)
    try:
        df = history(db, args.limit)
    finally:
        db.close()
    out = []
    for r in df.to_dict("records"):
        r = {k: (None if not isinstance(v, (list, tuple)) and _na(v) else v) for k, v in r.items()}
        r["created_at"] = str(r["created_at"])
        r["rolled_back_at"] = str(r["rolled_back_at"]) if r["rolled_back_at"] is not None else None
        r["periods"] = [str(p) for p in r["periods"]] if r["periods"] is not None else []
        out.append(plain(r))
    return out


def _na(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def human(out: list) -> str:
    lines = [f"{'#':>4}  {'kind':<11} {'status':<11} {'user':<12} {'time':<19} {'rows':>9}  file"]
    for r in out:
        lines.append(f"{r['id']:>4}  {r['kind']:<11} {r['status']:<11} {r['user_name'][:12]:<12} "
                     f"{r['created_at'][:19]:<19} {r['rows_loaded']:>9}  {r['file_name']}")  # fmt: skip
    return "\n".join(lines)
