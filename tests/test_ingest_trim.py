"""Staged texts are trimmed exactly as DuckDB's ``trim`` does, whichever test decides that a cell needs it.

``validate._trim`` runs trim only on cells it can change, and skips the character count on columns the
staging table's statistics show to be ASCII (``validate._ascii_columns``). These tests hold the stored
texts of real-shaped files (GBK with Chinese headers, numeric codes, blank cells, spaces and ideographic
spaces around values, one non-ASCII cell at the very end of an otherwise ASCII column) to that rule —
leading and trailing Unicode space separators go, tabs and inner spaces stay, a cell left empty is NULL —
and a correction upload of the same months, both scopes and a rollback keep the summaries exact.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb

from kam_core import ingest, summary
from kam_core.db import Database
from kam_core.ingest.validate import _ascii_columns

EXACT = {"sales_cube": 0, "sales_coverage": 0, "account_stores": 0}
HEADER = ["月份", "客户名称", "门店编码", "省份", "渠道", "产品编码", "销售额", "数量"]


def _zs_strip(s: str) -> str | None:
    """DuckDB's trim: leading and trailing characters of Unicode category Zs; nothing left is a blank cell."""
    a, b = 0, len(s)
    while a < b and unicodedata.category(s[a]) == "Zs":
        a += 1
    while b > a and unicodedata.category(s[b - 1]) == "Zs":
        b -= 1
    return s[a:b] or None


def _rows(month: str, n: int, bump: int = 0) -> list[list[str]]:
    """Sales lines of one month: padded codes, names with spaces around them, blank quantities."""
    out = []
    for i in range(n):
        account = ["　家乐福 ", "沃尔玛", " Walmart China ", "大润发　"][i % 4]  # ideographic / ASCII spaces
        store = [" 000123", "000045 ", "000045", "  007  "][i % 4]  # numeric codes, leading zeros kept
        sku = ["SKU 1", " SKU2 ", "SKU\t3", "SKU4"][i % 4]  # inner space and tab stay
        revenue = f"{(i * 37 + bump) % 1000 + 0.25:.2f}"
        volume = "" if i % 5 == 0 else str(i % 9 + 1)
        out.append([month, account, store, "广东", "大卖场", sku, revenue, volume])
    return out


def _write(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    text = "\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _expected(rows: list[list[str]]) -> Counter:
    return Counter((_zs_strip(r[1]), _zs_strip(r[2]), _zs_strip(r[5]), Decimal(r[6])) for r in rows)


def _stored(db: Database) -> Counter:
    return Counter(db.rows("SELECT account, store, sku, revenue FROM sales"))


def _load(db: Database, path: Path, scope: str = "pairs") -> int:
    with ingest.stage(path, db=db) as st:
        assert st.checked.rows_rejected == 0, st.checked.rejected[:3]
        return int(ingest.commit(db, st, "tester", scope=scope).upload_id)


def test_texts_are_trimmed_as_duckdb_trim_does(empty_db: Database, tmp_path: Path) -> None:
    rows = _rows("2026年3月", 40) + _rows("2026年4月", 12)
    _load(empty_db, _write(tmp_path / "gbk.csv", rows))
    assert _stored(empty_db) == _expected(rows)
    stores = {r[0] for r in empty_db.rows("SELECT DISTINCT store FROM sales")}
    assert stores == {"000123", "000045", "007"}
    assert {r[0] for r in empty_db.rows("SELECT DISTINCT sku FROM sales")} == {"SKU 1", "SKU2", "SKU\t3", "SKU4"}
    assert empty_db.scalar("SELECT count(*) FROM sales WHERE volume IS NULL") == 11  # blank cells stay NULL
    assert summary.differences(empty_db) == EXACT


def test_one_unicode_space_after_many_ascii_rows_is_trimmed(empty_db: Database, tmp_path: Path) -> None:
    """A column ASCII for 130 000 rows (more than one row group) and then one ideographic space: the
    statistics see it, and that cell is trimmed like any other (UTF-8, a no-break space as well)."""
    rows = _rows("2026-03", 130_000)
    rows.append(["2026-03", "沃尔玛", "\u3000000999\u00a0", "广东", "大卖场", "\u00a0SKU9", "1.00", "1"])
    path = _write(tmp_path / "long.csv", rows, "utf-8")
    with ingest.stage(path, db=empty_db) as st:
        assert st.checked.rows_valid == len(rows)
        ingest.commit(empty_db, st, "tester")
    assert empty_db.scalar("SELECT count(*) FROM sales WHERE store = '000999' AND sku = 'SKU9'") == 1
    assert empty_db.scalar("SELECT count(*) FROM sales WHERE store LIKE '%000999%'") == 1
    assert _stored(empty_db) == _expected(rows)
    assert summary.differences(empty_db) == EXACT


def test_ascii_columns_come_from_the_statistics() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE raw AS SELECT 'a' || i AS c0, CASE WHEN i = 199999 THEN 'é' ELSE 'b' END AS c1, "
                "NULL::VARCHAR AS c2, i AS _line FROM range(200000) t(i)")  # fmt: skip
    assert _ascii_columns(con) == frozenset({"c0", "c2"})
    con.execute("CREATE OR REPLACE TABLE raw AS SELECT 'x' AS c0 WHERE FALSE")
    assert _ascii_columns(con) == frozenset()  # no row to read the statistics from: every column trimmed in full


def test_a_correction_of_the_same_months_keeps_rows_and_summaries_exact(empty_db: Database, tmp_path: Path) -> None:
    db = empty_db
    v1 = _rows("2026年3月", 40) + _rows("2026年4月", 20)
    first = _load(db, _write(tmp_path / "v1.csv", v1))
    # the correction: March with other amounts and without 沃尔玛 (its 10 lines), April partly (12 lines)
    march = [r for r in _rows("2026年3月", 40, bump=5) if r[1] != "沃尔玛"]
    v2 = march + _rows("2026年4月", 12, bump=3)
    second = _load(db, _write(tmp_path / "v2.csv", v2))
    kept = [r for r in v1 if r[0] == "2026年3月" and r[1] == "沃尔玛"]  # pairs: a pair not in the file stays
    assert _stored(db) == _expected(v2 + kept)
    assert summary.differences(db) == EXACT
    ingest.rollback(db, second, "tester")
    assert _stored(db) == _expected(v1)
    assert summary.differences(db) == EXACT
    _load(db, _write(tmp_path / "v2_months.csv", [*v2, v2[0]]), scope="months")  # every stored row of its months
    assert _stored(db) == _expected([*v2, v2[0]])
    assert summary.differences(db) == EXACT
    assert db.scalar("SELECT status FROM uploads WHERE id = ?", [first]) == "superseded"


def test_blank_lines_keep_the_trim_exact(empty_db: Database, tmp_path: Path) -> None:
    """A file with blank lines (its staged rows get line numbers by an UPDATE): still trimmed exactly."""
    rows = _rows("2026-03", 30)
    lines = [",".join(r) for r in [HEADER, *rows]]
    lines[10:10] = ["", ""]
    path = tmp_path / "blank.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    with ingest.stage(path, db=empty_db) as st:
        assert st.src.blank_lines == [11, 12]
        ingest.commit(empty_db, st, "tester")
    assert _stored(empty_db) == _expected(rows)
    assert summary.differences(empty_db) == EXACT
