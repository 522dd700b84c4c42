"""Which months hold data, and whether two windows can be compared honestly.

A growth figure (YoY, MoM, growth against a preceding window) is shown only when both
windows have data for every month compared; otherwise the comparison says how many months
the other window holds ("prior year: data for 1 of 12 months") and gives no percentage.

Coverage is a property of the data set, not of a selection: a month "has data" when any
sales line of that month is stored. (A region or an account without sales in a month that
has data is a real zero; a month with no upload at all is missing data.)

A month is **partial** when the uploads that hold it carried full dates and the last date
seen ends before the month's last week (``PARTIAL_DAYS``): "data through 9 Dec". The last
date per (upload, month) is stored by ingest in ``upload_periods`` (migration V4).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from kam_core.filters import Filters, add_months, month_range

PARTIAL_DAYS = 7  # data ending more than this many days before the month's end → partial


def months_with_data(db) -> set[date]:
    """Months (first days) with at least one stored sales line.

    Read from ``sales_coverage`` (kam_core.summary: one row per month × region × channel × KAM that
    holds a line), a few hundred rows instead of every line: the same set of months."""
    return {_d(r[0]) for r in db.rows("SELECT DISTINCT period FROM sales_coverage")}


def data_through(db, have: set[date] | None = None) -> dict[date, date]:
    """Last date seen per month, from the active uploads that carried full dates.

    Only months that still hold sales count; ``have`` (``months_with_data``) saves a second scan.
    """
    rows = db.rows(
        """SELECT up.period, max(up.data_through) FROM upload_periods up
           JOIN uploads u ON u.id = up.upload_id
           WHERE u.status = 'active' AND up.data_through IS NOT NULL
           GROUP BY up.period"""
    )
    have = months_with_data(db) if have is None else have
    return {_d(p): _d(d) for p, d in rows if _d(p) in have}


@dataclass(frozen=True)
class DataMonths:
    """Which months hold data and where partial months end: read once, passed to every comparison."""

    have: frozenset[date]
    through: dict[date, date] = field(default_factory=dict)

    def partial(self, month: date) -> date | None:
        return partial_through(None, month, self.through)


def data_months(db) -> DataMonths:
    """One ``SELECT DISTINCT period FROM sales`` (and the small upload_periods table) per call."""
    have = months_with_data(db)
    return DataMonths(frozenset(have), data_through(db, have))


def month_end(m: date) -> date:
    return date(m.year, m.month, calendar.monthrange(m.year, m.month)[1])


def partial_through(db, month: date, through: dict[date, date] | None = None) -> date | None:
    """The last date of ``month``'s data when the month is partial, else None."""
    through = data_through(db) if through is None else through  # db only read without ``through``
    d = through.get(month)
    if d is None or d >= month_end(month) - timedelta(days=PARTIAL_DAYS - 1):
        return None
    return d


@dataclass(frozen=True)
class Coverage:
    """Months of a window and how many of them hold data; partial months with their last date."""

    months: tuple[date, ...]
    with_data: tuple[date, ...]
    partial: dict[date, date] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.months)

    @property
    def n_with_data(self) -> int:
        return len(self.with_data)

    @property
    def complete(self) -> bool:
        return self.n > 0 and self.n_with_data == self.n and not self.partial


def window_coverage(db, months: list[date], have: set[date] | None = None,
                    through: dict[date, date] | None = None) -> Coverage:  # fmt: skip
    have = months_with_data(db) if have is None else have
    through = data_through(db) if through is None else through
    with_data = tuple(m for m in months if m in have)
    partial = {m: d for m in with_data if (d := partial_through(db, m, through)) is not None}
    return Coverage(tuple(months), with_data, partial)


@dataclass(frozen=True)
class Comparison:
    """Can ``current`` be compared with ``base``? If not, why, as a catalog key with values."""

    ok: bool
    current: Coverage
    base: Coverage
    reason: str | None = None  # catalog key
    values: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str | None:
        from kam_core.i18n import t

        return t(self.reason, lang, **self.values) if self.reason else None


