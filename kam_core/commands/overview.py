"""``overview [--month YYYY-MM]``: the overview's figures for one month, with honest comparisons."""

from __future__ import annotations

import argparse

from kam_core import currency
from kam_core.analytics.overview import kpis
from kam_core.commands import open_db, refused
from kam_core.filters import Filters, parse_month

NAME = "overview"
HELP = "revenue, gross profit, accounts of a month (default: the latest) with MoM / YoY where comparable"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--month", help="YYYY-MM (default: the latest month with data)")


def run(args: argparse.Namespace) -> dict:
    try:
        month = parse_month(args.month) if args.month else None
    except ValueError as e:
        raise refused(e) from e
    db = open_db(args, must_exist=True)
    try:
        code = currency.current(db)
        k = kpis(db, Filters(start=month, end=month) if month else Filters())
        if k is None or (month is not None and db.scalar("SELECT count(*) FROM sales WHERE period = ?", [month]) == 0):
            return {"month": f"{month:%Y-%m}" if month else None, "revenue": None, "gross_profit": None,
                    "accounts": None, "mom": None, "yoy": None, "partial": False, "data_through": None,
                    "currency": code, "message": "No data for this month."}  # fmt: skip
        m = k.month
        # kpis already gives None where a month is not comparable; the notes say why.
        return {
            "month": f"{m:%Y-%m}",
            "revenue": k.revenue.value,
            "gross_profit": k.gross_profit.value,
            "accounts": None if k.active_accounts.value is None else int(k.active_accounts.value),
            "mom": k.revenue.mom,
            "yoy": k.revenue.yoy,
            "gross_profit_mom": k.gross_profit.mom,
            "gross_profit_yoy": k.gross_profit.yoy,
            "mom_note": k.mom_note.message(args.lang) if k.mom_note else None,
            "yoy_note": k.yoy_note.message(args.lang) if k.yoy_note else None,
            "partial": k.partial,
            "data_through": k.data_through.isoformat() if k.data_through else None,
            "currency": code,
        }
    finally:
        db.close()


def human(r: dict) -> str:
    if r.get("message"):
        return r["message"]
    code = r["currency"]

    def pct(v: float | None, note: str | None) -> str:
        return f"{v * 100:+.1f}%" if v is not None else f"not comparable ({note})" if note else "–"

    lines = [
        f"month: {r['month']}" + (f" (partial: data through {r['data_through']})" if r["partial"] else ""),
        f"revenue: {currency.exact(r['revenue'], code)}",
        f"gross_profit: {currency.exact(r['gross_profit'], code)}",
        f"accounts: {r['accounts']}",
        f"mom: {pct(r['mom'], r['mom_note'])}",
        f"yoy: {pct(r['yoy'], r['yoy_note'])}",
    ]
    return "\n".join(lines)
