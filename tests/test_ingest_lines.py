"""Row numbers and numbers on the fast paths of the import (chunked blank-line scan, short-number cast)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.ingest import read


def _rejected_rows(path: Path) -> list[int]:
    with ingest.stage(path) as st:
        return [r["row"] for r in st.checked.rejected]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])  # utf-16: the transcoding path
def test_row_numbers_with_crlf_split_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, encoding: str
) -> None:
    # tiny chunks put a CR LF across two reads everywhere: one line break, never a blank line
    monkeypatch.setattr(read, "CHUNK", chunk)
    lines = ["期间,客户,销售额", "2026-03,A,1", "2026-03,B,x", "", "2026-03,C,2", "", "", "2026-03,D,y", "2026-03,E,z"]
    p = tmp_path / "crlf.csv"
    p.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    assert _rejected_rows(p) == [3, 8, 9]  # as a text editor numbers them


@pytest.mark.parametrize("chunk", [1, 4, 7])
def test_row_numbers_without_blank_lines_in_small_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(read, "CHUNK", chunk)
    p = tmp_path / "plain.csv"
    p.write_bytes(b"Report\r\nperiod,account,revenue\r\n2026-03,A,1\r\n2026-03,B,x\r\n2026-03,C,2\r\n2026-03,D,y")
    with ingest.stage(p) as st:
        assert st.src.blank_lines == []
        assert [r["row"] for r in st.checked.rejected] == [4, 6]


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (b"H\nA,x\n\nB,y\n", [2, 4]),  # LF, a blank line between
        (b"H\r\nA,x\n\r\nB,y\r\n", [2, 4]),  # mixed breaks, a CR LF blank line after an LF
        (b"H\nA,x\nB,y\n\n\n", [2, 3]),  # blank lines at the end only
        (b"H\nA,x\nB,y", [2, 3]),  # no break after the last line
        (b"H\r\n\r\nA,x\r\nB,y\r\n", [3, 4]),  # a blank line right under the header
    ],
)
def test_row_numbers_when_lines_and_rows_differ(tmp_path: Path, body: bytes, rows: list[int]) -> None:
    """The line count tells whether every line under the header is a row; where not, blank lines are found."""
    p = tmp_path / "b.csv"
    p.write_bytes(
        body.replace(b"H", b"period,account,revenue").replace(b"A,", b"2026-03,A,").replace(b"B,", b"2026-03,B,")
    )
    assert _rejected_rows(p) == rows


def test_short_and_long_number_texts_round_the_same_way(tmp_path: Path) -> None:
    # 4999995e-11 = 0.00004999995: the full parse rounds it to 10 decimals first (0.0000500000 -> 0.0001);
    # short texts take a direct cast, which must agree wherever both apply
    p = tmp_path / "n.csv"
    p.write_text(
        "period,account,revenue,volume\n2026-03,A,4999995e-11,1.23455\n2026-03,B,0.00004999999999,12345678.12345\n"
        "2026-03,C,-0.00005,99999999999.99\n2026-03,D,1e3,5\n",
        encoding="utf-8",
    )
    with ingest.stage(p) as st:
        got = st.con.execute("SELECT account, revenue, volume FROM parsed ORDER BY _line").fetchall()
    assert got == [
        ("A", Decimal("0.0001"), Decimal("1.2346")),
        ("B", Decimal("0.0001"), Decimal("12345678.1235")),
        ("C", Decimal("-0.0001"), Decimal("99999999999.9900")),
        ("D", Decimal("1000"), Decimal("5")),
    ]


def test_revenue_from_large_volume_times_price(tmp_path: Path) -> None:
    # 1000 × 1000 overflowed DECIMAL(18,12) and failed the whole import with a database error
    p = tmp_path / "vp.csv"
    p.write_text(
        "period,account,volume,unit_price\n2026-03,A,1000,1000\n2026-03,B,2,3.5\n2026-03,C,99999,99999.123456\n"
        "2026-03,D,1.00005,1\n",
        encoding="utf-8",
    )
    with ingest.stage(p) as st:
        got = st.con.execute("SELECT account, revenue FROM parsed ORDER BY _line").fetchall()
        assert st.checked.rows_rejected == 0
    assert got == [
        ("A", Decimal("1000000")),
        ("B", Decimal("7")),
        ("C", Decimal("9999812346.4765")),  # 99999 × 99999.123456 = 9999812346.476544
        ("D", Decimal("1.0001")),
    ]