def compare(db, current: list[date], base: list[date], base_kind: str = "prior_year",
            dm: DataMonths | None = None) -> Comparison:  # fmt: skip
    """Both windows need data for every month, and no partial month, to give a growth figure.

    ``base_kind`` names the base window in the message: prior_year, prior_month, preceding.
    ``dm`` (``data_months``) lets a caller comparing several windows read the months once.
    """
    dm = data_months(db) if dm is None else dm
    have, through = set(dm.have), dm.through
    cur = window_coverage(db, current, have, through)
    bas = window_coverage(db, base, have, through)
    if not cur.months or not bas.months:
        return Comparison(False, cur, bas, "coverage.no_window")
    if bas.n == 1 and bas.n_with_data == 0:
        return Comparison(False, cur, bas, f"coverage.{base_kind}_missing", {"month": f"{bas.months[0]:%Y-%m}"})
    if bas.n_with_data < bas.n:
        return Comparison(False, cur, bas, f"coverage.{base_kind}",
                          {"n": bas.n_with_data, "of": bas.n})  # fmt: skip
    if cur.n_with_data < cur.n:
        return Comparison(False, cur, bas, "coverage.current", {"n": cur.n_with_data, "of": cur.n})
    if cur.partial or bas.partial:
        m, d = min({**bas.partial, **cur.partial}.items())
        return Comparison(False, cur, bas, "coverage.partial", {"month": f"{m:%Y-%m}", "date": d.isoformat()})
    return Comparison(True, cur, bas)


def compare_year_before(db, f: Filters, dm: DataMonths | None = None) -> Comparison:
    """The filter's months against the same months a year earlier."""
    return compare(db, f.months(), f.year_before().months(), "prior_year", dm)


def compare_month_before(db, month: date, dm: DataMonths | None = None) -> Comparison:
    return compare(db, [month], [add_months(month, -1)], "prior_month", dm)


def compare_year_before_month(db, month: date, dm: DataMonths | None = None) -> Comparison:
    return compare(db, [month], [add_months(month, -12)], "prior_year", dm)


def compare_preceding(db, f: Filters, dm: DataMonths | None = None) -> Comparison:
    return compare(db, f.months(), f.preceding().months(), "preceding", dm)


def compare_windows(db, current: tuple[date, date], base: tuple[date, date], base_kind: str | None = None,
                    dm: DataMonths | None = None) -> Comparison:  # fmt: skip
    """Two (first month, last month) windows; ``base_kind`` guessed from their positions when not given."""
    if base_kind is None:
        shift = (current[0].year - base[0].year) * 12 + current[0].month - base[0].month
        one_month = current[0] == current[1] and base[0] == base[1]
        base_kind = "prior_year" if shift == 12 else "prior_month" if shift == 1 and one_month else "preceding"
    return compare(db, month_range(*current), month_range(*base), base_kind, dm)


COVERAGE_ATTR = "coverage"


def attach(df, c: Comparison):
    """Keep the comparison's verdict with a frame, in ``df.attrs`` as plain JSON-able values (Streamlit
    serialises a frame's attrs when it draws it; pickling for the page cache keeps them)."""
    df.attrs[COVERAGE_ATTR] = {"ok": c.ok, "reason": c.reason, "values": dict(c.values)}
    return df


def comparable(obj) -> bool:
    """False when ``obj`` (a frame given to ``attach``, or an object with a ``comparison``) is not comparable."""
    attrs = getattr(obj, "attrs", None)
    if isinstance(attrs, dict) and COVERAGE_ATTR in attrs:
        return bool(attrs[COVERAGE_ATTR]["ok"])
    c = getattr(obj, "comparison", None)
    return c.ok if isinstance(c, Comparison) else True


def note(obj, lang: str = "en") -> str | None:
    """Why the growth figures of ``obj`` are not shown (None when they are, or nothing is known)."""
    from kam_core.i18n import t

    attrs = getattr(obj, "attrs", None)
    if isinstance(attrs, dict) and COVERAGE_ATTR in attrs:
        v = attrs[COVERAGE_ATTR]
        return t(v["reason"], lang, **v["values"]) if v["reason"] else None
    c = getattr(obj, "comparison", None)
    return c.message(lang) if isinstance(c, Comparison) else None


def _d(v) -> date:
    return v if type(v) is date else date(v.year, v.month, v.day)


__all__ = [
    "PARTIAL_DAYS", "Comparison", "Coverage", "DataMonths", "attach", "comparable", "compare", "compare_month_before",
    "compare_preceding", "compare_windows", "compare_year_before", "compare_year_before_month",
    "data_months", "data_through", "month_end", "month_range", "months_with_data", "note", "partial_through",
    "window_coverage",
]  # fmt: skip
