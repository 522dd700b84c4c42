"""``tier-override ACCOUNT (--tier T --why TEXT | --clear)``: set or remove an account's manual tier (recorded)."""

from __future__ import annotations

import argparse

from kam_core.analytics.tiers import TIERS, account_tiers, set_override
from kam_core.commands import acting_user, open_db, refused

NAME = "tier-override"
HELP = "set (--tier, --why) or remove (--clear) the manual key-account tier of an account"
WRITES = True


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("account", help="the account, as in the account master or the sales")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--tier", choices=TIERS, help="the tier to record")
    g.add_argument("--clear", action="store_true", help="remove the override (back to the computed tier)")
    p.add_argument("--why", default="", help="why the tier is overridden (required with --tier; recorded)")


def run(args: argparse.Namespace) -> dict:
    db = open_db(args, must_exist=True)
    try:
        try:
            set_override(db, args.account, None if args.clear else args.tier, args.why, acting_user(args))
        except ValueError as e:
            raise refused(e) from e
        r = account_tiers(db).set_index("account").loc[args.account.strip()]
        return {
            "account": args.account.strip(),
            "tier": r["tier"],
            "computed_tier": r["computed_tier"],
            "overridden": bool(r["overridden"]),
            "override_by": r["override_by"],
            "reason": r["reason"],
        }
    finally:
        db.close()
