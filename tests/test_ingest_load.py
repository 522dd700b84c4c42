"""Commit, replace semantics, duplicates, rollback, master data, templates, and every refused input."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.ingest.mapping import Mapping

F = Path(__file__).parent / "fixtures" / "ingest"


def load(db: Database, name: str, user: str = "tester", in_db: bool = False, **kw) -> ingest.Preview:
    skip = kw.pop("skip_invalid", False)
    with ingest.stage(F / name, kw.pop("kind", "sales"), db=db if in_db else None, **kw) as st:
        return ingest.commit(db, st, user, skip_invalid=skip)


def total(db: Database, where: str = "TRUE", params: list | None = None) -> Decimal:
    return db.scalar(f"SELECT coalesce(sum(revenue), 0) FROM sales WHERE {where}", params or [])


def snapshot(db: Database) -> tuple:
    return (
        db.scalar("SELECT count(*) FROM sales"), total(db), db.scalar("SELECT count(*) FROM uploads"),
        db.scalar("SELECT count(*) FROM accounts"), db.data_version(),
    )  # fmt: skip


@pytest.mark.parametrize("in_db", [False, True], ids=["private-stage", "stage-in-db"])
def test_corrected_reupload_then_rollback_to_the_cent(empty_db: Database, in_db: bool) -> None:
    db = empty_db
    v1 = load(db, "correction_v1.csv", in_db=in_db)
    assert v1.rows_loaded == 4 and total(db) == Decimal("3101.10")
    march_carrefour = "period = DATE '2026-03-01' AND account = 'Carrefour'"
    assert total(db, march_carrefour) == Decimal("1500.33")
    with ingest.stage(F / "correction_v2.csv", db=db if in_db else None) as st:
        p = ingest.preview(db, st)
        assert [(r.period.isoformat(), r.account) for r in p.sales.replaced] == [("2026-03-01", "Carrefour")]
        assert p.sales.replaced[0].old_revenue == Decimal("1500.33")
        assert p.sales.change == Decimal("1234.56") - Decimal("1500.33")
        assert p.sales.accounts_known == ["Carrefour"] and p.sales.accounts_new == []
        assert snapshot(db)[1] == Decimal("3101.10")  # preview wrote nothing
        v2 = ingest.commit(db, st, "someone else")
    assert total(db, march_carrefour) == Decimal("1234.56")
    assert total(db, "account = 'Walmart'") == Decimal("700.33")  # untouched
    assert total(db, "period = DATE '2026-04-01'") == Decimal("900.44")  # untouched
    assert total(db) == Decimal("2835.33")
    assert db.scalar("SELECT status FROM uploads WHERE id = ?", [v1.upload_id]) == "active"
    # v1 cannot be rolled back while v2 replaced part of it
    with pytest.raises(ingest.IngestError, match="later uploads"):
        ingest.rollback(db, v1.upload_id, "tester")
    out = ingest.rollback(db, v2.upload_id, "tester")
    assert out["rows_restored"] == 2 and out["rows_removed"] == 1
    assert total(db) == Decimal("3101.10") and total(db, march_carrefour) == Decimal("1500.33")
    rows = db.rows(f"SELECT revenue FROM sales WHERE {march_carrefour} ORDER BY revenue")
    assert rows == [(Decimal("500.22"),), (Decimal("1000.11"),)]  # the same rows, not just the same sum
    assert db.scalar("SELECT status FROM uploads WHERE id = ?", [v2.upload_id]) == "rolled_back"
    with pytest.raises(ingest.IngestError, match="already rolled back"):
        ingest.rollback(db, v2.upload_id, "tester")
    ingest.rollback(db, v1.upload_id, "tester")
    assert total(db) == 0
    assert db.scalar("SELECT count(*) FROM accounts") == 0  # unreviewed accounts it created are gone
    assert db.scalar("SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'stage_%'") == 0


def test_whole_upload_replaced_is_superseded_and_comes_back(empty_db: Database) -> None:
    a = load(empty_db, "kam_a.csv")
    p = empty_db.path.parent / "kam_a_fixed.csv"
    p.write_text("period,account,revenue\n2026-05,Lotus,100.01\n", encoding="utf-8")
    with ingest.stage(p) as st:
        b = ingest.commit(empty_db, st, "tester")
    assert empty_db.scalar("SELECT status FROM uploads WHERE id = ?", [a.upload_id]) == "superseded"
    ingest.rollback(empty_db, b.upload_id, "tester")
    assert empty_db.scalar("SELECT status FROM uploads WHERE id = ?", [a.upload_id]) == "active"
    assert total(empty_db) == Decimal("111.11")


def test_same_file_twice_is_refused(empty_db: Database) -> None:
    load(empty_db, "correction_v1.csv")
    before = snapshot(empty_db)
    with ingest.stage(F / "correction_v1.csv") as st:
        assert ingest.preview(empty_db, st).duplicate_of.id == 1
        with pytest.raises(ingest.IngestError, match="already imported"):
            ingest.commit(empty_db, st, "tester")
    assert snapshot(empty_db) == before


def test_two_users_for_different_accounts_both_land(empty_db: Database) -> None:
    staged = [ingest.stage(F / "kam_a.csv", db=empty_db), ingest.stage(F / "kam_b.csv", db=empty_db)]
    errors: list[BaseException] = []

    def go(st: ingest.Staged, user: str) -> None:
        try:
            ingest.commit(empty_db, st, user)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=go, args=(s, u)) for s, u in zip(staged, ["kam a", "kam b"], strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in staged:
        s.close()
    assert not errors
    assert total(empty_db, "account = 'Lotus'") == Decimal("111.11")
    assert total(empty_db, "account = 'Metro'") == Decimal("222.22")
    assert sorted(r[0] for r in empty_db.rows("SELECT user_name FROM uploads")) == ["kam a", "kam b"]


def test_first_real_upload_removes_demo_unless_kept(demo_path: Path, tmp_path: Path) -> None:
    for remove in (True, False):
        path = tmp_path / f"d{remove}.duckdb"
        path.write_bytes(demo_path.read_bytes())
        db = Database(path)
        demo_total = total(db)
        with ingest.stage(F / "kam_a.csv") as st:
            p = ingest.preview(db, st, remove_demo=remove)
            out = ingest.commit(db, st, "tester", remove_demo=remove)
        if remove:
            assert total(db) == Decimal("111.11") == p.sales.total_after
            assert db.scalar("SELECT status FROM uploads WHERE kind = 'demo'") == "superseded"
            assert out.sales.accounts_new == ["Lotus"]  # the demo's Lotus does not count
        else:
            assert total(db) == p.sales.total_after
            assert total(db) == demo_total - p.sales.replaced_revenue + Decimal("111.11")
        db.close()


def test_skip_invalid_loads_valid_rows_and_keeps_the_report(empty_db: Database) -> None:
    before = snapshot(empty_db)
    with ingest.stage(F / "negative_absurd.csv") as st:
        assert st.checked.rows_rejected == 2
        assert [(r["row"], r["column"]) for r in st.checked.rejected] == [(3, "revenue"), (4, "revenue")]
        assert "implausibly large" in st.checked.rejected[0]["reason"]
        assert st.checked.warnings[0]["row"] == 2 and "negative" in st.checked.warnings[0]["reason"]
        with pytest.raises(ingest.IngestError, match="2 rows were rejected"):
            ingest.commit(empty_db, st, "tester")
        assert snapshot(empty_db) == before
        out = ingest.commit(empty_db, st, "tester", skip_invalid=True)
    assert out.rows_loaded == 2 and total(empty_db) == Decimal("-40.5")  # negative loads
    assert [e["row"] for e in ingest.upload_errors(empty_db, out.upload_id)] == [3, 4]


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("image.csv", "not a sales table"),
        ("corrupt.xlsx", "cannot be opened"),
        ("empty.csv", "is empty"),
        ("header_only.csv", "no data rows"),
        ("missing_col.csv", "lacks required columns: Account. Columns found: month, store, amount_text"),
        ("bad_periods.csv", "could be read as a month"),
    ],
)
def test_bad_input_refused_with_a_specific_message_and_nothing_written(empty_db: Database, name: str,
                                                                       match: str) -> None:  # fmt: skip
    load(empty_db, "kam_a.csv")
    before = snapshot(empty_db)
    with pytest.raises(ingest.IngestError, match=match) as e:
        load(empty_db, name)
    assert e.value.message("zh") != e.value.message("en")
    assert snapshot(empty_db) == before


def test_file_larger_than_the_limit(empty_db: Database) -> None:
    empty_db.set_setting("ingest.max_upload_mb", 0.0001, "admin")
    before = snapshot(empty_db)
    with pytest.raises(ingest.IngestError, match="larger than the limit"):
        load(empty_db, "correction_v1.csv", max_bytes=ingest.max_bytes(empty_db, "page"))
    assert snapshot(empty_db) == before
    assert ingest.max_bytes(empty_db, "cli") > 1024**3  # the command line takes far larger files


def test_master_data_and_receivables_replace_and_roll_back(empty_db: Database) -> None:
    db = empty_db
    load(db, "correction_v1.csv")  # creates Carrefour unreviewed
    acc = load(db, "accounts.csv", kind="accounts")
    assert db.rows("SELECT name_zh, international, format, kam, strategic_fit, reviewed FROM accounts "
                   "WHERE account = 'Carrefour'") == [("家乐福", True, "hypermarket", "Li Wei", 4, True)]  # fmt: skip
    assert db.scalar("SELECT count(*) FROM accounts") == 3
    ingest.rollback(db, acc.upload_id, "tester")
    assert db.rows("SELECT name_zh, reviewed FROM accounts WHERE account = 'Carrefour'") == [(None, False)]
    assert db.scalar("SELECT count(*) FROM accounts WHERE account = 'Yonghui'") == 0
    rec = load(db, "receivables.csv", kind="receivables")
    assert db.scalar("SELECT sum(current + overdue_1_30 + overdue_31_60 + overdue_61_90 + overdue_90_plus) "
                     "FROM receivables") == Decimal("186")  # fmt: skip
    ingest.rollback(db, rec.upload_id, "tester")
    assert db.scalar("SELECT count(*) FROM receivables") == 0
    load(db, "stores.csv", kind="stores")
    assert db.rows("SELECT store, province FROM stores ORDER BY store") == [("00017", "Shanghai"), ("00018", "Jiangsu")]


def test_templates_last_used_by_the_user_first(empty_db: Database) -> None:
    m = Mapping({"period": "Order Date", "account": "Customer ID", "revenue": "Sales"})
    ingest.save_template(empty_db, "erp", "sales", m, "ann")
    ingest.save_template(empty_db, "portal", "sales", Mapping({"period": "Ship Date", "account": "Customer Name",
                                                               "revenue": "Sales"}), "bob")  # fmt: skip
    assert [t["name"] for t in ingest.list_templates(empty_db, "sales", "ann")] == ["erp"]  # bob's is private
    assert [t["name"] for t in ingest.list_templates(empty_db, "sales", "bob")] == ["portal"]
    ingest.save_template(empty_db, "erp", "sales", m, "ann", shared=True)
    assert [t["name"] for t in ingest.list_templates(empty_db, "sales", "bob")] == ["portal", "erp"]
    headers = ingest.sniff(F / "us_dates.csv").headers
    assert ingest.best_template(empty_db, "sales", headers, "ann")["name"] == "erp"
    with ingest.stage(
        F / "us_dates.csv", mapping=ingest.best_template(empty_db, "sales", headers, "ann")["mapping"]
    ) as st:
        ingest.commit(empty_db, st, "ann", template="erp")
    assert empty_db.rows("SELECT DISTINCT account FROM sales ORDER BY 1") == [("C-001",), ("C-002",)]
    assert empty_db.scalar("SELECT mapping FROM uploads") is not None


def test_missing_region_is_filled_from_the_edited_province_map(empty_db: Database, tmp_path: Path) -> None:
    from kam_core.analytics.regions import save_region_map

    f = tmp_path / "henan.csv"
    text = "月份,客户,省份,销售额\n2026-03,Dennis,河南,100.50\n2026-03,Carrefour,Guangdong,20\n"
    f.write_text(text, encoding="utf-8")
    save_region_map(empty_db, {"Henan": "North"}, user="alice")
    with ingest.stage(f, "sales", db=empty_db) as st:
        ingest.commit(empty_db, st, "tester")
    rows = dict(empty_db.rows("SELECT province, region FROM sales"))
    assert rows == {"Henan": "North", "Guangdong": "South"}


def test_per_account_subtotal_lines_are_not_counted(empty_db: Database, tmp_path: Path) -> None:
    """Grouped exports label subtotals after the account ("家乐福 小计", "Walmart Total")."""
    f = tmp_path / "subtotals.csv"
    rows = ["2026-03,家乐福,100", "2026-03,家乐福,50", ",家乐福 小计,150", "2026-03,Walmart,200", ",Walmart Total,200"]
    f.write_text("月份,客户,销售额\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with ingest.stage(f, "sales") as st:
        out = ingest.commit(empty_db, st, "tester")
    assert out.rows_loaded == 3
    assert total(empty_db) == Decimal("350")
    assert {r[0] for r in empty_db.rows("SELECT account FROM accounts")} == {"家乐福", "Walmart"}


def test_short_gbk_file_is_not_taken_for_korean(empty_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "short.csv"
    f.write_bytes("月份,客户,销售额\n2026-03,家乐福,100\n".encode("gbk"))
    with ingest.stage(f, "sales") as st:
        ingest.commit(empty_db, st, "tester")
    assert empty_db.rows("SELECT account, revenue FROM sales") == [("家乐福", Decimal("100"))]


def test_demo_never_comes_back_through_a_master_data_rollback(demo_path: Path, tmp_path: Path) -> None:
    """Accounts upload over the demo, then a sales upload (removes the demo), then roll the accounts back."""
    p = tmp_path / "d.duckdb"
    p.write_bytes(demo_path.read_bytes())
    db = Database(p)
    acc = tmp_path / "acc.csv"
    acc.write_text("account,kam,format\nCarrefour,Zhang,hypermarket\n", encoding="utf-8")
    with ingest.stage(acc, "accounts") as st:
        a = ingest.commit(db, st, "tester")
    sales = tmp_path / "s.csv"
    sales.write_text("month,account,revenue\n2026-03,Carrefour,100\n", encoding="utf-8")
    with ingest.stage(sales, "sales") as st:
        ingest.commit(db, st, "tester")
    ingest.rollback(db, a.upload_id, "tester")
    assert (
        db.scalar("SELECT count(*) FROM accounts WHERE upload_id IN (SELECT id FROM uploads WHERE kind = 'demo')") == 0
    )
    assert db.scalar("SELECT status FROM uploads WHERE kind = 'demo'") == "superseded"
    assert total(db) == Decimal("100")
    db.close()


def test_a_preview_is_kept_until_the_data_changes(empty_db: Database) -> None:
    """The page's reruns and the commit after a preview reuse it; a commit in between makes it anew."""
    db = empty_db
    with ingest.stage(F / "correction_v2.csv", db=db) as st:
        first = ingest.preview(db, st)
        assert ingest.preview(db, st) is first and not first.sales.replaced
        assert ingest.preview(db, st, scope="months") is not first  # another question, another answer
        load(db, "correction_v1.csv")
        again = ingest.preview(db, st)
        assert again is not first and again.sales.replaced  # the pairs v1 stored are replaced now
        out = ingest.commit(db, st, "tester")
        assert out.sales.replaced == again.sales.replaced and out.upload_id
