"""The command line's identities: the local operator (admin), ``--as EMAIL``, ``users list|set``, ``audit``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kam_core import auth
from kam_core.db import Database
from tests.helpers import add_sales
from tests.helpers import run_cli as run


@pytest.fixture
def dbp(tmp_path: Path) -> str:
    path = tmp_path / "auth.duckdb"
    db = Database(path)
    add_sales(db, [("2026-03", "Acme", "East", "hypermarket", 100.0, 30.0, "Ann"),
                   ("2026-03", "Beta", "East", "hypermarket", 200.0, 60.0, "Bob")])  # fmt: skip
    auth.set_user(db, "boss@x.com", "admin", "tester")
    auth.set_user(db, "ann@x.com", "kam", "tester", kam_name="Ann")
    auth.set_user(db, "view@x.com", "viewer", "tester")
    db.close()
    return str(path)


def state(dbp: str) -> tuple:
    db = Database(dbp)
    try:
        return (db.scalar("SELECT count(*) FROM audit_log"), db.scalar("SELECT count(*) FROM uploads"),
                db.scalar("SELECT sum(revenue) FROM sales"), db.data_version())  # fmt: skip
    finally:
        db.close()


def test_a_kams_import_of_a_foreign_account_exits_1_naming_it(dbp: str, tmp_path: Path) -> None:
    f = tmp_path / "march.csv"
    f.write_text("period,account,revenue\n2026-04,Acme,10\n2026-04,Beta,20\n", encoding="utf-8")
    before = state(dbp)
    r = run("import", str(f), "--db", dbp, "--as", "ann@x.com")
    assert r.code == 1 and "Beta" in r.stderr and "Acme" not in r.stderr, r.stderr
    assert state(dbp) == before
    r = run("import", str(f), "--db", dbp, "--as", "ann@x.com", "--lang", "zh")
    assert r.code == 1 and "Beta" in r.stderr and "未写入任何内容" in r.stderr
    ok = run("import", str(f), "--db", dbp, "--as", "boss@x.com", "--json")
    assert ok.code == 0 and ok.json["rows_loaded"] == 2
    log = run("audit", "--db", dbp, "--json", "--limit", "1").json[0]
    assert (log["user"], log["action"]) == ("boss@x.com", "upload")
    assert log["detail"]["file"] == "march.csv" and log["detail"]["rows"] == 2 and log["detail"]["upload_id"] >= 1


def test_the_local_operator_is_admin_and_recorded_as_local(dbp: str) -> None:
    r = run("settings", "set", "tiers.min_provinces", "3", "--db", dbp, "--json")
    assert r.code == 0
    log = run("audit", "--db", dbp, "--json").json[0]
    assert log["user"].startswith("local:") and log["action"] == "setting"
    assert log["detail"] == {"key": "tiers.min_provinces", "old": 2, "value": 3}
    r = run("settings", "set", "tiers.min_provinces", "4", "--db", dbp, "--user", "ops", "--json")
    assert r.code == 0 and run("audit", "--db", dbp, "--json").json[0]["user"] == "ops"


def test_users_list_and_set(dbp: str) -> None:
    r = run("users", "list", "--db", dbp, "--json")
    assert r.code == 0 and [(u["email"], u["role"], u["kam_name"]) for u in r.json] == [
        ("ann@x.com", "kam", "Ann"), ("boss@x.com", "admin", None), ("view@x.com", "viewer", None)]  # fmt: skip
    assert set(r.json[0]) == set(auth.USER_COLS)
    r = run("users", "set", "View@X.com", "--role", "executive", "--name", "Vera", "--db", dbp, "--json")
    assert r.code == 0 and (r.json["role"], r.json["name"]) == ("executive", "Vera")
    assert r.json["previous"]["role"] == "viewer"
    assert run("users", "set", "new@x.com", "--role", "kam", "--kam", "Cai", "--db", dbp).stdout.strip() == (
        "new@x.com: kam, KAM Cai"
    )
    log = run("audit", "--db", dbp, "--json").json
    assert log[1]["detail"] == {"email": "view@x.com", "new": False, "role": ["viewer", "executive"],
                                "name": [None, "Vera"]}  # fmt: skip
    before = state(dbp)
    r = run("users", "set", "ann@x.com", "--role", "admin", "--db", dbp, "--as", "ann@x.com")
    assert r.code == 1 and "may not change users and roles" in r.stderr and state(dbp) == before
    assert run("users", "set", "x@x.com", "--db", dbp).code == 2  # --role missing: usage
    assert run("users", "list", "--db", dbp, "--as", "ann@x.com").code == 1  # a KAM does not see the users list


def test_audit_json_fields_since_and_csv(dbp: str, tmp_path: Path) -> None:
    r = run("audit", "--db", dbp, "--json")
    assert r.code == 0 and r.json and all(set(x) == {"at", "user", "action", "detail"} for x in r.json)
    assert [x["action"] for x in r.json[:3]] == ["user.set", "user.set", "user.set"]
    assert run("audit", "--db", dbp, "--json", "--since", "2999-01-01").json == []
    bad = run("audit", "--db", dbp, "--since", "yesterday")
    assert bad.code == 1 and "not a date" in bad.stderr
    out = tmp_path / "audit.csv"
    assert run("audit", "--db", dbp, "--csv", str(out)).code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [k for k in rows[0]] == ["at", "user", "action", "detail"] and len(rows) == len(r.json)
    assert run("audit", "--db", dbp, "--as", "ann@x.com").code == 1  # a KAM does not read the audit log


def test_as_unknown_user_per_setting(dbp: str) -> None:
    # viewer (the default): reads dashboards, writes nothing, no plans
    assert run("overview", "--db", dbp, "--as", "stranger@x.com", "--json").code == 0
    r = run("tier-override", "Acme", "--tier", "NKA", "--why", "x", "--db", dbp, "--as", "stranger@x.com")
    assert r.code == 1 and "(Viewer)" in r.stderr and "may not override a tier" in r.stderr
    r = run("plans", "--db", dbp, "--as", "view@x.com")
    assert r.code == 1 and "may not read account plans" in r.stderr
    assert run("settings", "set", "auth.unknown_users", "refuse", "--db", dbp).code == 0
    before = state(dbp)
    r = run("overview", "--db", dbp, "--as", "stranger@x.com")
    assert r.code == 1 and "not a user of this dashboard" in r.stderr and state(dbp) == before
    assert run("overview", "--db", dbp, "--as", "not-an-email").code == 1


def test_only_an_admin_may_back_up(tmp_path) -> None:
    from kam_core.db import Database
    from tests.helpers import add_sales, run_cli

    path = tmp_path / "b.duckdb"
    db = Database(path)
    add_sales(db, [("2026-03", "A", "East", "hypermarket", 100, 10, "Li")])
    db.close()
    assert run_cli("users", "set", "boss@x.com", "--role", "admin", "--db", str(path)).code == 0
    assert run_cli("users", "set", "exec@x.com", "--role", "executive", "--db", str(path)).code == 0
    r = run_cli("backup", "--out", str(tmp_path / "bk1"), "--db", str(path), "--as", "exec@x.com")
    assert r.code == 1 and not (tmp_path / "bk1").exists(), r.stderr
    r = run_cli("backup", "--out", str(tmp_path / "bk2"), "--db", str(path), "--as", "boss@x.com", "--json")
    assert r.code == 0, r.stderr
