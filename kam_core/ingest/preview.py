"""Preview (dry run) of an upload: what a commit would load, replace and change. Writes nothing.

The result is a :class:`Preview`; the commit returns the same object with ``upload_id``,
``rows_loaded`` and ``demo_removed`` filled in. ``Preview.to_json()`` gives the fields of
``import --json`` (spec §9).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import starmap
from typing import Any

import pyarrow as pa

from kam_core.db import Database
from kam_core.geo import DEFAULT_REGION_OF, REGIONS
from kam_core.ingest.errors import IngestError
from kam_core.ingest.stage import Staged
from kam_core.ingest.validate import Identity, rejected_rows

ZERO = Decimal(0)
# Amounts are stored as DECIMAL(18,4): an upload's total (and a database total) must stay below this.
MAX_TOTAL = Decimal("1e14")
SCOPES = ("pairs", "months")
# ``months`` is suggested when, in every month of the file that already holds data, the file has at
# least this share of the accounts stored for that month (a complete re-export of those months) and
# some stored account of those months is missing from it (otherwise both scopes do the same).
SUGGEST_MONTHS_SHARE = 0.8
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

    @property
    def delta(self) -> Decimal:
        return self.new_revenue - self.old_revenue

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(), "account": self.account, "old_revenue": float(self.old_revenue),
            "new_revenue": float(self.new_revenue), "old_rows": self.old_rows, "new_rows": self.new_rows,
        }  # fmt: skip

    def change_json(self) -> dict[str, Any]:
        """As in ``changed_pairs``: revenue = the new revenue, before = the stored one."""
        return {"period": self.period.isoformat(), "account": self.account, "revenue": float(self.new_revenue),
                "before": float(self.old_revenue)}  # fmt: skip


@dataclass(frozen=True)
class PairValue:
    """One (period, account) and its revenue: a new pair of the file, or a stored one the file does not contain."""

    period: date
    account: str
    revenue: Decimal
    rows: int

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.isoformat(), "account": self.account, "revenue": float(self.revenue)}


@dataclass(frozen=True)
class ValueCount:
    """A value of a column (a province or region the app does not know): how many lines, how much revenue."""

    value: str
    rows: int
    revenue: Decimal

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "rows": self.rows, "revenue": float(self.revenue)}


@dataclass(frozen=True)
class MonthThrough:
    """Last date seen in one month of the file (None when the file gives months only)."""

    period: date
    data_through: date | None

    def to_json(self) -> dict[str, Any]:
        d = self.data_through
        return {"period": self.period.isoformat(), "data_through": d.isoformat() if d else None}


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
    demo_revenue: Decimal  # removed with the demo (0 when it stays or is absent); not part of ``change``
    scope: str = "pairs"  # pairs: the file's (month, account) pairs are replaced; months: every row of its months
    suggested_scope: str = "pairs"
    coverage: float | None = None  # lowest share, over the file's months holding data, of stored accounts in the file
    changed: list[ReplacedPair] = field(default_factory=list)  # replaced pairs whose revenue changes, largest first
    unchanged: int = 0  # replaced pairs with the same revenue
    new_pairs: Sequence[PairValue] = field(default_factory=list)  # pairs with no stored row yet
    absent: list[PairValue] = field(default_factory=list)  # stored pairs of the file's months missing from the file
    absent_rows: int = 0
    absent_revenue: Decimal = ZERO
    through: list[MonthThrough] = field(default_factory=list)
    foreign_provinces: list[ValueCount] = field(default_factory=list)  # not a Chinese province: kept, no region
    unknown_regions: list[ValueCount] = field(default_factory=list)  # region column values not one of our regions

    @property
    def kept(self) -> list[PairValue]:
        """Stored pairs of the file's months the commit keeps (none under ``months``: it removes them)."""
        return self.absent if self.scope == "pairs" else []

    @property
    def removed(self) -> list[PairValue]:
        return self.absent if self.scope == "months" else []

    def to_json(self) -> dict[str, Any]:
        months = self.scope == "months"
        return {
            "months": [m.to_json() for m in self.months], "periods": [p.isoformat() for p in self.periods],
            "accounts": self.accounts, "accounts_new": self.accounts_new, "accounts_known": self.accounts_known,
            "revenue": float(self.revenue), "replaced": [r.to_json() for r in self.replaced],
            "replaced_revenue": float(self.replaced_revenue), "total_before": float(self.total_before),
            "total_after": float(self.total_after), "change": float(self.change), "demo_present": self.demo_present,
            "demo_revenue": float(self.demo_revenue), "replace_scope": self.scope,
            "suggested_scope": self.suggested_scope, "coverage": self.coverage,
            "changed_pairs": [r.change_json() for r in self.changed], "unchanged_pairs": self.unchanged,
            "new_pairs": [x.to_json() for x in self.new_pairs], "kept_pairs": [x.to_json() for x in self.kept],
            "removed_pairs": [x.to_json() for x in self.removed], "removed_rows": self.absent_rows if months else 0,
            "removed_revenue": float(self.absent_revenue) if months else 0.0,
            "data_through": [m.to_json() for m in self.through],
            "foreign_provinces": [v.to_json() for v in self.foreign_provinces],
            "unknown_regions": [v.to_json() for v in self.unknown_regions],
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
    rejected: list[dict[str, Any]]  # the first validate.MAX_LISTED; ``all_rejected()`` gives every one
    warnings: list[dict[str, Any]]
    warning_count: int
    notes: list[str]
    mapping: dict[str, str]
    duplicate_of: Duplicate | None
    sales: SalesChange | None = None
    master: MasterChange | None = None
    rejected_revenue: Decimal | None = None  # revenue the rejected lines carry, where it can be read
    identity: Identity | None = None
    # filled in by the commit
    upload_id: int | None = None
    rows_loaded: int = 0
    demo_removed: bool | None = None
    # every rejected row, read from the staging table while the file is staged
    _all_rejected: Callable[[], list[dict[str, Any]]] | None = field(default=None, repr=False, compare=False)

    def all_rejected(self) -> list[dict[str, Any]]:
        """Every rejected row (the page shows ``rejected``, the first ones; reports and JSON carry all)."""
        return self._all_rejected() if self._all_rejected is not None else self.rejected

    def to_json(self) -> dict[str, Any]:
        """The fields of ``import --json``, in their order; Decimals as (unrounded) numbers."""
        rr = self.rejected_revenue
        out: dict[str, Any] = {
            "file": self.file, "kind": self.kind, "format": self.format, "sheet": self.sheet, "sha256": self.sha256,
            "rows_read": self.rows_read, "rows_valid": self.rows_valid, "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected, "rows_summary": self.rows_summary, "rejected": self.all_rejected(),
            "warnings": self.warnings, "warning_count": self.warning_count, "notes": self.notes,
            "mapping": self.mapping, "duplicate_of": self.duplicate_of.to_json() if self.duplicate_of else None,
            "rejected_revenue": float(rr) if rr is not None else None,
        }  # fmt: skip
        if self.sales is not None:
            out.update(self.sales.to_json())
        if self.master is not None:
            out.update(self.master.to_json())
        out["identity"] = self.identity.to_json() if self.identity else None
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
    """(period, account, revenue, rows) of the valid lines, exact decimals (computed once per staged file), in no
    particular order: every reader joins, groups or sorts it itself."""
    if "pairs" not in st.cache:  # ``parsed`` never changes once staged; preview and commit both need this
        st.cache["pairs"] = st.con.sql(
            """SELECT period, account, sum(CAST(revenue AS DECIMAL(18,4))) AS revenue, count(*) AS rows
               FROM parsed WHERE NOT _bad AND NOT _summary GROUP BY period, account"""
        ).to_arrow_table()
    return st.cache["pairs"]


def preview(db: Database, st: Staged, remove_demo: bool = True, scope: str = "pairs") -> Preview:
    """Dry run: what the commit would do. Reads the database, writes nothing.

    With ``remove_demo`` (the default) and the demo dataset still loaded, the demo rows are
    counted as removed, not as replaced. ``scope``: ``pairs`` replaces the (month, account)
    pairs of the file, ``months`` every stored sales row of the file's months.

    Kept with the staged file until the data changes (the data version): the page's reruns, and the commit
    right after a preview (the command line), do not compute it again.
    """
    if scope not in SCOPES:
        raise IngestError("upload.err.scope", scope=scope, scopes=", ".join(SCOPES))
    key = (db.data_version(), remove_demo, scope)
    hit = st.cache.get("preview")
    if hit is not None and hit[0] is db and hit[1] == key:
        return hit[2]
    c = st.checked
    sales = _sales_change(db, st, remove_demo, scope) if st.kind == "sales" else None
    master = _master_change(db, st) if st.kind != "sales" else None
    p = Preview(
        file=st.src.file_name, kind=st.kind, format=st.src.format_label, sheet=st.src.sheet, sha256=st.src.sha256,
        rows_read=c.rows_read, rows_valid=c.rows_valid, rows_rejected=c.rows_rejected, rows_summary=c.rows_summary,
        rejected=c.rejected, warnings=c.warnings, warning_count=c.warning_count, notes=c.notes,
        mapping=st.mapping.fields, duplicate_of=duplicate_of(db, st.src.sha256, st.kind), sales=sales, master=master,
        rejected_revenue=c.rejected_revenue, identity=c.identity,
        _all_rejected=(lambda: rejected_rows(st.con)) if c.rows_rejected > len(c.rejected) else None,
    )  # fmt: skip
    st.cache["preview"] = (db, key, p)
    return p


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


def _sales_change(db: Database, st: Staged, remove_demo: bool, scope: str = "pairs") -> SalesChange:
    """Replaced / new / absent pairs, new / known accounts and totals per month, from the (period, account) sums."""
    cur = db.cursor()
    try:
        cur.register("incoming_pairs", incoming_pairs(st))
        demo_ids = active_demo_ids(cur)
        skip = demo_ids if remove_demo else []  # demo rows removed, not replaced
        # from the (period, account) sums, not another pass over the rows: decimal sums are exact
        new_by_month = dict(cur.execute("SELECT period, sum(revenue) FROM incoming_pairs GROUP BY period").fetchall())
        accounts = sorted(r[0] for r in cur.execute("SELECT DISTINCT account FROM incoming_pairs").fetchall())
        replaced = _replaced_pairs(cur, skip)
        new_pairs = _new_pairs(cur, skip)
        absent = _absent_pairs(cur, skip)
        coverage = _coverage(cur, skip)
        known = _known_accounts(cur, skip)
        total_before = cur.execute("SELECT coalesce(sum(revenue), 0) FROM sales_cube").fetchone()[0]
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
    biggest = max([abs(new_total), abs(total_before), *(abs(v) for v in new_by_month.values())], default=ZERO)
    if biggest >= MAX_TOTAL or abs(total_before - old_total + new_total) >= MAX_TOTAL:
        col = st.mapping.fields.get("revenue", "revenue")
        top = f"{MAX_TOTAL - Decimal('0.0001'):,.4f}"
        raise IngestError("upload.err.total_too_large", file=st.src.file_name, column=col,
                          total=f"{new_total:,.2f}", limit=top)  # fmt: skip
    absent_total = sum((x.revenue for x in absent), ZERO)
    gone = absent_total if scope == "months" else ZERO
    suggested = "months" if absent and coverage is not None and coverage >= SUGGEST_MONTHS_SHARE else "pairs"
    changed = sorted((r for r in replaced if r.old_revenue != r.new_revenue),
                     key=lambda r: (-abs(r.delta), r.period, r.account))  # fmt: skip
    return SalesChange(
        months=_months(new_by_month, month_now, replaced, absent if scope == "months" else []),
        periods=sorted(new_by_month),
        accounts=accounts,
        accounts_new=[a for a in accounts if a not in known],
        accounts_known=[a for a in accounts if a in known],
        revenue=new_total,
        replaced=replaced,
        replaced_revenue=old_total,
        total_before=total_before,
        total_after=total_before - old_total - gone + new_total - demo_rev,
        change=new_total - old_total - gone,
        demo_present=bool(demo_ids),
        demo_revenue=demo_rev,
        scope=scope,
        suggested_scope=suggested,
        coverage=coverage,
        changed=changed,
        unchanged=len(replaced) - len(changed),
        new_pairs=new_pairs,
        absent=absent,
        absent_rows=sum(x.rows for x in absent),
        absent_revenue=absent_total,
        through=month_through(st),
        foreign_provinces=_foreign_provinces(st),
        unknown_regions=_unknown_regions(st),
    )


def _stored(skip: list[int]) -> tuple[str, list]:
    """The stored lines outside the ``skip`` uploads as rows (period, account, revenue, lines), and the
    parameters of that relation: the cube when nothing is skipped (its sums and line counts by month and
    account are those of the lines, exactly, in fewer rows ordered by month), else the lines themselves."""
    if not skip:
        return "(SELECT period, account, revenue, lines FROM sales_cube)", []
    sql = "(SELECT period, account, revenue, 1 AS lines FROM sales WHERE upload_id NOT IN (SELECT unnest(?::BIGINT[])))"
    return sql, [skip]


def _new_pairs(cur: Any, skip: list[int]) -> Sequence[PairValue]:
    """Pairs of the file with no stored row (outside ``skip`` uploads), largest revenue first."""
    stored, params = _stored(skip)
    return _Rows(cur.sql(
        f"""SELECT p.period, p.account, p.revenue, p.rows FROM incoming_pairs p
            ANTI JOIN {stored} s ON s.period = p.period AND s.account = p.account
            ORDER BY abs(p.revenue) DESC, p.period, p.account""",  # noqa: S608 - fixed relations
        params=params,
    ).to_arrow_table())  # fmt: skip


class _Rows(Sequence[PairValue]):
    """The :class:`PairValue` rows of a query result, made when first read: a file of 200 000 new pairs
    makes none unless someone reads them (the commit and the page's counts do not)."""

    def __init__(self, table: pa.Table) -> None:
        self._table, self._rows = table, None

    def _all(self) -> list[PairValue]:
        if self._rows is None:
            self._rows = list(starmap(PairValue, zip(*(c.to_pylist() for c in self._table.columns), strict=True)))
        return self._rows

    def __len__(self) -> int:
        return self._table.num_rows

    def __getitem__(self, i: Any) -> Any:  # an int or a slice, as a list takes
        return self._all()[i]

    def __iter__(self) -> Iterator[PairValue]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._all())


