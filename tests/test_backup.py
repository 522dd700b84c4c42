"""backup → restore: every table equal row by row (DECIMAL exact), sequences continue; damaged or newer refused."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kam_core import backup as bk
from kam_core.db import Database
from kam_core.i18n import t
from kam_core.migrations import MIGRATIONS
from tests.helpers import run_cli as run

CSV = "period,account,revenue,gross_profit\n2026-03,Carrefour,1000.11,10.01\n2026-03,Metro,515.55,0.05\n"


def _rows(path: Path) -> dict[str, list[tuple]]:
    db = Database(path)
    try:
        return {tb: db.rows(f"SELECT * FROM {bk._quote(tb)} ORDER BY ALL") for tb in bk.tables(db)}
    finally:
        db.close()


@pytest.fixture
def source(demo_path: Path, tmp_path: Path) -> Path:
    """The demo plus a real upload, a setting and a rolled-back upload: every kind of row."""
    path = tmp_path / "src.duckdb"
    path.write_bytes(demo_path.read_bytes())
    f = tmp_path / "march.csv"
    f.write_text(CSV, encoding="utf-8")
    assert run("import", str(f), "--db", str(path), "--keep-demo", "--user", "u").code == 0
    assert run("settings", "set", "display.currency", "USD", "--db", str(path), "--user", "u").code == 0
    return path


def test_round_trip_is_exact_and_ids_continue(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "bk"
    r = run("backup", "--db", str(source), "--out", str(out), "--json", "--user", "ops")
    assert r.code == 0, r.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert m["schema_version"] == len(MIGRATIONS) and m["created_by"] == "ops" and m["app_version"]
    assert m["tables"]["sales"]["rows"] == json.loads(r.stdout)["tables"]["sales"] > 100_000
    assert all(len(e["sha256"]) == 64 for e in m["tables"].values())

    target = tmp_path / "restored.duckdb"
    r = run("restore", str(out), "--db", str(target), "--json", "--user", "ops")
    assert r.code == 0, r.stderr
    before, after = _rows(source), _rows(target)
    assert before.keys() == after.keys()
    for tb in before:
        if tb in ("meta", "audit_log"):
            continue
        assert after[tb] == before[tb], tb  # DECIMAL values compared as Decimal, row by row
    assert set(before["audit_log"]) <= set(after["audit_log"])
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1  # the restore itself is recorded
    db = Database(target)
    try:
        metro = db.scalar("SELECT sum(revenue) FROM sales WHERE account = 'Metro' AND period = '2026-03-01'")
        assert metro == Decimal("515.55")
        assert db.data_version() > dict(before["meta"])["data_version"]
        last_id = db.scalar("SELECT max(id) FROM uploads")
    finally:
        db.close()
    f = tmp_path / "april.csv"
    f.write_text("period,account,revenue\n2026-04,Metro,1.00\n", encoding="utf-8")
    r = run("import", str(f), "--db", str(target), "--keep-demo", "--json", "--user", "u")
    assert r.code == 0, r.stderr
    assert json.loads(r.stdout)["upload_id"] == last_id + 1


def test_damaged_newer_and_occupied_are_refused(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "bk"
    assert run("backup", "--db", str(source), "--out", str(out)).code == 0
    assert run("backup", "--db", str(source), "--out", str(out)).code == 1  # not an empty directory

    # existing data: refused without --force, replaced with it
    r = run("restore", str(out), "--db", str(source))
    assert r.code == 1 and t("backup.err.has_data", "en", path=str(source)) in r.stderr
    assert run("restore", str(out), "--db", str(source), "--force", "--user", "u").code == 0
    # an empty (just created) database counts as no data
    empty = tmp_path / "empty.duckdb"
    Database(empty).close()
    assert run("restore", str(out), "--db", str(empty)).code == 0

    # one byte flipped: refused, target untouched
    f = out / "sales.parquet"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    fresh = tmp_path / "fresh.duckdb"
    r = run("restore", str(out), "--db", str(fresh))
    assert r.code == 1 and "checksum" in r.stderr and not fresh.exists()
    f.unlink()
    r = run("restore", str(out), "--db", str(fresh))
    assert r.code == 1 and "missing" in r.stderr and not fresh.exists()

    # a backup from a newer schema
    out2 = tmp_path / "bk2"
    assert run("backup", "--db", str(source), "--out", str(out2)).code == 0
    mf = out2 / "manifest.json"
    m = json.loads(mf.read_text())
    m["schema_version"] = len(MIGRATIONS) + 1
    mf.write_text(json.dumps(m))
    r = run("restore", str(out2), "--db", str(fresh), "--lang", "zh")
    assert r.code == 1 and t("backup.err.too_new", "zh", found=len(MIGRATIONS) + 1, known=len(MIGRATIONS)) in r.stderr
    assert not fresh.exists()
    assert run("restore", str(tmp_path), "--db", str(fresh)).code == 1  # no manifest
