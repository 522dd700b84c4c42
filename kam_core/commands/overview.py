"""``overview [--month YYYY-MM]``: the overview's figures for one month, with honest comparisons."""

from __future__ import annotations

import argparse

from kam_core import coverage, currency
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
        mom_ok = coverage.compare_month_before(db, m)
        yoy_ok = coverage.compare_year_before_month(db, m)
        through = coverage.partial_through(db, m)

        def pair(kpi) -> dict:
            return {"mom": kpi.mom if mom_ok.ok else None, "yoy": kpi.yoy if yoy_ok.ok else None}

        return {
            "month": f"{m:%Y-%m}",
            "revenue": k.revenue.value,
            "gross_profit": k.gross_profit.value,
            "accounts": None if k.active_accounts.value is None else int(k.active_accounts.value),
            **pair(k.revenue),
            "gross_profit_mom": pair(k.gross_profit)["mom"],
            "gross_profit_yoy": pair(k.gross_profit)["yoy"],
            "mom_note": mom_ok.message(args.lang),
            "yoy_note": yoy_ok.message(args.lang),
            "partial": through is not None,
            "data_through": through.isoformat() if through else None,
            "currency": code,
        }
    finally:
        db.close()


def human(r: dict) -> str:
    if r.get("message"):
        return r["message"]
    code = r["currency"]

    def pct(v: float | None, note: str | None) -> str:
        return f"{v * 100:+.1f} %" if v is not None else f"not comparable ({note})" if note else "–"

    lines = [
        f"month: {r['month']}" + (f" (partial: data through {r['data_through']})" if r["partial"] else ""),
        f"revenue: {currency.exact(r['revenue'], code)}",
        f"gross_profit: {currency.exact(r['gross_profit'], code)}",
        f"accounts: {r['accounts']}",
        f"mom: {pct(r['mom'], r['mom_note'])}",
        f"yoy: {pct(r['yoy'], r['yoy_note'])}",
    ]
    return "\n".join(lines)
