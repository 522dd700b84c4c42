"""Preview (dry run) of an upload: what a commit would load, replace and change. Writes nothing.

The result is a :class:`Preview`; the commit returns the same object with ``upload_id``,
``rows_loaded`` and ``demo_removed`` filled in. ``Preview.to_json()`` gives the fields of
``import --json`` (spec §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from kam_core.db import Database
from kam_core.ingest.stage import Staged

ZERO = Decimal(0)
# Natural key of each master kind (replace semantics: one row per key) and its columns in the file.
MASTER = {
    "accounts": (("account",), ["account", "name_zh", "international", "origin_country", "format", "kam",
                                "strategic_fit", "parent_group"]),
    "stores": (("store",), ["store", "account", "province", "city", "region", "format", "opened"]),
    "receivables": (("account", "as_of"), ["account", "as_of", "current", "overdue_1_30", "overdue_31_60",
                                           "overdue_61_90", "overdue_90_plus"]),
}  # fmt: skip


@dataclass(frozen=True)
class Duplicate:
    """The live upload that already holds the same file (same checksum and kind)."""

    id: int
    user: str
    at: datetime
    file: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "user": self.user, "at": str(self.at), "file": self.file}


@dataclass(frozen=True)
class ReplacedPair:
    """One (period, account) whose existing sales rows the upload replaces."""

    period: date
    account: str
    old_revenue: Decimal
    new_revenue: Decimal
    old_rows: int
    new_rows: int

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(), "account": self.account, "old_revenue": float(self.old_revenue),
            "new_revenue": float(self.new_revenue), "old_rows": self.old_rows, "new_rows": self.new_rows,
        }  # fmt: skip


@dataclass(frozen=True)
class MonthTotal:
    """Revenue of one month of the file: in the database now, and once the upload is committed."""

    period: date
    before: Decimal
    after: Decimal

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.isoformat(), "before": float(self.before), "after": float(self.after)}


@dataclass(frozen=True)
class SalesChange:
    """What a sales upload changes. Amounts are exact decimals."""

    months: list[MonthTotal]
    periods: list[date]
    accounts: list[str]
    accounts_new: list[str]  # not yet in the accounts master nor in sales (the demo's do not count)
    accounts_known: list[str]
    revenue: Decimal  # of the valid rows of the file
    replaced: list[ReplacedPair]
    replaced_revenue: Decimal
    total_before: Decimal
    total_after: Decimal
    change: Decimal
    demo_present: bool
    demo_revenue: Decimal  # removed with the demo (0 when it stays or is absent)

    def to_json(self) -> dict[str, Any]:
        return {
            "months": [m.to_json() for m in self.months], "periods": [p.isoformat() for p in self.periods],
            "accounts": self.accounts, "accounts_new": self.accounts_new, "accounts_known": self.accounts_known,
            "revenue": float(self.revenue), "replaced": [r.to_json() for r in self.replaced],
            "replaced_revenue": float(self.replaced_revenue), "total_before": float(self.total_before),
            "total_after": float(self.total_after), "change": float(self.change), "demo_present": self.demo_present,
            "demo_revenue": float(self.demo_revenue),
        }  # fmt: skip


@dataclass(frozen=True)
class MasterChange:
    """What an account / store / receivables upload changes: keys added and keys replaced."""

    keys_new: int
    keys_known: int

    def to_json(self) -> dict[str, Any]:
        return {"keys_new": self.keys_new, "keys_known": self.keys_known}


@dataclass(frozen=True)
class Preview:
    """A dry run of one staged file (and, once committed, its result).

    ``sales`` is set for sales uploads, ``master`` for the other kinds. ``rejected`` and
    ``warnings`` are report rows ``{"row", "column", "reason"}`` (row as the user sees it).
    """

    file: str
    kind: str
    format: str
    sheet: str | None
    sha256: str
    rows_read: int
    rows_valid: int
    rows_rejected: int
    rows_summary: int  # total / subtotal lines, never loaded
    rejected: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    warning_count: int
    notes: list[str]
    mapping: dict[str, str]
    duplicate_of: Duplicate | None
    sales: SalesChange | None = None
    master: MasterChange | None = None
    # filled in by the commit
    upload_id: int | None = None
    rows_loaded: int = 0
    demo_removed: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """The fields of ``import --json``, in their order; Decimals as (unrounded) numbers."""
        out: dict[str, Any] = {
            "file": self.file, "kind": self.kind, "format": self.format, "sheet": self.sheet, "sha256": self.sha256,
            "rows_read": self.rows_read, "rows_valid": self.rows_valid, "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected, "rows_summary": self.rows_summary, "rejected": self.rejected,
            "warnings": self.warnings, "warning_count": self.warning_count, "notes": self.notes,
            "mapping": self.mapping, "duplicate_of": self.duplicate_of.to_json() if self.duplicate_of else None,
        }  # fmt: skip
        if self.sales is not None:
            out.update(self.sales.to_json())
        if self.master is not None:
            out.update(self.master.to_json())
        out["upload_id"] = self.upload_id
        if self.demo_removed is not None:
            out["demo_removed"] = self.demo_removed
        return out


def duplicate_of(db: Database, sha256: str, kind: str) -> Duplicate | None:
    """The live upload with the same content, if any (a rolled-back one does not count)."""
    r = db.rows(
        """SELECT id, user_name, created_at, file_name FROM uploads
           WHERE sha256 = ? AND kind = ? AND status <> 'rolled_back' ORDER BY id LIMIT 1""",
        [sha256, kind],
    )
    return Duplicate(int(r[0][0]), r[0][1], r[0][2], r[0][3]) if r else None


def incoming_pairs(st: Staged) -> pa.Table:
    """(period, account, revenue, rows) of the valid lines, exact decimals (computed once per staged file)."""
    if "pairs" not in st.cache:  # ``parsed`` never changes once staged; preview and commit both need this
        st.cache["pairs"] = st.con.sql(
            """SELECT period, account, sum(CAST(revenue AS DECIMAL(18,4))) AS revenue, count(*) AS rows
               FROM parsed WHERE NOT _bad AND NOT _summary GROUP BY period, account ORDER BY period, account"""
        ).to_arrow_table()
    return st.cache["pairs"]


def preview(db: Database, st: Staged, remove_demo: bool = True) -> Preview:
    """Dry run: what the commit would do. Reads the database, writes nothing.

    With ``remove_demo`` (the default) and the demo dataset still loaded, the demo rows are
    counted as removed, not as replaced.
    """
    c = st.checked
    sales = _sales_change(db, st, remove_demo) if st.kind == "sales" else None
    master = _master_change(db, st) if st.kind != "sales" else None
    return Preview(
        file=st.src.file_name, kind=st.kind, format=st.src.format_label, sheet=st.src.sheet, sha256=st.src.sha256,
        rows_read=c.rows_read, rows_valid=c.rows_valid, rows_rejected=c.rows_rejected, rows_summary=c.rows_summary,
        rejected=c.rejected, warnings=c.warnings, warning_count=c.warning_count, notes=c.notes,
        mapping=st.mapping.fields, duplicate_of=duplicate_of(db, st.src.sha256, st.kind), sales=sales, master=master,
    )  # fmt: skip


def _master_change(db: Database, st: Staged) -> MasterChange:
    """Keys of the file (account / store / account + as_of) already in the master, and new ones."""
    keys, _ = MASTER[st.kind]
    new = st.con.execute(
        f"SELECT DISTINCT {', '.join(keys)} FROM parsed WHERE NOT _bad AND NOT _summary"  # noqa: S608
    ).df()
    cur = db.cursor()
    try:
        cur.register("incoming_keys", new)
        on = " AND ".join(f"t.{k} = n.{k}" for k in keys)
        sql = f"SELECT count(*) FROM incoming_keys n SEMI JOIN {st.kind} t ON {on}"  # noqa: S608
        known = int(cur.execute(sql).fetchone()[0])
    finally:
        cur.close()
    return MasterChange(keys_new=len(new) - known, keys_known=known)


def active_demo_ids(cur: Any) -> list[int]:
    """Ids of the demo dataset's uploads still loaded (empty once a real upload removed it)."""
    return [r[0] for r in cur.execute("SELECT id FROM uploads WHERE kind = 'demo' AND status = 'active'").fetchall()]


