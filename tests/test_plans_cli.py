"""``plans`` and ``plan show|save|history|diff|restore``: JSON round trip, refusals with exit 1, usage exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kam_core.db import Database
from tests.helpers import run_cli as run
from tests.plans_helpers import tracking_dataset

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "plan_example.json"


@pytest.fixture
def dbp(tmp_path: Path) -> str:
    path = tmp_path / "plans.duckdb"
    db = Database(path)
    tracking_dataset(db)
    db.close()
    return str(path)


def write(tmp_path: Path, data: dict, name: str = "plan.json") -> str:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(p)


def acme_doc() -> dict:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["account"] = "Acme"
    return data


def n_versions(dbp: str) -> int:
    db = Database(dbp)
    try:
        return db.scalar("SELECT count(*) FROM account_plans")
    finally:
        db.close()


def test_save_show_round_trip_is_identical(dbp: str, tmp_path: Path) -> None:
    r = run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, acme_doc()), "--base", "0",
            "--comment", "first", "--user", "ann", "--db", dbp, "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    assert r.json["version"] == 1 and r.json["saved_by"] == "ann"
    shown = run("plan", "show", "Acme", "--year", "2026", "--json", "--db", dbp).json
    assert shown["version"] == 1 and shown["comment"] == "first"
    # per objective: baseline, actual, target, achieved_pct, status
    rev = {o["objective_id"]: o for o in shown["tracking"]}["rev"]
    assert rev["actual"] == pytest.approx(900) and rev["baseline"] == pytest.approx(2400)
    assert rev["target"] == 250_000_000.0 and rev["status"] == "off_track"
    assert rev["achieved_pct"] == pytest.approx(100 * 900 / 250_000_000)
    # saving the shown JSON back gives an identical document
    r2 = run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, shown, "shown.json"), "--base", "1",
             "--user", "bob", "--db", dbp, "--json")  # fmt: skip
    assert r2.code == 0, r2.stderr
    again = run("plan", "show", "Acme", "--year", "2026", "--json", "--db", dbp).json
    keep = {"version", "saved_by", "saved_at", "comment"}
    assert {k: v for k, v in again.items() if k not in keep} == {k: v for k, v in shown.items() if k not in keep}
    assert again["version"] == 2
    d = run("plan", "diff", "Acme", "--from", "1", "--to", "2", "--json", "--db", dbp).json
    assert d["sections"] == [] and d["lines"] == ["No differences."]


def test_stale_base_is_refused_nothing_written(dbp: str, tmp_path: Path) -> None:
    f = write(tmp_path, acme_doc())
    assert (
        run("plan", "save", "Acme", "--year", "2026", "--file", f, "--base", "0", "--user", "ann", "--db", dbp).code
        == 0
    )
    assert (
        run("plan", "save", "Acme", "--year", "2026", "--file", f, "--base", "1", "--user", "ann", "--db", dbp).code
        == 0
    )
    r = run(
        "plan", "save", "Acme", "--year", "2026", "--file", f, "--base", "1", "--user", "bob", "--db", dbp, "--json"
    )
    assert r.code == 1 and r.stdout == ""
    assert "Version 2 was saved by ann at " in r.stderr
    assert n_versions(dbp) == 2


def test_invalid_document_lists_every_problem_exit_1(dbp: str, tmp_path: Path) -> None:
    data = acme_doc()
    data["stakeholders"][0]["influence"] = 9
    data["objectives"][1]["metric"] = "happiness"
    data["actions"][2]["due"] = "2026-02-01"  # before its start
    r = run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, data), "--base", "0", "--db", dbp)
    assert r.code == 1
    assert "3 problems" in r.stderr
    assert "Stakeholders · row 1 · influence: 9 is outside 1 … 5" in r.stderr
    assert "Objectives · row 2 · metric: 'happiness' is not one of" in r.stderr
    assert "Actions · row 3 · due: due 2026-02-01 is before the start 2026-04-01" in r.stderr
    zh = run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, data), "--base", "0", "--db", dbp,
             "--lang", "zh")  # fmt: skip
    assert zh.code == 1 and "关键人物 · 第 1 行 · influence" in zh.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    r2 = run("plan", "save", "Acme", "--year", "2026", "--file", str(bad), "--base", "0", "--db", dbp)
    assert r2.code == 1 and "not valid JSON" in r2.stderr
    r3 = run("plan", "save", "Nobody", "--year", "2026", "--file", write(tmp_path, data), "--base", "0", "--db", dbp)
    assert r3.code == 1
    assert n_versions(dbp) == 0


def test_history_restore_and_plans_list(dbp: str, tmp_path: Path) -> None:
    data = acme_doc()
    run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, data), "--base", "0", "--comment", "v1",
        "--user", "ann", "--db", dbp)  # fmt: skip
    data2 = {**data, "vision": "changed"}
    run("plan", "save", "Acme", "--year", "2026", "--file", write(tmp_path, data2), "--base", "1", "--comment", "v2",
        "--user", "bob", "--db", dbp)  # fmt: skip
    r = run("plan", "restore", "Acme", "--version", "1", "--year", "2026", "--user", "carl", "--db", dbp, "--json")
    assert r.code == 0, r.stderr
    assert r.json["version"] == 3 and r.json["restored_from"] == 1
    h = run("plan", "history", "Acme", "--json", "--db", dbp).json  # year defaults to the account's latest plan
    assert [(x["version"], x["saved_by"], x["comment"], x["restored_from"]) for x in h] == [
        (3, "carl", "", 1), (2, "bob", "v2", None), (1, "ann", "v1", None)]  # fmt: skip
    v1 = run("plan", "show", "Acme", "--version", "1", "--json", "--db", dbp).json
    v3 = run("plan", "show", "Acme", "--json", "--db", dbp).json
    strip = {"version", "saved_by", "saved_at", "comment", "restored_from"}
    assert {k: v for k, v in v3.items() if k not in strip} == {k: v for k, v in v1.items() if k not in strip}
    d = run("plan", "diff", "Acme", "--from", "1", "--to", "2", "--db", dbp)
    assert d.code == 0 and "Vision: changed Vision — Vision:" in d.stdout
    lst = run("plans", "--year", "2026", "--json", "--db", dbp).json
    row = lst[0]
    assert lst == [{"account": "Acme", "year": 2026, "version": 3, "stage": "cooperative",
                    "target_stage": "interdependent", "updated_at": row["updated_at"], "updated_by": "carl",
                    "objectives_on_track": 0, "objectives_total": 3,
                    "actions_overdue": row["actions_overdue"]}]  # fmt: skip
    assert run("plans", "--year", "2030", "--json", "--db", dbp).json == []


def test_exit_codes(dbp: str, tmp_path: Path) -> None:
    assert run("plan", "show", "Acme", "--year", "2026", "--db", dbp).code == 1  # no plan yet
    assert run("plan", "show", "Acme", "--year", "3000", "--db", dbp).code == 1  # year out of range
    assert run("plan", "save", "Acme", "--file", "x.json", "--db", dbp).code == 2  # --base missing
    assert run("plan", "frobnicate", "Acme", "--db", dbp).code == 2
    assert run("plan", "diff", "Acme", "--from", "1", "--db", dbp).code == 2
    assert run("plan", "show", "Acme", "--db", str(tmp_path / "missing.duckdb")).code == 1
    r = run("plan", "save", "Acme", "--year", "2026", "--file", str(tmp_path / "nope.json"), "--base", "0", "--db", dbp)
    assert r.code == 1 and "Cannot read" in r.stderr
