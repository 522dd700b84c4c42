"""The classification kept in the database file (kam_core.analytics.tiers.stored, through kam_core.derived): the
very frame the classifier computes, read by a fresh process without computing, never read for another data
version or code fingerprint, and left out of backups."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kam_core import backup, derived
from kam_core.analytics import tiers as T
from kam_core.db import Database
from tests import tiers_reference as ref
from tests.test_tiers_equivalence import assert_same, build_random


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path / "stored.duckdb")
    build_random(d, seed=11, n=800)
    yield d
    d.close()


def _no_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object, **_k: object) -> None:
        raise AssertionError("classified again instead of reading the stored classification")

    monkeypatch.setattr(T, "_classify", fail)


def test_stored_frame_is_the_computed_one(db: Database) -> None:
    T.clear_memo()
    computed = T.account_tiers(db)  # computes and stores
    version = db.data_version()
    assert T.stored(db) is not None
    assert db.data_version() == version  # storing it is no change of data
    for lang in ("en", "zh"):
        expected = ref.account_tiers(db, lang, T.get_rules(db))
        T.clear_memo()
        assert_same(T.account_tiers(db, lang), expected)  # read back from the file
    stored = T.stored(db)
    assert_same(stored.assign(reason=computed["reason"]), computed)
    T.drop_stored(db)
    assert T.stored(db) is None
    T.drop_stored(db)  # (nothing stored: nothing to drop)


def test_a_fresh_process_reads_it_without_computing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fresh.duckdb"
    first = Database(path)
    build_random(first, seed=12, n=500)
    expected = T.account_tiers(first, "zh")
    first.close()
    T.clear_memo()
    again = Database(path)  # a new connection: no memo applies
    try:
        _no_compute(monkeypatch)
        assert_same(T.account_tiers(again, "zh"), expected)
    finally:
        again.close()


def test_every_write_makes_the_next_reader_compute_afresh(db: Database) -> None:
    T.account_tiers(db)
    account = T.account_tiers(db)["account"].iloc[3]
    T.set_override(db, account, "GKA", "merger", "alice")
    assert T.stored(db) is None  # stored for the previous version only
    T.clear_memo()
    now = T.account_tiers(db)
    assert now.set_index("account").loc[account, "tier"] == "GKA"
    assert_same(now, ref.account_tiers(db, "en", T.get_rules(db)))
    T.save_rules(db, T.TierRules(min_provinces=3), "alice")
    T.clear_memo()
    assert_same(T.account_tiers(db), ref.account_tiers(db, "en", T.get_rules(db)))


def test_another_fingerprint_or_schema_is_not_read(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    T.account_tiers(db)
    assert T.stored(db) is not None
    monkeypatch.setattr(derived, "_FINGERPRINT", ["an older app"])
    assert T.stored(db) is None
    monkeypatch.undo()
    with db.transaction("tester", "t") as cur:  # (a write: also a new data version)
        cur.execute("SELECT 1")
    assert T.stored(db) is None


def test_not_stored_when_a_write_came_between_rules_and_snapshot(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real = T.get_rules

    def rules_then_write(d: Database) -> T.TierRules:
        r = real(d)
        T.save_rules(d, T.TierRules(min_provinces=4), "bob")  # the rules change after they were read
        return r

    T.clear_memo()
    monkeypatch.setattr(T, "get_rules", rules_then_write)
    T.account_tiers(db)
    monkeypatch.undo()
    assert T.stored(db) is None  # computed with the old rules on the new data version: not kept
    T.clear_memo()
    assert_same(T.account_tiers(db), ref.account_tiers(db, "en", T.get_rules(db)))


def test_any_province_name_is_stored_as_it_is(empty_db: Database) -> None:
    # (province lists are LIST columns: a name holding a separator, a comma or a quote comes back whole)
    with empty_db.transaction("tester", "t") as cur:
        cur.execute("INSERT INTO accounts (account, format) VALUES ('Odd', 'supermarket')")
        for store, province in (("s1", "A\x1fB"), ("s2", "C, D"), ("s3", "'E'"), ("s4", "广东")):
            cur.execute("INSERT INTO stores (store, account, province) VALUES (?, 'Odd', ?)", [store, province])
    T.clear_memo()
    df = T.account_tiers(empty_db)
    assert df["unknown_provinces"].tolist() == [["'E'", "A\x1fB", "C, D"]]
    assert df["provinces"].tolist() == [["Guangdong"]]
    assert_same(df, ref.account_tiers(empty_db, "en", T.get_rules(empty_db)))
    stored = T.stored(empty_db)
    assert stored is not None
    assert_same(stored.assign(reason=df["reason"]), df)


def test_backups_leave_it_out(db: Database, tmp_path: Path) -> None:
    T.account_tiers(db)
    assert T.stored(db) is not None
    assert "account_tiers" not in backup.tables(db)  # (its own schema; the backup copies schema main)
    out = tmp_path / "bk"
    backup.backup(db, out, "tester")
    restored = tmp_path / "restored.duckdb"
    backup.restore(out, restored, "tester")
    r = Database(restored)
    try:
        assert T.stored(r) is None  # computed afresh from the restored data
        T.clear_memo()
        assert_same(T.account_tiers(r), ref.account_tiers(r, "en", T.get_rules(r)))
    finally:
        r.close()


def test_the_copy_an_older_app_kept_in_its_own_schema_goes_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "older.duckdb"
    Database(path).close()
    con = duckdb.connect(str(path))  # as the app before migration 11 left the file
    con.execute("CREATE SCHEMA tier_cache")
    con.execute("CREATE TABLE tier_cache.account_tiers (account VARCHAR)")
    con.execute("INSERT INTO tier_cache.account_tiers VALUES ('X')")
    con.execute("DELETE FROM schema_version WHERE version = 11")
    con.close()
    d = Database(path)
    try:
        assert d.rows("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'tier_cache'")[0][0] == 0
        build_random(d, seed=13, n=100)
        T.clear_memo()
        computed = T.account_tiers(d)
        assert_same(T.stored(d).assign(reason=computed["reason"]), computed)
        T.drop_stored(d)
        assert T.stored(d) is None
    finally:
        d.close()
