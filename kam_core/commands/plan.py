"""``plan show|save|history|diff|restore ACCOUNT``: one account plan — read, save a new version, compare, restore.

``plan show ACCOUNT --json`` prints the document plus ``version`` (and who / when / comment),
``tracking`` (per objective: baseline, actual, projected, target, achieved_pct, status) and
``actions_overdue``; that output saved back with ``plan save --file`` gives the same document.
``plan save`` needs ``--base``: the version the file was edited from (0 for a first save); an
older base than the latest is refused ("version N was saved by X at T"), nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kam_core.commands import acting_user, open_db
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.i18n import LANGS, t
from kam_core.plans import store
from kam_core.plans.diff import diff, lines
from kam_core.plans.model import MAX_YEAR, MIN_YEAR, from_dict, to_dict
from kam_core.plans.tracking import track

NAME = "plan"
HELP = "one account plan: show | save | history | diff | restore"
WRITES = True
PATHS = ("file",)  # plan save --file
ACTIONS = ("show", "save", "history", "diff", "restore")


def _common(p: argparse.ArgumentParser) -> None:
    # the options kam_core.cli puts on every command, accepted after the action too (plan show X --json)
    p.add_argument("--db", default=argparse.SUPPRESS, help="database file (default: $KAM_DB or data/kam.duckdb)")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON on stdout")
    p.add_argument("--lang", choices=list(LANGS), default=argparse.SUPPRESS, help="language of messages")
    p.add_argument("account", help="the account, as in the account master or the sales")
    p.add_argument("--year", type=int, help="plan year (default: the account's latest plan, else the data's year)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="{" + ",".join(ACTIONS) + "}")
    show = sub.add_parser("show", help="the document, its version and objective tracking")
    _common(show)
    show.add_argument("--version", type=int, help="a version (default: the latest)")
    save = sub.add_parser("save", help="save a JSON document as a new version")
    _common(save)
    save.add_argument("--user", default=argparse.SUPPRESS, help="who saves (default: the OS user)")
    save.add_argument("--file", required=True, help="the plan document (JSON; - for stdin)")
    save.add_argument("--base", type=int, required=True, help="the version the file was edited from (0: first save)")
    save.add_argument("--comment", default="", help="what changed (kept in the history)")
    hist = sub.add_parser("history", help="every version: who, when, comment")
    _common(hist)
    d = sub.add_parser("diff", help="what changed between two versions, section by section")
    _common(d)
    d.add_argument("--from", dest="v_from", type=int, required=True, help="the older version")
    d.add_argument("--to", dest="v_to", type=int, required=True, help="the newer version")
    r = sub.add_parser("restore", help="save an older version again as the newest")
    _common(r)
    r.add_argument("--user", default=argparse.SUPPRESS, help="who restores (default: the OS user)")
    r.add_argument("--version", type=int, required=True, help="the version to restore")
    r.add_argument("--comment", default="", help="why (kept in the history)")


def _year(db: Database, args: argparse.Namespace, account: str) -> int:
    if args.year is not None:
        return store.check_year(args.year)
    y = db.scalar("SELECT max(year) FROM account_plans WHERE account = ?", [account])
    if y is None:
        last = db.scalar("SELECT max(period) FROM sales")
        y = last.year if last is not None else date.today().year
    return int(y)


def _read(path: str) -> dict:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError("plans.err.file", path=path, reason=str(e)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError("plans.err.not_json", line=e.lineno, column=e.colno, reason=e.msg) from None


def shown(db: Database, v: store.PlanVersion, today: date | None = None) -> dict:
    """``plan show --json``: the document, then its version envelope and tracking."""
    tr = track(db, v.doc, today)
    info = v.info()
    return {
        **to_dict(v.doc),
        "version": v.version,
        "saved_by": info["saved_by"],
        "saved_at": info["saved_at"],
        "comment": v.comment,
        "restored_from": v.restored_from,
        "tracking": [o.to_dict() for o in tr.objectives],
        "actions_overdue": tr.actions_overdue,
    }


def run(args: argparse.Namespace) -> dict | list:
    db = open_db(args, must_exist=True)
    try:
        account = args.account.strip()
        year = _year(db, args, account)
        if args.action == "show":
            v = store.get(db, account, year, args.version) if args.version else store.latest_or_error(db, account, year)
            return shown(db, v)
        if args.action == "history":
            store.latest_or_error(db, account, year)
            return store.history(db, account, year)
        if args.action == "diff":
            a, b = store.get(db, account, year, args.v_from), store.get(db, account, year, args.v_to)
            changes = diff(a.doc, b.doc)
            return {"account": account, "year": year, "from": a.version, "to": b.version,
                    "sections": [c.to_dict() for c in changes], "lines": lines(changes, args.lang)}  # fmt: skip
        user = acting_user(args)
        if args.action == "save":
            data = _read(args.file)
            if isinstance(data, dict):  # a file without account / year is for the one named on the command line
                data.setdefault("account", account)
                data.setdefault("year", year)
            v = store.save(db, account, year, from_dict(data), args.base, args.comment, user)
        else:
            v = store.restore(db, account, year, args.version, user, args.comment)
        return v.info()
    finally:
        db.close()


def human(result: dict | list) -> str:
    if isinstance(result, list):  # history
        return "\n".join(
            f"v{r['version']}  {r['saved_at']}  {r['saved_by']}"
            + (f"  (restored v{r['restored_from']})" if r["restored_from"] else "")
            + (f"  {r['comment']}" if r["comment"] else "")
            for r in result
        )
    if "lines" in result:  # diff
        return "\n".join([f"{result['account']} {result['year']}: v{result['from']} → v{result['to']}",
                          *result["lines"]])  # fmt: skip
    if "tracking" in result:  # show
        rel = result["relationship"]
        head = f"{result['account']} {result['year']} v{result['version']}"
        stage, target = (t(f"plans.stage.{rel[k]}") for k in ("stage", "target_stage"))
        out = [f"{head} ({result['saved_by']}, {result['saved_at']})",
               f"{t('plans.section.relationship')}: {stage} → {target}"]  # fmt: skip
        for o in result["tracking"]:
            pct = "—" if o["achieved_pct"] is None else f"{o['achieved_pct']:.1f}%"
            status = t(f"plans.track.{o['status']}")
            out.append(f"  {o['objective_id']} {o['metric']}: baseline {_n(o['baseline'])}, actual {_n(o['actual'])}, "
                       f"target {_n(o['target'])}, achieved {pct}, {status}")  # fmt: skip
        if result["actions_overdue"]:
            out.append("  actions overdue: " + ", ".join(result["actions_overdue"]))
        return "\n".join(out)
    return t("plans.cli.saved", account=result["account"], year=result["year"], version=result["version"])


def _n(v: float | None) -> str:
    return "—" if v is None else f"{v:,.2f}"


__all__ = ["ACTIONS", "HELP", "MAX_YEAR", "MIN_YEAR", "NAME", "WRITES", "add_arguments", "human", "run", "shown"]
