"""Storage: the one place that opens DuckDB, runs migrations and owns transactions.

One connection per process and database path (DuckDB's recommended pattern); every query
runs on its own cursor, every write in a short transaction that also bumps the data
version, so cached reads in the app know when to refresh. While the app holds a file, the
command line hands its commands to the app (kam_core.handover) instead of opening it.
"""

from __future__ import annotations

import copy
import getpass
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kam_core.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "kam.duckdb"


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the app."""

    def __init__(self, message: str, found: int = 0, known: int = 0) -> None:
        super().__init__(message)
        self.found, self.known = found, known


def default_path() -> Path:
    return Path(os.environ.get("KAM_DB") or DEFAULT_DB)


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def is_lock_error(e: BaseException) -> bool:
    """DuckDB's refusal to open a file another process holds."""
    return isinstance(e, duckdb.IOException) and "lock" in str(e).lower()


class Database:
    """A DuckDB file with our schema. Use :func:`get_db` to share one per process."""

    def __init__(self, path: str | Path, wait: float = 0.0, migrate_to: int | None = None) -> None:
        """``wait``: seconds to keep trying while another process (a command line job) holds the file.

        ``migrate_to``: stop at this schema version (a restore fills a backup's schema, then migrates).
        """
        self.path = Path(path)
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = _connect(self.path, wait)
        # what the remembered versions are kept under: the file (however its path is spelled), or this
        # in-memory database
        self._file_key = f":memory:{id(self._con)}" if str(self.path) == ":memory:" else str(self.path.resolve())
        _forget_versions(self._file_key)  # (another process may have written it before this one opened it)
        self._write_lock = threading.RLock()
        self._closed = self._borrowed = False
        # After a write of data: bring the stored derived results up to date (kam_core.derived) — "off",
        # "background" (the app: a thread, right away) or "on_close" (the command line: before it exits).
        self.warm = "off"
        self._warm_due = False
        self._origin = self
        self.migrate(to=migrate_to)

    def borrowed(self) -> Database:
        """The same connection for a caller that closes what it opened (a handed-over CLI job): close() keeps it.
        Its writes warm the lender's derived results, as the lender's own writes do."""
        b = copy.copy(self)
        b._borrowed = True
        return b

    # -- reading ---------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read query on a fresh cursor and return a (small) DataFrame."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def arrow(self, sql: str, params: Sequence[Any] | None = None, **frames: Any) -> Any:
        """Run a read query on a fresh cursor and return a pyarrow Table (whole columns, no Python object per
        row); ``frames``: tables or frames registered under these names for the query."""
        cur = self.cursor()
        try:
            for name, frame in frames.items():
                cur.register(name, frame)
            return cur.sql(sql, params=params or []).to_arrow_table()
        finally:
            cur.close()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        r = self.rows(sql, params)
        return r[0][0] if r else None

    # -- writing ---------------------------------------------------------------------
    @contextmanager
    def transaction(self, user: str, action: str, detail: dict | None = None, *,
                    data: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:  # fmt: skip
        """One write transaction; records who did what and bumps the versions (:meth:`versions`).

        ``data``: the write changes what the analyses read (sales, accounts, stores, settings, score
        models, overrides …): the data version is bumped too, and every result derived from the data
        is out of date. False for writes no analysis reads — account plans, users, mapping templates —
        so a plan save does not make the tier classification or the scores be computed again.
        One writer at a time inside the process; readers on other cursors see either
        the state before or after, never half of it.
        """
        if not user or not str(user).strip():
            from kam_core.errors import UserError

            raise UserError("db.err.user_required")
        from kam_core import auth  # [auth hook] who acts and may they (kam_core/auth.py); refused: nothing written

        user = auth.authorize(self, user, action, detail)  # [auth hook] an Actor (a str: the recorded name)
        with self.atomic(write=True) as cur:
            yield cur
            cur.execute(
                "INSERT INTO audit_log (logged_at, user_name, action, detail) VALUES (now(), ?, ?, ?)",
                [user, action, json.dumps(detail or {}, default=str, ensure_ascii=False)],
            )
            if data:
                cur.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
            cur.execute(
                "INSERT INTO meta VALUES ('write_version', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1"
            )
        if data:
            self._after_data_write()

    def _after_data_write(self) -> None:
        if self.warm == "background":
            from kam_core import derived

            derived.WARMER.soon(self._origin)
        elif self.warm == "on_close":
            self._warm_due = True

    @contextmanager
    def atomic(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on a fresh cursor: committed when the block ends, rolled back on any error.

        ``write``: hold the process's write lock (one writer at a time). Nothing is audited and the data
        version stays: for reads that need one snapshot (a backup, the tier classifier) and for data derived
        from what is stored (the stored tier classification, a restore's fill, migrations). A user's change
        goes through :meth:`transaction`.
        """
        with self._write_lock if write else nullcontext():
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()
                if write:
                    _forget_versions(self._file_key)

    def data_version(self) -> int:
        """Bumped by every write of data the analyses read (``transaction(data=True)``): what results
        derived from the data (the tier classification, scores, summaries of them) are keyed by."""
        return self.versions()[0]

    def versions(self) -> tuple[int, int]:
        """(data version, write version): the write version is bumped by every write, plans and users
        included — what a cached page result is keyed by (it may show a plan, a user, the audit log).

        Remembered until this process next writes the file (a page run asks for them with every cached
        query). Exact: every write of this process ends an :meth:`atomic` block with the write lock, which
        forgets them; no other process writes the file while this one holds it (the command line hands its
        jobs to the app)."""
        key = self._file_key
        with _VERSIONS_LOCK:
            hit, generation = _VERSIONS.get(key), _GENERATION.get(key, 0)
        if hit is not None:
            return hit
        got = dict(self.rows("SELECT key, value FROM meta WHERE key IN ('data_version', 'write_version')"))
        out = int(got.get("data_version", 0)), int(got.get("write_version", 0))
        with _VERSIONS_LOCK:
            if _GENERATION.get(key, 0) == generation:  # (no write ended meanwhile: still the latest)
                _VERSIONS[key] = out
        return out

    # -- schema ----------------------------------------------------------------------
    def schema_version(self) -> int:
        cur = self.cursor()
        try:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
            ).fetchone()[0]
            if not exists:
                return 0
            return int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])
        finally:
            cur.close()

    def migrate(self, user: str | None = None, to: int | None = None) -> int:
        """Apply pending migrations in order (up to ``to``, default all); refuse a file from a newer app."""
        current = self.schema_version()
        known = len(MIGRATIONS)
        if current > known:
            raise SchemaTooNewError(
                f"{self.path} has schema version {current}, but this app only knows up to "
                f"{known}. Upgrade the app (or use another database file).",
                found=current,
                known=known,
            )
        latest = known if to is None else min(to, known)
        for version in range(current + 1, latest + 1):
            with self.atomic(write=True) as cur:
                for stmt in MIGRATIONS[version - 1]:
                    cur.execute(stmt)
                cur.execute(
                    "INSERT INTO schema_version (version, applied_at, applied_by) VALUES (?, now(), ?)",
                    [version, user or os_user()],
                )
        return latest

    # -- settings --------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        v = self.scalar("SELECT value FROM settings WHERE key = ?", [key])
        return default if v is None else json.loads(v)

    def set_setting(self, key: str, value: Any, user: str) -> None:
        with self.transaction(user, "setting", {"key": key}) as cur:
            write_setting(cur, key, value, user)

    def close(self) -> None:
        if self._borrowed:
            return
        if self._warm_due and not self._closed:
            self._warm_due = False
            from kam_core import derived

            try:
                derived.warm(self)  # the command's changes: the dashboards' results ready before it exits
            except Exception:  # only speed is lost: the first reader computes them
                logging.getLogger(__name__).exception("warming the derived results failed")
        from kam_core import handover

        handover.stop(self)
        self._closed = True
        self._con.close()
        _forget_versions(self._file_key)  # (once closed, another process may write it)


_VERSIONS: dict[str, tuple[int, int]] = {}  # path → versions, as last read (Database.versions)
_GENERATION: dict[str, int] = {}  # path → writes ended in this process
_VERSIONS_LOCK = threading.Lock()


def _forget_versions(key: str) -> None:
    with _VERSIONS_LOCK:
        _GENERATION[key] = _GENERATION.get(key, 0) + 1
        _VERSIONS.pop(key, None)


def _connect(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    deadline, delay = time.monotonic() + wait, 0.05
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as e:
            if not is_lock_error(e) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def write_setting(cur: duckdb.DuckDBPyConnection, key: str, value: Any, user: str) -> None:
    """Store a setting inside the caller's transaction (see Database.transaction)."""
    cur.execute(
        "INSERT OR REPLACE INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, now())",
        [key, json.dumps(value, ensure_ascii=False), user],
    )


_DBS: dict[str, Database] = {}
_DBS_LOCK = threading.Lock()


def get_db(path: str | Path | None = None, wait: float = 0.0) -> Database:
    """The process-wide Database for ``path`` (default: ``KAM_DB`` or data/kam.duckdb).

    ``wait``: seconds to wait for a command line job that holds the file (the app passes one).
    """
    p = str(Path(path) if path else default_path())
    with _DBS_LOCK:
        db = _DBS.get(p)
        if db is None:
            db = _DBS[p] = Database(p, wait)
        return db


def close_all() -> None:
    with _DBS_LOCK:
        for db in _DBS.values():
            db.close()
        _DBS.clear()
