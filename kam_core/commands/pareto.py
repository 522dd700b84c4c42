"""``pareto --by DIM --metric M [--from YYYY-MM] [--to YYYY-MM] [--region R …] [--json]``: concentration figures.

Same code as the Pareto page (kam_core.analytics.pareto.analyse), so the figures agree.
"""

from __future__ import annotations

import argparse

from kam_core import currency
from kam_core.analytics import pareto as pa
from kam_core.commands import add_filter_arguments, filters_from_args, open_db, refused
from kam_core.errors import UserError
from kam_core.i18n import t

NAME = "pareto"
HELP = "Pareto / 80-20 concentration: entities, total, top20_share, n_for_80, gini, hhi, ABC classes"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", default="account", choices=list(pa.DIMENSIONS), help="dimension (default account)")
    p.add_argument("--metric", default="revenue", choices=list(pa.METRICS), help="metric (default revenue)")
    add_filter_arguments(p)
    p.add_argument("--a", type=float, default=0.80, help="class A limit on the cumulative share (default 0.80)")
    p.add_argument("--b", type=float, default=0.95, help="class B limit on the cumulative share (default 0.95)")
    p.add_argument("--top-n", type=int, default=10, help="N of the top-N share (default 10)")


def run(args: argparse.Namespace) -> dict:
    f = filters_from_args(args)
    try:
        th = pa.Thresholds(args.a, args.b)
        if args.top_n < 1:
            raise UserError("pareto.err.top_n")
    except ValueError as e:
        raise refused(e) from e
    db = open_db(args, must_exist=True)
    try:
        code = currency.current(db)
        s = pa.summary(db, f, args.by, args.metric, thresholds=th, top_n=args.top_n)
    finally:
        db.close()
    out = s.to_dict()
    args._currency = code if args.metric != "volume" else None
    if s.empty:
        out["message"] = t("pareto.cli.empty")
    return out


def human(out: dict, args: argparse.Namespace | None = None) -> str:
    code = getattr(args, "_currency", None)

    def amount(v: float) -> str:
        return currency.exact(float(v), code) if code else f"{v:,.2f}"

    if out["entities"] == 0:
        return f"{out['message']} (non_positive: {out['non_positive']})"
    lines = [
        f"by {out['by']}, metric {out['metric']}",
        f"entities: {out['entities']:,}  total: {amount(out['total'])}",
        f"top20_share: {out['top20_share']:.1%} (first {out['top20_count']:,})",
        f"n_for_80: {out['n_for_80']:,}",
        f"gini: {out['gini']:.3f}  hhi: {out['hhi']:,.0f}  top{out['top_n']}_share: {out['top_n_share']:.1%}",
        "classes: " + ", ".join(f"{c} {n:,}" for c, n in out["classes"].items()),
        f"non_positive: {out['non_positive']:,} (total {amount(out['non_positive_total'])})",
    ]
    return "\n".join(lines)
