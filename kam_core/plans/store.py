"""Versioned, append-only storage of account plans (table ``account_plans``).

Every save is a new immutable version (who, when, comment); nothing is updated in place. A save
names the version it was edited from (``base_version``, 0 for the first): when someone else has
saved since, it is refused with :class:`PlanConflict`, which carries the latest version so the
editor can keep the draft and show the other version beside it. ``restore`` saves an older
document again as the newest version. History, diff and restore need nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from kam_core import auth
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.plans.model import MAX_YEAR, MIN_YEAR, PlanDoc, check, from_dict, to_dict

MAX_COMMENT = 500


@dataclass(frozen=True)
class PlanVersion:
    account: str
    year: int
    version: int
    doc: PlanDoc
    saved_by: str
    saved_at: datetime
    comment: str = ""
    restored_from: int | None = None

    def info(self) -> dict:
        return {"account": self.account, "year": self.year, "version": self.version, "saved_by": self.saved_by,
                "saved_at": self.saved_at.isoformat(timespec="seconds"), "comment": self.comment,
                "restored_from": self.restored_from}  # fmt: skip


class PlanConflict(UserError):
    """Someone saved a newer version than the one the draft was edited from; ``latest`` is that version."""

    def __init__(self, latest: PlanVersion, base_version: int) -> None:
        self.latest = latest
        self.base_version = base_version
        super().__init__("plans.err.conflict", version=latest.version, user=latest.saved_by,
                         at=latest.saved_at.isoformat(sep=" ", timespec="minutes"), base=base_version)  # fmt: skip


_COLS = "account, year, version, doc, user_name, saved_at, coalesce(comment, ''), restored_from"


def _row(r: tuple) -> PlanVersion:
    account, year, version, doc, user, at, comment, restored = r
    return PlanVersion(account, int(year), int(version), from_dict(json.loads(doc)), user, at, comment,
                       None if restored is None else int(restored))  # fmt: skip


def check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError("plans.err.year", year=year, min=MIN_YEAR, max=MAX_YEAR)
    return year


def check_account(db: Database, account: str) -> str:
    """The account name as stored; UserError when it is in neither the sales nor the account master."""
    name = (account or "").strip()
    found = db.scalar(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE account = ?) OR EXISTS (SELECT 1 FROM sales WHERE account = ?)",
        [name, name],
    )
    if not name or not found:
        raise UserError("plans.err.account", account=name)
    return name


def latest(db: Database, account: str, year: int) -> PlanVersion | None:
    rows = db.rows(
        f"SELECT {_COLS} FROM account_plans WHERE account = ? AND year = ? ORDER BY version DESC LIMIT 1",  # noqa: S608
        [account, year],
    )
    return _row(rows[0]) if rows else None


def get(db: Database, account: str, year: int, version: int) -> PlanVersion:
    rows = db.rows(
        f"SELECT {_COLS} FROM account_plans WHERE account = ? AND year = ? AND version = ?",  # noqa: S608
        [account, year, version],
    )
    if not rows:
        raise UserError("plans.err.no_version", account=account, year=year, version=version)
    return _row(rows[0])


def latest_or_error(db: Database, account: str, year: int) -> PlanVersion:
    v = latest(db, account, year)
    if v is None:
        raise UserError("plans.err.no_plan", account=account, year=year)
    return v


def history(db: Database, account: str, year: int) -> list[dict]:
    """Every version, newest first: version, saved_by, saved_at, comment, restored_from."""
    rows = db.rows(
        """SELECT version, user_name, saved_at, coalesce(comment, ''), restored_from FROM account_plans
           WHERE account = ? AND year = ? ORDER BY version DESC""",
        [account, year],
    )
    return [{"account": account, "year": year, "version": int(v), "saved_by": u,
             "saved_at": at.isoformat(timespec="seconds"), "comment": c,
             "restored_from": None if r is None else int(r)} for v, u, at, c, r in rows]  # fmt: skip


def list_latest(db: Database, year: int | None = None) -> list[PlanVersion]:
    """The newest version of every plan (optionally of one year), by account then year."""
    where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
    rows = db.rows(
        f"""SELECT {_COLS} FROM account_plans {where}
            QUALIFY version = max(version) OVER (PARTITION BY account, year)
            ORDER BY account, year""",  # noqa: S608 - fixed fragments
        params,
    )
    return [_row(r) for r in rows]


def save(db: Database, account: str, year: int, doc: PlanDoc, base_version: int, comment: str, user: str,
         *, restored_from: int | None = None, fill: bool = True) -> PlanVersion:  # fmt: skip
    """Store ``doc`` as the next version; refuses (nothing written) an invalid document, an unknown
    account, a bad year, or a draft edited from an older version than the latest (PlanConflict).

    Objectives with ``baseline_source`` "data" and no baseline get it from the data (the same
    window a year earlier) when the data holds it (``fill``; a restore stores the old document as it was).
    """
    year = check_year(year)
    account = check_account(db, account)
    auth.require(db, user, "plan.restore" if restored_from else "plan.save", [account])  # [auth] a KAM: own accounts
    if doc.account != account or doc.year != year:
        raise UserError("plans.err.mismatch", doc_account=doc.account, doc_year=doc.year, account=account, year=year)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise UserError("plans.err.comment", max=MAX_COMMENT)
    from kam_core.plans.tracking import fill_baselines  # tracking reads sales; the model stays data-free

    doc = check(fill_baselines(db, check(doc)) if fill else check(doc))
    payload = json.dumps(to_dict(doc), ensure_ascii=False)
    detail = {"account": account, "year": year, "base_version": base_version, "comment": comment}
    with db.transaction(user, "plan.restore" if restored_from else "plan.save", detail, data=False) as cur:
        # read the latest inside the write transaction: two saves from the same base cannot both win
        top = int(cur.execute("SELECT coalesce(max(version), 0) FROM account_plans WHERE account = ? AND year = ?",
                              [account, year]).fetchone()[0])  # fmt: skip
        if base_version != top:
            if base_version > top or base_version < 0:
                raise UserError("plans.err.bad_base", base=base_version, latest=top)
            r = cur.execute(f"SELECT {_COLS} FROM account_plans WHERE account = ? AND year = ? AND version = ?",  # noqa: S608
                            [account, year, top]).fetchone()  # fmt: skip
            raise PlanConflict(_row(r), base_version)
        new = top + 1
        detail["version"] = new  # [auth] the audit log names account-year-version
        at = cur.execute(
            """INSERT INTO account_plans (account, year, version, doc, user_name, saved_at, comment, restored_from)
               VALUES (?, ?, ?, ?, ?, now(), ?, ?) RETURNING saved_at""",
            [account, year, new, payload, user, comment, restored_from],
        ).fetchone()[0]
    return PlanVersion(account, year, new, doc, user, at, comment, restored_from)


def restore(db: Database, account: str, year: int, version: int, user: str, comment: str = "") -> PlanVersion:
    """Save version ``version``'s document again as the newest version (history keeps everything)."""
    old = get(db, account, year, version)
    top = latest_or_error(db, account, year)
    return save(db, account, year, replace(old.doc), top.version, comment, user, restored_from=version, fill=False)
