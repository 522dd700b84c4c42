"""The shortcuts of the import's fast path give exactly what the long way gives.

Total lines are recognised on the distinct label texts (not row by row), cells are trimmed only where
trim can change them, the cell-length check counts characters only past the byte limit, and the NUL
check is skipped only when the reader saw the whole text without one. Each test compares with the long
way (DuckDB's own ``trim`` / the total-line pattern on every row) or with the refusal it must still give.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.ingest import guard
from kam_core.ingest.validate import _SUMMARY_RE

LABELS = ["Carrefour", "家乐福 小计", "Walmart Total", "Summit Foods", "Total:", "合计", " 合 计 ", "Subtotal (East)",
          "sum", "Sumo", "Grand Total", "小计汇总", "Totally Fresh", "总合计", "Store 7 total"]  # fmt: skip


def _write(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes((header + "\n" + "\n".join(rows) + "\n").encode(encoding))
    return path


def _quote(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


@pytest.mark.parametrize("first", ["period", "province"])
def test_total_lines_are_the_rows_the_pattern_matches(tmp_path: Path, first: str) -> None:
    """Labels in the account, the store and the first column (the month as written, or a province — canonised,
    matched row by row): ``_summary`` is set exactly where the pattern matches one of them."""
    rows = []
    for i, a in enumerate(LABELS):
        for j, s in enumerate(LABELS[::-1]):
            p = ["2026-03", "合计", " Total ", "2026-04"][(i * j) % 4] if first == "period" else "2026-03"
            prov = ["广东", "合计", "Guangdong Total", "上海"][(i + j) % 4]
            cells = {"period": p, "account": a, "store": s, "province": prov, "revenue": str(10 + i + j)}
            order = [first] + [c for c in ("period", "account", "store", "province", "revenue") if c != first]
            rows.append(",".join(_quote(cells[c]) for c in order))
    order = [first] + [c for c in ("period", "account", "store", "province", "revenue") if c != first]
    path = _write(tmp_path / "totals.csv", ",".join(order), rows)
    with ingest.stage(path, "sales") as st:
        got = st.con.execute(
            f"""SELECT _line, _summary,
                       coalesce(regexp_full_match(account, '{_SUMMARY_RE}'), FALSE)
                    OR coalesce(regexp_full_match(store, '{_SUMMARY_RE}'), FALSE)
                    OR coalesce(regexp_full_match(r_period, '{_SUMMARY_RE}'), FALSE)
                    OR coalesce(regexp_full_match({"province" if first == "province" else "r_period"},
                                                  '{_SUMMARY_RE}'), FALSE)
                    OR (account IS NULL AND r_period IS NULL)
                FROM parsed ORDER BY _line"""
        ).fetchall()
        assert len(got) == len(rows)
        assert [(line, s) for line, s, _ in got] == [(line, want) for line, _, want in got]
        assert 0 < st.checked.rows_summary < len(rows)  # both kinds of line are there
        assert st.checked.rows_summary == sum(1 for _, _, want in got if want)


def test_cells_are_trimmed_as_duckdb_trims_them(tmp_path: Path) -> None:
    """Spaces, no-break and ideographic spaces at either end go; a tab, a zero-width space, inner spaces stay."""
    names = ["Carrefour", " Carrefour", "Carrefour  ", "\u00a0Metro\u00a0", "\u3000家乐福\u3000", "家乐福", "\tTab",
             "Zero\u200b", "a  b", "  ", "\u2003Em space", "Ünïcode ", "x"]  # fmt: skip
    rows = [f"2026-03,{_quote(n)},{_quote(' S' + str(i) + ' ')},{i + 1}" for i, n in enumerate(names)]
    path = _write(tmp_path / "spaces.csv", "period,account,store,revenue", rows)
    want = duckdb.connect().execute("SELECT [nullif(trim(x), '') FOR x IN ?]", [names]).fetchone()[0]
    with ingest.stage(path, "sales") as st:
        got = st.con.execute("SELECT account, store FROM parsed ORDER BY _line").fetchall()
    assert [a for a, _ in got] == want
    assert [s for _, s in got] == [f"S{i}" for i in range(len(names))]


def test_a_long_cell_is_counted_in_characters(empty_db: Database, tmp_path: Path) -> None:
    """More bytes than the limit but fewer characters (Chinese, 3 bytes each) is accepted; one more character
    than the limit is refused, naming its line."""
    ok = "家" * (guard.MAX_CELL_CHARS // 2)  # 16 383 characters, 49 149 bytes
    path = _write(tmp_path / "wide_ok.csv", "period,account,revenue", ["2026-03,A,1", f"2026-03,{ok},2"])
    with ingest.stage(path, "sales", db=empty_db) as st:
        assert st.checked.rows_valid == 2
    long = "家" * (guard.MAX_CELL_CHARS + 1)
    path = _write(tmp_path / "wide.csv", "period,account,revenue", ["2026-03,A,1", f"2026-03,{long},2", "2026-03,B,3"])
    with pytest.raises(ingest.IngestError) as e:
        ingest.stage(path, "sales", db=empty_db)
    assert e.value.key == "upload.err.cell_too_long" and e.value.values["line"] == 3


def test_a_nul_past_the_sample_of_a_gbk_file_is_refused(empty_db: Database, tmp_path: Path) -> None:
    """The transcoded copy is checked for NUL too (the sniffed sample of 256 KB had none)."""
    pad = [f"2026-03,家乐福{i},{i}" for i in range(30_000)]
    path = _write(tmp_path / "gbk_nul.csv", "月份,客户,销售额", [*pad, "2026-03,沃尔\x00玛,5"], "gb18030")
    with pytest.raises(ingest.IngestError) as e:
        ingest.stage(path, "sales", db=empty_db)
    assert e.value.key == "upload.err.nul" and int(e.value.values["line"]) == 30_002
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 0


def test_upload_refreshes_the_summaries_it_touches(empty_db: Database, tmp_path: Path) -> None:
    """The summary refresh takes the months and accounts from the file (no pass over sales): after a first
    upload, a pairs re-upload and a months re-upload the summaries equal the fact table."""
    from kam_core import summary

    a = _write(tmp_path / "a.csv", "period,account,store,revenue",
               [f"2026-0{m},A{i},S{i},{m * 10 + i}.25" for m in (1, 2, 3) for i in range(5)])  # fmt: skip
    b = _write(tmp_path / "b.csv", "period,account,store,revenue", ["2026-02,A1,S9,7", "2026-04,A9,S1,3"])
    c = _write(tmp_path / "c.csv", "period,account,store,revenue", ["2026-03,A0,S0,1"])
    for path, scope in ((a, "pairs"), (b, "pairs"), (c, "months")):
        with ingest.stage(path, "sales", db=empty_db) as st:
            ingest.commit(empty_db, st, "tester", scope=scope)
        assert summary.differences(empty_db) == {"sales_cube": 0, "sales_coverage": 0, "account_stores": 0}
    assert empty_db.scalar("SELECT count(*) FROM sales WHERE period = DATE '2026-03-01'") == 1
