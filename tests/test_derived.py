"""Derived results kept in the database file (kam_core.derived): read by a fresh process instead of computed,
never read for other data or other code, brought up to date by the writers (the command line before it exits,
the app in a background thread)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from kam_core import derived, memo
from kam_core.analytics import scoring as S
from kam_core.analytics import tiers as T
from kam_core.analytics import warnings as W
from kam_core.db import Database
from kam_core.filters import Filters
from tests.helpers import run_cli


@pytest.fixture
def demo_copy(demo_path: Path, tmp_path: Path) -> Path:
    p = tmp_path / "derived.duckdb"
    p.write_bytes(demo_path.read_bytes())
    return p


def fresh(path: Path) -> Database:
    """The file opened as a new process would: nothing remembered in memory."""
    memo.clear_all()
    return Database(path)


@contextmanager
def opened(path: Path) -> Iterator[Database]:
    """:func:`fresh`, closed when the block ends."""
    db = fresh(path)
    try:
        yield db
    finally:
        db.close()


def computed(path: Path) -> tuple[pd.DataFrame, S.Scores, pd.DataFrame]:
    """key accounts, scores and revenue warnings computed from the data (no stored result read)."""
    db = fresh(path)
    try:
        derived.drop(db)
        return S.key_accounts(db), S.score(db, Filters()), W.revenue_frame(db)
    finally:
        db.close()


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which expensive builds run: the criteria query, the scoring of a frame, the revenue rules."""
    calls: list[str] = []
    real_frame, real_rev = S.score_frame, W._revenue_frame

    def score_frame(*a: object, **k: object) -> S.Scores:
        calls.append("score")
        return real_frame(*a, **k)

    def revenue(*a: object, **k: object) -> pd.DataFrame:
        calls.append("revenue")
        return real_rev(*a, **k)

    monkeypatch.setattr(S, "score_frame", score_frame)
    monkeypatch.setattr(W, "_revenue_frame", revenue)
    return calls


def stored_versions(db: Database) -> set[int]:
    return {int(r[0]) for r in db.rows("SELECT DISTINCT data_version FROM derived_cache.results")}


