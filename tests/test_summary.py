"""The summary tables (kam_core.summary) equal the fact table's aggregates after every write path.

Each test drives one way sales change — an upload (pairs and months scope, over the demo and
over real data), a rollback (with later uploads), the demo, the province → region map, a restore,
the migration of a database from before the summaries — and then compares all three summaries
with the same GROUP BY over ``sales``, row for row (``summary.differences`` is all zeros), and
a few sums to the cent.
"""

from __future__ import annotations

import importlib
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kam_core import backup, demo, ingest, summary
from kam_core.analytics import regions
from kam_core.db import Database

F = Path(__file__).parent / "fixtures" / "ingest"
EXACT = {"sales_cube": 0, "sales_coverage": 0, "account_stores": 0}


def load(db: Database, name: str | Path, scope: str = "pairs") -> int:
    with ingest.stage(F / name, db=db) as st:
        ingest.commit(db, st, "tester", scope=scope)
    return int(db.scalar("SELECT max(id) FROM uploads"))


def sums(db: Database, table: str) -> tuple:
    return db.rows(
        f"SELECT coalesce(sum(revenue), 0), sum(gross_profit), sum(lines)::BIGINT FROM {table}"
        if table == "sales_cube"
        else "SELECT coalesce(sum(revenue), 0), sum(gross_profit), count(*) FROM sales"
    )[0]


def test_a_fresh_database_has_empty_summaries(empty_db: Database) -> None:
    assert summary.differences(empty_db) == EXACT
    assert empty_db.scalar("SELECT count(*) FROM sales_cube") == 0


def test_demo_summaries_are_exact(demo_db: Database) -> None:
    assert summary.differences(demo_db) == EXACT
    assert sums(demo_db, "sales_cube") == sums(demo_db, "sales")
    # the cube is much smaller than the lines (store × SKU collapse), and a month is one block of it
    n_cube, n_lines = demo_db.scalar("SELECT count(*) FROM sales_cube"), demo_db.scalar("SELECT count(*) FROM sales")
    assert n_cube * 5 < n_lines


def test_uploads_rollbacks_and_scopes_keep_them_exact(empty_db: Database, tmp_path: Path) -> None:
    db = empty_db
    again = tmp_path / "march_again.csv"  # March once more, one line dropped (not a duplicate file)
    again.write_text("".join((F / "retail_march_v1.csv").read_text(encoding="utf-8").splitlines(True)[:-1]),
                     encoding="utf-8")  # fmt: skip
    first = load(db, "retail_march_v1.csv")
    assert summary.differences(db) == EXACT
    load(db, "retail_december.csv")
    second = load(db, "retail_march_v2.csv")  # a correction of March, pairs scope
    assert summary.differences(db) == EXACT
    load(db, again, scope="months")  # March replaced as a whole
    assert summary.differences(db) == EXACT
    # a rollback that takes the later uploads with it, then the first one
    ingest.rollback(db, second, "tester", with_later=True)
    assert summary.differences(db) == EXACT
    ingest.rollback(db, first, "tester")
    assert summary.differences(db) == EXACT
    assert sums(db, "sales_cube") == sums(db, "sales")
    march = db.scalar("SELECT count(*) FROM sales_cube WHERE period = ?", [date(2011, 3, 1)])
    assert march == 0  # only December is left


def test_first_real_upload_over_the_demo(tmp_path: Path, demo_path: Path) -> None:
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    load(db, "retail_march_v1.csv")  # removes the demo's lines
    assert summary.differences(db) == EXACT
    assert db.scalar("SELECT min(period) FROM sales_cube") == date(2011, 3, 1)
    db.close()


def test_region_map_moves_the_cube_too(tmp_path: Path, demo_path: Path) -> None:
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    before = db.scalar("SELECT sum(revenue) FROM sales_cube WHERE region = 'East'")
    regions.save_region_map(db, {"Shanghai": "North"}, "tester")
    assert summary.differences(db) == EXACT
    moved = db.scalar("SELECT sum(revenue) FROM sales WHERE province = 'Shanghai' AND region_derived")
    assert db.scalar("SELECT sum(revenue) FROM sales_cube WHERE region = 'East'") == before - moved
    db.close()


