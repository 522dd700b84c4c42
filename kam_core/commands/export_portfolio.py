"""``export-portfolio --format pptx|pdf|md --out FILE``: every account plan of a year, one summary each.

Refused (exit 1, nothing written): a year without any plan, an unwritable path.
"""

from __future__ import annotations

import argparse
import time

from kam_core.commands import open_db
from kam_core.commands.export_plan import human, write
from kam_core.errors import UserError
from kam_core.export.documents import FORMATS, portfolio_bytes
from kam_core.plans import store

NAME = "export-portfolio"
HELP = "export the plan portfolio of a year: PowerPoint, PDF or Markdown"
WRITES = False
__all__ = ["HELP", "NAME", "WRITES", "add_arguments", "human", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="plan year (default: the latest year with a plan)")
    p.add_argument("--format", choices=FORMATS, required=True, help="pptx | pdf | md")
    p.add_argument("--out", required=True, help="the file to write")


def run(args: argparse.Namespace) -> dict:
    db = open_db(args, must_exist=True)
    try:
        started = time.perf_counter()
        year = args.year
        if year is None:
            y = db.scalar("SELECT max(year) FROM account_plans")
            if y is None:
                raise UserError("export.err.no_plans", year="–")
            year = int(y)
        data = portfolio_bytes(db, store.check_year(year), args.format, args.lang)
    finally:
        db.close()
    write(args.out, data)
    return {"year": year, "format": args.format, "out": args.out, "bytes": len(data),
            "seconds": round(time.perf_counter() - started, 2), "lang": args.lang}  # fmt: skip
