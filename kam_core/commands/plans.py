"""``plans [--year Y]``: the newest version of every account plan, with its tracking summary."""

from __future__ import annotations

import argparse
from datetime import date

from kam_core.commands import open_db
from kam_core.i18n import t
from kam_core.plans.store import list_latest
from kam_core.plans.tracking import track

NAME = "plans"
HELP = "every account plan (newest version): stage, target stage, objectives on track, actions overdue"
WRITES = False


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="only plans of this year (default: all years)")


def run(args: argparse.Namespace) -> list[dict]:
    db = open_db(args, must_exist=True)
    try:
        out = []
        today = date.today()
        for v in list_latest(db, args.year):
            tr = track(db, v.doc, today)
            out.append(
                {
                    "account": v.account,
                    "year": v.year,
                    "version": v.version,
                    "stage": v.doc.relationship.stage,
                    "target_stage": v.doc.relationship.target_stage,
                    "updated_at": v.saved_at.isoformat(timespec="seconds"),
                    "updated_by": v.saved_by,
                    "objectives_on_track": tr.on_track,
                    "objectives_total": len(tr.objectives),
                    "actions_overdue": len(tr.actions_overdue),
                }
            )
        return out
    finally:
        db.close()


def human(result: list[dict]) -> str:
    if not result:
        return t("plans.cli.none")
    return "\n".join(
        f"{r['account']} {r['year']} v{r['version']}: {r['stage']} → {r['target_stage']}, "
        f"{r['objectives_on_track']}/{r['objectives_total']} objectives on track, "
        f"{r['actions_overdue']} actions overdue"
        f" (saved by {r['updated_by']} {r['updated_at']})"
        for r in result
    )