def test_demo_rebuild_and_backup_restore(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.duckdb")
    demo.build(db)
    load_over = demo.build(db)  # the demo again: replaces itself
    assert load_over and summary.differences(db) == EXACT
    backup.backup(db, tmp_path / "bk", "admin")
    db.close()
    backup.restore(tmp_path / "bk", tmp_path / "b.duckdb", "admin")
    r = Database(tmp_path / "b.duckdb")
    assert summary.differences(r) == EXACT
    assert sums(r, "sales_cube") == sums(r, "sales")
    r.close()


def test_migration_builds_them_for_a_database_from_before(tmp_path: Path) -> None:
    """A file at schema V9 (no summary tables) with lines: opening it builds exact summaries."""
    path = tmp_path / "old.duckdb"
    Database(path, migrate_to=9).close()  # (V10 made the summary tables)
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO uploads (id, kind, file_name, sha256, user_name, created_at) "
        "VALUES (1, 'sales', 'f', 'x', 'u', now())"
    )
    con.execute(
        """INSERT INTO sales (period, account, store, province, channel, revenue, gross_profit, upload_id) VALUES
           ('2026-01-01', '1001', 'S1', '上海', 'KA', 10.0001, NULL, 1),
           ('2026-01-01', '1001', 'S2', '上海', 'KA', 5, 1, 1),
           ('2026-02-01', '1002', NULL, NULL, NULL, -3.5, NULL, 1)"""
    )
    con.close()
    db = Database(path)
    assert summary.differences(db) == EXACT
    assert db.rows("SELECT sum(revenue), sum(gross_profit), sum(lines) FROM sales_cube")[0] == (
        Decimal("11.5001"), Decimal("1.0000"), 3)  # fmt: skip
    assert db.rows("SELECT count(*) FROM account_stores WHERE account = '1002' AND store IS NULL")[0][0] == 1
    db.close()


def test_differences_notices_a_stale_summary(demo_db: Database, tmp_path: Path, demo_path: Path) -> None:
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    cur = db.cursor()
    cur.execute("UPDATE sales SET revenue = revenue + 1 WHERE rowid = (SELECT min(rowid) FROM sales)")
    cur.close()
    d = summary.differences(db)
    assert d["sales_cube"] == 2 and d["account_stores"] == 2 and d["sales_coverage"] == 2
    db.close()


@pytest.mark.parametrize("periods", [None, [date(2026, 1, 1)]])
def test_refresh_of_nothing_changed_is_a_no_op(tmp_path: Path, demo_path: Path, periods: list | None) -> None:
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    n = db.scalar("SELECT count(*) FROM sales_cube")
    with db.transaction("tester", "test") as cur:
        summary.refresh(cur, periods, accounts=None if periods is None else ["nobody"])
    assert db.scalar("SELECT count(*) FROM sales_cube") == n and summary.differences(db) == EXACT
    db.close()


HEAD = "period,account,store,province,city,channel,sku,category,kam,revenue,volume,gross_profit\n"


def _file(path: Path, lines: list[str]) -> Path:
    path.write_text(HEAD + "".join(x + "\n" for x in lines), encoding="utf-8")
    return path


