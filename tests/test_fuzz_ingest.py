"""Property-based tests: readers, value parsers and mapping never crash — only a clear UserError, nothing written."""

from __future__ import annotations

import tempfile
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kam_core import ingest
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.i18n import CATALOG
from kam_core.ingest.mapping import Mapping, apply_overrides, propose
from kam_core.ingest.parse import day_first, parse_day, parse_period

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=30, deadline=None)  # each example starts the workbook reader process
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "cp1252", "big5", "latin-1"]
HEADERS = ["period", "月份", "account", "客户名称", "revenue", "销售额", "province", "region", "x", "", "revenue"]
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2026-03", "202603", "Mar 2026", "2026年3月", "1,234.50", "(100)", "¥1万", "-", "", "1e400",
                     "NaN", "99999999999999999999", "0x1F", "3/13/2026", '"', '""', "\r", "=cmd|'/c calc'!A1"]),
)  # fmt: skip


def _check(db: Database | None, path: Path, **kw: object) -> None:
    """Stage (and preview against ``db``): either it works or a UserError with a message in both languages."""
    n = db.scalar("SELECT count(*) FROM uploads") if db else 0
    try:
        with ingest.stage(path, db=db, **kw) as s:
            if db is not None:
                ingest.preview(db, s)
    except UserError as e:
        assert e.key in CATALOG  # a catalog message, not a raw exception text
        for lang in ("en", "zh"):
            msg = e.message(lang)
            assert msg and "Traceback" not in msg
    if db is not None:
        assert db.scalar("SELECT count(*) FROM uploads") == n  # staging and preview never write


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    d = Database(tmp_path_factory.mktemp("fuzz") / "f.duckdb")
    yield d
    d.close()


@FAST
@given(data=st.binary(max_size=2000))
def test_random_bytes(db: Database, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "r.csv"
        p.write_bytes(data)
        _check(db, p)


@SLOW
@given(data=st.binary(max_size=600), prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_random_bytes_that_look_like_excel(data: bytes, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "r.xlsx"
        p.write_bytes(prefix + data)
        _check(None, p)


@FAST
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=12),
    delim=st.sampled_from([",", "\t", ";", "|"]),
    quote_all=st.booleans(),
    enc=st.sampled_from(ENCODINGS),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_csv_text(
    db: Database, header: list[str], rows: list[list[str]], delim: str, quote_all: bool, enc: str, eol: str
) -> None:
    def q(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if quote_all or delim in c or '"' in c or "\n" in c else c

    text = eol.join(delim.join(q(c) for c in r) for r in [header, *rows]) + eol
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv"
        p.write_bytes(text.encode(enc, errors="replace"))
        _check(db, p)


@FAST
@given(text=st.text(max_size=30), dayfirst=st.sampled_from([None, True, False]))
def test_period_parser_total(text: str, dayfirst: bool | None) -> None:
    p = parse_period(text, dayfirst)
    assert p is None or (p.day == 1 and 1900 <= p.year <= 2200)
    d = parse_day(text, dayfirst)
    assert d is None or isinstance(d, date)
    assert day_first([text]) in (None, True, False)


@FAST
@given(y=st.integers(1900, 2200), m=st.integers(1, 12))
def test_period_forms_round_trip(y: int, m: int) -> None:
    for form in (f"{y}-{m:02d}", f"{y}{m:02d}", f"{y}年{m}月", f"{y}/{m}"):
        assert parse_period(form) == date(y, m, 1), form


@cache
def _numbers():
    import duckdb

    from kam_core.ingest.parse import NUMBER_MACROS

    con = duckdb.connect()
    for sql in NUMBER_MACROS:
        con.execute(sql)
    return con


@FAST
@given(values=st.lists(st.one_of(st.text(max_size=15), st.decimals(allow_nan=False, places=4).map(str)), max_size=20))
def test_number_parser_never_fails(values: list[str]) -> None:
    """The SQL number macros turn any text into a number or NULL, never an error."""
    sql = "SELECT num(x), num4(x), num6(x) FROM (SELECT unnest(?::VARCHAR[]) AS x)"
    out = _numbers().execute(sql, [values]).fetchall()
    assert len(out) == len(values)


@FAST
@given(headers=st.lists(st.text(max_size=10), max_size=10), kind=st.sampled_from(ingest.KINDS),
       over=st.dictionaries(st.sampled_from(["period", "account", "revenue", "region"]),
                            st.one_of(st.none(), st.text(max_size=8)), max_size=3))  # fmt: skip
def test_mapping_is_total(headers: list[str], kind: str, over: dict) -> None:
    m = propose(kind, headers)
    assert set(m.fields.values()) <= set(headers) and len(set(m.fields.values())) == len(m.fields)
    m2 = apply_overrides(m, over)
    assert Mapping.from_obj(m2.to_json()).fields == m2.fields
