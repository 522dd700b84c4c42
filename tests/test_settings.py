"""Settings registry: declared once, validated, renamed keys migrated; the settings command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kam_core import settings
from kam_core.db import Database
from kam_core.errors import UserError
from kam_core.migrations import MIGRATIONS
from tests.helpers import run_cli


def test_every_setting_is_declared_with_help_in_both_languages_and_a_valid_default() -> None:
    assert settings.REGISTRY
    for key, s in settings.REGISTRY.items():
        assert key.count(".") == 1 and key == key.lower(), key  # one naming style: feature.name
        assert s.help_en.strip() and s.help_zh.strip() and s.help_en != s.help_zh, key
        assert settings.validate(key, s.default) == s.default, key


def test_get_falls_back_to_default_and_put_validates(empty_db: Database) -> None:
    assert settings.get(empty_db, "tiers.single_store_share") == 0.10
    assert settings.put(empty_db, "tiers.single_store_share", "0.25", "ann") == 0.25
    assert settings.get(empty_db, "tiers.single_store_share") == 0.25
    for bad in (1.5, 0, "x", True, float("nan")):
        with pytest.raises(UserError):
            settings.put(empty_db, "tiers.single_store_share", bad, "ann")
    assert settings.get(empty_db, "tiers.single_store_share") == 0.25
    with pytest.raises(UserError) as e:
        settings.get(empty_db, "no.such")
    assert "no.such" in e.value.message("en") and "没有" in e.value.message("zh")


def test_put_many_writes_all_or_nothing(empty_db: Database) -> None:
    with pytest.raises(UserError):
        settings.put_many(empty_db, {"tiers.min_provinces": 3, "tiers.share_months": -1}, "ann")
    assert settings.get(empty_db, "tiers.min_provinces") == 2
    settings.put_many(empty_db, {"tiers.min_provinces": 3, "tiers.share_months": 6}, "ann")
    assert (settings.get(empty_db, "tiers.min_provinces"), settings.get(empty_db, "tiers.share_months")) == (3, 6)


def test_migration_renames_old_keys_keeping_values(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for stmts in MIGRATIONS[:2]:
        for stmt in stmts:
            con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (1, now(), 't'), (2, now(), 't')")
    old = {
        "channel_map": {"KA卖场": "hypermarket"},
        "traditional_trade_channels": ["traditional"],
        "province_region_map": {"Hubei": "East"},
        "whitespace_threshold": 0.3,
        "tiers.rules": {"single_store_share": 0.05, "min_provinces": 3, "share_months": 12},
    }
    for k, v in old.items():
        con.execute("INSERT INTO settings VALUES (?, ?, 'ann', now())", [k, json.dumps(v, ensure_ascii=False)])
    con.close()
    db = Database(path)
    try:
        assert settings.get(db, "channels.map") == {"KA卖场": "hypermarket"}
        assert settings.get(db, "channels.traditional") == ["traditional"]
        assert settings.get(db, "regions.province_map") == {"Hubei": "East"}
        assert settings.get(db, "regions.whitespace_threshold") == 0.3
        assert settings.get(db, "tiers.single_store_share") == 0.05
        assert settings.get(db, "tiers.min_provinces") == 3
        assert not settings.is_set(db, "tiers.min_stores_lka")
        keys = {r[0] for r in db.rows("SELECT key FROM settings")}
        assert keys <= set(settings.REGISTRY), keys - set(settings.REGISTRY)
    finally:
        db.close()


def test_cli_list_get_set(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert run_cli("init", "--db", db).code == 0
    r = run_cli("settings", "list", "--db", db, "--json")
    assert r.code == 0, r.stderr
    rows = r.json
    assert [x["key"] for x in rows] == sorted(settings.REGISTRY)
    assert all({"key", "value", "default", "help"} <= set(x) for x in rows)
    r = run_cli("settings", "set", "tiers.single_store_share", "0.05", "--db", db, "--json", "--user", "ann")
    assert r.code == 0 and r.json == {"key": "tiers.single_store_share", "value": 0.05, "previous": 0.1}
    r = run_cli("settings", "get", "tiers.single_store_share", "--db", db, "--json")
    assert r.json["value"] == 0.05 and r.json["default"] == 0.1
    r = run_cli("settings", "set", "channels.traditional", "traditional, wholesale", "--db", db, "--json")
    assert r.json["value"] == ["traditional", "wholesale"]
    d = Database(db)
    try:
        assert d.rows("SELECT user_name, action FROM audit_log WHERE action = 'setting' ORDER BY logged_at")[0] == (
            "ann", "setting")  # fmt: skip
        before = d.rows("SELECT * FROM settings ORDER BY key")
    finally:
        d.close()
    for argv, words in (
        (("set", "tiers.single_store_share", "5"), "maximum 1"),
        (("set", "tiers.min_provinces", "2.5"), "not a valid int"),
        (("set", "nope", "1"), "There is no setting 'nope'"),
        (("set", "channels.traditional", "[]"), "cannot be empty"),
        (("set", "tiers.share_months", "3", "--user", " "), "user name is required"),
    ):
        r = run_cli("settings", *argv, "--db", db, "--json")
        assert r.code == 1 and words in r.stderr and r.stdout == "", (argv, r.stderr)
    r = run_cli("settings", "set", "tiers.single_store_share", "5", "--db", db, "--lang", "zh")
    assert r.code == 1 and "最大值" in r.stderr
    assert run_cli("settings", "get", "--db", db).code == 2
    assert run_cli("settings", "frob", "--db", db).code == 2
    d = Database(db)
    try:
        assert d.rows("SELECT * FROM settings ORDER BY key") == before  # nothing written by the refusals
    finally:
        d.close()