def test_an_upload_updates_them_from_its_own_rows(empty_db: Database, tmp_path: Path) -> None:
    """The summaries follow an upload from its rows and the rows it replaced (no pass over ``sales``): a pair
    corrected with fewer stores drops their footprint rows, a month's column left without values has a NULL
    sum again, a cell of only a tab counts as a value in both, and a ``months`` upload empties what it drops."""
    db = empty_db
    load(db, _file(tmp_path / "a.csv", [
        "2026-01,X,S1,上海,上海,KA,K1,Food,Ann,100.10,1,10",
        '2026-01,X,S2,"\t","\t","\t",K2,,Ann,50,,',  # a tab alone: kept as written, a value
        "2026-01,X,,广东,,Online,,,,-5.5,,",  # no store
        "2026-01,Y,S9,北京,北京,KA,K1,Food,Bob,30,2,3",
        "2026-02,Y,S9,北京,北京,KA,K1,Food,Bob,40,,",
    ]))  # fmt: skip
    assert summary.differences(db) == EXACT
    assert db.scalar("SELECT province FROM sales WHERE store = 'S2'") == "\t"
    jan = date(2026, 1, 1)
    ka = (
        "SELECT sum(city_lines)::INT, sum(category_lines)::INT, sum(category_abs_revenue) FROM sales_coverage "
        "WHERE period = ? AND channel = 'KA'"
    )
    assert db.rows(ka, [jan]) == [(2, 2, Decimal("130.1000"))]
    # (2026-01, X) corrected: one line, no category, no profit
    second = load(db, _file(tmp_path / "b.csv", ["2026-01,X,S1,上海,上海,KA,K1,,Ann,90,,"]))
    assert summary.differences(db) == EXACT
    assert db.rows("SELECT store, lines, revenue FROM account_stores WHERE account = 'X'") == [
        ("S1", 1, Decimal("90.0000"))]  # fmt: skip
    assert db.rows("SELECT revenue, gross_profit, gp_lines FROM sales_cube WHERE account = 'X'") == [
        (Decimal("90.0000"), None, 0)]  # fmt: skip
    assert db.rows(ka, [jan]) == [(2, 1, Decimal("30.0000"))]
    assert db.rows("SELECT category_lines, category_abs_revenue FROM sales_coverage WHERE period = ? "
                   "AND region = 'East'", [jan]) == [(0, None)]  # fmt: skip
    assert db.scalar("SELECT count(*) FROM sales_coverage WHERE period = ? AND channel = 'Online'", [jan]) == 0
    # February as a whole: Y's line goes, Z comes
    third = load(db, _file(tmp_path / "c.csv", ["2026-02,Z,S5,上海,,KA,K1,,,7,,"]), scope="months")
    assert summary.differences(db) == EXACT
    assert db.rows("SELECT store, lines FROM account_stores WHERE account = 'Y'") == [("S9", 1)]
    assert db.rows("SELECT account FROM sales_cube WHERE period = ?", [date(2026, 2, 1)]) == [("Z",)]
    ingest.rollback(db, third, "tester")
    assert summary.differences(db) == EXACT
    ingest.rollback(db, second, "tester")
    assert summary.differences(db) == EXACT
    assert db.scalar("SELECT sum(lines) FROM account_stores WHERE account = 'X'") == 3


@pytest.mark.parametrize("scope", ["pairs", "months"])
def test_an_upload_next_to_the_demo_keeps_them_exact(tmp_path: Path, demo_path: Path, scope: str) -> None:
    """Kept demo lines (``remove_demo=False``): the stored summaries of the file's months and accounts are
    merged with the file's rows minus the demo lines it replaced."""
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    period, account, n = db.rows(
        "SELECT period, account, count(*) FROM sales GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT 1")[0]  # fmt: skip
    month = f"{period:%Y-%m}"
    path = _file(
        tmp_path / "f.csv", [f"{month},{account},NEW1,上海,,KA,K1,,,12.3456,1,", f"{month},Newco,S1,,,,,,,1,,"]
    )
    with ingest.stage(path, db=db) as st:
        ingest.commit(db, st, "tester", remove_demo=False, scope=scope)
    assert summary.differences(db) == EXACT
    assert sums(db, "sales_cube") == sums(db, "sales")
    left = db.scalar("SELECT count(*) FROM sales WHERE period = ? AND account = ?", [period, account])
    assert left == 1 and n > 1
    db.close()


@pytest.mark.parametrize("scope", ["pairs", "months"])
def test_the_preview_from_the_summaries_equals_the_one_from_the_lines(
    tmp_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    """The preview reads stored totals, pairs and accounts from the summaries when no upload's lines are left
    out; leaving out an upload that has no line makes it read the lines: every number is the same."""
    shutil.copy(demo_path, tmp_path / "d.duckdb")
    db = Database(tmp_path / "d.duckdb")
    period, account = db.rows("SELECT period, account FROM sales GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1")[0]
    month = f"{period:%Y-%m}"
    path = _file(tmp_path / "f.csv", [f"{month},{account},NEW1,上海,,KA,K1,,,12.3456,1,", f"{month},Newco,S1,,,,,,,1,,",
                                      f"{month},{account},NEW2,,,,,,,-3,,", "2031-01,Newco,S1,,,,,,,5,,"])  # fmt: skip
    with ingest.stage(path, db=db) as st:
        fast = ingest.preview(db, st, remove_demo=False, scope=scope).to_json()
        # a left-out upload with no line (-1): the preview reads the lines instead
        monkeypatch.setattr(importlib.import_module("kam_core.ingest.preview"), "active_demo_ids", lambda cur: [-1])
        slow = ingest.preview(db, st, remove_demo=True, scope=scope).to_json()
    assert fast["replaced"] and fast["new_pairs"] and fast["accounts_known"] and fast["months"][0]["before"]
    assert {**fast, "demo_present": None} == {**slow, "demo_present": None}
    db.close()
