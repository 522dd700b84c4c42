"""Real files, honest figures: every rejected row kept, geography and regions as written, identity, small points."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.commands.import_ import month_span
from kam_core.db import Database
from kam_core.ingest.mapping import account_columns, candidates, propose
from tests.helpers import run_cli

F = Path(__file__).parent / "fixtures" / "ingest"


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_100k_rejected_rows_all_listed_in_json_and_kept_in_the_report(tmp_path: Path) -> None:
    n = 100_000
    body = "".join(f"2026-03,Acct{i % 97},abc{i}\n" for i in range(n))
    everyone = write(tmp_path, "all_bad.csv", "period,account,revenue\n" + body)
    db = str(tmp_path / "c.duckdb")
    r = run_cli("import", str(everyone), "--db", db, "--json")
    assert r.code == 1 and "--skip-invalid" in r.stderr
    j = r.json
    assert j["rows_rejected"] == n and len(j["rejected"]) == n and j["error"]
    assert j["rejected"][0] == {"row": 2, "column": "revenue", "reason": "'abc0' is not a number"}
    assert j["rejected"][-1]["row"] == n + 1
    assert j["rejected_revenue"] is None  # no rejected line carries a readable revenue
    assert Database(db).scalar("SELECT count(*) FROM uploads") == 0
    # with one valid line, --skip-invalid commits it and the stored report holds every rejected row
    mixed = write(tmp_path, "mixed.csv", "period,account,revenue\n2026-03,Good,1.25\n" + body)
    r = run_cli("import", str(mixed), "--db", db, "--json", "--skip-invalid", "--user", "ann")
    assert r.code == 0, r.stderr
    uid = r.json["upload_id"]
    d = Database(db)
    report = ingest.upload_errors_frame(d, uid)
    assert len(report) == n and list(report.columns) == ["row", "column", "reason"]
    assert report["row"].iloc[0] == 3 and report["row"].iloc[-1] == n + 2
    assert len(ingest.upload_errors(d, uid)) == n
    d.close()


def test_staged_preview_lists_a_sample_and_keeps_all(tmp_path: Path) -> None:
    body = "".join(f"2026-03,A,x{i}\n" for i in range(2500))
    p = write(tmp_path, "bad.csv", "period,account,revenue\n2026-03,A,1\n" + body)
    with ingest.stage(p) as st:
        assert len(st.checked.rejected) == 1000 and st.checked.rejected_entries == 2500
        pv = ingest.preview(Database(tmp_path / "x.duckdb"), st)
        assert len(pv.rejected) == 1000 and len(pv.all_rejected()) == 2500


def test_rejected_revenue_sums_what_can_be_read(empty_db: Database, tmp_path: Path) -> None:
    p = write(tmp_path, "r.csv", "period,account,revenue\n2026-03,A,10.10\nnot a month,B,20.20\n"
                                 "2026-13,C,30.30\n2026-03,D,abc\n2026-03,E,999999999999\n")  # fmt: skip
    with ingest.stage(p, db=empty_db) as st:
        pv = ingest.preview(empty_db, st)
        assert pv.rows_rejected == 4 and pv.rejected_revenue == Decimal("50.50")  # the implausible one not counted
        assert pv.to_json()["rejected_revenue"] == 50.5
        out = ingest.commit(empty_db, st, "t", skip_invalid=True)
    assert empty_db.scalar("SELECT rejected_revenue FROM uploads WHERE id = ?", [out.upload_id]) == Decimal("50.50")


def test_us_states_and_countries_are_kept_and_reported(empty_db: Database, tmp_path: Path) -> None:
    p = write(tmp_path, "states.csv", "period,account,province,revenue\n2026-03,A,NM,100\n2026-03,B,HI,50.5\n"
              "2026-03,C,NM,1\n2026-03,D,广东,10\n2026-03,E,United Kingdom,7\n2026-03,F,SC,2\n")  # fmt: skip
    with ingest.stage(p, db=empty_db) as st:
        pv = ingest.preview(empty_db, st)
        got = [(v.value, v.rows, v.revenue) for v in pv.sales.foreign_provinces]
        assert got == [("NM", 2, Decimal("101")), ("HI", 1, Decimal("50.5")), ("SC", 1, Decimal("2")),
                       ("United Kingdom", 1, Decimal("7"))]  # fmt: skip
        assert pv.to_json()["foreign_provinces"][0] == {"value": "NM", "rows": 2, "revenue": 101.0}
        ingest.commit(empty_db, st, "t")
    rows = dict((a, (p, r)) for a, p, r in empty_db.rows("SELECT account, province, region FROM sales"))
    assert rows["A"] == ("NM", None) and rows["E"] == ("United Kingdom", None)  # as written, no region
    assert rows["D"] == ("Guangdong", "South")


def test_a_mixed_region_column_is_normalised_and_the_rest_listed(empty_db: Database, tmp_path: Path) -> None:
    p = write(tmp_path, "regions.csv", "period,account,region,revenue\n2026-03,A,华东,1\n2026-03,B,East,2\n"
              "2026-03,C,东北,3\n2026-03,D,Midwest,4\n2026-03,E,East China,5\n")  # fmt: skip
    with ingest.stage(p, db=empty_db) as st:
        pv = ingest.preview(empty_db, st)
        assert [(v.value, v.rows) for v in pv.sales.unknown_regions] == [("Midwest", 1)]
        ingest.commit(empty_db, st, "t")
    assert dict(empty_db.rows("SELECT account, region FROM sales")) == {
        "A": "East", "B": "East", "C": "North", "D": "Midwest", "E": "East"}  # fmt: skip


def test_country_is_offered_for_the_region_but_not_proposed() -> None:
    headers = ["InvoiceDate", "CustomerID", "Quantity", "UnitPrice", "Country"]
    assert "Country" in candidates("sales", headers)["region"]
    assert "region" not in propose("sales", headers).fields
    assert candidates("sales", ["国家", "月份"])["region"] == ["国家"]


def test_names_covering_several_ids_are_counted(empty_db: Database, tmp_path: Path) -> None:
    p = write(tmp_path, "ids.csv", "Month,Customer Name,Customer ID,Sales\n2026-03,Costco,C1,1\n2026-03,Costco,C2,2\n"
              "2026-03,Metro,C3,3\n2026-03,Metro AG,C3,4\n2026-03,Lotus,C4,5\n2026-03,Lotus,C4,6\n")  # fmt: skip
    assert account_columns(["Month", "Customer Name", "Customer ID", "Sales"]) == ("Customer Name", "Customer ID")
    with ingest.stage(p, db=empty_db) as st:
        pv = ingest.preview(empty_db, st)
        i = pv.identity
        assert (i.names, i.ids, i.names_multi_ids, i.ids_multi_names) == (4, 4, 1, 1)
        assert i.key_column == "Customer Name"
        assert any("--map account=Customer ID" in n for n in pv.notes)
        assert pv.to_json()["identity"]["names_multi_ids"] == 1
    with ingest.stage(p, overrides={"account": "Customer ID"}, lang="zh") as st:
        assert st.checked.identity.key_column == "Customer ID"
        assert any("--map account=Customer Name" in n for n in st.checked.notes)


def test_negative_quantity_warning_names_the_quantity_column(empty_db: Database) -> None:
    with ingest.stage(F / "retail_december.csv", db=empty_db) as st:
        pv = ingest.preview(empty_db, st)
        neg = [w for w in pv.warnings if "168,469.60" in w["reason"]]
        assert neg and neg[0]["column"] == "Quantity"


def test_total_price_is_preferred_over_quantity_times_price(empty_db: Database, tmp_path: Path) -> None:
    p = write(tmp_path, "tp.csv", "month,customer,quantity,unit_price,total_price\n2026-03,A,3,1.10,3.00\n")
    assert propose("sales", ["month", "customer", "quantity", "unit_price", "total_price"]).fields["revenue"] == (
        "total_price"
    )
    assert propose("sales", ["月份", "客户", "数量", "单价", "金额"]).fields["revenue"] == "金额"
    with ingest.stage(p) as st:
        out = ingest.commit(empty_db, st, "t")
    assert out.sales.revenue == Decimal("3.00")


def test_first_upload_over_the_demo_reports_its_removal_apart(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    shutil.copy(demo_path, path)
    db = Database(path)
    demo_total = db.scalar("SELECT sum(revenue) FROM sales")
    with ingest.stage(F / "kam_a.csv", db=db) as st:
        s = ingest.preview(db, st).sales
    assert s.demo_revenue == demo_total and s.change == s.revenue  # not "change −¥9 B"
    assert s.total_after == s.revenue
    db.close()


def test_month_lists_are_shortened() -> None:
    months = [f"{y}-{m:02d}" for y, m in [(2010, 12), *((2011, i) for i in range(1, 13))]]
    assert month_span(months) == "2010-12 … 2011-12 (13 months)"
    assert month_span(months, "zh") == "2010-12 … 2011-12（13 个月）"
    assert month_span(["2026-01", "2026-03"]) == "2026-01, 2026-03"


def test_json_error_on_stdout_when_a_required_column_is_missing(tmp_path: Path) -> None:
    r = run_cli("import", str(F / "missing_col.csv"), "--db", str(tmp_path / "c.duckdb"), "--json")
    assert r.code == 1
    j = json.loads(r.stdout)
    assert "lacks required columns" in j["error"] and j["upload_id"] is None
    r = run_cli("import", str(F / "missing_col.csv"), "--db", str(tmp_path / "c.duckdb"), "--json", "--lang", "zh")
    assert "缺少必需的列" in r.json["error"]


def test_bad_scope_is_refused_in_both_languages(empty_db: Database) -> None:
    with ingest.stage(F / "kam_a.csv") as st:
        with pytest.raises(ingest.IngestError) as e:
            ingest.preview(empty_db, st, scope="all")
    assert "pairs, months" in e.value.message("en") and "未知的替换范围" in e.value.message("zh")
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 0


def test_data_through_is_in_the_json(empty_db: Database) -> None:
    with ingest.stage(F / "retail_december.csv") as st:
        j = ingest.preview(empty_db, st).to_json()
    assert j["data_through"] == [{"period": "2011-12-01", "data_through": "2011-12-09"}]
    assert date(2011, 12, 9).isoformat() in json.dumps(j)
