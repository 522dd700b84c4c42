"""``settings list | get KEY | set KEY VALUE``: the declared settings, their values and defaults."""

from __future__ import annotations

import argparse
import json

from kam_core import settings
from kam_core.commands import acting_user, open_db

NAME = "settings"
HELP = "list, read or change a setting (every setting is declared in kam_core/settings.py)"
WRITES = True


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "get", "set"], help="list all, get one, or set one")
    p.add_argument("key", nargs="?", help="the setting's key, e.g. tiers.single_store_share")
    p.add_argument("value", nargs="?", help="with set: the new value (JSON, or a comma-separated list)")


def _row(r: dict) -> dict:
    return {"key": r["key"], "value": r["value"], "default": r["default"], "help": r["help"], "type": r["type"]}


def run(args: argparse.Namespace) -> list[dict] | dict:
    if args.action != "list" and not args.key:
        raise SystemExit(_usage(f"settings {args.action} needs a KEY"))
    if args.action == "set" and args.value is None:
        raise SystemExit(_usage("settings set needs a KEY and a VALUE"))
    if args.action == "list" and args.key:
        raise SystemExit(_usage("settings list takes no KEY"))
    lang = args.lang
    if args.action == "set":
        settings.spec(args.key)  # unknown key: refused before the database is touched
        value = settings.parse_text(args.key, args.value)
        settings.validate(args.key, value)
        db = open_db(args)
        try:
            before = settings.get(db, args.key)
            stored = settings.put(db, args.key, value, acting_user(args))
            return {"key": args.key, "value": stored, "previous": before}
        finally:
            db.close()
    db = open_db(args, must_exist=True)
    try:
        rows = settings.listing(db, lang)
    finally:
        db.close()
    if args.action == "list":
        return [_row(r) for r in rows]
    settings.spec(args.key)
    return next(_row(r) for r in rows if r["key"] == args.key)


def _usage(msg: str) -> int:
    import sys

    print(f"usage error: {msg}", file=sys.stderr)
    return 2


def _show(v: object) -> str:
    return json.dumps(v, ensure_ascii=False)


def human(result: list[dict] | dict) -> str:
    if isinstance(result, dict) and "previous" in result:
        return f"{result['key']}: {_show(result['previous'])} → {_show(result['value'])}"
    rows = result if isinstance(result, list) else [result]
    out = []
    for r in rows:
        mark = "" if r["value"] == r["default"] else f"   (default {_show(r['default'])})"
        out.append(f"{r['key']} = {_show(r['value'])}{mark}\n    {r['help']}")
    return "\n".join(out)