def _sales_change(db: Database, st: Staged, remove_demo: bool) -> SalesChange:
    """Replaced pairs, new / known accounts and totals per month, from the (period, account) sums of the file."""
    cur = db.cursor()
    try:
        cur.register("incoming_pairs", incoming_pairs(st))
        demo_ids = active_demo_ids(cur)
        skip = demo_ids if remove_demo else []  # demo rows removed, not replaced
        # from the (period, account) sums, not another pass over the rows: decimal sums are exact
        new_by_month = dict(cur.execute("SELECT period, sum(revenue) FROM incoming_pairs GROUP BY period").fetchall())
        accounts = sorted(r[0] for r in cur.execute("SELECT DISTINCT account FROM incoming_pairs").fetchall())
        replaced = _replaced_pairs(cur, skip)
        known = _known_accounts(cur, skip)
        total_before = cur.execute("SELECT coalesce(sum(revenue), 0) FROM sales").fetchone()[0]
        month_now = _month_now(cur, skip)
        demo_rev = ZERO
        if skip:
            demo_rev = cur.execute(
                "SELECT coalesce(sum(revenue), 0) FROM sales WHERE upload_id IN (SELECT unnest(?::BIGINT[]))", [skip]
            ).fetchone()[0]
    finally:
        cur.close()
    new_total = sum(new_by_month.values(), ZERO)
    old_total = sum((r.old_revenue for r in replaced), ZERO)
    return SalesChange(
        months=_months(new_by_month, month_now, replaced),
        periods=sorted(new_by_month),
        accounts=accounts,
        accounts_new=[a for a in accounts if a not in known],
        accounts_known=[a for a in accounts if a in known],
        revenue=new_total,
        replaced=replaced,
        replaced_revenue=old_total,
        total_before=total_before,
        total_after=total_before - old_total + new_total - demo_rev,
        change=new_total - old_total - demo_rev,
        demo_present=bool(demo_ids),
        demo_revenue=demo_rev,
    )


