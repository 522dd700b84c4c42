"""``score`` and ``score-model`` on the command line: JSON agrees with the Python API, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kam_core import demo
from kam_core.analytics import scoring as S
from kam_core.db import Database
from tests.helpers import run_cli as run
from tests.test_scoring import FIX, Q1, small


@pytest.fixture
def small_path(tmp_path: Path) -> Path:
    path = tmp_path / "small.duckdb"
    db = Database(path)
    small(db)
    db.close()
    return path


def _write(tmp_path: Path, doc: object, name: str = "m.json") -> str:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(p)


def test_score_json_agrees_with_the_api(small_path: Path) -> None:
    r = run("score", "--db", str(small_path), "--model-file", str(FIX / "model_percentile.json"),
            "--from", "2026-01", "--to", "2026-03", "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    out = r.json
    assert [x["account"] for x in out] == ["A", "C", "B", "E", "D"]
    assert [x["rank"] for x in out] == [1, 2, 3, 4, 5]
    assert [x["key"] for x in out] == [True, True, False, False, False]
    assert out[0]["score"] == pytest.approx((200 + 100 / 3 + 200) / 5, abs=1e-12)
    assert out[1]["coverage"] == 0.4
    assert out[1]["criteria"]["growth"] == {"value": None, "normalised": None, "weight": 2.0, "contribution": 0.0}
    assert out[0]["criteria"]["tier"]["weight"] == 0.0 and out[0]["criteria"]["tier"]["contribution"] == 0.0
    db = Database(small_path)
    try:
        m = S.parse_model(S.read_model_file(FIX / "model_percentile.json"), S.all_criteria(db))
        assert out == json.loads(json.dumps(S.score(db, Q1, m).records()))
    finally:
        db.close()
    for x in out:
        assert sum(c["contribution"] for c in x["criteria"].values()) == pytest.approx(x["score"], abs=1e-12)


def test_top_limits_the_list_and_key_rule_overrides(small_path: Path) -> None:
    args = ("score", "--db", str(small_path), "--model-file", str(FIX / "model_percentile.json"),
            "--from", "2026-01", "--to", "2026-03", "--json")  # fmt: skip
    r = run(*args, "--top", "3")
    assert [x["account"] for x in r.json] == ["A", "C", "B"]
    r = run(*args, "--key-min-score", "45")
    assert [x["account"] for x in r.json if x["key"]] == ["A", "C"]
    r = run(*args, "--key-top", "1")
    assert [x["account"] for x in r.json if x["key"]] == ["A"]
    r = run("score", "--db", str(small_path), "--json")  # default model, last 12 months of data
    assert r.code == 0 and len(r.json) == 5 and all(len(x["criteria"]) == 8 for x in r.json)
    r = run("score", "--db", str(small_path))
    assert r.code == 0 and "rank" in r.stdout.splitlines()[0]


@pytest.mark.parametrize(
    ("doc", "needle_en", "needle_zh"),
    [
        ({"name": "x", "criteria": [{"name": "margin", "weight": 1}]}, "Unknown criterion margin", "未知指标 margin"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": -1}]}, "must be a number ≥ 0", "≥ 0 的数字"),
        ({"name": "x", "criteria": [{"name": "revenue", "weight": 0}]}, "All weights are 0", "所有权重均为 0"),
        (
            {"name": "x", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"best": 3}},
            "key_rule must be",
            "key_rule 必须是",
        ),
        ("{not json", "cannot be read as JSON", "无法按 JSON 读取"),
    ],
)
def test_refused_models_exit_1_and_write_nothing(small_path: Path, tmp_path: Path, doc: object, needle_en: str,
                                                 needle_zh: str) -> None:  # fmt: skip
    f = _write(tmp_path, doc)
    for cmd in (("score", "--model-file", f), ("score-model", "save", f, "--user", "alice")):
        r = run(*cmd, "--db", str(small_path), "--json")
        assert r.code == 1 and r.stdout == "" and needle_en in r.stderr, r.stderr
        r = run(*cmd, "--db", str(small_path), "--json", "--lang", "zh")
        assert r.code == 1 and needle_zh in r.stderr and r.stderr.startswith("错误："), r.stderr
    db = Database(small_path)
    try:
        assert db.scalar("SELECT count(*) FROM score_models") == 0
        assert db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'score_model%'") == 0
    finally:
        db.close()


def test_other_refusals_and_usage_errors(small_path: Path, tmp_path: Path) -> None:
    db = str(small_path)
    assert run("score", "--db", db, "--from", "2026-05", "--to", "2026-01").code == 1
    assert run("score", "--db", db, "--model", "nope").code == 1
    assert "No scoring model named nope" in run("score", "--db", db, "--model", "nope").stderr
    assert run("score", "--db", db, "--top", "0").code == 1
    assert run("score", "--db", db, "--model-file", str(tmp_path / "missing.json")).code == 1
    assert run("score", "--db", str(tmp_path / "none.duckdb")).code == 1
    assert run("score", "--db", db, "--model", "x", "--model-file", "y").code == 2
    assert run("score-model", "save", "--db", db).code == 2
    assert run("score-model", "frobnicate", "--db", db).code == 2


def test_score_model_versions_list_and_activate(small_path: Path, tmp_path: Path) -> None:
    db = str(small_path)
    doc = {"name": "rev", "criteria": [{"name": "revenue", "weight": 1}], "key_rule": {"min_score": 60}}
    f = _write(tmp_path, doc)
    r1 = run("score-model", "save", f, "--db", db, "--user", "alice", "--json")
    assert r1.code == 0, r1.stderr
    assert (r1.json["name"], r1.json["version"], r1.json["saved_by"], r1.json["active"]) == ("rev", 1, "alice", False)
    r2 = run("score-model", "save", f, "--activate", "--db", db, "--user", "bob", "--json")
    assert (r2.json["version"], r2.json["saved_by"], r2.json["active"]) == (2, "bob", True)
    assert r2.json["saved_at"] >= r1.json["saved_at"]
    ls = run("score-model", "list", "--db", db, "--json").json
    assert [(x["name"], x["version"], x["versions"], x["active"]) for x in ls] == [
        ("builtin", None, 0, False), ("rev", 2, 2, True)]  # fmt: skip
    out = run("score", "--db", db, "--from", "2026-01", "--to", "2026-03", "--json").json  # the active model
    assert [x["account"] for x in out if x["key"]] == ["A", "B"]  # revenue percentile 100, 75 ≥ 60
    assert list(out[0]["criteria"]) == ["revenue"]
    show = run("score-model", "show", "rev", "--version", "1", "--db", db, "--json").json
    assert show["version"] == 1 and show["key_rule"] == {"min_score": 60.0}
    r = run("score-model", "activate", "builtin", "--db", db, "--user", "carol", "--json")
    assert r.code == 0 and r.json["name"] == "builtin" and r.json["active"]
    assert "builtin" in run("score-model", "list", "--db", db).stdout


def test_demo_sanity_with_the_default_model(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path, path)  # read-only use, but keep the shared file untouched
    r = run("score", "--db", str(path), "--json")
    assert r.code == 0, r.stderr
    out = r.json
    assert [x["rank"] for x in out] == list(range(1, len(out) + 1))
    assert sum(x["key"] for x in out) == 20
    assert all(0 <= x["score"] <= 100 for x in out)
    scores = [x["score"] for x in out]
    assert scores == sorted(scores, reverse=True)
    chains = {c.account for c in demo.CHAINS}
    by_rev = sorted((x for x in out if x["account"] in chains), key=lambda x: -x["criteria"]["revenue"]["value"])
    top = by_rev[:20]
    # the 20 biggest named chains rank in the top 30 of ~460, unless their payment is the worst (overdue ≥ 40%)
    below = [x for x in top if x["rank"] > 30]
    assert len(below) <= 1 and all(x["criteria"]["overdue_pct"]["value"] >= 0.4 for x in below)
    # the K/A tier keeps its order: every GKA chain ahead of the LKA chains of similar revenue
    gka = [x["rank"] for x in top if x["criteria"]["tier"]["value"] == 3]
    assert max(gka) <= 20
    assert sum(x["key"] for x in top) >= 15
    # growth is scored (the demo's prior year is complete), strategic fit is not in the demo: coverage 12 / 13
    assert out[0]["criteria"]["growth"]["value"] is not None
    assert {round(x["coverage"], 6) for x in top} == {round(12 / 13, 6)}
