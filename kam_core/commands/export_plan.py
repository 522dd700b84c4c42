"""``export-plan ACCOUNT --format pptx|pdf|md --out FILE``: one account plan as a workshop deck, PDF or Markdown.

Refused (exit 1, nothing written): an unknown account, a year without a plan for it, an unwritable path.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from kam_core.commands import open_db
from kam_core.errors import UserError
from kam_core.export.documents import FORMATS, plan_bytes
from kam_core.i18n import t
from kam_core.plans import store

NAME = "export-plan"
HELP = "export one account plan: PowerPoint, PDF or Markdown"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("account", help="the account, as in the account master or the sales")
    p.add_argument("--year", type=int, help="plan year (default: the account's latest plan)")
    p.add_argument("--format", choices=FORMATS, required=True, help="pptx | pdf | md")
    p.add_argument("--out", required=True, help="the file to write")


def write(path: str, data: bytes) -> None:
    """Write the whole file or nothing (a temporary file renamed into place)."""
    out = Path(path)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UserError("export.err.write", path=path, reason=e.strerror or str(e)) from None


def run(args: argparse.Namespace) -> dict:
    db = open_db(args, must_exist=True)
    try:
        started = time.perf_counter()
        account = store.check_account(db, args.account)
        year = args.year
        if year is None:
            y = db.scalar("SELECT max(year) FROM account_plans WHERE account = ?", [account])
            year = int(y) if y is not None else date.today().year
        data = plan_bytes(db, account, store.check_year(year), args.format, args.lang)
    finally:
        db.close()
    write(args.out, data)
    return {"account": account, "year": year, "format": args.format, "out": args.out, "bytes": len(data),
            "seconds": round(time.perf_counter() - started, 2), "lang": args.lang}  # fmt: skip


def human(r: dict) -> str:
    return t("export.done", r["lang"], format=r["format"], path=r["out"], size=r["bytes"], seconds=r["seconds"])
