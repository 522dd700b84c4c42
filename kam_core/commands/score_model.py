"""``score-model save FILE.json [--activate] | list | show NAME [--version V] | activate NAME``: scoring models.

Every save is a new version (who, when); one model is active (the built-in default until
another is activated). A refused model (unknown criterion, negative weight, all weights 0,
bad key_rule, unreadable JSON) exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
import sys

from kam_core.analytics import scoring as sc
from kam_core.commands import acting_user, open_db

NAME = "score-model"
HELP = "save (a new version of), list, show or activate a key-account scoring model"
WRITES = True


def PATHS(args: argparse.Namespace) -> tuple[str, ...]:  # the command attribute kam_core.cli reads
    return ("target",) if args.action == "save" else ()


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["save", "list", "show", "activate"], help="what to do")
    p.add_argument("target", nargs="?", help="save: the model's JSON file; show / activate: the model's name")
    p.add_argument("--activate", action="store_true", help="with save: make the saved model the active one")
    p.add_argument("--version", type=int, help="with show: this version instead of the latest")


def _info(m: sc.Model, active: str) -> dict:
    return {"name": m.name, "version": m.version, "saved_by": m.saved_by, "saved_at": m.saved_at,
            "active": m.name == active, **m.to_dict()}  # fmt: skip


def run(args: argparse.Namespace) -> dict | list[dict]:
    if args.action != "list" and not args.target:
        print(f"usage error: score-model {args.action} needs a {'FILE' if args.action == 'save' else 'NAME'}",
              file=sys.stderr)  # fmt: skip
        raise SystemExit(2)
    if args.action == "save":
        doc = sc.read_model_file(args.target)  # refused before the database is touched
        sc.parse_model(doc)  # shape, weights, key rule (criterion names are checked against the database)
        db = open_db(args)
        try:
            m = sc.save_model(db, doc, acting_user(args), activate=args.activate)
            return _info(m, sc.active_name(db))
        finally:
            db.close()
    db = open_db(args, must_exist=args.action != "activate")
    try:
        if args.action == "list":
            return sc.list_models(db)
        if args.action == "activate":
            m = sc.activate_model(db, args.target, acting_user(args))
            return _info(m, sc.active_name(db))
        return _info(sc.get_model(db, args.target, args.version), sc.active_name(db))
    finally:
        db.close()


def human(out: dict | list[dict]) -> str:
    if isinstance(out, list):
        return "\n".join(
            f"{'*' if r['active'] else ' '} {r['name']}"
            + (f"  v{r['version']} ({r['versions']} versions), {r['saved_by']} {r['saved_at']}" if r["version"] else "")
            for r in out
        )
    crit = ", ".join(f"{c['name']} {c['weight']:g} ({c['direction']}, {c['normalise']})" for c in out["criteria"])
    return f"{out['name']} v{out['version']}{' (active)' if out['active'] else ''}: {crit}; key_rule {out['key_rule']}"