def test_a_fresh_process_reads_what_another_computed(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ka, sc, rev = computed(demo_copy)
    with opened(demo_copy) as db:
        assert derived.warm(db) == ["tiers", "scores", "warnings", "accounts", "first views"]  # computes and keeps them
        calls = count_builds(monkeypatch)
        memo.clear_all()  # (as a new process: nothing in memory)
        pd.testing.assert_frame_equal(S.key_accounts(db), ka)
        again = S.score(db, Filters())
        pd.testing.assert_frame_equal(again.table, sc.table)
        pd.testing.assert_frame_equal(again.values, sc.values)
        pd.testing.assert_frame_equal(W.revenue_frame(db), rev)
        assert calls == []  # read, not computed
        assert stored_versions(db) == {db.data_version()}


def test_a_write_makes_them_stale(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with opened(demo_copy) as db:
        derived.warm(db)
        top = S.key_accounts(db).iloc[0]["account"]
        T.set_override(db, top, "LKA", "test: a tier change is a data change", "tester")  # bumps the data version
        calls = count_builds(monkeypatch)
        memo.clear_all()
        S.key_accounts(db)
        W.revenue_frame(db)
        assert "score" in calls and "revenue" in calls  # the old version's results are not read


def test_other_code_never_reads_them(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with opened(demo_copy) as db:
        derived.warm(db)
        monkeypatch.setattr(derived, "_FINGERPRINT", ["an older app"])
        calls = count_builds(monkeypatch)
        memo.clear_all()
        S.key_accounts(db)
        assert "score" in calls


def test_a_result_too_big_is_not_kept(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derived, "MAX_BYTES", 100)
    with opened(demo_copy) as db:
        derived.drop(db)
        S.key_accounts(db)
        assert db.scalar("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'derived_cache'") == 0


def test_only_the_newest_keys_of_a_name_are_kept(demo_copy: Path) -> None:
    with opened(demo_copy) as db:
        derived.drop(db)
        version = db.data_version()
        for i in range(derived.KEEP + 3):
            assert derived.save(db, "test.name", f"k{i}", version, {"i": i})
        keys = {r[0] for r in db.rows("SELECT key FROM derived_cache.results WHERE name = 'test.name'")}
        assert keys == {f"k{i}" for i in range(3, derived.KEEP + 3)}
        assert derived.load(db, "test.name", f"k{derived.KEEP + 2}", version) == {"i": derived.KEEP + 2}
        assert derived.load(db, "test.name", "k0", version) is None
        assert derived.load(db, "test.name", f"k{derived.KEEP + 2}", version + 1) is None
        # a result computed from a version that was written over meanwhile is not kept
        assert not derived.save(db, "test.name", "late", version - 1, {"i": -1})


def test_the_command_line_warms_after_a_change(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_WARM", "1")
    db = fresh(demo_copy)
    derived.drop(db)
    T.drop_stored(db)
    account = db.scalar("SELECT min(account) FROM accounts")
    db.close()
    r = run_cli("tier-override", account, "--tier", "NKA", "--why", "test", "--db", str(demo_copy), "--user", "cli")
    assert r.code == 0, r.stderr
    with opened(demo_copy) as db:
        version = db.data_version()
        assert stored_versions(db) == {version}
        assert T.stored(db) is not None  # the tier classification of the new data, kept
        calls = count_builds(monkeypatch)
        ka = S.key_accounts(db)
        assert calls == []
        assert ka.equals(computed(demo_copy)[0])


def test_a_command_that_only_reads_writes_nothing(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_WARM", "1")
    db = fresh(demo_copy)
    derived.drop(db)
    db.close()
    assert run_cli("uploads", "--db", str(demo_copy)).code == 0
    with opened(demo_copy) as db:
        assert db.scalar("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'derived_cache'") == 0


def test_the_app_warms_in_the_background_after_a_write(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with opened(demo_copy) as db:
        derived.drop(db)
        db.warm = "background"
        runs = derived.WARMER.runs
        with db.transaction("tester", "test-write"):
            pass
        assert derived.WARMER.idle.wait(60)
        assert derived.WARMER.runs > runs
        assert stored_versions(db) == {db.data_version()}
        calls = count_builds(monkeypatch)
        memo.clear_all()
        S.key_accounts(db)
        assert calls == []
        # a plan save, a user change … (no data) starts nothing
        runs = derived.WARMER.runs
        with db.transaction("tester", "test-plan", data=False):
            pass
        assert derived.WARMER.idle.wait(60) and derived.WARMER.runs == runs


def test_a_backup_does_not_carry_them(demo_copy: Path, tmp_path: Path) -> None:
    from kam_core import backup

    with opened(demo_copy) as db:
        derived.warm(db)
        assert "results" not in backup.tables(db)


def test_a_layout_kept_by_another_app_version_is_made_anew(demo_copy: Path) -> None:
    with opened(demo_copy) as db:
        derived.drop(db)
        with db.atomic(write=True) as cur:
            cur.execute("CREATE SCHEMA derived_cache")
            cur.execute("CREATE TABLE derived_cache.results (name VARCHAR, key VARCHAR, payload BLOB)")
        version = db.data_version()
        assert derived.save(db, "test.name", "k", version, [1, 2])
        assert derived.load(db, "test.name", "k", version) == [1, 2]


def test_the_period_a_session_starts_with() -> None:
    from datetime import date

    from kam_core.filters import default_period

    assert default_period(date(2024, 1, 1), date(2026, 10, 1)) == (date(2025, 11, 1), date(2026, 10, 1))
    assert default_period(date(2026, 6, 1), date(2026, 10, 1)) == (date(2026, 6, 1), date(2026, 10, 1))
    assert default_period(date(2026, 10, 1), date(2026, 10, 1)) == (date(2026, 10, 1), date(2026, 10, 1))


def test_the_warmed_change_breakdown_is_the_one_a_session_opens(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kam_core.analytics import explain as E
    from kam_core.analytics.overview import filter_options
    from kam_core.filters import default_period

    with opened(demo_copy) as db:
        derived.drop(db)
        opts = filter_options(db)
        f = Filters(*default_period(opts.first, opts.last))
        expected = {lang: E.view(db, f, lang=lang) for lang in ("en", "zh")}
        derived.drop(db)
        memo.clear_all()
        derived.warm(db)
        memo.clear_all()
        calls: list[object] = []
        real = E._member_rows
        monkeypatch.setattr(E, "_member_rows", lambda *a: calls.append(a) or real(*a))
        for lang, v in expected.items():
            got = E.view(db, f, lang=lang)
            pd.testing.assert_frame_equal(got.frame, v.frame)
            assert (got.head, got.n, got.steps, got.subtotals) == (v.head, v.n, v.steps, v.subtotals)
        assert calls == []  # read from the file, in either language


def test_the_tier_page_reads_the_warmed_sums(demo_copy: Path) -> None:
    from kam_core.analytics.overview import filter_options
    from kam_core.filters import default_period

    with opened(demo_copy) as db:
        opts = filter_options(db)
        f = Filters(*default_period(opts.first, opts.last))
        derived.drop(db)
        expected = (T.province_view(db, f), T.tier_summary(db, f))
        derived.drop(db)
        memo.clear_all()
        derived.warm(db)
        names = {r[0] for r in db.rows("SELECT name FROM derived_cache.results WHERE data_version = ?",
                                       [db.data_version()])}  # fmt: skip
        assert {"tiers.revenue_by", "tiers.prior_revenue"} <= names
        memo.clear_all()  # (a fresh process)
        pd.testing.assert_frame_equal(T.province_view(db, f), expected[0])
        pd.testing.assert_frame_equal(T.tier_summary(db, f), expected[1])
