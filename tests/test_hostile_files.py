"""Untrusted files: refused with a clear message in both languages, the process alive, memory kept, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kam_core import ingest
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.i18n import t
from kam_core.ingest import guard, scratch
from kam_core.ingest.mapping import Mapping
from tests.hostile import far_cell_xlsx, lying_dimension_xlsx, rss_mb, zip_bomb_xlsx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_bomb_xlsx(tmp_path_factory.mktemp("bomb") / "bomb.xlsx")


def _refused(db: Database, path: Path, key: str, **expect: str) -> ingest.IngestError:
    """Stage ``path`` against ``db``: refused with ``key``; no upload row, no leftover scratch folder."""
    before = db.scalar("SELECT count(*) FROM uploads")
    left = set(scratch.process_dir().iterdir())
    with pytest.raises(ingest.IngestError) as e:
        ingest.stage(path, "sales", db=db)
    assert e.value.key == key, e.value.message("en")
    for lang in ("en", "zh"):
        msg = e.value.message(lang)
        assert path.name in msg and "{" not in msg
        for v in expect.values():
            assert v in msg, msg
    assert db.scalar("SELECT count(*) FROM uploads") == before
    assert set(scratch.process_dir().iterdir()) == left  # nothing left behind
    return e.value


def test_far_cell_is_refused_before_any_reader_runs(empty_db: Database, tmp_path: Path) -> None:
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    rss = rss_mb()
    e = _refused(empty_db, path, "upload.err.sheet_dimension", last="XFD1048576", limit=f"{guard.MAX_CELLS:,}")
    assert e.values["sheet"] == "Sales"  # the sheet's name as the user sees it
    assert rss_mb() - rss < 50


def test_a_lying_dimension_is_caught_by_the_cells_present(empty_db: Database, tmp_path: Path) -> None:
    path = lying_dimension_xlsx(tmp_path / "lie.xlsx")
    _refused(empty_db, path, "upload.err.sheet_cells", last="XFD1048576")


def test_zip_bomb_is_refused_from_the_zip_directory(empty_db: Database, bomb: Path) -> None:
    assert bomb.stat().st_size < 3 * 1024**2
    rss = rss_mb()
    e = _refused(empty_db, bomb, "upload.err.zip_ratio", limit=str(guard.MAX_RATIO))
    assert rss_mb() - rss < 300  # the 1 GB sheet is never unpacked
    assert "1.0 GB" in e.message("en")


def test_whatever_passes_the_checks_is_read_in_a_limited_process(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the checks off, the 512 GiB request hits the worker's memory limit: an IngestError, we live on."""
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    monkeypatch.setattr(guard, "MAX_CELLS", 10**12)
    monkeypatch.setattr(guard, "READER_MEMORY", 512 * 1024**2)
    rss = rss_mb()
    _refused(empty_db, path, "upload.err.reader_limit", memory="512 MB")
    assert rss_mb() - rss < 300
    # and a reader that takes too long is stopped
    monkeypatch.setattr(guard, "READER_SECONDS", 0.001)
    _refused(empty_db, path, "upload.err.reader_time")


