"""Editing the province → region map moves only regions the app derived, never a file's, never rollback copies."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kam_core import ingest
from kam_core.analytics.regions import save_region_map
from kam_core.db import Database


def _load(db: Database, path: Path, text: str, kind: str = "sales") -> int:
    path.write_text(text, encoding="utf-8")
    with ingest.stage(path, kind, db=db) as st:
        return ingest.commit(db, st, "tester").upload_id


def test_only_derived_regions_follow_the_map_and_rollback_stays_exact(empty_db: Database, tmp_path: Path) -> None:
    db = empty_db
    own = _load(db, tmp_path / "own.csv", "period,account,province,region,revenue\n"
                "2026-03,Given,Henan,South,100.25\n2026-03,Given2,Henan,,7.01\n")  # fmt: skip
    _load(db, tmp_path / "derived.csv", "period,account,province,revenue,store\n"
          "2026-03,Derived,Henan,200.10,S1\n2026-04,Derived,Henan,300.33,S1\n")  # fmt: skip
    # a later upload replaces one derived pair: its copy sits in sales_replaced
    later = _load(db, tmp_path / "later.csv", "period,account,province,revenue\n2026-04,Derived,Henan,999.99\n")
    regions = dict(db.rows("SELECT account || ' ' || strftime(period, '%Y-%m'), region FROM sales"))
    assert regions == {"Given 2026-03": "South", "Given2 2026-03": "Central", "Derived 2026-03": "Central",
                       "Derived 2026-04": "Central"}  # fmt: skip
    copies = db.rows("SELECT * FROM sales_replaced ORDER BY ALL")
    assert db.scalar("SELECT region FROM stores WHERE store = 'S1'") == "Central"

    save_region_map(db, {"Henan": "North"}, user="alice")
    regions = dict(db.rows("SELECT account || ' ' || strftime(period, '%Y-%m'), region FROM sales"))
    assert regions == {"Given 2026-03": "South",  # the file said South: stays
                       "Given2 2026-03": "North",  # the file left it empty: derived, follows the map
                       "Derived 2026-03": "North", "Derived 2026-04": "North"}  # fmt: skip
    assert db.scalar("SELECT region FROM stores WHERE store = 'S1'") == "North"
    assert db.rows("SELECT * FROM sales_replaced ORDER BY ALL") == copies  # rollback copies untouched

    ingest.rollback(db, later, "tester")
    back = db.rows("SELECT account, period, region, revenue FROM sales WHERE account = 'Derived' ORDER BY period")
    assert [(r[2], r[3]) for r in back] == [("North", Decimal("200.1")), ("Central", Decimal("300.33"))]
    assert db.scalar("SELECT sum(revenue) FROM sales") == Decimal("607.69")  # to the cent
    assert db.scalar("SELECT count(*) FROM sales WHERE upload_id = ?", [own]) == 2


def test_store_master_region_from_the_file_is_kept(empty_db: Database, tmp_path: Path) -> None:
    _load(empty_db, tmp_path / "stores.csv", "store,account,province,region\nS1,A,Henan,South\nS2,A,Henan,\n",
          "stores")  # fmt: skip
    save_region_map(empty_db, {"Henan": "North"}, user="alice")
    assert empty_db.rows("SELECT store, region, region_derived FROM stores ORDER BY store") == [
        ("S1", "South", False), ("S2", "North", True)]  # fmt: skip