def _absent_pairs(cur: Any, skip: list[int]) -> list[PairValue]:
    """Stored pairs of the file's months that the file does not contain, largest revenue first."""
    stored, params = _stored(skip)
    rows = cur.execute(
        f"""SELECT s.period, s.account, sum(s.revenue) AS revenue, sum(s.lines)::BIGINT AS n FROM {stored} s
            ANTI JOIN incoming_pairs p ON s.period = p.period AND s.account = p.account
            WHERE s.period IN (SELECT DISTINCT period FROM incoming_pairs)
            GROUP BY s.period, s.account ORDER BY abs(sum(s.revenue)) DESC, s.period, s.account""",  # noqa: S608
        params,
    ).fetchall()
    return list(starmap(PairValue, rows))  # a BIGINT is an int already


def _coverage(cur: Any, skip: list[int]) -> float | None:
    """Lowest share, over the file's months that hold data, of the stored accounts the file contains."""
    stored, params = _stored(skip)
    v = cur.execute(
        f"""SELECT min(n_in / n_all) FROM (
                SELECT s.period, count(DISTINCT s.account) AS n_all,
                       count(DISTINCT s.account) FILTER (WHERE p.account IS NOT NULL) AS n_in
                FROM {stored} s LEFT JOIN incoming_pairs p ON s.period = p.period AND s.account = p.account
                WHERE s.period IN (SELECT DISTINCT period FROM incoming_pairs)
                GROUP BY s.period)""",  # noqa: S608 - fixed relations
        params,
    ).fetchone()[0]
    return None if v is None else float(v)