def _replaced_pairs(cur: Any, skip: list[int]) -> list[ReplacedPair]:
    """The (period, account) pairs of the file that already have sales rows (outside ``skip`` uploads)."""
    rows = cur.execute(
        """SELECT o.period, o.account, o.old_revenue, o.old_rows, p.revenue, p.rows FROM (
               SELECT s.period, s.account, sum(s.revenue) AS old_revenue, count(*) AS old_rows
               FROM sales s SEMI JOIN incoming_pairs p ON s.period = p.period AND s.account = p.account
               WHERE s.upload_id NOT IN (SELECT unnest(?::BIGINT[])) GROUP BY ALL) o
           JOIN incoming_pairs p ON o.period = p.period AND o.account = p.account
           ORDER BY o.period, o.account""",
        [skip],
    ).fetchall()
    return [ReplacedPair(p, a, old, new, int(old_n), int(new_n)) for p, a, old, old_n, new, new_n in rows]


def _known_accounts(cur: Any, skip: list[int]) -> set[str]:
    """Accounts of the file already in the master or in sales (rows of ``skip`` uploads do not count)."""
    rows = cur.execute(
        """SELECT DISTINCT account FROM incoming_pairs WHERE account IN (SELECT account FROM accounts
           WHERE coalesce(upload_id, -1) NOT IN (SELECT unnest(?::BIGINT[])))
           OR account IN (SELECT DISTINCT account FROM sales
                          WHERE upload_id NOT IN (SELECT unnest(?::BIGINT[])))""",
        [skip, skip],
    ).fetchall()
    return {r[0] for r in rows}


def _month_now(cur: Any, skip: list[int]) -> dict[date, tuple[Decimal, Decimal]]:
    """Per month of the file: revenue in the database now, and how much of it belongs to ``skip`` uploads."""
    rows = cur.execute(
        """SELECT period, sum(revenue) AS now,
                  coalesce(sum(revenue) FILTER (WHERE upload_id IN (SELECT unnest(?::BIGINT[]))), 0) AS demo
           FROM sales WHERE period IN (SELECT DISTINCT period FROM incoming_pairs) GROUP BY period""",
        [skip],
    ).fetchall()
    return {p: (n, d) for p, n, d in rows}


def _months(
    new_by_month: dict[date, Decimal], now: dict[date, tuple[Decimal, Decimal]], replaced: list[ReplacedPair]
) -> list[MonthTotal]:
    """Before / after per month: now − replaced − demo removed + the file's revenue."""
    old_by_month: dict[date, Decimal] = {}
    for r in replaced:
        old_by_month[r.period] = old_by_month.get(r.period, ZERO) + r.old_revenue
    out = []
    for p in sorted(new_by_month):
        n, d = now.get(p, (ZERO, ZERO))
        out.append(MonthTotal(p, n, n - old_by_month.get(p, ZERO) - d + new_by_month[p]))
    return out
