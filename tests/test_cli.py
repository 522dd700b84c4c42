"""CLI contract: commands, JSON on stdout, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kam_core.migrations import MIGRATIONS
from tests.helpers import run_cli as run

ROOT = Path(__file__).resolve().parent.parent


def test_smoke_python_m_kam_core_in_a_subprocess(tmp_path: Path) -> None:
    """The one test that starts the real entry point (the others call cli.main in-process)."""
    db = tmp_path / "x.duckdb"
    r = subprocess.run([sys.executable, "-m", "kam_core", "init", "--db", str(db), "--json", "--user", "ci"],
                       cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["schema_version"] == len(MIGRATIONS)
    r = subprocess.run([sys.executable, "-m", "kam_core", "frobnicate"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""


def test_init_demo_json(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    r = run("init", "--demo", "--db", str(db), "--json", "--user", "ci")
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["schema_version"] >= 1
    assert out["periods"] == ["2023-11-01", "2026-10-01"]
    assert out["accounts"] > 400 and out["sales_rows"] > 100_000
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT user_name, kind FROM uploads").fetchall() == [("ci", "demo")]
    con.close()


def test_init_without_demo_creates_empty_schema(tmp_path: Path) -> None:
    r = run("init", "--db", str(tmp_path / "e.duckdb"))
    assert r.code == 0, r.stderr
    assert f"schema_version: {len(MIGRATIONS)}" in r.stdout


def test_bad_month_is_rejected_with_exit_1(tmp_path: Path) -> None:
    r = run("init", "--demo", "--end", "Oct 2026x", "--db", str(tmp_path / "b.duckdb"))
    assert r.code == 1
    assert "YYYY-MM" in r.stderr
    assert not (tmp_path / "b.duckdb").exists()


def test_usage_error_exit_2() -> None:
    assert run("frobnicate").code == 2
    assert run("init", "--no-such-flag").code == 2


def test_init_demo_refuses_to_wipe_real_uploads(tmp_path: Path) -> None:
    from kam_core.db import Database
    from tests.helpers import add_sales

    p = tmp_path / "real.duckdb"
    db = Database(p)
    add_sales(db, [("2026-03", "Carrefour", "East", "hypermarket", 100, 10, "Li")])
    db.close()
    r = run("init", "--demo", "--db", str(p))
    assert r.code == 1 and "real data" in r.stderr
    db = Database(p)
    assert db.scalar("SELECT sum(revenue) FROM sales") == 100
    db.close()
    assert run("init", "--demo", "--force", "--db", str(p)).code == 0
    db = Database(p)
    assert db.scalar("SELECT count(DISTINCT account) FROM sales") > 400
    db.close()


def test_reading_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "kam.duckdb"
    for cmd in (["pareto", "--by", "account", "--metric", "revenue"], ["tiers"], ["channels"], ["uploads"]):
        r = run(*cmd, "--db", str(missing), "--json")
        assert r.code == 1 and "does not exist" in r.stderr, cmd
        assert r.stdout == ""
    assert not missing.parent.exists()


# -- exact decimals: money goes from DuckDB's DECIMAL to the JSON text without a float ----------------
# 900 lines of 99 999 999 999.99 + 0.55 in one (month, account): 89 999 999 999 991.55 — 16 digits, which a
# float prints as …991.56 (and the month's 89 999 999 999 991.56 as …991.55).
BIG = "89999999999991.55"


def _big_db(tmp_path: Path) -> tuple[Path, dict]:
    lines = ["period,account,revenue,gross_profit,channel"]
    lines += ["2026-02,A,99999999999.99,1.00,hypermarket"] * 900
    lines += ["2026-02,A,0.55,0.01,hypermarket", "2026-02,B,0.01,0,traditional", "2025-02,A,1.01,0,hypermarket",
              "2026-01,A,515.55,0,hypermarket"]  # fmt: skip
    f = tmp_path / "big.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "big.duckdb"
    r = run("import", str(f), "--db", str(db), "--json", "--user", "u")
    assert r.code == 0, r.stderr
    return db, json.loads(r.stdout, parse_float=str)


def test_money_is_printed_exactly_by_every_command(tmp_path: Path) -> None:
    db, imp = _big_db(tmp_path)
    assert {p["account"]: p["revenue"] for p in imp["new_pairs"] if p["period"] == "2026-02-01"}["A"] == BIG
    assert imp["total_after"] == "90000000000508.12"
    month = {m["period"]: m["after"] for m in imp["months"]}
    assert month["2026-02-01"] == "89999999999991.56"

    def js(*argv: str) -> object:
        r = run(*argv, "--db", str(db), "--json")
        assert r.code == 0, r.stderr
        return json.loads(r.stdout, parse_float=str)

    assert js("uploads")[0]["revenue"] == "90000000000508.12"
    assert js("pareto")["total"] == "90000000000508.12"
    ch = {(c["period"], c["channel"]): c["revenue"] for c in js("channels")}
    assert ch[("2026-02", "hypermarket")] == BIG
    assert js("overview", "--month", "2026-02")["revenue"] == "89999999999991.56"
    ex = js("explain", "--from", "2026-02", "--to", "2026-02")
    assert (ex["after"], ex["total_change"]) == ("89999999999991.56", "89999999999990.55")
    assert {m["member"]: m["change"] for m in ex["members"]}["A"] == "89999999999990.54"
    r = run("import", str(tmp_path / "big.csv"), "--db", str(db), "--json", "--dry-run", "--user", "u")
    assert json.loads(r.stdout, parse_float=str)["total_before"] == "90000000000508.12"
    rb = run("rollback", "1", "--db", str(db), "--json", "--user", "u")
    assert rb.code == 0, rb.stderr
    assert js("pareto")["total"] in ("0", 0, "0.0")