def month_through(st: Staged) -> list[MonthThrough]:
    """Per month of the file's valid lines, the last full date seen (None when it gives months only)."""
    if "through" not in st.cache:
        have = {r[0] for r in st.con.execute("SELECT column_name FROM (DESCRIBE parsed)").fetchall()}
        day = "max(period_day)" if "period_day" in have else "NULL::DATE"
        rows = st.con.execute(
            f"SELECT period, {day} FROM parsed WHERE NOT _bad AND NOT _summary GROUP BY period ORDER BY period"  # noqa: S608
        ).fetchall()
        st.cache["through"] = [MonthThrough(p, d) for p, d in rows]
    return st.cache["through"]


def _value_counts(st: Staged, col: str, known: list[str]) -> list[ValueCount]:
    """Values of ``col`` in the valid lines outside ``known``, most lines first."""
    st.con.register("known_values", pa.table({"v": pa.array(known, pa.string())}))
    try:
        rows = st.con.execute(
            f"""SELECT {col}, count(*), coalesce(sum(revenue), 0) FROM parsed
                WHERE NOT _bad AND NOT _summary AND {col} IS NOT NULL AND {col} NOT IN (SELECT v FROM known_values)
                GROUP BY 1 ORDER BY 2 DESC, 1"""  # noqa: S608
        ).fetchall()
    finally:
        st.con.unregister("known_values")
    return [ValueCount(v, int(n), r) for v, n, r in rows]


