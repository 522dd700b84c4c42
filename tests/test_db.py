"""Storage: migrations, schema versions, transactions and the audit trail."""

from __future__ import annotations

import duckdb
import pytest

from kam_core import migrations
from kam_core.db import Database, SchemaTooNewError


def test_new_database_has_schema_and_version(empty_db: Database) -> None:
    assert empty_db.schema_version() == len(migrations.MIGRATIONS)
    tables = {r[0] for r in empty_db.rows("SELECT table_name FROM information_schema.tables")}
    for t in ("sales", "accounts", "stores", "receivables", "uploads", "settings", "account_plans", "skus"):
        assert t in tables


def test_reopening_does_not_reapply(tmp_path) -> None:
    p = tmp_path / "a.duckdb"
    Database(p).close()
    db = Database(p)
    assert db.rows("SELECT count(*) FROM schema_version")[0][0] == len(migrations.MIGRATIONS)
    db.close()


def test_older_file_is_upgraded(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "old.duckdb"
    Database(p).close()  # written at the current version
    v2 = ["CREATE TABLE upgrade_probe (x INTEGER)", "INSERT INTO upgrade_probe VALUES (42)"]
    monkeypatch.setattr("kam_core.db.MIGRATIONS", [*migrations.MIGRATIONS, v2])
    db = Database(p)
    assert db.schema_version() == len(migrations.MIGRATIONS) + 1
    assert db.scalar("SELECT x FROM upgrade_probe") == 42
    db.close()


def test_newer_file_is_refused_clearly(tmp_path) -> None:
    p = tmp_path / "new.duckdb"
    Database(p).close()
    con = duckdb.connect(str(p))
    con.execute("INSERT INTO schema_version VALUES (99, now(), 'future')")
    con.close()
    with pytest.raises(SchemaTooNewError, match="schema version 99"):
        Database(p)


def test_transaction_records_user_and_rolls_back_on_error(empty_db: Database) -> None:
    v0 = empty_db.data_version()
    empty_db.set_setting("abc_thresholds", [0.8, 0.95], user="alice")
    assert empty_db.get_setting("abc_thresholds") == [0.8, 0.95]
    assert empty_db.data_version() == v0 + 1
    row = empty_db.rows("SELECT user_name, action FROM audit_log ORDER BY logged_at DESC LIMIT 1")[0]
    assert row == ("alice", "setting")
    assert empty_db.scalar("SELECT updated_by FROM settings WHERE key = 'abc_thresholds'") == "alice"

    with pytest.raises(RuntimeError), empty_db.transaction("bob", "test") as cur:
        cur.execute("INSERT INTO settings VALUES ('x', '1', 'bob', now())")
        raise RuntimeError("boom")
    assert empty_db.scalar("SELECT count(*) FROM settings WHERE key = 'x'") == 0
    assert empty_db.data_version() == v0 + 1


def test_every_write_needs_a_user(empty_db: Database) -> None:
    with pytest.raises(ValueError, match="user name is required"):
        empty_db.set_setting("k", 1, user="  ")


def test_versions_are_remembered_until_this_process_writes(tmp_path) -> None:
    from kam_core.db import Database

    db = Database(tmp_path / "v.duckdb")
    try:
        before = db.versions()
        assert db.versions() == before
        reads: list[str] = []
        real = Database.rows

        def counted(self, sql, params=None):
            reads.append(sql)
            return real(self, sql, params)

        Database.rows = counted  # type: ignore[method-assign]
        try:
            assert db.versions() == before and not reads  # remembered: no query
            with db.transaction("tester", "a plan", data=False):
                pass
            assert db.versions() == (before[0], before[1] + 1)  # read again after the write
            with db.transaction("tester", "data"):
                pass
            assert db.versions() == (before[0] + 1, before[1] + 2)
            try:
                with db.transaction("tester", "refused"):
                    raise ValueError("rolled back")
            except ValueError:
                pass
            assert db.versions() == (before[0] + 1, before[1] + 2)
            other = db.borrowed()  # a handed-over CLI job: the same file, the same remembered versions
            with other.transaction("cli", "data"):
                pass
            assert db.versions() == (before[0] + 2, before[1] + 3)
        finally:
            Database.rows = real  # type: ignore[method-assign]
    finally:
        db.close()
