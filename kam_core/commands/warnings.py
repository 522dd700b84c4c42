"""``warnings [--account A] [--severity S]``: early warnings per account, most severe first."""

from __future__ import annotations

import argparse

from kam_core import currency
from kam_core.analytics import warnings as wr
from kam_core.commands import open_db

NAME = "warnings"
HELP = "early warnings per account (sales, margin, receivables, plans) with the figures, most severe first"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", help="only this account")
    p.add_argument("--severity", choices=list(wr.SEVERITIES), help="only this severity")


def run(args: argparse.Namespace) -> list[dict]:
    db = open_db(args, must_exist=True)
    try:
        code = currency.current(db)
        return [w.to_dict(args.lang, code) for w in wr.evaluate(db, args.account, args.severity)]
    finally:
        db.close()


def human(rows: list[dict]) -> str:
    if not rows:
        return "no warnings"
    return "\n".join(f"{r['severity']:<6} {r['account']}: {r['message']}" for r in rows)
