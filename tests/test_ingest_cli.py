"""CLI: import / uploads / rollback with --json (spec §9), exit codes, --map, --dry-run, --kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kam_core.cli import main
from kam_core.db import Database

F = Path(__file__).parent / "fixtures" / "ingest"


def cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip().startswith(("{", "[")) else out.out), out.err


def test_import_dry_run_commit_duplicate_uploads_rollback(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "c.duckdb")
    code, out, _ = cli(capsys, "import", str(F / "gbk_title_total.csv"), "--db", db, "--json", "--dry-run")
    assert code == 0 and out["upload_id"] is None and out["rows_read"] == 4 and out["rows_loaded"] == 0
    assert Database(db).scalar("SELECT count(*) FROM sales") == 0
    code, out, _ = cli(capsys, "import", str(F / "gbk_title_total.csv"), "--db", db, "--json", "--user", "ann")
    assert code == 0
    assert {k: out[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rejected")} == {
        "rows_read": 4, "rows_loaded": 4, "rows_rejected": 0, "rejected": []}  # fmt: skip
    uid = out["upload_id"]
    assert out["total_after"] == 6134.75
    code, out, err = cli(capsys, "import", str(F / "gbk_title_total.csv"), "--db", db, "--json")
    assert code == 1 and "already imported" in err
    code, out, _ = cli(capsys, "uploads", "--db", db, "--json")
    assert out[0]["id"] == uid and out[0]["user_name"] == "ann" and out[0]["periods"] == ["2026-03"]
    code, out, _ = cli(capsys, "rollback", str(uid), "--db", db, "--json", "--user", "bob")
    assert code == 0 and out["rows_removed"] == 4
    code, out, _ = cli(capsys, "uploads", "--db", db, "--json")
    assert out[0]["status"] == "rolled_back" and out[0]["rolled_back_by"] == "bob"
    code, _, err = cli(capsys, "rollback", "999", "--db", db)
    assert code == 1 and "no upload #999" in err


def test_rejected_rows_listed_refused_then_skip_invalid(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "c.duckdb")
    code, out, err = cli(capsys, "import", str(F / "negative_absurd.csv"), "--db", db, "--json")
    assert code == 1 and "--skip-invalid" in err
    assert out["rejected"] == [
        {"row": 3, "column": "revenue", "reason": "'999999999999999' is implausibly large for one line"},
        {"row": 4, "column": "revenue", "reason": "'abc' is not a number"},
    ]
    assert Database(db).scalar("SELECT count(*) FROM uploads") == 0
    code, out, _ = cli(capsys, "import", str(F / "negative_absurd.csv"), "--db", db, "--json", "--skip-invalid")
    assert code == 0 and out["rows_loaded"] == 2 and out["rows_rejected"] == 2 and out["upload_id"] == 1


def test_map_sheet_kind_and_usage_errors(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "c.duckdb")
    code, out, _ = cli(capsys, "import", str(F / "us_dates.csv"), "--db", db, "--json", "--dry-run",
                       "--map", "period=Ship Date", "--map", "account=Customer ID")  # fmt: skip
    assert code == 0 and out["mapping"]["period"] == "Ship Date" and out["accounts"] == ["C-001", "C-002"]
    assert out["periods"] == ["2026-03-01", "2026-04-01"]
    code, _, err = cli(capsys, "import", str(F / "us_dates.csv"), "--db", db, "--map", "colour=Sales")
    assert code == 1 and "Unknown field colour" in err
    code, _, err = cli(capsys, "import", str(F / "missing_col.csv"), "--db", db, "--map", "account=store")
    assert code == 1 and "not a number" in err  # amount_text holds text: rejected rows, refused
    code, out, _ = cli(capsys, "import", str(F / "notes_first.xlsx"), "--db", db, "--json", "--sheet", "Data")
    assert code == 0 and out["sheet"] == "Data" and out["rows_loaded"] == 4
    code, out, _ = cli(capsys, "import", str(F / "receivables.csv"), "--db", db, "--json", "--kind", "receivables")
    assert code == 0 and out["rows_loaded"] == 2
    with pytest.raises(SystemExit) as e:
        main(["import", str(F / "us_dates.csv"), "--kind", "nonsense"])
    assert e.value.code == 2
    code, _, err = cli(capsys, "import", str(tmp_path / "nope.csv"), "--db", db)
    assert code == 1 and "not found" in err
