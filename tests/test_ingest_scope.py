"""Replace scope (pairs / months), the pairs a correction keeps, rollback of both scopes and of later uploads.

The story, on real lines of UCI Online Retail (tests/fixtures/ingest/retail.README.md): March 2011 is
uploaded with customer 16684 mistyped as 61684, then a corrected March. With scope ``pairs`` the
phantom 61684 stays (¥4 819.08) and the preview lists it as kept; with ``months`` it goes.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.coverage import partial_through
from kam_core.db import Database
from tests.helpers import run_cli

F = Path(__file__).parent / "fixtures" / "ingest"
MARCH = date(2011, 3, 1)


def file_totals(name: str) -> dict[str, Decimal]:
    """Revenue per customer of a fixture, computed here from the CSV (quantity × unit price, exact)."""
    out: dict[str, Decimal] = {}
    with open(F / name, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[r["CustomerID"]] = out.get(r["CustomerID"], Decimal(0)) + Decimal(r["Quantity"]) * Decimal(
                r["UnitPrice"]
            )
    return out


def load(db: Database, name: str, scope: str = "pairs", user: str = "tester") -> ingest.Preview:
    with ingest.stage(F / name, db=db) as st:
        return ingest.commit(db, st, user, scope=scope)


def total(db: Database, where: str = "TRUE") -> Decimal:
    return db.scalar(f"SELECT coalesce(sum(revenue), 0) FROM sales WHERE {where}")


def by_account(db: Database) -> dict[str, Decimal]:
    return dict(db.rows("SELECT account, sum(revenue) FROM sales GROUP BY account"))


V1, V2 = file_totals("retail_march_v1.csv"), file_totals("retail_march_v2.csv")


def test_fixture_story_holds() -> None:
    assert V1["61684"] == V2["16684"] == Decimal("4819.08")
    assert "16684" not in V1 and "61684" not in V2 and len(V2) == 10
    assert {k: v for k, v in V1.items() if k != "61684"} == {k: v for k, v in V2.items() if k != "16684"}


def test_preview_of_the_correction_lists_changes_new_and_kept_pairs(empty_db: Database) -> None:
    db = empty_db
    load(db, "retail_march_v1.csv")
    with ingest.stage(F / "retail_march_v2.csv", db=db) as st:
        p = ingest.preview(db, st)
        s = p.sales
        assert s.scope == "pairs" and s.suggested_scope == "months"  # 9 of the 10 stored accounts are in the file
        assert s.coverage == pytest.approx(0.9)
        assert s.changed == [] and s.unchanged == 9  # the nine others are exactly as stored
        assert [(x.period, x.account, x.revenue) for x in s.new_pairs] == [(MARCH, "16684", Decimal("4819.08"))]
        assert [(x.period, x.account, x.revenue) for x in s.kept] == [(MARCH, "61684", Decimal("4819.08"))]
        assert s.change == Decimal("4819.08") and s.total_after == sum(V1.values()) + Decimal("4819.08")
        j = p.to_json()
        assert j["replace_scope"] == "pairs" and j["changed_pairs"] == [] and j["removed_rows"] == 0
        assert j["kept_pairs"] == [{"period": "2011-03-01", "account": "61684", "revenue": 4819.08}]
        m = ingest.preview(db, st, scope="months").sales
        assert m.kept == [] and [x.account for x in m.removed] == ["61684"] and m.absent_rows == 17
        assert m.change == 0 and m.total_after == sum(V2.values())
        assert m.months[0].after == sum(V2.values())
        jm = ingest.preview(db, st, scope="months").to_json()
        assert jm["removed_rows"] == 17 and jm["kept_pairs"] == [] and jm["removed_pairs"][0]["account"] == "61684"


@pytest.mark.parametrize("scope", ["pairs", "months"])
def test_correction_under_each_scope_then_rollback_exact(empty_db: Database, scope: str) -> None:
    db = empty_db
    a = load(db, "retail_march_v1.csv")
    before = by_account(db)
    rows_before = db.rows("SELECT * EXCLUDE (upload_id) FROM sales ORDER BY ALL")
    b = load(db, "retail_march_v2.csv", scope=scope)
    assert db.scalar("SELECT replace_scope FROM uploads WHERE id = ?", [b.upload_id]) == scope
    after = by_account(db)
    assert after["16684"] == Decimal("4819.08")
    if scope == "pairs":
        assert after["61684"] == Decimal("4819.08")  # the phantom stays: kept, and the preview said so
        assert total(db) == sum(V1.values()) + Decimal("4819.08")
        assert db.scalar("SELECT status FROM uploads WHERE id = ?", [a.upload_id]) == "active"
    else:
        assert "61684" not in after
        assert total(db) == sum(V2.values())  # to the cent
        assert db.scalar("SELECT status FROM uploads WHERE id = ?", [a.upload_id]) == "superseded"
    ingest.rollback(db, b.upload_id, "tester")
    assert by_account(db) == before
    assert db.rows("SELECT * EXCLUDE (upload_id) FROM sales ORDER BY ALL") == rows_before  # the same rows
    assert db.scalar("SELECT status FROM uploads WHERE id = ?", [a.upload_id]) == "active"


def test_roll_back_both_newest_first(empty_db: Database) -> None:
    db = empty_db
    a = load(db, "retail_march_v1.csv")
    b = load(db, "retail_march_v2.csv")  # pairs: replaces 9 of a's pairs
    assert ingest.rollback_plan(db, a.upload_id) == [b.upload_id, a.upload_id]
    with pytest.raises(ingest.IngestError, match="--with-later"):
        ingest.rollback(db, a.upload_id, "tester")
    assert total(db) == sum(V1.values()) + Decimal("4819.08")  # the refusal wrote nothing
    out = ingest.rollback(db, a.upload_id, "tester", with_later=True)
    assert out["rolled_back"] == [b.upload_id, a.upload_id]
    assert db.scalar("SELECT count(*) FROM sales") == 0 and db.scalar("SELECT count(*) FROM sales_replaced") == 0
    assert db.rows("SELECT id, status FROM uploads ORDER BY id") == [(a.upload_id, "rolled_back"),
                                                                     (b.upload_id, "rolled_back")]  # fmt: skip
    assert db.scalar("SELECT count(*) FROM accounts") == 0


def test_data_through_from_full_dates(empty_db: Database) -> None:
    db = empty_db
    d = load(db, "retail_december.csv")
    assert db.rows("SELECT period, data_through FROM upload_periods WHERE upload_id = ?", [d.upload_id]) == [
        (date(2011, 12, 1), date(2011, 12, 9))
    ]
    assert partial_through(db, date(2011, 12, 1)) == date(2011, 12, 9)
    m = empty_db.path.parent / "months_only.csv"
    m.write_text("period,account,revenue\n2011-11,A,1.00\n2011-10,B,2.00\n", encoding="utf-8")
    with ingest.stage(m) as st:
        u = ingest.commit(db, st, "tester")
    assert db.rows("SELECT period, data_through FROM upload_periods WHERE upload_id = ? ORDER BY 1", [u.upload_id]) == [
        (date(2011, 10, 1), None), (date(2011, 11, 1), None)]  # fmt: skip
    assert partial_through(db, date(2011, 11, 1)) is None


def test_cli_replace_scope_json_and_rollback_with_later(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    r = run_cli("import", str(F / "retail_march_v1.csv"), "--db", db, "--json", "--user", "ann")
    assert r.code == 0, r.stderr
    first = r.json["upload_id"]
    r = run_cli("import", str(F / "retail_march_v2.csv"), "--db", db, "--json", "--dry-run")
    assert r.json["replace_scope"] == "pairs" and r.json["suggested_scope"] == "months"
    assert r.json["kept_pairs"] == [{"period": "2011-03-01", "account": "61684", "revenue": 4819.08}]
    r = run_cli("import", str(F / "retail_march_v2.csv"), "--db", db, "--json", "--replace", "months", "--user", "bob")
    assert r.code == 0, r.stderr
    j = r.json
    assert j["replace_scope"] == "months" and j["removed_rows"] == 17 and j["kept_pairs"] == []
    assert j["removed_pairs"] == [{"period": "2011-03-01", "account": "61684", "revenue": 4819.08}]
    assert Decimal(str(j["total_after"])) == sum(V2.values())
    r = run_cli("rollback", str(first), "--db", db, "--json", "--user", "cy")
    assert r.code == 1 and "--with-later" in r.stderr
    r = run_cli("rollback", str(first), "--db", db, "--json", "--user", "cy", "--with-later")
    assert r.code == 0 and r.json["rolled_back"] == [first + 1, first]
    assert Database(db).scalar("SELECT count(*) FROM sales") == 0
    r = run_cli("import", str(F / "retail_march_v2.csv"), "--db", db, "--replace", "everything")
    assert r.code == 2
    assert json.loads(run_cli("uploads", "--db", db, "--json").stdout)[0]["replace_scope"] == "months"