def _foreign_provinces(st: Staged) -> list[ValueCount]:
    """Province values that are not a Chinese province (US states, countries …): kept as written, no region."""
    if "province" not in st.mapping.fields:
        return []
    if "foreign" not in st.cache:
        st.cache["foreign"] = _value_counts(st, "province", list(DEFAULT_REGION_OF))
    return st.cache["foreign"]


def _unknown_regions(st: Staged) -> list[ValueCount]:
    """Values of the file's own region column that are none of our regions: kept as written."""
    if "region" not in st.mapping.fields:
        return []
    if "unknown_regions" not in st.cache:
        st.cache["unknown_regions"] = _value_counts(st, "region", list(REGIONS))
    return st.cache["unknown_regions"]


def _replaced_pairs(cur: Any, skip: list[int]) -> list[ReplacedPair]:
    """The (period, account) pairs of the file that already have sales rows (outside ``skip`` uploads)."""
    stored, params = _stored(skip)
    rows = cur.execute(
        f"""SELECT o.period, o.account, o.old_revenue, o.old_rows, p.revenue, p.rows FROM (
                SELECT s.period, s.account, sum(s.revenue) AS old_revenue, sum(s.lines) AS old_rows
                FROM {stored} s SEMI JOIN incoming_pairs p ON s.period = p.period AND s.account = p.account
                GROUP BY ALL) o
            JOIN incoming_pairs p ON o.period = p.period AND o.account = p.account
            ORDER BY o.period, o.account""",  # noqa: S608 - fixed relations
        params,
    ).fetchall()
    return [ReplacedPair(p, a, old, new, int(old_n), int(new_n)) for p, a, old, old_n, new, new_n in rows]


