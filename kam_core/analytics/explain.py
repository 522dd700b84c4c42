"""What changed, and where: a change in revenue / gross profit / volume split by member.

For a current window and a base window (the same months a year earlier, or the preceding
window of equal length), every member of a dimension (account, region, province, channel,
SKU, category, store, KAM) gets ``before``, ``after`` and ``change = after − before``. The
members' changes add up **exactly** to the total change: sums are DECIMAL in DuckDB and
stay ``Decimal`` here. Members that only appear in the current window are ``new``, those
only in the base window ``lost``; the rest ``continuing``. Order: continuing members by the
size of their change (largest first), then new, then lost — each by size.

The breakdown is always computed; whether the *growth* of the total is an honest figure is a
separate question answered by :mod:`kam_core.coverage` and returned alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from kam_core import coverage as cv
from kam_core.analytics.pareto import DIMENSIONS, METRICS
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.filters import Filters
from kam_core.i18n import t
from kam_core.memo import Memo, data_key
from kam_core.summary import CUBE_DIMS

BASES = ("yoy", "mom")
STATUSES = ("continuing", "new", "lost")
ZERO = Decimal(0)
OTHERS = "\0others"  # the member top_with_others folds the rest into


@dataclass(frozen=True)
class Member:
    member: str | None  # None: lines without a value for the dimension
    before: Decimal
    after: Decimal
    status: str

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Breakdown:
    metric: str
    by: str
    current: tuple[date, date]
    base: tuple[date, date]
    vs: str
    before: Decimal
    after: Decimal
    members: list[Member] = field(default_factory=list)
    comparison: cv.Comparison | None = None

    @property
    def total_change(self) -> Decimal:
        return self.after - self.before

    @property
    def growth(self) -> float | None:
        """Relative change of the total, only when both windows hold complete data."""
        if self.comparison is None or not self.comparison.ok or self.before == 0:
            return None
        return float(self.total_change / abs(self.before))

    def share_of_change(self, m: Member) -> float | None:
        return None if self.total_change == 0 else float(m.change / self.total_change)

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "metric": self.metric,
            "by": self.by,
            "vs": self.vs,
            "from": f"{self.current[0]:%Y-%m}",
            "to": f"{self.current[1]:%Y-%m}",
            "base_from": f"{self.base[0]:%Y-%m}",
            "base_to": f"{self.base[1]:%Y-%m}",
            "before": self.before,
            "after": self.after,
            "total_change": self.total_change,
            "growth": self.growth,
            "comparable": bool(self.comparison and self.comparison.ok),
            "note": self.comparison.message(lang) if self.comparison else None,
            "members": [
                {
                    "member": m.member,
                    "before": m.before,
                    "after": m.after,
                    "change": m.change,
                    "share_of_change": self.share_of_change(m),
                    "status": m.status,
                }
                for m in self.members
            ],
        }  # fmt: skip


def base_window(current: Filters, vs: str) -> Filters:
    if vs not in BASES:
        raise UserError("explain.err.vs", vs=vs, known=", ".join(BASES))
    return current.year_before() if vs == "yoy" else current.preceding()


def _member_rows(db: Database, f: Filters, by: str, metric: str, vs: str,
                 account: str | None) -> tuple[Filters, list[tuple]]:  # fmt: skip
    """(base window, one row per member in the breakdown's order: member, before, after, change as exact
    decimal text, status). The order and the status are computed in DuckDB on the exact DECIMAL sums."""
    if by not in DIMENSIONS:
        raise UserError("explain.err.by", by=by, known=", ".join(DIMENSIONS))
    if metric not in METRICS:
        raise UserError("explain.err.metric", metric=metric, known=", ".join(METRICS))
    if not f.has_period():
        raise UserError("explain.err.period")
    base = base_window(f, vs)
    col, val = DIMENSIONS[by], METRICS[metric]
    where, params = f.without_period().where("s")
    acc_cond, acc_params = ("AND s.account = ?", [account]) if account else ("", [])
    lo, hi = min(base.start, f.start), max(base.end, f.end)  # type: ignore[type-var]
    # Dimensions of the cube are read there (the same sums to the last digit, and its line counts);
    # store, SKU and category only exist on the lines.
    table, n = ("sales_cube", "s.lines") if col in CUBE_DIMS else ("sales", "1")
    # The sums come back as text: DuckDB hands 100 000 DECIMALs to Python far more slowly than strings,
    # and Decimal(text) is the same number with the same digits (scale 4). The order — continuing, new,
    # lost; each by the size of its change, largest first; then by name, "no value" last — is that of
    # Python's sort on (status, -|change|, name is None, name): VARCHAR compares by code point in both.
    rows = db.rows(
        f"""WITH m AS (
            SELECT s.{col} AS member,
                   coalesce(sum(s.{val}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS before,
                   coalesce(sum(s.{val}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS after,
                   coalesce(sum({n}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS n_before,
                   coalesce(sum({n}) FILTER (WHERE s.period BETWEEN ? AND ?), 0) AS n_after
            FROM {table} s
            WHERE s.period BETWEEN ? AND ? AND {where} {acc_cond}
              AND (s.period BETWEEN ? AND ? OR s.period BETWEEN ? AND ?)
            GROUP BY 1),
        r AS (SELECT member, before, after, after - before AS change,
                     CASE WHEN n_before = 0 THEN 1 WHEN n_after = 0 THEN 2 ELSE 0 END AS status
              FROM m)
        SELECT member, before::VARCHAR, after::VARCHAR, change::VARCHAR, status FROM r
        ORDER BY status, abs(change) DESC, member IS NULL, member""",  # noqa: S608 - names from fixed dictionaries
        [base.start, base.end, f.start, f.end, base.start, base.end, f.start, f.end, lo, hi, *params, *acc_params,
         base.start, base.end, f.start, f.end],
    )  # fmt: skip
    return base, rows


def _comparison(db: Database, f: Filters, base: Filters, vs: str) -> cv.Comparison:
    return cv.compare(db, f.months(), base.months(), "prior_year" if vs == "yoy" else "preceding")


def breakdown(db: Database, f: Filters, by: str = "account", metric: str = "revenue", vs: str = "yoy",
              account: str | None = None) -> Breakdown:  # fmt: skip
    """The change of ``metric`` between the base window and ``f``'s window, member by member.

    ``f`` needs a complete period (start and end); its region / channel / KAM selections apply
    to both windows, as does ``account`` (to explain one account's change, e.g. by SKU).
    """
    base, rows = _member_rows(db, f, by, metric, vs, account)
    members = [Member(None if m is None else str(m), Decimal(b), Decimal(a), STATUSES[s]) for m, b, a, _, s in rows]
    return Breakdown(
        metric, by, (f.start, f.end), (base.start, base.end), vs,  # type: ignore[arg-type]
        sum((m.before for m in members), ZERO), sum((m.after for m in members), ZERO), members,
        _comparison(db, f, base, vs),
    )  # fmt: skip


@dataclass(frozen=True)
class View:
    """What a page draws of a breakdown, without one object per member (100 000 accounts):
    ``head`` (the totals and windows, no members), ``n`` members, the waterfall's ``steps``
    (the largest changes, the rest as "others"), the exact ``subtotals`` and ``frame`` — one row per member in
    the breakdown's order: member (label), before, after, change (floats), share_of_change
    (float or NaN when the total did not change), status (code), status_label."""

    head: Breakdown
    n: int
    steps: list[Member]
    subtotals: dict[str, Decimal]
    frame: pd.DataFrame


# A page's views and the account list, kept in the database file too (kam_core.derived): the first view after a
# change is computed once for every process.
_VIEW_MEMO = Memo(4, persist="explain.view")
_ACCOUNTS_MEMO = Memo(2, persist="explain.accounts")


def view(db: Database, f: Filters, by: str = "account", metric: str = "revenue", vs: str = "yoy",
         account: str | None = None, lang: str = "en", top: int = 12) -> View:  # fmt: skip
    """:func:`breakdown` for a page: the same totals, order, steps and subtotals to the last digit
    (tests/test_explain.py compares them), the members as columns. Remembered per data version."""
    key = (*data_key(db), f, by, metric, vs, account, top)
    v = _VIEW_MEMO.get(key, lambda: _view(db, f, by, metric, vs, account, top), db)
    # the words of this language: "(none)" for lines without a value, the statuses
    member, status = v.frame["member"], v.frame["status"]
    labels = {s: t(f"explain.status.{s}", lang) for s in STATUSES}
    frame = v.frame.assign(
        member=member.where(member.notna(), t("explain.none", lang)) if len(member) else member,
        status_label=status.map(labels) if len(status) else status,
    )
    return replace(v, frame=frame)


def _view(db: Database, f: Filters, by: str, metric: str, vs: str, account: str | None, top: int) -> View:
    base, rows = _member_rows(db, f, by, metric, vs, account)
    member, before, after, change, status = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 5
    status_a = np.array(status, dtype=np.int64)
    dec_before, dec_after = [Decimal(x) for x in before], [Decimal(x) for x in after]
    total_before, total_after = sum(dec_before, ZERO), sum(dec_after, ZERO)
    head = Breakdown(metric, by, (f.start, f.end), (base.start, base.end), vs,  # type: ignore[arg-type]
                     total_before, total_after, [], _comparison(db, f, base, vs))  # fmt: skip
    subtotals = dict.fromkeys(STATUSES, ZERO)
    for i, s in enumerate(STATUSES):
        idx = np.flatnonzero(status_a == i).tolist()
        subtotals[s] = sum((dec_after[j] for j in idx), ZERO) - sum((dec_before[j] for j in idx), ZERO)
    change_f = np.array(change, dtype=object).astype(float) if rows else np.zeros(0)
    steps = _steps(member, dec_before, dec_after, status, change_f, top)
    total = total_after - total_before
    share = change_f / float(total) if total != 0 else np.full(len(rows), np.nan)
    frame = pd.DataFrame({
        "member": pd.Series([None if m is None else str(m) for m in member], dtype=object),
        "before": np.array(before, dtype=object).astype(float) if rows else np.zeros(0),
        "after": np.array(after, dtype=object).astype(float) if rows else np.zeros(0),
        "change": change_f, "share_of_change": share,
        "status": pd.Series([STATUSES[s] for s in status], dtype=object), "status_label": "",
    })  # fmt: skip
    return View(head, len(rows), steps, subtotals, frame)


def _steps(member: list, before: list[Decimal], after: list[Decimal], status: list[int], change_f: np.ndarray,
           n: int) -> list[Member]:  # fmt: skip
    """The waterfall's steps: the ``n`` largest |change| (exact; ties in breakdown order),
    the rest folded into "others". Floats only narrow the candidates: rounding to float keeps order
    (a < b ⇒ float(a) ≤ float(b)), so the n largest are among those whose float is at least the n-th
    largest float."""
    size = np.abs(change_f)
    if len(size) > n:
        cut = np.partition(size, len(size) - n)[len(size) - n]
        cand = np.flatnonzero(size >= cut).tolist()
    else:
        cand = list(range(len(size)))
    cand.sort(key=lambda i: (-abs(after[i] - before[i]), i))
    top = cand[:n]

    def make(i: int) -> Member:
        return Member(None if member[i] is None else str(member[i]), before[i], after[i], STATUSES[status[i]])

    steps = [make(i) for i in top]
    if len(size) <= n:
        return steps
    rest_before = sum(before, ZERO) - sum((before[i] for i in top), ZERO)
    rest_after = sum(after, ZERO) - sum((after[i] for i in top), ZERO)
    return [*steps, Member(OTHERS, rest_before, rest_after, "others")]


def member_label(m: Member, lang: str = "en") -> str:
    """A member's name for people: "(none)" for lines without a value, "others" for the folded rest."""
    if m.member is None:
        return t("explain.none", lang)
    return t("explain.others", lang) if m.member == OTHERS and m.status == "others" else m.member


def accounts(db: Database) -> list[str]:
    """Every account with a sales line, by name (the page's account choice)."""

    # account_stores holds every (account, store) sold through: the same accounts, far fewer rows
    def build() -> list[str]:
        return [str(r[0]) for r in db.rows("SELECT DISTINCT account FROM account_stores ORDER BY 1")]

    return list(_ACCOUNTS_MEMO.get(data_key(db), build, db))


def link(metric: str, start: date, end: date, vs: str = "yoy", by: str = "account", account: str | None = None,
         f: Filters | None = None) -> str:  # fmt: skip
    """The change-breakdown page's address for this question (``f``'s region / channel / KAM selections kept)."""
    q: list[tuple[str, object]] = [("metric", metric), ("by", by), ("from", f"{start:%Y-%m}"), ("to", f"{end:%Y-%m}"),
                                   ("vs", vs)]  # fmt: skip
    if account:
        q.append(("account", account))
    if f is not None:
        q += [("region", r) for r in f.regions] + [("channel", c) for c in f.channels] + [("kam", k) for k in f.kams]
    return "/explain?" + urlencode(q)
