"""``tiers [--lang en|zh] [--tier T]``: every account's key-account tier and the reason in words."""

from __future__ import annotations

import argparse

import pandas as pd

from kam_core.analytics.tiers import TIERS, account_tiers
from kam_core.commands import open_db

NAME = "tiers"
HELP = "key-account tier (GKA / NKA / LKA / non_ka) of every account, with the reason"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the reason (default en)")
    p.add_argument("--tier", choices=TIERS, action="append", help="only these tiers (repeatable)")


def run(args: argparse.Namespace) -> list[dict]:
    db = open_db(args, must_exist=True)
    try:
        df = account_tiers(db, args.lang)
    finally:
        db.close()
    if args.tier:
        df = df[df["tier"].isin(args.tier)]
    out = []
    for r in df.to_dict("records"):
        out.append(
            {
                "account": r["account"],
                "tier": r["tier"],
                "computed_tier": r["computed_tier"],
                "reason": r["reason"],
                "provinces": list(r["provinces"]),
                "unknown_provinces": list(r["unknown_provinces"]),
                "stores": int(r["stores"]),
                "international": bool(r["international"]),
                "format": r["format"],
                "modern_trade": bool(r["modern_trade"]),
                "footprint": r["footprint"],
                "single_store_share": _opt(r["single_store_share"], float),
                "overridden": bool(r["overridden"]),
                "override_by": r["override_by"],
                "override_at": _opt(r["override_at"], lambda v: pd.Timestamp(v).isoformat()),
                "override_reason": r["override_reason"],
            }
        )
    return out


def _opt(v: object, conv: object) -> object:
    """None for missing values (None / NaN / NaT), else conv(v): JSON never gets NaN."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return conv(v)


def human(result: list[dict]) -> str:
    return "\n".join(f"{r['tier']:<7} {r['account']}: {r['reason']}" for r in result)