def _known_accounts(cur: Any, skip: list[int]) -> set[str]:
    """Accounts of the file already in the master or in sales (rows of ``skip`` uploads do not count; with
    none skipped, the accounts with sales are those of the store footprint)."""
    sold = ("SELECT account FROM account_stores" if not skip else
            "SELECT DISTINCT account FROM sales WHERE upload_id NOT IN (SELECT unnest(?::BIGINT[]))")  # fmt: skip
    rows = cur.execute(
        f"""SELECT DISTINCT account FROM incoming_pairs WHERE account IN (SELECT account FROM accounts
            WHERE coalesce(upload_id, -1) NOT IN (SELECT unnest(?::BIGINT[]))) OR account IN ({sold})""",  # noqa: S608
        [skip, skip] if skip else [skip],
    ).fetchall()
    return {r[0] for r in rows}


def _month_now(cur: Any, skip: list[int]) -> dict[date, tuple[Decimal, Decimal]]:
    """Per month of the file: revenue in the database now (from the cube), and how much of it belongs to
    ``skip`` uploads (from their lines)."""
    months = "period IN (SELECT DISTINCT period FROM incoming_pairs)"
    now = cur.execute(f"SELECT period, sum(revenue) FROM sales_cube WHERE {months} GROUP BY period").fetchall()  # noqa: S608
    demo = dict(cur.execute(
        f"""SELECT period, sum(revenue) FROM sales WHERE {months}
            AND upload_id IN (SELECT unnest(?::BIGINT[])) GROUP BY period""",  # noqa: S608
        [skip],
    ).fetchall()) if skip else {}  # fmt: skip
    return {p: (n, demo.get(p, ZERO)) for p, n in now}


def _months(
    new_by_month: dict[date, Decimal],
    now: dict[date, tuple[Decimal, Decimal]],
    replaced: list[ReplacedPair],
    removed: list[PairValue],
) -> list[MonthTotal]:
    """Before / after per month: now − replaced − removed (scope months) − demo removed + the file's revenue."""
    old_by_month: dict[date, Decimal] = {}
    for r in replaced:
        old_by_month[r.period] = old_by_month.get(r.period, ZERO) + r.old_revenue
    for x in removed:
        old_by_month[x.period] = old_by_month.get(x.period, ZERO) + x.revenue
    out = []
    for p in sorted(new_by_month):
        n, d = now.get(p, (ZERO, ZERO))
        out.append(MonthTotal(p, n, n - old_by_month.get(p, ZERO) - d + new_by_month[p]))
    return out
