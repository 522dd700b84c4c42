"""``audit [--since DATE] [--limit N] [--csv FILE]``: every recorded change, newest first.

``--json`` prints ``[{"at", "user", "action", "detail"}]``; ``--csv`` writes a formula-safe CSV
(kam_core.export_safe) for a spreadsheet.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kam_core import auth
from kam_core.commands import open_db

NAME = "audit"
HELP = "the audit log: who changed what, when (--since YYYY-MM-DD, --csv FILE)"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="only changes at or after this date (YYYY-MM-DD or an ISO time)")
    p.add_argument("--limit", type=int, help="at most this many entries (newest first)")
    p.add_argument("--csv", metavar="FILE", help="also write the (filtered) log as a formula-safe CSV file")


def run(args: argparse.Namespace) -> list[dict]:
    since = auth.parse_since(args.since)  # refused before the database is touched
    db = open_db(args, must_exist=True)
    try:
        rows = auth.audit(db, since, args.limit)
        if args.csv:
            Path(args.csv).write_bytes(auth.audit_csv(db, since))
        return rows
    finally:
        db.close()


def human(out: list[dict]) -> str:
    return "\n".join(
        f"{r['at']}  {r['user']:<24} {r['action']:<22} {json.dumps(r['detail'], ensure_ascii=False, default=str)}"
        for r in out
    )
