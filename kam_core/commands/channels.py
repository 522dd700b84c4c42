"""``channels [--from YYYY-MM] [--to YYYY-MM] [--by month|quarter|year]``: channel share per period."""

from __future__ import annotations

import argparse
from decimal import Decimal

from kam_core import currency
from kam_core.analytics.channels import GRAINS, share_over_time
from kam_core.commands import Rejected, open_db, refused
from kam_core.filters import Filters, parse_month

NAME = "channels"
HELP = "revenue and share per period and (canonical) channel; shares per period sum to 1"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", help="first month, YYYY-MM (default: the first month of data)")
    p.add_argument("--to", dest="end", help="last month, YYYY-MM (default: the last month of data)")
    p.add_argument("--by", choices=GRAINS, default="month", help="period length (default month)")


def run(args: argparse.Namespace) -> list[dict]:
    try:
        start = parse_month(args.start) if args.start else None
        end = parse_month(args.end) if args.end else None
    except ValueError as e:
        raise refused(e) from e
    if start and end and start > end:
        raise Rejected(f"--from {args.start} is after --to {args.end}.")
    db = open_db(args, must_exist=True)
    try:
        df = share_over_time(db, Filters(start=start, end=end), grain=args.by)
        args._currency = currency.current(db)
    finally:
        db.close()
    return [
        {
            "period": p,
            "channel": k or None,
            "revenue": r if isinstance(r, Decimal) else float(r),
            "share": None if s != s else float(s),
        }
        for p, k, r, s in zip(df["period"], df["key"], df["revenue"], df["share"], strict=True)
    ]


def human(rows: list[dict], args: argparse.Namespace | None = None) -> str:
    if not rows:
        return "no sales in this range"
    code = getattr(args, "_currency", None) or "CNY"

    def share(v: float | None) -> str:
        return "–" if v is None else f"{v:.2%}"

    return "\n".join(
        f"{r['period']:<8} {r['channel'] or '(none)':<16} {currency.exact(float(r['revenue']), code):>20} "
        f"{share(r['share']):>8}"
        for r in rows
    )
