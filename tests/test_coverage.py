"""Coverage: which months hold data, partial months, and when two windows can be compared."""

from __future__ import annotations

from datetime import date

from kam_core import coverage as cv
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import add_sales


def _months(db: Database, months: list[str]) -> None:
    add_sales(db, [(m, "A", "East", "hypermarket", 100, 10, "Li") for m in months])


def test_prior_year_with_one_month_of_data_is_not_comparable(empty_db: Database) -> None:
    _months(empty_db, ["2025-12", *(f"2026-{m:02d}" for m in range(1, 13))])
    f = Filters(start=date(2026, 1, 1), end=date(2026, 12, 1))
    c = cv.compare_year_before(empty_db, f)
    assert not c.ok and c.base.n == 12 and c.base.n_with_data == 1
    assert c.message("en") == "prior year: data for 1 of 12 months"
    assert c.message("zh") == "去年同期：12 个月中仅 1 个月有数据"
    assert cv.compare_month_before(empty_db, date(2026, 1, 1)).ok
    assert cv.compare_preceding(empty_db, Filters(start=date(2026, 7, 1), end=date(2026, 12, 1))).ok
    assert not cv.compare_preceding(empty_db, f).ok


def test_full_windows_compare(empty_db: Database) -> None:
    _months(empty_db, [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)])
    c = cv.compare_year_before(empty_db, Filters(start=date(2026, 1, 1), end=date(2026, 12, 1)))
    assert c.ok and c.reason is None and c.message() is None


def test_a_month_ending_early_is_partial(empty_db: Database) -> None:
    _months(empty_db, ["2026-11", "2026-12"])
    uid = empty_db.scalar("SELECT max(id) FROM uploads")
    with empty_db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, DATE '2026-12-01', DATE '2026-12-09'), "
                    "(?, DATE '2026-11-01', DATE '2026-11-24')", [uid, uid])  # fmt: skip
    assert cv.partial_through(empty_db, date(2026, 12, 1)) == date(2026, 12, 9)
    assert cv.partial_through(empty_db, date(2026, 11, 1)) is None  # 24 Nov: within the last week
    c = cv.compare_month_before(empty_db, date(2026, 12, 1))
    assert not c.ok and c.message() == "2026-12 is partial: data through 2026-12-09"
    # a rolled-back upload's dates no longer count
    with empty_db.transaction("t", "test") as cur:
        cur.execute("UPDATE uploads SET status = 'rolled_back' WHERE id = ?", [uid])
    assert cv.partial_through(empty_db, date(2026, 12, 1)) is None
