"""``users list | set EMAIL --role ROLE [--kam NAME] [--name NAME]``: who may sign in, with which role.

Roles: admin, kam, executive, viewer (kam_core/auth.py). ``set`` adds a user or changes one; only an
admin may (the command line's local operator is one; ``--as EMAIL`` acts with that user's rights).
"""

from __future__ import annotations

import argparse
import sys

from kam_core import auth
from kam_core.commands import acting_user, open_db

NAME = "users"
HELP = "list users, or set a user's role (admin, kam, executive, viewer), KAM name and name"
WRITES = True


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "set"], help="list all users, or add / change one")
    p.add_argument("email", nargs="?", help="with set: the user's e-mail (as the identity provider gives it)")
    p.add_argument("--role", choices=list(auth.ROLES), help="with set: the role")
    p.add_argument("--kam", help="with set: the KAM name the user's accounts carry (accounts / sales 'kam')")
    p.add_argument("--name", help="with set: the display name")


def run(args: argparse.Namespace) -> list[dict] | dict:
    if args.action == "set" and (not args.email or not args.role):
        print("usage error: users set needs an EMAIL and --role", file=sys.stderr)
        raise SystemExit(2)
    if args.action == "list" and (args.email or args.role or args.kam or args.name):
        print("usage error: users list takes no EMAIL or options", file=sys.stderr)
        raise SystemExit(2)
    db = open_db(args, must_exist=args.action == "list")
    try:
        if args.action == "list":
            return auth.list_users(db)
        return auth.set_user(db, args.email, args.role, acting_user(args), kam_name=args.kam, name=args.name)
    finally:
        db.close()


def human(out: list[dict] | dict) -> str:
    if isinstance(out, dict):
        prev = out["previous"]
        was = f" (was {prev['role']})" if prev and prev["role"] != out["role"] else ""
        return f"{out['email']}: {out['role']}{was}" + (f", KAM {out['kam_name']}" if out["kam_name"] else "")
    if not out:
        return "no users yet: the first person to sign in becomes admin"
    return "\n".join(f"{r['email']:<32} {r['role']:<10} {r['kam_name'] or '':<16} {r['name'] or ''}" for r in out)
