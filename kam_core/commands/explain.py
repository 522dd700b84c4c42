"""``explain --metric M --from YYYY-MM --to YYYY-MM [--vs yoy|mom] --by DIM [--account A]``: where a change came from.

Amounts are exact (DECIMAL): the members' changes add up to ``total_change`` to the cent.
"""

from __future__ import annotations

import argparse

from kam_core import currency
from kam_core.analytics import explain as ex
from kam_core.analytics.pareto import DIMENSIONS, METRICS
from kam_core.commands import add_filter_arguments, filters_from_args, open_db

NAME = "explain"
HELP = "break a change down by member (account, region, province, channel, SKU …): before, after, change, share"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--metric", default="revenue", choices=list(METRICS), help="metric (default revenue)")
    add_filter_arguments(p, period_required=True)
    p.add_argument(
        "--vs",
        default="yoy",
        choices=list(ex.BASES),
        help="yoy: the same months a year earlier (default); mom: the window of equal length before",
    )
    p.add_argument("--by", default="account", choices=list(DIMENSIONS), help="dimension (default account)")
    p.add_argument("--account", help="only this account's lines (e.g. --by sku to see its products)")


def run(args: argparse.Namespace) -> dict:
    f = filters_from_args(args)
    db = open_db(args, must_exist=True)
    try:
        out = ex.breakdown(db, f, args.by, args.metric, args.vs, args.account).to_dict(args.lang)
        out["currency"] = currency.current(db) if args.metric != "volume" else None
        return out
    finally:
        db.close()


def human(r: dict) -> str:
    code = r.get("currency")

    def amount(v: object) -> str:
        return currency.exact(float(v), code) if code else f"{float(v):,.2f}"  # type: ignore[arg-type]

    lines = [f"{r['metric']} {r['base_from']}…{r['base_to']} → {r['from']}…{r['to']}: "
             f"{amount(r['before'])} → {amount(r['after'])} (change {amount(r['total_change'])})"]  # fmt: skip
    if r["note"]:
        lines.append(f"growth not shown: {r['note']}")
    for m in r["members"]:
        share = "" if m["share_of_change"] is None else f"  {m['share_of_change'] * 100:+.1f}%"
        lines.append(f"  {m['status']:<10} {m['member'] if m['member'] is not None else '(none)'}: "
                     f"{amount(m['before'])} → {amount(m['after'])}  {amount(m['change'])}{share}")  # fmt: skip
    return "\n".join(lines)
