"""Command line: ``python -m kam_core COMMAND``. Exit codes: 0 ok, 1 rejected input, 2 usage error.

JSON (``--json``) goes to stdout only; diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from kam_core import demo
from kam_core.db import Database, SchemaTooNewError, default_path, os_user
from kam_core.filters import parse_month


class Rejected(Exception):
    """Input refused; nothing was written (exit code 1)."""


def _common(p: argparse.ArgumentParser, writes: bool = False) -> None:
    p.add_argument("--db", help="database file (default: $KAM_DB or data/kam.duckdb)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    if writes:
        p.add_argument("--user", help="who makes the change (default: the OS user)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kam_core", description="KAM Dashboard command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="create or upgrade the database; --demo loads the demo dataset")
    _common(p, writes=True)
    p.add_argument("--demo", action="store_true", help="replace the content with the demo dataset")
    p.add_argument("--end", help="last month of the demo, YYYY-MM (default 2026-10)")
    return parser


def _open(args: argparse.Namespace) -> Database:
    try:
        return Database(args.db or default_path())
    except SchemaTooNewError as e:
        raise Rejected(str(e)) from e


def cmd_init(args: argparse.Namespace) -> dict:
    end = date(2026, 10, 1)
    if args.end:
        try:
            end = parse_month(args.end)
        except ValueError as e:
            raise Rejected(str(e)) from e
    db = _open(args)
    out: dict = {"db": str(db.path), "schema_version": db.schema_version()}
    if args.demo:
        out["upload_id"] = demo.build(db, end=end, user=args.user or os_user())
        out["sales_rows"] = db.scalar("SELECT count(*) FROM sales")
        out["accounts"] = db.scalar("SELECT count(*) FROM accounts")
        out["periods"] = [str(p) for p in db.rows("SELECT min(period), max(period) FROM sales")[0]]
    db.close()
    return out


COMMANDS = {"init": cmd_init}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        out = COMMANDS[args.command](args)
    except Rejected as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    return 0
