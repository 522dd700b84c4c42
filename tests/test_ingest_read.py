"""Readers, mapping and value parsing on the hand-made fixtures (tests/fixtures/ingest)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.ingest.mapping import candidates, propose
from kam_core.ingest.parse import day_first, parse_period

F = Path(__file__).parent / "fixtures" / "ingest"


def rows(st: ingest.Staged, cols: str = "_line, period, account, revenue") -> list[tuple]:
    return st.con.execute(f"SELECT {cols} FROM parsed WHERE NOT _summary AND NOT _bad ORDER BY _line").fetchall()


def test_gbk_with_title_row_and_total_line() -> None:
    with ingest.stage(F / "gbk_title_total.csv") as st:
        assert st.src.encoding == "gb18030" and st.src.delimiter == ","
        assert st.src.header_line == 3  # title, blank line, then the header
        assert st.mapping.fields["period"] == "月份" and st.mapping.fields["revenue"] == "销售额(元)"
        assert st.mapping.fields["account"] == "客户名称" and st.mapping.fields["store"] == "门店编码"
        c = st.checked
        assert (c.rows_read, c.rows_valid, c.rows_rejected, c.rows_summary) == (4, 4, 0, 1)
        got = rows(st, "_line, period, account, store, province, channel, revenue")
        assert got[0] == (4, date(2026, 3, 1), "家乐福", "00017", "Shanghai", "hypermarket", Decimal("1234.5"))
        assert [r[0] for r in got] == [4, 5, 6, 7]  # line numbers as in a text editor
        assert sum(r[-1] for r in got) == Decimal("6134.75")  # the 合计 line is not counted
        # (100.00) is a negative amount: loaded, with a warning on the user's row 6
        assert got[2][-1] == Decimal("-100") and c.warnings[0]["row"] == 6


def test_utf16_tab_text_and_canonical_regions() -> None:
    with ingest.stage(F / "utf16_tab.txt") as st:
        assert st.src.encoding.startswith("utf-16") and st.src.delimiter == "\t"
        got = rows(st, "_line, period, account, revenue, region")
        assert got == [
            (2, date(2026, 3, 1), "Walmart", Decimal("1000.1"), "East"),
            (3, date(2026, 3, 1), "Metro", Decimal("2000.2"), "South"),  # 华南 → South
            (4, date(2026, 4, 1), "Walmart", Decimal("1500.3"), "East"),
        ]


def test_xlsx_notes_sheet_first_dates_and_text_codes() -> None:
    with ingest.stage(F / "notes_first.xlsx") as st:
        assert st.src.sheets == ["Notes", "Data"] and st.src.sheet == "Data"
        assert st.src.header_line == 3
        assert st.checked.rows_summary == 1  # "Total"
        got = rows(st, "_line, period, account, store, revenue")
        assert got[0] == (4, date(2026, 1, 1), "Walmart", "00017", Decimal("1000.5"))
        assert [r[1].month for r in got] == [1, 1, 2, 3]
        assert sum(r[-1] for r in got) == Decimal("4375.875")
    with pytest.raises(ingest.IngestError) as e:
        ingest.stage(F / "notes_first.xlsx", sheet="Nope")
    assert "Notes, Data" in str(e.value)


def test_us_dates_order_date_and_customer_name_preferred() -> None:
    with ingest.stage(F / "us_dates.csv") as st:
        assert st.mapping.fields["period"] == "Order Date"
        assert st.mapping.fields["account"] == "Customer Name"
        cands = candidates("sales", st.src.headers)
        assert cands["period"][:2] == ["Order Date", "Ship Date"]
        assert cands["account"][:2] == ["Customer Name", "Customer ID"]
        got = rows(st, "_line, period, account")
        assert [r[1] for r in got] == [date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 1)]
        assert st.checked.notes  # says how the dates were read


def test_leading_zero_codes_and_formula_text_kept() -> None:
    with ingest.stage(F / "leading_zero.csv") as st:
        assert st.src.delimiter == ";"
        got = rows(st, "store, sku, account")
        assert got == [("00017", "000123", "7-Eleven"), ("00018", "000124", '=HYPERLINK("http://x")')]


def test_revenue_from_volume_times_unit_price_on_real_data() -> None:
    """UCI Online Retail slice (CC BY 4.0): no revenue column; revenue = Quantity × UnitPrice."""
    with ingest.stage(F / "online_retail_slice.csv") as st:
        assert "revenue" not in st.mapping.fields
        assert st.mapping.fields["unit_price"] == "UnitPrice" and st.mapping.fields["volume"] == "Quantity"
        assert st.checked.rows_rejected == 0
        total = st.con.execute("SELECT sum(revenue), sum(volume * unit_price) FROM parsed").fetchone()
        assert total[0] == total[1] and total[0] > 0
        assert st.con.execute("SELECT DISTINCT period FROM parsed").fetchall() == [(date(2010, 12, 1),)]


@pytest.mark.parametrize(
    ("text", "want"),
    [("2026-03", "2026-03"), ("2026/3", "2026-03"), ("202603", "2026-03"), ("Mar 2026", "2026-03"),
     ("2026年3月", "2026-03"), ("2026-03-15", "2026-03"), ("20260315", "2026-03"), ("46082", "2026-03"),
     ("2026-03-15 13:45:00", "2026-03"), ("March 2026", "2026-03"), ("03/2026", "2026-03"), ("x", None),
     ("2026-13", None)],
)  # fmt: skip
def test_period_forms(text: str, want: str | None) -> None:
    got = parse_period(text)
    assert (f"{got:%Y-%m}" if got else None) == want


def test_ambiguous_dates_resolved_over_the_column() -> None:
    assert day_first(["3/1/2026", "15/3/2026"]) is True
    assert day_first(["3/1/2026", "3/15/2026"]) is False
    assert day_first(["3/1/2026"]) is None
    assert parse_period("3/1/2026", dayfirst=True) == date(2026, 1, 1)
    assert parse_period("3/1/2026", dayfirst=False) == date(2026, 3, 1)


def test_number_forms_and_wan(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text(
        "期间,客户,销售额(万元),毛利\n"
        '2026-03,A,"1,234.50",¥1\n2026-03,B,(2),RMB 3\n2026-03,C,1.5,"(1,000)"\n2026-03,D,0.0001,12-\n',
        encoding="utf-8",
    )
    with ingest.stage(p) as st:
        assert st.mapping.scale == {"revenue": 10000.0}  # header says 万元
        got = rows(st, "account, revenue, gross_profit")
        assert got == [("A", Decimal("12345000"), Decimal("1")), ("B", Decimal("-20000"), Decimal("3")),
                       ("C", Decimal("15000"), Decimal("-1000")), ("D", Decimal("1"), Decimal("-12"))]  # fmt: skip


def test_proposal_for_master_kinds() -> None:
    assert propose("receivables", ["客户", "截止日期", "未到期", "逾期1-30天", "逾期90天以上"]).fields == {
        "account": "客户", "as_of": "截止日期", "current": "未到期", "overdue_1_30": "逾期1-30天",
        "overdue_90_plus": "逾期90天以上"}  # fmt: skip
    assert propose("stores", ["门店编码", "客户", "省份"]).fields == {"store": "门店编码", "account": "客户",
                                                                     "province": "省份"}  # fmt: skip


def test_row_numbers_count_blank_lines_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "blank.csv"
    p.write_bytes(
        "\ufeffReport\r\nperiod,account,revenue\r\n2026-03,A,1\r\n\r\n2026-03,B,x\r\n\r\n\r\n2026-03,C,y\r\n".encode()
    )
    with ingest.stage(p) as st:
        assert st.src.header_line == 2 and st.src.encoding == "utf-8-sig"
        assert [r["row"] for r in st.checked.rejected] == [5, 8]  # as a text editor numbers them
        assert rows(st, "_line, account") == [(3, "A")]
