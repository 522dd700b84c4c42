"""``score [--model NAME | --model-file FILE.json] [--from YYYY-MM] [--to YYYY-MM] [--top N] [--json]``.

Composite key-account scores in rank order (kam_core.analytics.scoring.score, the same code
as the page). Without --from / --to: the last 12 months of data. ``--top N`` prints only the
first N accounts; the key flag follows the model's key_rule (override with --key-top /
--key-min-score).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from kam_core.analytics import scoring as sc
from kam_core.commands import add_filter_arguments, filters_from_args, open_db
from kam_core.errors import UserError

NAME = "score"
HELP = "key-account scores in rank order: account, score, rank, key, coverage, criteria"
WRITES = False
PATHS = ("model_file",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--model", help="a saved model's name (default: the active model; 'builtin' = the default)")
    g.add_argument("--model-file", metavar="FILE.json", help="score with the model in this JSON file (not saved)")
    p.add_argument("--version", type=int, help="with --model: this version instead of the latest")
    add_filter_arguments(p)
    p.add_argument("--top", type=int, help="print only the first N accounts")
    k = p.add_mutually_exclusive_group()
    k.add_argument("--key-top", type=int, metavar="N", help="key accounts: the top N (overrides the model)")
    k.add_argument("--key-min-score", type=float, metavar="X", help="key accounts: score ≥ X (overrides the model)")


def run(args: argparse.Namespace) -> list[dict]:
    f = filters_from_args(args)
    if args.top is not None and args.top < 1:
        raise UserError("scoring.err.top")
    rule = None
    if args.key_top is not None:
        rule = sc.parse_key_rule({"top": args.key_top})
    elif args.key_min_score is not None:
        rule = sc.parse_key_rule({"min_score": args.key_min_score})
    doc = sc.read_model_file(args.model_file) if args.model_file else None
    db = open_db(args, must_exist=True)
    try:
        if doc is not None:
            model = sc.parse_model(doc, sc.all_criteria(db))
        else:
            model = sc.get_model(db, args.model, args.version)
        if rule is not None:
            model = replace(model, key_rule=rule)
        return sc.score(db, f, model).records(args.top)
    finally:
        db.close()


def human(out: list[dict]) -> str:
    lines = [f"{'rank':>5}  {'score':>6}  {'cover':>5}  key  account"]
    for r in out:
        s = "–" if r["score"] is None else f"{r['score']:6.1f}"
        lines.append(f"{r['rank']:>5}  {s:>6}  {r['coverage']:5.0%}  {'*' if r['key'] else ' ':^3}  {r['account']}")
    return "\n".join(lines)
