"""``init [--demo] [--end YYYY-MM]``: create or upgrade the database, optionally with the demo dataset."""

from __future__ import annotations

import argparse
from datetime import date

from kam_core import demo
from kam_core.commands import acting_user, open_db, refused
from kam_core.filters import parse_month

NAME = "init"
HELP = "create or upgrade the database; --demo loads the demo dataset"
WRITES = True


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--demo", action="store_true", help="replace the content with the demo dataset")
    p.add_argument("--end", help="last month of the demo, YYYY-MM (default 2026-10)")
    p.add_argument("--force", action="store_true", help="with --demo: replace real uploads too")


def run(args: argparse.Namespace) -> dict:
    end = date(2026, 10, 1)
    if args.end:
        try:
            end = parse_month(args.end)
        except ValueError as e:
            raise refused(e) from e
    db = open_db(args)
    try:
        out: dict = {"db": str(db.path), "schema_version": db.schema_version()}
        if args.demo:
            try:
                out["upload_id"] = demo.build(db, end=end, user=acting_user(args), replace_real=args.force)
            except demo.HasDataError as e:
                raise refused(e) from e
            out["sales_rows"] = db.scalar("SELECT count(*) FROM sales")
            out["accounts"] = db.scalar("SELECT count(*) FROM accounts")
            out["periods"] = [str(p) for p in db.rows("SELECT min(period), max(period) FROM sales")[0]]
        return out
    finally:
        db.close()
