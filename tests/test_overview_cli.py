"""``overview --json``: the month's figures; growth only where both months hold data; partial months flagged."""

from __future__ import annotations

from pathlib import Path

from kam_core.db import Database
from tests.helpers import add_sales, run_cli


def test_overview_json_with_and_without_comparable_months(tmp_path: Path) -> None:
    path = tmp_path / "o.duckdb"
    db = Database(path)
    add_sales(db, [("2025-03", "A", "East", "hypermarket", 100, 10, "Li"),
                   ("2026-02", "A", "East", "hypermarket", 200, 20, "Li"),
                   ("2026-03", "A", "East", "hypermarket", 150, 30, "Li"),
                   ("2026-03", "B", "East", "supermarket", 50, 5, "Li")])  # fmt: skip
    db.close()
    r = run_cli("overview", "--db", str(path), "--json")
    assert r.code == 0, r.stderr
    out = r.json
    assert out["month"] == "2026-03" and out["revenue"] == 200 and out["gross_profit"] == 35
    assert out["accounts"] == 2 and out["currency"] == "CNY"
    assert out["mom"] == 0.0 and out["yoy"] == 1.0
    assert out["partial"] is False and out["data_through"] is None
    r = run_cli("overview", "--db", str(path), "--month", "2026-02", "--json")
    assert r.json["revenue"] == 200 and r.json["mom"] is None and r.json["yoy"] is None
    assert r.json["mom_note"] == "no data for the month before (2026-01)"
    r = run_cli("overview", "--db", str(path), "--month", "2026-02", "--lang", "zh")
    assert "上月（2026-01）无数据" in r.stdout
    # a month that ends on the 9th is partial: no MoM against it
    db = Database(path)
    uid = db.scalar("SELECT max(id) FROM uploads")
    with db.transaction("t", "test") as cur:
        cur.execute("INSERT INTO upload_periods VALUES (?, DATE '2026-03-01', DATE '2026-03-09')", [uid])
    db.close()
    out = run_cli("overview", "--db", str(path), "--json").json
    assert out["partial"] is True and out["data_through"] == "2026-03-09" and out["mom"] is None
    assert out["mom_note"] == "2026-03 is partial: data through 2026-03-09"
    assert run_cli("overview", "--db", str(path), "--month", "2026-13").code == 1
    assert run_cli("overview", "--db", str(path), "--month", "2030-01", "--json").json["revenue"] is None