def test_a_normal_workbook_still_reads_through_the_worker(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "数据"
    wb.active.append(["月份", "客户名称", "销售额"])
    wb.active.append(["2026-03", "家乐福", 1234.5])
    wb.save(tmp_path / "ok.xlsx")
    with ingest.stage(tmp_path / "ok.xlsx") as st:
        assert (st.src.sheet, st.checked.rows_valid) == ("数据", 1)
        assert st.tmpdir.parent == scratch.process_dir()


def test_cli_refuses_the_far_cell_with_exit_1_not_an_abort(tmp_path: Path) -> None:
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    r = subprocess.run(
        [sys.executable, "-m", "kam_core", "import", str(path), "--dry-run", "--db", str(tmp_path / "k.duckdb")],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert "XFD1048576" in r.stderr and "Traceback" not in r.stderr


# -- text files ---------------------------------------------------------------------------------


def test_one_megabyte_unquoted_cell(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bigcell.csv"
    path.write_text("period,account,revenue\n2026-03," + "x" * 1_000_000 + ",100\n2026-03,B,5\n")
    _refused(empty_db, path, "upload.err.cell_too_long", line="2", limit=f"{guard.MAX_CELL_CHARS:,}")


def test_long_cell_after_the_sample_is_found_with_its_line(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"2026-03,A{i},{i}\n" for i in range(40_000))
    path.write_text("period,account,revenue\n" + body + "2026-03," + "y" * 40_000 + ",1\n")
    _refused(empty_db, path, "upload.err.cell_too_long", line="40002", column="account")


def test_overlong_line_is_refused(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    body = "".join(f"2026-03,A{i},{i}\n" for i in range(40_000))
    path.write_text("period,account,revenue\n" + body + "2026-03,B,1," + ",".join(["z" * 1000] * 2000) + "\n")
    e = _refused(empty_db, path, "upload.err.line_too_long", limit=f"{guard.MAX_LINE_BYTES:,}")
    assert e.values["line"] != "?"


@pytest.mark.parametrize("late", [False, True])
def test_nul_byte_in_a_name_is_refused_with_its_line(empty_db: Database, tmp_path: Path, late: bool) -> None:
    path = tmp_path / "nul.csv"
    pad = "".join(f"2026-03,A{i},{i}\n" for i in range(30_000)) if late else ""
    path.write_bytes(f"period,account,revenue\n{pad}2026-03,Carre\x00four,100\n2026-03,B,5\n".encode())
    _refused(empty_db, path, "upload.err.nul", line=str(2 + (30_000 if late else 0)))


def test_mixed_utf8_and_gbk_lines_are_refused(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "period,account,revenue\n2026-03,家乐福超市,100\n".encode()
        + "2026-03,沃尔玛超市,200\n".encode("gbk")
    )  # fmt: skip
    _refused(empty_db, path, "upload.err.mixed_encoding", good="2", bad="3")


def test_unlikely_code_page_is_refused_not_garbled(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "cyr.csv"
    path.write_bytes("period,account,revenue\n2026-03,Магазин Пятёрочка,100\n".encode("cp1251"))
    try:
        with ingest.stage(path) as st:  # either read right, or refused: never silently garbled
            assert st.src.encoding in ("cp1251", "windows-1251")
    except ingest.IngestError as e:
        assert e.key == "upload.err.encoding"


def test_gbk_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("月份,客户名称,销售额\n2026-03,家乐福,100\n2026-03,沃尔玛,200\n".encode("gbk"))
    with ingest.stage(path) as st:
        assert st.src.encoding == "gb18030"
        assert {r[0] for r in st.con.execute("SELECT account FROM parsed").fetchall()} == {"家乐福", "沃尔玛"}


def test_total_beyond_decimal_18_4_is_refused_at_preview(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("period,account,revenue\n" + "".join(f"2026-03,A{i},99000000000\n" for i in range(1600)))
    with ingest.stage(path, db=empty_db, absurd=1e12) as st:
        with pytest.raises(ingest.IngestError) as e:
            ingest.preview(empty_db, st)
    assert e.value.key == "upload.err.total_too_large"
    assert "158,400,000,000,000.00" in e.value.message("en") and "revenue" in e.value.message("zh")
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 0


def test_blank_user_is_refused_with_the_message(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("period,account,revenue\n2026-03,A,100\n")
    with ingest.stage(path, db=empty_db) as st:
        with pytest.raises(ingest.IngestError) as e:
            ingest.commit(empty_db, st, " ")
    assert e.value.key == "upload.err.no_user"
    with pytest.raises(UserError) as e2:
        ingest.save_template(empty_db, "x", "sales", Mapping({"period": "period"}), "  ")
    assert e2.value.key in ("upload.err.no_user", "db.err.user_required")
    assert empty_db.scalar("SELECT count(*) FROM uploads") == 0


def test_duplicate_header_is_said_and_either_can_be_mapped(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("period,account,revenue,revenue\n2026-03,A,100,7000\n")
    with ingest.stage(path) as st:
        assert st.src.headers == ["period", "account", "revenue", "revenue_2"]
        assert t("upload.note.duplicate_header", "en", name="revenue", n=2, cols="3, 4",
                 names="revenue, revenue_2") in st.checked.notes  # fmt: skip
        assert st.con.execute("SELECT revenue FROM parsed").fetchone()[0] == 100
    with ingest.stage(path, overrides={"revenue": "revenue_2"}) as st:
        assert st.con.execute("SELECT revenue FROM parsed").fetchone()[0] == 7000


def test_scratch_is_private(tmp_path: Path) -> None:
    d = scratch.private_dir("t_")
    f = scratch.write_private(d / "x", b"secret")
    assert os.stat(scratch.root()).st_mode & 0o777 == 0o700
    assert os.stat(scratch.process_dir()).st_mode & 0o777 == 0o700
    assert os.stat(d).st_mode & 0o777 == 0o700 and os.stat(f).st_mode & 0o777 == 0o600


def test_scratch_of_a_dead_process_is_removed() -> None:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    stale = scratch.root() / f"{p.pid}-1"
    (stale / "kam_upload").mkdir(parents=True)
    (stale / "kam_upload" / "copy.csv").write_bytes(b"x" * 1000)
    live = scratch.root() / f"{os.getppid()}-"  # a live process (our parent) without start time: kept
    live.mkdir(exist_ok=True)
    gone = scratch.sweep()
    assert stale in gone and not stale.exists() and live.exists()
    live.rmdir()
